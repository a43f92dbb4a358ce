import { randomBytes } from 'crypto';
import {
	NodeApiError,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

import { listFrom, providerRequest, unavailableHint } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const GITHUB_CREDENTIAL = 'gitHubVerifiedApi';
export const DEFAULT_GITHUB_API_BASE_URL = 'https://api.github.com';

export interface GitHubScope {
	kind: 'repository' | 'organization';
	owner: string;
	repository?: string;
}

interface GitHubHook {
	id: number;
	active: boolean;
	events: string[];
	config: { url?: string };
}

function hintFor(status: number, scope: GitHubScope): string {
	const target =
		scope.kind === 'organization'
			? `organization "${scope.owner}"`
			: `repository "${scope.owner}/${scope.repository}"`;
	if (status === 401)
		return 'Check the Access Token in the "GitHub (Verified Webhooks) API" credential.';
	if (status === 403 || status === 404) {
		return `The token cannot manage webhooks of the ${target}, or it does not exist. A classic token needs the ${scope.kind === 'organization' ? 'admin:org_hook' : 'admin:repo_hook'} scope; a fine-grained token needs "Webhooks: Read and write" (${scope.kind === 'organization' ? 'organization' : 'repository'} permission).`;
	}
	if (status === 429 || status >= 500) return unavailableHint('GitHub');
	return "Check the node's owner, repository and events, and the credential's API Base URL (GitHub Enterprise Server: https://HOST/api/v3).";
}

function toEndpoint(hook: GitHubHook): RemoteEndpoint {
	return {
		id: String(hook.id),
		url: hook.config?.url ?? '',
		events: hook.events ?? [],
		enabled: hook.active,
		// GitHub keeps no metadata on a hook. Its URL carries the n8n node's unique webhook id, so a hook with
		// this exact URL was made for this node, by an earlier activation attempt.
		ours: true,
	};
}

/** Repository or organization webhooks through n8n's authenticated request helper. */
export class GitHubHookApi implements EndpointApi {
	private readonly hooksPath: string;

	constructor(
		private readonly context: IHookFunctions,
		private readonly baseUrl: string,
		private readonly scope: GitHubScope,
	) {
		this.hooksPath =
			scope.kind === 'organization'
				? `/orgs/${encodeURIComponent(scope.owner)}/hooks`
				: `/repos/${encodeURIComponent(scope.owner)}/${encodeURIComponent(scope.repository ?? '')}/hooks`;
	}

	private async call<T>(
		method: IHttpRequestMethods,
		path: string,
		body?: IDataObject,
		allowNotFound = false,
	): Promise<T | undefined> {
		const answer = await providerRequest<T>(this.context, {
			provider: 'GitHub',
			credentialType: GITHUB_CREDENTIAL,
			credentialName: 'GitHub (Verified Webhooks) API',
			method,
			url: `${this.baseUrl.replace(/\/+$/, '')}${path}`,
			body,
			headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
			allowNotFound,
			errorDetail: (payload) => {
				const error = (payload ?? {}) as IDataObject;
				const errors = Array.isArray(error.errors)
					? (error.errors as IDataObject[]).map((entry) => entry.message ?? entry.code).join('; ')
					: '';
				return `${typeof error.message === 'string' ? error.message : ''}${errors ? ` (${errors})` : ''}`;
			},
			hint: (status) => hintFor(status, this.scope),
		});
		return answer?.body;
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const hook = await this.call<GitHubHook>(
			'GET',
			`${this.hooksPath}/${encodeURIComponent(id)}`,
			undefined,
			true,
		);
		return hook ? toEndpoint(hook) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const found: RemoteEndpoint[] = [];
		for (let page = 1; page <= 10; page++) {
			const hooks = listFrom<GitHubHook>(
				this.context,
				'GitHub',
				await this.call('GET', `${this.hooksPath}?per_page=100&page=${page}`),
				'webhooks',
			);
			for (const hook of hooks) if (hook.config?.url === url) found.push(toEndpoint(hook));
			if (hooks.length < 100) break;
		}
		return found;
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The secret is ours to choose: 32 random bytes. GitHub never returns it, so it is sealed in static data.
		const secret = randomBytes(32).toString('hex');
		const hook = await this.call<GitHubHook>('POST', this.hooksPath, {
			name: 'web',
			active: true,
			events,
			config: { url, content_type: 'json', secret, insecure_ssl: '0' },
		});
		if (!hook?.id) {
			throw new NodeApiError(
				this.context.getNode(),
				{ message: 'incomplete response' } as JsonObject,
				{
					message: 'GitHub created the webhook but returned no id',
				},
			);
		}
		return { endpoint: toEndpoint(hook), secret };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.call('PATCH', `${this.hooksPath}/${encodeURIComponent(id)}`, {
			active: true,
			events,
		});
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		const result = await this.call<unknown>(
			'DELETE',
			`${this.hooksPath}/${encodeURIComponent(id)}`,
			undefined,
			true,
		);
		return result === undefined ? 'gone' : 'deleted';
	}
}
