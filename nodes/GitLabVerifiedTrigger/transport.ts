import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';
import events from './events.json';

export const GITLAB_CREDENTIAL = 'gitLabVerifiedApi';
export const DEFAULT_GITLAB_URL = 'https://gitlab.com';
const CREDENTIAL_NAME = 'GitLab (Verified Webhooks) API';
/** Every event flag a hook has: the ones not selected are sent as false. */
const EVENT_FLAGS = events.map((event) => event.value).filter((value) => value !== '*');

export interface GitLabScope {
	kind: 'project' | 'group';
	/** A numeric ID or a full path (group/subgroup/project). */
	path: string;
}

type GitLabHook = { id: number; url: string; alert_status?: string } & Record<string, unknown>;

function hintFor(status: number, scope: GitLabScope): string {
	const target = `${scope.kind} "${scope.path}"`;
	if (status === 401)
		return `Check the Access Token in the "${CREDENTIAL_NAME}" credential (it needs the api scope).`;
	if (status === 403 || status === 404) {
		return `The token cannot manage webhooks of the ${target}, or it does not exist. The token needs the api scope and the Maintainer role (Owner for group hooks); group hooks need GitLab Premium. Check the node's ${scope.kind === 'group' ? 'Group' : 'Project'} (ID or full path).`;
	}
	if (status === 429 || status >= 500) return unavailableHint('GitLab');
	return "Check the node's events and the credential's GitLab URL.";
}

function toEndpoint(hook: GitLabHook): RemoteEndpoint {
	return {
		id: String(hook.id),
		url: hook.url ?? '',
		events: EVENT_FLAGS.filter((flag) => hook[flag] === true).sort(),
		// GitLab disables a hook after repeated failures (temporarily or for good).
		enabled: hook.alert_status === undefined || hook.alert_status === 'executable',
		// Hooks keep no metadata on older GitLab versions. The URL carries the n8n node's unique webhook id, so a hook
		// with this exact URL was made for this node, by an earlier activation attempt.
		ours: true,
	};
}

/** Project or group hooks through GitLab's REST API v4. */
export class GitLabHookApi implements EndpointApi {
	private readonly api: RestApi;

	private readonly hooksPath: string;

	constructor(context: IHookFunctions, baseUrl: string, scope: GitLabScope) {
		this.hooksPath = `/api/v4/${scope.kind === 'group' ? 'groups' : 'projects'}/${encodeURIComponent(scope.path)}/hooks`;
		this.api = restApi(context, {
			provider: 'GitLab',
			credentialType: GITLAB_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl,
			// GitLab's errors: { message } (a string, or field → messages) or { error }.
			errorDetail: (body) => {
				const error = (body ?? {}) as IDataObject;
				const message = error.message ?? error.error;
				if (typeof message === 'string') return message;
				return message && typeof message === 'object' ? JSON.stringify(message) : '';
			},
			hint: (status) => hintFor(status, scope),
		});
	}

	private flags(events: string[]): IDataObject {
		return Object.fromEntries(EVENT_FLAGS.map((flag) => [flag, events.includes(flag)]));
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const hook = await this.api.call<GitLabHook>(
			'GET',
			`${this.hooksPath}/${encodeURIComponent(id)}`,
			undefined,
			{
				allowNotFound: true,
			},
		);
		return hook?.id ? toEndpoint(hook) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const hooks = await this.api.pages<GitLabHook>(this.hooksPath, 'webhooks');
		return hooks.filter((hook) => hook.url === url).map(toEndpoint);
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The secret token is ours to choose: 32 random bytes. GitLab never returns it, so it is sealed in static data.
		const secret = randomBytes(32).toString('hex');
		const hook = await this.api.call<GitLabHook>('POST', this.hooksPath, {
			url,
			token: secret,
			enable_ssl_verification: true,
			...this.flags(events),
		});
		if (!hook?.id) throw this.api.incomplete('created the webhook but returned no id');
		return { endpoint: toEndpoint(hook), secret };
	}

	/** An edit also re-enables a hook GitLab disabled. The token is sent again: the edit keeps what it is given. */
	async repair(id: string, events: string[], secret: string | undefined): Promise<void> {
		const current = await this.get(id);
		await this.api.call('PUT', `${this.hooksPath}/${encodeURIComponent(id)}`, {
			url: current?.url,
			...(secret ? { token: secret } : {}),
			enable_ssl_verification: true,
			...this.flags(events),
		});
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`${this.hooksPath}/${encodeURIComponent(id)}`);
	}
}
