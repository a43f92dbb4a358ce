'use strict';
/**
 * A fake GitLab REST API v4 (project and group hooks) on 127.0.0.1, and deliveries sent like GitLab's classic
 * webhooks: the hook's secret token in `X-Gitlab-Token` (nothing is signed), `X-Gitlab-Event`,
 * `X-Gitlab-Event-UUID` and `Idempotency-Key` (the same across redeliveries). Shapes follow the API reference
 * (providers.md §2.17): hooks with one boolean per event, `{ message }` errors, 204 on delete, `alert_status`.
 */
const { randomUUID } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

const FLAGS = [
	'push_events',
	'tag_push_events',
	'issues_events',
	'confidential_issues_events',
	'merge_requests_events',
	'note_events',
	'confidential_note_events',
	'pipeline_events',
	'job_events',
	'wiki_page_events',
	'deployment_events',
	'releases_events',
];
const KIND_FLAG = {
	push: 'push_events',
	tag_push: 'tag_push_events',
	issue: 'issues_events',
	merge_request: 'merge_requests_events',
	note: 'note_events',
	pipeline: 'pipeline_events',
	build: 'job_events',
	release: 'releases_events',
};
const HOOK_EVENT = {
	push: 'Push Hook',
	tag_push: 'Tag Push Hook',
	issue: 'Issue Hook',
	merge_request: 'Merge Request Hook',
	note: 'Note Hook',
	pipeline: 'Pipeline Hook',
	build: 'Job Hook',
	release: 'Release Hook',
};

class FakeGitLab extends FakeProviderServer {
	constructor({
		token = 'glpat-fake-token-for-loopback-only',
		projects = { 'acme/app': 42 },
		port = 0,
	} = {}) {
		super({ port });
		this.token = token;
		this.projects = projects;
		this.hooks = new Map();
		this.nextId = 7000;
	}

	faultResponse(status) {
		return {
			status,
			body: { message: status >= 500 ? '500 Internal Server Error' : `${status} Injected` },
		};
	}

	activeHooks() {
		return [...this.hooks.values()];
	}

	view(hook) {
		const { token: _token, ...rest } = hook;
		return rest;
	}

	/** The project id for an id or a full path; undefined when unknown. */
	projectId(idOrPath) {
		if (/^\d+$/.test(idOrPath))
			return Object.values(this.projects).includes(Number(idOrPath)) ? Number(idOrPath) : undefined;
		return this.projects[idOrPath];
	}

	async handle(call) {
		if (call.headers['private-token'] !== this.token)
			return { status: 401, body: { message: '401 Unauthorized' } };
		if (call.path === '/api/v4/user' && call.method === 'GET')
			return { status: 200, body: { id: 1, username: 'fake' } };
		const match = /^\/api\/v4\/projects\/([^/]+)\/hooks(?:\/(\d+))?$/.exec(call.path);
		if (!match) return { status: 404, body: { error: '404 Not Found' } };
		const project = this.projectId(decodeURIComponent(match[1]));
		if (project === undefined) return { status: 404, body: { message: '404 Project Not Found' } };
		const id = match[2] ? Number(match[2]) : undefined;
		const body = call.raw ? JSON.parse(call.raw) : {};
		const mine = this.activeHooks().filter((hook) => hook.project_id === project);
		if (id === undefined && call.method === 'GET') {
			const page = Number(call.query.page ?? 1);
			const perPage = Number(call.query.per_page ?? 20);
			return {
				status: 200,
				body: mine.slice((page - 1) * perPage, page * perPage).map((hook) => this.view(hook)),
			};
		}
		if (id === undefined && call.method === 'POST') {
			if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))
				return {
					status: 400,
					body: { message: { url: ['is blocked: Only allowed schemes are http, https'] } },
				};
			const hook = {
				id: this.nextId++,
				url: body.url,
				project_id: project,
				created_at: new Date().toISOString(),
				enable_ssl_verification: body.enable_ssl_verification !== false,
				alert_status: 'executable',
				disabled_until: null,
				token: body.token ?? '',
				...Object.fromEntries(
					FLAGS.map((flag) => [
						flag,
						flag === 'push_events' ? body[flag] !== false : body[flag] === true,
					]),
				),
			};
			this.hooks.set(hook.id, hook);
			return { status: 201, body: this.view(hook) };
		}
		const hook = this.hooks.get(id);
		if (!hook || hook.project_id !== project)
			return { status: 404, body: { message: '404 Not found' } };
		if (call.method === 'GET') return { status: 200, body: this.view(hook) };
		if (call.method === 'PUT') {
			if (typeof body.url !== 'string') return { status: 400, body: { error: 'url is missing' } };
			hook.url = body.url;
			if (body.token !== undefined) hook.token = body.token;
			for (const flag of FLAGS) if (body[flag] !== undefined) hook[flag] = body[flag] === true;
			// An edit re-enables a hook GitLab disabled after failures.
			hook.alert_status = 'executable';
			return { status: 200, body: this.view(hook) };
		}
		if (call.method === 'DELETE') {
			this.hooks.delete(id);
			return { status: 204, body: undefined };
		}
		return { status: 405, body: { message: '405 Method Not Allowed' } };
	}

	/** Delivers `event` to every executable hook with its flag on. Options: `token`, `idempotencyKey`, `noToken`. */
	async deliver(event, options = {}) {
		const payload = JSON.stringify(event);
		const results = [];
		for (const hook of this.hooks.values()) {
			if (hook.alert_status !== 'executable' || !hook[KIND_FLAG[event.object_kind]]) continue;
			const headers = {
				'content-type': 'application/json',
				'user-agent': 'GitLab/17.6.0',
				'x-gitlab-event': HOOK_EVENT[event.object_kind],
				'x-gitlab-event-uuid': randomUUID(),
				'x-gitlab-webhook-uuid': randomUUID(),
				'x-gitlab-instance': 'https://gitlab.example.com',
				'idempotency-key': options.idempotencyKey ?? randomUUID(),
			};
			if (!options.noToken) headers['x-gitlab-token'] = options.token ?? hook.token;
			results.push({ hookId: hook.id, ...(await this.post(hook.url, payload, headers)) });
		}
		return results;
	}
}

/** A push event as GitLab sends it. */
function sampleGitLabEvent(kind = 'push') {
	if (kind === 'push')
		return {
			object_kind: 'push',
			event_name: 'push',
			ref: 'refs/heads/main',
			checkout_sha: randomUUID().replace(/-/g, ''),
			project_id: 42,
			project: { id: 42, path_with_namespace: 'acme/app' },
			commits: [{ id: randomUUID().replace(/-/g, ''), message: 'Verify webhooks' }],
			total_commits_count: 1,
		};
	return {
		object_kind: kind,
		event_type: kind,
		project: { id: 42, path_with_namespace: 'acme/app' },
		object_attributes: { id: Math.floor(Math.random() * 1e6), action: 'open' },
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'gitlab',
	port: 12120,
	create: (port) => new FakeGitLab({ port }),
	credentialType: 'gitLabVerifiedApi',
	credentialName: 'GitLab (local fake)',
	credential: (fake) => ({ accessToken: fake.token, secretTokens: '', baseUrl: fake.url }),
};

module.exports = { demo, FakeGitLab, FLAGS, sampleGitLabEvent };
