import {
	NodeApiError,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

/**
 * One request to a provider's API through n8n's authenticated request helper, with the failure turned into
 * an NodeApiError a user can act on. Only our own words and the provider's error text go into the error:
 * the raw error can carry request headers (the credential).
 */
export interface ProviderRequest {
	provider: string;
	credentialType: string;
	/** The credential's display name, for "check the … credential" hints. */
	credentialName: string;
	method: IHttpRequestMethods;
	url: string;
	body?: IDataObject | string;
	headers?: IDataObject;
	/** A 404 answers undefined instead of failing (a resource already gone). */
	allowNotFound?: boolean;
	/** The provider's error text from an error body. */
	errorDetail(body: unknown, status: number): string;
	/** What the user should check for a status. */
	hint(status: number): string;
}

/** The error for a request that got no answer (refused, timed out, DNS): the code only, never the request. */
export function unreachable(
	context: IHookFunctions,
	request: Pick<ProviderRequest, 'provider' | 'url' | 'credentialName'>,
	error: unknown,
): NodeApiError {
	const code = (error as { code?: string }).code ?? 'request failed';
	const origin = new URL(request.url).origin;
	const message = `Could not reach ${request.provider} at ${origin} (${code})`;
	return new NodeApiError(context.getNode(), { message, code } as JsonObject, {
		message,
		description: `${message}. Check the API address in the "${request.credentialName}" credential and that n8n can reach it.`,
	});
}

export async function providerRequest<T>(
	context: IHookFunctions,
	request: ProviderRequest,
): Promise<{ status: number; body: T; headers: IDataObject } | undefined> {
	let response: { statusCode: number; body: unknown; headers?: IDataObject };
	try {
		response = await context.helpers.httpRequestWithAuthentication.call(
			context,
			request.credentialType,
			{
				method: request.method,
				url: request.url,
				body: request.body,
				headers: request.headers ?? {},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30_000,
			},
		);
	} catch (error) {
		throw unreachable(context, request, error);
	}
	const status = response.statusCode;
	if (status >= 200 && status < 300)
		return { status, body: response.body as T, headers: response.headers ?? {} };
	if (status === 404 && request.allowNotFound) return undefined;
	const detail = request.errorDetail(response.body, status) || `HTTP ${status}`;
	const path = new URL(request.url).pathname;
	const message = `${request.provider} refused ${request.method} ${path} (${status}): ${detail}`;
	throw new NodeApiError(context.getNode(), { message: detail } as JsonObject, {
		message,
		// Some n8n versions show only the description when activation fails, so it stands alone.
		description: `${message}. ${request.hint(status)}`,
		httpCode: String(status),
	});
}

/** A provider's REST API: the request settings that stay the same for every call, and its base URL. */
export type RestApiSettings = Omit<ProviderRequest, 'method' | 'url' | 'body' | 'allowNotFound'> & {
	baseUrl: string;
	/** What a successful answer's body holds, e.g. JSON:API's or Paddle's `data`. Default: the body. */
	unwrap?(body: unknown): unknown;
};

export interface RestApi {
	/** The answer's body (unwrapped), as sent: undefined for a 404 with `allowNotFound`, or an empty body. */
	call<T>(
		method: IHttpRequestMethods,
		path: string,
		body?: IDataObject | string,
		options?: { allowNotFound?: boolean; headers?: IDataObject },
	): Promise<T | undefined>;
	/** A GET that also gives the answer's headers (a Link header's next page), with the body unwrapped. */
	read<T>(path: string): Promise<{ body: T | undefined; headers: IDataObject }>;
	/** DELETE where "already gone" (404) is success: after a failed activation delete runs again. */
	remove(path: string): Promise<'deleted' | 'gone'>;
	/**
	 * Every item of a list paged by `per_page` and `page` (GitHub, GitLab), up to 20 pages of 100; an answer that
	 * is not a list fails (see listFrom).
	 */
	pages<T>(path: string, what: string): Promise<T[]>;
	/** The error for a 2xx answer that lacks what the request must return (an id, a secret). */
	incomplete(what: string, description?: string): NodeApiError;
}

export function restApi(context: IHookFunctions, settings: RestApiSettings): RestApi {
	const { baseUrl, unwrap, ...request } = settings;
	const base = baseUrl.replace(/\/+$/, '');
	const send = async (
		method: IHttpRequestMethods,
		path: string,
		body?: IDataObject | string,
		options: { allowNotFound?: boolean; headers?: IDataObject } = {},
	) =>
		await providerRequest<unknown>(context, {
			...request,
			method,
			url: `${base}${path}`,
			body,
			headers: { ...request.headers, ...options.headers },
			allowNotFound: options.allowNotFound,
		});
	return {
		async call<T>(
			method: IHttpRequestMethods,
			path: string,
			body?: IDataObject | string,
			options?: { allowNotFound?: boolean; headers?: IDataObject },
		) {
			const answer = await send(method, path, body, options);
			if (answer === undefined) return undefined;
			return (unwrap ? unwrap(answer.body) : answer.body) as T;
		},
		async read<T>(path: string) {
			const answer = await send('GET', path);
			return {
				body: (answer && (unwrap ? unwrap(answer.body) : answer.body)) as T | undefined,
				headers: answer?.headers ?? {},
			};
		},
		async pages<T>(path: string, what: string) {
			const items: T[] = [];
			const separator = path.includes('?') ? '&' : '?';
			for (let page = 1; page <= 20; page++) {
				const answer = await send('GET', `${path}${separator}per_page=100&page=${page}`);
				const list = listFrom<T>(context, request.provider, answer?.body, what);
				items.push(...list);
				if (list.length < 100) break;
			}
			return items;
		},
		async remove(path) {
			// A 204 has no body: only the status tells "deleted" from "gone".
			const answer = await send('DELETE', path, undefined, { allowNotFound: true });
			return answer === undefined ? 'gone' : 'deleted';
		},
		incomplete(what, description) {
			const message = `${request.provider} ${what}`;
			return new NodeApiError(context.getNode(), { message: 'incomplete response' } as JsonObject, {
				message,
				description:
					description ??
					`${message}. Check that the credential's API address points at ${request.provider}'s API.`,
			});
		},
	};
}

/** The hint for rate limits and outages, the same for every provider. */
export function unavailableHint(provider: string): string {
	return `${provider} is rate limiting or unavailable. Activate the workflow again in a few minutes.`;
}

/**
 * The list a provider answered a list request with. Anything else — an empty or non-JSON body, an object —
 * fails the attempt: an unreadable list is never "nothing there", or a retried create would add a second
 * endpoint next to the one an earlier attempt left.
 */
export function listFrom<T>(
	context: IHookFunctions,
	provider: string,
	value: unknown,
	what: string,
): T[] {
	if (Array.isArray(value)) return value as T[];
	const message = `${provider} answered the request for ${what} with something that is not a list`;
	throw new NodeApiError(context.getNode(), { message } as JsonObject, {
		message,
		description: `${message}. Nothing was changed; activate the workflow again in a few minutes.`,
	});
}
