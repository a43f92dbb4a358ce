import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, MissedDelivery, RemoteEndpoint } from '../shared/registration';

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

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		scope: GitHubScope,
	) {
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

	/**
	 * Catch-up: GitHub never redelivers by itself, but keeps a hook's deliveries (about 3 days) and redelivers one
	 * on request, with the same X-GitHub-Delivery. An event is missed when none of its deliveries since
	 * `sinceSeconds` got a 2xx; the newest failed one is redelivered. Pings are not events.
	 */
	async missed(id: string, sinceSeconds: number): Promise<MissedDelivery[]> {
		const base = `${this.hooksPath}/${encodeURIComponent(id)}/deliveries`;
		const byGuid = new Map<string, { delivered: boolean; latest: number; at: number }>();
		let cursor: string | undefined;
		// Newest first; 10 pages of 100 bound one round.
		for (let page = 0; page < 10; page++) {
			const query = new URLSearchParams({ per_page: '100' });
			if (cursor) query.set('cursor', cursor);
			const answer = await this.api.read<GitHubDelivery[]>(`${base}?${query.toString()}`);
			const list = listFrom<GitHubDelivery>(this.context, 'GitHub', answer.body, 'hook deliveries');
			let older = false;
			for (const delivery of list) {
				const at = Date.parse(delivery.delivered_at) / 1000;
				if (!(at >= sinceSeconds)) {
					older = true;
					continue;
				}
				if (delivery.event === 'ping' || !delivery.guid) continue;
				const entry = byGuid.get(delivery.guid) ?? { delivered: false, latest: delivery.id, at };
				if (delivery.status_code >= 200 && delivery.status_code < 300) entry.delivered = true;
				if (at >= entry.at) Object.assign(entry, { latest: delivery.id, at });
				byGuid.set(delivery.guid, entry);
			}
			cursor = nextCursor(answer.headers.link);
			if (older || list.length === 0 || !cursor) break;
		}
		return [...byGuid.entries()]
			.filter(([, entry]) => !entry.delivered)
			.sort(([, a], [, b]) => a.at - b.at)
			.map(([guid, entry]) => ({
				eventId: guid,
				redeliver: async () => {
					await this.api.call('POST', `${base}/${entry.latest}/attempts`);
				},
			}));
	}
}

interface GitHubDelivery {
	id: number;
	guid: string;
	delivered_at: string;
	status_code: number;
	event: string;
}

/** The `cursor` of a Link header's rel="next" URL (GitHub pages hook deliveries by cursor). */
function nextCursor(link: unknown): string | undefined {
	if (typeof link !== 'string') return undefined;
	for (const part of link.split(',')) {
		const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
		if (!match) continue;
		try {
			return new URL(match[1]).searchParams.get('cursor') ?? undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}
