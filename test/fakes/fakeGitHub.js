'use strict';
/**
 * A fake GitHub REST API (repository and organization webhooks) on 127.0.0.1, and deliveries signed with
 * @octokit/webhooks-methods `sign` and the secret the hook was created with.
 */
const { randomUUID } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');
const { octokitSign } = require('./officialSdk');

class FakeGitHub extends FakeProviderServer {
	constructor({ token = 'ghp_fake_token_for_loopback_only', port = 0 } = {}) {
		super({ port });
		this.token = token;
		this.hooks = new Map();
		this.nextId = 1000;
		/** Every delivery attempt, as GitHub lists them per hook (newest last here). */
		this.deliveryLog = [];
		this.nextDeliveryId = 90_000_000;
		/** Redeliveries under way (GitHub answers 202 and sends them afterwards). */
		this.redeliveries = [];
	}

	/** `GET …/hooks/{id}/deliveries` (newest first, cursor paging as GitHub does) and `POST …/attempts`. */
	deliveriesApi(call, hook, deliveryId) {
		const base = `${this.url}${call.path.replace(/\/\d+\/attempts$/, '')}`;
		if (deliveryId === undefined && call.method === 'GET') {
			const all = this.deliveryLog.filter((entry) => entry.hookId === hook.id).reverse();
			const perPage = Math.min(Number(call.query.per_page ?? 30), 100);
			const start = Number(call.query.cursor ?? 0);
			const page = all.slice(start, start + perPage);
			const headers =
				start + perPage < all.length
					? { link: `<${base}?per_page=${perPage}&cursor=${start + perPage}>; rel="next"` }
					: {};
			return {
				status: 200,
				headers,
				body: page.map(({ hookId: _h, request: _r, ...rest }) => rest),
			};
		}
		if (deliveryId !== undefined && call.method === 'POST') {
			const original = this.deliveryLog.find(
				(entry) => entry.id === deliveryId && entry.hookId === hook.id,
			);
			if (!original) return { status: 404, body: { message: 'Not Found', status: '404' } };
			this.redeliveries.push(this.send(hook, original.request, { redelivery: true }));
			return { status: 202, body: {} };
		}
		return { status: 404, body: { message: 'Not Found', status: '404' } };
	}

	/** One attempt of a delivery to `hook`, logged like GitHub's delivery list. */
	async send(hook, request, { redelivery = false } = {}) {
		const result = await this.post(hook.config.url, request.bytes, request.headers);
		this.deliveryLog.push({
			id: this.nextDeliveryId++,
			guid: request.headers['x-github-delivery'],
			delivered_at: new Date().toISOString(),
			redelivery,
			duration: 0.01,
			status: result.status >= 200 && result.status < 300 ? 'OK' : 'failed to connect',
			status_code: result.status,
			event: request.headers['x-github-event'],
			action: request.action ?? null,
			installation_id: null,
			repository_id: null,
			hookId: hook.id,
			request,
		});
		return result;
	}

	/** Waits for the redeliveries asked for so far. */
	async redeliveriesSent() {
		await Promise.all(this.redeliveries);
	}

	faultResponse(status) {
		return {
			status,
			body: {
				message: status >= 500 ? 'Server Error' : `Injected failure ${status}`,
				documentation_url: 'https://docs.github.com/rest',
				status: String(status),
			},
		};
	}

	activeHooks() {
		return [...this.hooks.values()];
	}

