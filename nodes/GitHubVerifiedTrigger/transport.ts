import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
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

	private readonly api: RestApi;

	constructor(context: IHookFunctions, baseUrl: string, scope: GitHubScope) {
		this.hooksPath =
			scope.kind === 'organization'
				? `/orgs/${encodeURIComponent(scope.owner)}/hooks`
				: `/repos/${encodeURIComponent(scope.owner)}/${encodeURIComponent(scope.repository ?? '')}/hooks`;
		this.api = restApi(context, {
			provider: 'GitHub',
			credentialType: GITHUB_CREDENTIAL,
			credentialName: 'GitHub (Verified Webhooks) API',
			baseUrl,
			headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
			errorDetail: (payload) => {
				const error = (payload ?? {}) as IDataObject;
				const errors = Array.isArray(error.errors)
					? (error.errors as IDataObject[]).map((entry) => entry.message ?? entry.code).join('; ')
					: '';
				return `${typeof error.message === 'string' ? error.message : ''}${errors ? ` (${errors})` : ''}`;
			},
			hint: (status) => hintFor(status, scope),
		});
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const hook = await this.api.call<GitHubHook>(
			'GET',
			`${this.hooksPath}/${encodeURIComponent(id)}`,
			undefined,
			{ allowNotFound: true },
		);
		return hook ? toEndpoint(hook) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const hooks = await this.api.pages<GitHubHook>(this.hooksPath, 'webhooks');
		return hooks.filter((hook) => hook.config?.url === url).map(toEndpoint);
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The secret is ours to choose: 32 random bytes. GitHub never returns it, so it is sealed in static data.
		const secret = randomBytes(32).toString('hex');
		const hook = await this.api.call<GitHubHook>('POST', this.hooksPath, {
			name: 'web',
			active: true,
			events,
			config: { url, content_type: 'json', secret, insecure_ssl: '0' },
		});
		if (!hook?.id) throw this.api.incomplete('created the webhook but returned no id');
		return { endpoint: toEndpoint(hook), secret };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.api.call('PATCH', `${this.hooksPath}/${encodeURIComponent(id)}`, {
			active: true,
			events,
		});
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`${this.hooksPath}/${encodeURIComponent(id)}`);
	}
}
