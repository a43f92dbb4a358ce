'use strict';
/**
 * A fake Stripe for tests and `npm start`, listening on 127.0.0.1 only.
 *
 * - Emulates the webhook-endpoint API (create / list / retrieve / update / delete) with Stripe's id and
 *   secret shapes and its error bodies, and records every call.
 * - Delivers events to the registered endpoints the way Stripe does: signed with the official `stripe`
 *   SDK (generateTestHeaderString) and the secret it issued, the same event id on every retry, retried
 *   on any non-2xx answer.
 * - Control routes under /_control/ let another process (npm start, a shell) trigger deliveries.
 */
const { randomBytes } = require('node:crypto');
const Stripe = require('stripe');

const { FakeProviderServer } = require('./fakeHttp');

const stripeSdk = new Stripe('sk_test_sdk_only_used_for_signing');

function randomId(prefix, length = 24) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(length);
	let id = prefix;
	for (const byte of bytes) id += alphabet[byte % alphabet.length];
	return id;
}

/** One page of a Stripe list (`limit`, `starting_after`) over `all`, in Stripe's list shape. */
function stripeList(url, path, all) {
	const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 100);
	const after = url.searchParams.get('starting_after');
	const start = after ? all.findIndex((each) => each.id === after) + 1 : 0;
	return {
		status: 200,
		body: {
			object: 'list',
			url: path,
			has_more: start + limit < all.length,
			data: all.slice(start, start + limit),
		},
	};
}

function stripeError(status, type, message, extra = {}) {
	return { status, body: { error: { type, message, ...extra } } };
}

/**
 * Stripe's form encoding: enabled_events[]=a&enabled_events[]=b&metadata[key]=v. Stripe also takes indexed
 * arrays (enabled_events[0]=a), which is what n8n's own Stripe Trigger sends.
 */
function parseForm(text) {
	const form = { enabled_events: undefined, metadata: {} };
	for (const [key, value] of new URLSearchParams(text)) {
		if (/^enabled_events\[\d*\]$/.test(key)) (form.enabled_events ??= []).push(value);
		else if (key.startsWith('metadata[')) form.metadata[key.slice(9, -1)] = value;
		else form[key] = value;
	}
	return form;
}

function sampleEvent(type = 'payment_intent.succeeded', overrides = {}) {
	const id = overrides.id ?? randomId('evt_');
	return {
		id,
		object: 'event',
		api_version: '2025-09-30.clover',
		created: Math.floor(Date.now() / 1000),
		data: {
			object: {
				id: randomId('pi_'),
				object: 'payment_intent',
				amount: 1999,
				currency: 'usd',
				status: 'succeeded',
			},
		},
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type,
		...overrides,
	};
}

class FakeStripe extends FakeProviderServer {
	constructor({ apiKey = 'sk_test_fake_key_for_loopback_only', port = 0 } = {}) {
		super({ port });
		this.apiKey = apiKey;
		this.endpoints = new Map();
		this.deliveries = [];
		/** Every event delivered at least once: id → { event, payload, outcome: endpoint id → delivered }. */
		this.events = new Map();
	}

	faultResponse(status) {
		return status >= 500
			? stripeError(status, 'api_error', 'An unknown error occurred while processing your request.')
			: stripeError(status, 'invalid_request_error', `Injected failure ${status}`);
	}

	callsTo(method, pathPrefix = '/v1/webhook_endpoints') {
		return super.callsTo(method, pathPrefix);
	}

	activeEndpoints() {
		return [...this.endpoints.values()];
	}

	async handle(call, url) {
		call.form = parseForm(call.raw);
		const result = this.api(call.headers, url, call);
		return { ...result, headers: { 'request-id': randomId('req_', 14) } };
	}