	publicView(hook) {
		const { secret: _secret, scope: _scope, ...rest } = hook;
		return {
			...rest,
			config: { ...hook.config, secret: hook.config.secret ? '********' : undefined },
		};
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.token}`) {
			return {
				status: 401,
				body: {
					message: 'Bad credentials',
					documentation_url: 'https://docs.github.com/rest',
					status: '401',
				},
			};
		}
		const deliveries =
			/^\/(repos\/[^/]+\/[^/]+|orgs\/[^/]+)\/hooks\/(\d+)\/deliveries(?:\/(\d+)\/attempts)?$/.exec(
				call.path,
			);
		if (deliveries) {
			const hook = this.hooks.get(Number(deliveries[2]));
			if (!hook || hook.scope !== decodeURIComponent(deliveries[1]))
				return { status: 404, body: { message: 'Not Found', status: '404' } };
			return this.deliveriesApi(call, hook, deliveries[3] ? Number(deliveries[3]) : undefined);
		}
		const match = /^\/(repos\/[^/]+\/[^/]+|orgs\/[^/]+)\/hooks(?:\/(\d+))?$/.exec(call.path);
		if (!match) return { status: 404, body: { message: 'Not Found', status: '404' } };
		const scope = decodeURIComponent(match[1]);
		const id = match[2] ? Number(match[2]) : undefined;
		const body = call.raw ? JSON.parse(call.raw) : {};
		const inScope = [...this.hooks.values()].filter((hook) => hook.scope === scope);
		if (id === undefined && call.method === 'GET') {
			const page = Number(call.query.page ?? 1);
			const perPage = Number(call.query.per_page ?? 30);
			return {
				status: 200,
				body: inScope
					.slice((page - 1) * perPage, page * perPage)
					.map((hook) => this.publicView(hook)),
			};
		}
		if (id === undefined && call.method === 'POST') {
			if (!body.config?.url) {
				return {
					status: 422,
					body: {
						message: 'Validation Failed',
						errors: [{ resource: 'Hook', code: 'custom', message: 'Config must contain url' }],
						status: '422',
					},
				};
			}
			if (inScope.some((hook) => hook.config.url === body.config.url)) {
				return {
					status: 422,
					body: {
						message: 'Validation Failed',
						errors: [
							{
								resource: 'Hook',
								code: 'custom',
								message: 'Hook already exists on this repository',
							},
						],
						status: '422',
					},
				};
			}
			const hook = {
				type: 'Repository',
				id: this.nextId++,
				name: 'web',
				active: body.active !== false,
				events: body.events ?? ['push'],
				config: {
					url: body.config.url,
					content_type: body.config.content_type ?? 'form',
					insecure_ssl: body.config.insecure_ssl ?? '0',
					secret: body.config.secret,
				},
				scope,
				created_at: new Date().toISOString(),
			};
			this.hooks.set(hook.id, hook);
			return { status: 201, body: this.publicView(hook) };
		}
		const hook = this.hooks.get(id);
		if (!hook || hook.scope !== scope)
			return { status: 404, body: { message: 'Not Found', status: '404' } };
		if (call.method === 'GET') return { status: 200, body: this.publicView(hook) };
		if (call.method === 'PATCH') {
			if (body.events) hook.events = body.events;
			if (body.active !== undefined) hook.active = body.active;
			return { status: 200, body: this.publicView(hook) };
		}
		if (call.method === 'DELETE') {
			this.hooks.delete(id);
			return { status: 204, body: undefined };
		}
		return { status: 404, body: { message: 'Not Found', status: '404' } };
	}

	/**
	 * Delivers `payload` for `event` to every active hook subscribed to it, like GitHub: signed with the
	 * hook's secret. Options: `hookId`, `deliveryId` (a redelivery keeps it), `secret`, `tamper`, `signature` (null = none).
	 */
	async deliver(event, payload, options = {}) {
		const text = JSON.stringify(payload);
		const deliveryId = options.deliveryId ?? randomUUID();
		const results = [];
		for (const hook of this.hooks.values()) {
			if (options.hookId !== undefined && hook.id !== options.hookId) continue;
			if (
				!hook.active ||
				!(hook.events.includes('*') || hook.events.includes(event) || event === 'ping')
			)
				continue;
			const secret = options.secret ?? hook.config.secret;
			const headers = {
				'content-type': 'application/json',
				'user-agent': 'GitHub-Hookshot/fake',
				'x-github-event': event,
				'x-github-delivery': deliveryId,
				'x-github-hook-id': String(hook.id),
			};
			const signature =
				options.signature !== undefined ? options.signature : octokitSign(secret, text);
			if (signature !== null) headers['x-hub-signature-256'] = signature;
			const bytes = options.tamper ? options.tamper(text) : text;
			const request = { bytes, headers, action: payload?.action };
			const forged = options.secret || options.tamper || options.signature !== undefined;
			results.push({
				hookId: hook.id,
				deliveryId,
				...(forged
					? await this.post(hook.config.url, bytes, headers)
					: await this.send(hook, request)),
			});
		}
		return results;
	}
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'github',
	port: 12112,
	create: (port) => new FakeGitHub({ port }),
	credentialType: 'gitHubVerifiedApi',
	credentialName: 'GitHub (local fake)',
	credential: (fake) => ({ accessToken: fake.token, baseUrl: fake.url, webhookSecrets: '' }),
};

module.exports = { demo, FakeGitHub };
