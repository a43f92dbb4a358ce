import { createHash } from 'crypto';
import {
	NodeApiError,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

import { listFrom, providerRequest, unavailableHint, unreachable } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const PAYPAL_CREDENTIAL = 'payPalVerifiedApi';
export const PAYPAL_API_BASE_URLS = {
	production: 'https://api-m.paypal.com',
	sandbox: 'https://api-m.sandbox.paypal.com',
} as const;
const CREDENTIAL_NAME = 'PayPal (Verified Webhooks) API';

/** A webhook as the API returns it. */
interface PayPalWebhook {
	id: string;
	url?: string;
	event_types?: Array<{ name?: string }>;
}

export interface PayPalApiCredential {
	clientId: string;
	clientSecret: string;
}

function hintFor(status: number): string {
	if (status === 401) {
		return `Check the Client ID and Secret in the "${CREDENTIAL_NAME}" credential: they are the REST app's (Developer Dashboard → Apps & Credentials), of the chosen environment (sandbox or live).`;
	}
	if (status === 403)
		return 'The REST app may not manage webhooks: check its features in the Developer Dashboard.';
	if (status === 429 || status >= 500) return unavailableHint('PayPal');
	return "Check the node's events and the credential's environment. PayPal accepts only https webhook URLs on port 443: n8n's WEBHOOK_URL must be one, and a REST app holds at most 10 webhooks.";
}

/** PayPal's errors: { name, message, debug_id, details: [{ field, issue, description }] }. */
function errorDetail(body: unknown): string {
	const error = body as IDataObject | undefined;
	if (typeof error !== 'object' || error === null) return '';
	const details = Array.isArray(error.details)
		? (error.details as IDataObject[])
				.map((detail) => [detail.issue, detail.description].filter(Boolean).join(': '))
				.join('; ')
		: '';
	return [error.name, error.message, details].filter(Boolean).join(': ');
}

function toEndpoint(webhook: PayPalWebhook): RemoteEndpoint {
	return {
		id: webhook.id,
		url: webhook.url ?? '',
		events: (webhook.event_types ?? []).map((type) => type.name ?? ''),
		// PayPal webhooks cannot be disabled.
		enabled: true,
		// PayPal keeps no metadata on a webhook, and a REST app holds one webhook per URL. The URL carries the n8n
		// node's unique webhook id, so a webhook with this exact URL was made for this node.
		ours: true,
	};
}

/** Access tokens by API base URL and credential (hashed), until a minute before they expire. */
const tokens = new Map<string, { token: string; untilMs: number }>();
const MAX_TOKENS = 100;

/** A REST app's webhooks, with an OAuth 2.0 client-credentials token (PayPal's only way in). */
export class PayPalWebhookApi implements EndpointApi {
	private readonly base: string;

	private readonly tokenKey: string;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly credential: PayPalApiCredential,
	) {
		this.base = baseUrl.replace(/\/+$/, '');
		this.tokenKey = createHash('sha256')
			.update(`${this.base}\u0000${credential.clientId}\u0000${credential.clientSecret}`)
			.digest('base64');
	}

	private async token(): Promise<string> {
		const known = tokens.get(this.tokenKey);
		if (known && Date.now() < known.untilMs) return known.token;
		let response: { statusCode: number; body: unknown };
		try {
			response = await this.context.helpers.httpRequest({
				method: 'POST',
				url: `${this.base}/v1/oauth2/token`,
				auth: { username: this.credential.clientId, password: this.credential.clientSecret },
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'grant_type=client_credentials',
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30_000,
			});
		} catch (error) {
			const url = `${this.base}/v1/oauth2/token`;
			throw unreachable(
				this.context,
				{ provider: 'PayPal', url, credentialName: CREDENTIAL_NAME },
				error,
			);
		}
		const answer = response.body as { access_token?: unknown; expires_in?: unknown } | undefined;
		if (response.statusCode !== 200 || typeof answer?.access_token !== 'string') {
			const status = response.statusCode;
			const detail =
				(answer as IDataObject | undefined)?.error_description ?? errorDetail(answer) ?? '';
			const message = `PayPal refused the Client ID and Secret (${status})${detail ? `: ${String(detail)}` : ''}`;
			throw new NodeApiError(this.context.getNode(), { message } as JsonObject, {
				message,
				description: `${message}. ${hintFor(status === 200 ? 401 : status)}`,
				httpCode: String(status),
			});
		}
		const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : 300;
		if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value as string);
		tokens.set(this.tokenKey, {
			token: answer.access_token,
			untilMs: Date.now() + Math.max(0, seconds - 60) * 1000,
		});
		return answer.access_token;
	}

	/** One call with the app's token; a 401 drops the token and tries once more with a fresh one. */
	private async call<T>(
		method: IHttpRequestMethods,
		path: string,
		body?: IDataObject | IDataObject[],
		allowNotFound = false,
	) {
		const attempt = async () => {
			const token = await this.token();
			try {
				const answer = await providerRequest<T>(this.context, {
					provider: 'PayPal',
					credentialType: PAYPAL_CREDENTIAL,
					credentialName: CREDENTIAL_NAME,
					method,
					url: `${this.base}${path}`,
					body: body as IDataObject,
					headers: { Authorization: `Bearer ${token}` },
					allowNotFound,
					errorDetail,
					hint: hintFor,
				});
				return { answer };
			} catch (error) {
				return { failure: error as NodeApiError };
			}
		};
		let result = await attempt();
		if (result.failure?.httpCode === '401') {
			tokens.delete(this.tokenKey);
			result = await attempt();
		}
		if (result.failure) throw result.failure;
		return result.answer;
	}

	private path(id: string) {
		return `/v1/notifications/webhooks/${encodeURIComponent(id)}`;
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const answer = await this.call<PayPalWebhook>('GET', this.path(id), undefined, true);
		return answer?.body?.id ? toEndpoint(answer.body) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const answer = await this.call<{ webhooks?: unknown }>('GET', '/v1/notifications/webhooks');
		const webhooks = listFrom<PayPalWebhook>(
			this.context,
			'PayPal',
			answer?.body?.webhooks,
			'webhooks',
		);
		return webhooks.filter((webhook) => webhook.url === url).map(toEndpoint);
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		const answer = await this.call<PayPalWebhook>('POST', '/v1/notifications/webhooks', {
			url,
			event_types: events.map((name) => ({ name })),
		});
		const webhook = answer?.body;
		if (!webhook?.id) {
			const message = 'PayPal created the webhook but returned no id';
			throw new NodeApiError(this.context.getNode(), { message } as JsonObject, {
				message,
				description: `${message}. Check that the credential's environment points at PayPal's API.`,
			});
		}
		// PayPal signs with its own certificate; what verification needs of ours is the webhook id.
		return { endpoint: toEndpoint(webhook), secret: webhook.id };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.call('PATCH', this.path(id), [
			{ op: 'replace', path: '/event_types', value: events.map((name) => ({ name })) },
		]);
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		// A 204 has no body: only the status tells "deleted" from "gone".
		const answer = await this.call('DELETE', this.path(id), undefined, true);
		return answer === undefined ? 'gone' : 'deleted';
	}
}