	api(headers, url, call) {
		const auth = headers.authorization ?? '';
		if (auth !== `Bearer ${this.apiKey}`) {
			const shown = auth.replace(/^Bearer /, '');
			return stripeError(
				401,
				'invalid_request_error',
				`Invalid API Key provided: ${shown.slice(0, 8)}${'*'.repeat(8)}${shown.slice(-4)}`,
			);
		}
		if (url.pathname === '/v1/events' && call.method === 'GET') return this.listEvents(url);
		const match = /^\/v1\/webhook_endpoints(?:\/([^/]+))?$/.exec(url.pathname);
		if (!match)
			return stripeError(
				404,
				'invalid_request_error',
				`Unrecognized request URL (${call.method}: ${url.pathname}).`,
			);
		const id = match[1] ? decodeURIComponent(match[1]) : undefined;
		const missing = () =>
			stripeError(404, 'invalid_request_error', `No such webhook endpoint: '${id}'`, {
				code: 'resource_missing',
				param: 'id',
			});
		const publicView = (endpoint) => {
			const { secret: _secret, ...rest } = endpoint;
			return rest;
		};

		if (!id && call.method === 'POST') {
			const form = call.form;
			if (!form.url)
				return stripeError(400, 'invalid_request_error', 'Missing required param: url.', {
					param: 'url',
				});
			if (!form.enabled_events?.length) {
				return stripeError(
					400,
					'invalid_request_error',
					'Missing required param: enabled_events.',
					{ param: 'enabled_events' },
				);
			}
			const endpoint = {
				id: randomId('we_'),
				object: 'webhook_endpoint',
				api_version: form.api_version ?? null,
				application: null,
				created: Math.floor(Date.now() / 1000),
				description: form.description ?? null,
				enabled_events: form.enabled_events,
				livemode: false,
				metadata: form.metadata,
				status: 'enabled',
				url: form.url,
				secret: `whsec_${randomBytes(24).toString('base64url')}`,
			};
			this.endpoints.set(endpoint.id, endpoint);
			return { status: 200, body: endpoint };
		}
		if (!id && call.method === 'GET') {
			const all = [...this.endpoints.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
			return stripeList(url, '/v1/webhook_endpoints', all.map(publicView));
		}
		const endpoint = id ? this.endpoints.get(id) : undefined;
		if (!endpoint) return missing();
		if (call.method === 'GET') return { status: 200, body: publicView(endpoint) };
		if (call.method === 'POST') {
			if (call.form.enabled_events) endpoint.enabled_events = call.form.enabled_events;
			if (call.form.disabled !== undefined)
				endpoint.status = call.form.disabled === 'true' ? 'disabled' : 'enabled';
			if (call.form.url) endpoint.url = call.form.url;
			return { status: 200, body: publicView(endpoint) };
		}
		if (call.method === 'DELETE') {
			this.endpoints.delete(id);
			return { status: 200, body: { id, object: 'webhook_endpoint', deleted: true } };
		}
		return stripeError(405, 'invalid_request_error', 'Method not allowed');
	}

	/**
	 * `GET /v1/events`, newest first, with the filters catch-up uses: `delivery_success` (false: an endpoint has
	 * not had it delivered yet — pending or failed — as Stripe documents), `created[gte]`, `limit`,
	 * `starting_after`.
	 */
	listEvents(url) {
		const params = url.searchParams;
		const since = Number(params.get('created[gte]') ?? 0);
		const success = params.get('delivery_success');
		const all = [...this.events.values()]
			.filter(({ event }) => event.created >= since)
			.filter(({ outcome }) => {
				if (success === null) return true;
				const delivered = [...outcome.values()].every(Boolean);
				return success === 'true' ? delivered : !delivered;
			})
			.sort((a, b) => b.event.created - a.event.created || b.order - a.order);
		return stripeList(
			url,
			'/v1/events',
			all.map(({ event }) => event),
		);
	}

	/** Stripe's scheduled retries, all at once: every failed (endpoint, event) pair is delivered again. */
	async retryFailed() {
		const results = [];
		for (const record of this.events.values()) {
			for (const [endpointId, delivered] of record.outcome) {
				if (delivered || !this.endpoints.has(endpointId)) continue;
				results.push(
					...(await this.deliver(record.event, { endpointId, payload: record.payload })),
				);
			}
		}
		return results;
	}

	/**
	 * Delivers `event` to every enabled endpoint that subscribed to its type, signed like Stripe.
	 * Options: `endpointId` (only that one), `retries` (extra attempts after a non-2xx), `secret`/`timestamp`
	 * /`tamper` (to forge), `payload` (exact bytes to send).
	 */
	async deliver(event, options = {}) {
		const payload = options.payload ?? JSON.stringify(event, null, 2);
		const targets = [...this.endpoints.values()].filter(
			(endpoint) =>
				(!options.endpointId || endpoint.id === options.endpointId) &&
				endpoint.status === 'enabled' &&
				(endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(event.type)),
		);
		const results = [];
		const record = this.events.get(event.id) ?? {
			event,
			payload,
			outcome: new Map(),
			order: this.events.size,
		};
		if (
			targets.length > 0 &&
			!options.secret &&
			!options.tamper &&
			options.signatureHeader === undefined
		)
			this.events.set(event.id, record);
		for (const endpoint of targets) {
			const attempts = 1 + (options.retries ?? 0);
			for (let attempt = 1; attempt <= attempts; attempt++) {
				const result = await this.post(
					endpoint.url,
					payload,
					options.secret ?? endpoint.secret,
					options,
				);
				results.push({ endpointId: endpoint.id, attempt, ...result });
				this.deliveries.push({
					endpointId: endpoint.id,
					eventId: event.id,
					attempt,
					status: result.status,
				});
				const delivered = result.status >= 200 && result.status < 300;
				record.outcome.set(endpoint.id, record.outcome.get(endpoint.id) === true || delivered);
				if (delivered) break;
			}
		}
		return results;
	}

	/** One signed POST to `url`; the signature comes from the official SDK. */
	async post(url, payload, secret, options = {}) {
		// `signatureHeader: null` sends no header at all; a string sends that header verbatim.
		const header =
			options.signatureHeader !== undefined
				? options.signatureHeader
				: stripeSdk.webhooks.generateTestHeaderString({
						payload,
						secret,
						timestamp: options.timestamp,
					});
		const bytes = Buffer.from(options.tamper ? options.tamper(payload) : payload);
		const headers = {
			'content-type': 'application/json; charset=utf-8',
			'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
		};
		if (header !== null) headers['stripe-signature'] = header;
		return await this.transmit(url, bytes, headers);
	}

	async control(method, url, body) {
		if (url.pathname === '/_control/endpoints') {
			return {
				status: 200,
				body: this.activeEndpoints().map(({ secret: _secret, ...rest }) => rest),
			};
		}
		if (url.pathname === '/_control/calls') return { status: 200, body: this.calls };
		if (url.pathname === '/_control/deliver' && method === 'POST') {
			const request = body ? JSON.parse(body) : {};
			const event = sampleEvent(request.type, request.id ? { id: request.id } : {});
			const results = await this.deliver(event, { retries: request.retries ?? 0 });
			return { status: 200, body: { event: { id: event.id, type: event.type }, results } };
		}
		return { status: 404, body: { error: 'unknown control route' } };
	}
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'stripe',
	port: 12111,
	create: (port) => new FakeStripe({ port }),
	credentialType: 'stripeVerifiedApi',
	credentialName: 'Stripe (local fake)',
	credential: (fake) => ({ secretKey: fake.apiKey, baseUrl: fake.url, signingSecrets: '' }),
};

module.exports = { demo, FakeStripe, sampleEvent, randomId };

// `node test/fakes/fakeStripe.js [port] [apiKey]` runs it standalone (used by npm start).
if (require.main === module) {
	const fake = new FakeStripe({ port: Number(process.argv[2] ?? 12111), apiKey: process.argv[3] });
	fake.start().then((url) => process.stdout.write(`fake Stripe listening on ${url}\n`));
}
