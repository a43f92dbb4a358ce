'use strict';
/**
 * A fake Lemon Squeezy API (store webhooks, JSON:API) on 127.0.0.1, and deliveries signed like Lemon Squeezy:
 * `X-Signature: <hex HMAC-SHA256(secret, raw body)>` with the secret the webhook was created with. Lemon
 * Squeezy publishes no signer or verifier (its SDK only manages webhooks), so signing is node:crypto here.
 * Request and answer shapes follow the API reference and the official SDK's types (providers.md §2.19).
 */
const { createHmac, randomBytes } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

const JSON_API = 'application/vnd.api+json';
const EVENTS = [
	'order_created',
	'order_refunded',
	'subscription_created',
	'subscription_updated',
	'subscription_cancelled',
	'subscription_resumed',
	'subscription_expired',
	'subscription_paused',
	'subscription_unpaused',
	'subscription_payment_success',
	'subscription_payment_failed',
	'subscription_payment_recovered',
	'subscription_payment_refunded',
	'license_key_created',
	'license_key_updated',
];

function lemonSqueezySignature(secret, payload) {
	return createHmac('sha256', secret).update(payload).digest('hex');
}

/** A JSON:API error answer, the shape Lemon Squeezy sends. */
function apiError(status, title, detail, pointer) {
	const error = { detail, status: String(status), title };
	if (pointer) error.source = { pointer };
	return {
		status,
		headers: { 'content-type': JSON_API },
		body: { jsonapi: { version: '1.0' }, errors: [error] },
	};
}

class FakeLemonSqueezy extends FakeProviderServer {
	constructor({
		apiKey = 'ls_test_fake_key_for_loopback_only',
		storeIds = ['12345'],
		port = 0,
	} = {}) {
		super({ port });
		this.apiKey = apiKey;
		this.storeIds = storeIds;
		this.webhooks = new Map();
		this.nextId = 5000;
	}

	faultResponse(status) {
		return status >= 500
			? apiError(status, 'Server Error', 'Server Error')
			: apiError(status, 'Injected', `Injected failure ${status}`);
	}

	activeWebhooks() {
		return [...this.webhooks.values()];
	}

	resource(webhook) {
		const self = `https://api.lemonsqueezy.com/v1/webhooks/${webhook.id}`;
		return {
			type: 'webhooks',
			id: String(webhook.id),
			attributes: {
				store_id: Number(webhook.storeId),
				url: webhook.url,
				events: webhook.events,
				last_sent_at: webhook.lastSentAt,
				created_at: webhook.createdAt,
				updated_at: webhook.updatedAt,
				test_mode: webhook.testMode,
			},
			relationships: {
				store: { links: { related: `${self}/store`, self: `${self}/relationships/store` } },
			},
			links: { self },
		};
	}

	answer(status, body) {
		return {
			status,
			headers: { 'content-type': JSON_API },
			body: { jsonapi: { version: '1.0' }, ...body },
		};
	}

	/** Create and update checks, in the order Lemon Squeezy reports them; undefined when valid. */
	invalid(attributes, creating) {
		if (creating && typeof attributes.url !== 'string')
			return ['The url field is required.', '/data/attributes/url'];
		if (creating || attributes.events !== undefined) {
			if (!Array.isArray(attributes.events) || attributes.events.length === 0)
				return ['The events field is required.', '/data/attributes/events'];
			const unknown = attributes.events.find((event) => !EVENTS.includes(event));
			if (unknown)
				return [`The selected events.0 is invalid. (${unknown})`, '/data/attributes/events'];
		}
		if (creating || attributes.secret !== undefined) {
			const secret = attributes.secret;
			if (typeof secret !== 'string' || secret.length < 6 || secret.length > 40)
				return ['The secret must be between 6 and 40 characters.', '/data/attributes/secret'];
		}
		return undefined;
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.apiKey}`)
			return apiError(401, 'Unauthorized', 'Unauthenticated.');
		if (!String(call.headers.accept ?? '').includes(JSON_API))
			return apiError(406, 'Not Acceptable', `The Accept header must be ${JSON_API}.`);
		if (
			(call.method === 'POST' || call.method === 'PATCH') &&
			!String(call.headers['content-type'] ?? '').startsWith(JSON_API)
		)
			return apiError(
				415,
				'Unsupported Media Type',
				`The Content-Type header must be ${JSON_API}.`,
			);
		if (call.path === '/v1/users/me' && call.method === 'GET')
			return this.answer(200, { data: { type: 'users', id: '1', attributes: { name: 'Fake' } } });
		const match = /^\/v1\/webhooks(?:\/([^/]+))?$/.exec(call.path);
		if (!match) return apiError(404, 'Not Found', 'Not found.');
		const id = match[1] ? decodeURIComponent(match[1]) : undefined;
		const document = call.raw ? JSON.parse(call.raw) : {};
		const data = document.data ?? {};
		const attributes = data.attributes ?? {};
		if (!id && call.method === 'GET') {
			const store = call.query['filter[store_id]'];
			const all = this.activeWebhooks().filter((webhook) => !store || webhook.storeId === store);
			const size = Number(call.query['page[size]'] ?? 10);
			const number = Number(call.query['page[number]'] ?? 1);
			const lastPage = Math.max(1, Math.ceil(all.length / size));
			return this.answer(200, {
				meta: {
					page: { currentPage: number, from: 1, lastPage, perPage: size, to: 1, total: all.length },
				},
				data: all
					.slice((number - 1) * size, number * size)
					.map((webhook) => this.resource(webhook)),
			});
		}
		if (!id && call.method === 'POST') {
			if (data.type !== 'webhooks')
				return apiError(422, 'Unprocessable Entity', 'The type must be webhooks.', '/data/type');
			const problem = this.invalid(attributes, true);
			if (problem) return apiError(422, 'Unprocessable Entity', ...problem);
			const storeId = data.relationships?.store?.data?.id;
			if (!this.storeIds.includes(String(storeId)))
				return apiError(
					404,
					'Not Found',
					`Store ${storeId} not found.`,
					'/data/relationships/store',
				);
			const now = new Date().toISOString();
			const webhook = {
				id: this.nextId++,
				storeId: String(storeId),
				url: attributes.url,
				events: attributes.events,
				secret: attributes.secret,
				testMode: attributes.test_mode === true,
				lastSentAt: null,
				createdAt: now,
				updatedAt: now,
			};
			this.webhooks.set(String(webhook.id), webhook);
			return this.answer(201, {
				links: { self: `/v1/webhooks/${webhook.id}` },
				data: this.resource(webhook),
			});
		}
		const webhook = id ? this.webhooks.get(id) : undefined;
		if (!webhook) return apiError(404, 'Not Found', `Webhook ${id} not found.`);
		if (call.method === 'GET') return this.answer(200, { data: this.resource(webhook) });
		if (call.method === 'PATCH') {
			if (data.id !== id)
				return apiError(409, 'Conflict', 'The id does not match the URL.', '/data/id');
			const problem = this.invalid(attributes, false);
			if (problem) return apiError(422, 'Unprocessable Entity', ...problem);
			for (const key of ['url', 'events', 'secret'])
				if (attributes[key] !== undefined) webhook[key] = attributes[key];
			webhook.updatedAt = new Date().toISOString();
			return this.answer(200, { data: this.resource(webhook) });
		}
		if (call.method === 'DELETE') {
			this.webhooks.delete(id);
			return { status: 204, body: undefined };
		}
		return apiError(405, 'Method Not Allowed', 'Method not allowed.');
	}

	/**
	 * Delivers `event` (from sampleLemonSqueezyEvent) to every webhook subscribed to its `meta.event_name`, like
	 * Lemon Squeezy. Options: `secret`, `signature` (null = none), `tamper`, `eventNameHeader`.
	 */
	async deliver(event, options = {}) {
		const name = event.meta.event_name;
		const results = [];
		for (const webhook of this.webhooks.values()) {
			if (!webhook.events.includes(name)) continue;
			const payload = JSON.stringify({
				...event,
				meta: { ...event.meta, webhook_id: String(webhook.id) },
			});
			const signature =
				options.signature !== undefined
					? options.signature
					: lemonSqueezySignature(options.secret ?? webhook.secret, payload);
			const headers = {
				'content-type': 'application/json',
				'x-event-name': options.eventNameHeader ?? name,
			};
			if (signature !== null) headers['x-signature'] = signature;
			webhook.lastSentAt = new Date().toISOString();
			results.push({
				webhookId: webhook.id,
				...(await this.post(
					webhook.url,
					options.tamper ? options.tamper(payload) : payload,
					headers,
				)),
			});
		}
		return results;
	}
}

let sampleCounter = 0;

/** An event as Lemon Squeezy sends it: `meta.event_name` and the resource as a JSON:API object. */
function sampleLemonSqueezyEvent(name = 'order_created', overrides = {}) {
	const now = new Date().toISOString();
	return {
		meta: { event_name: name, test_mode: true, ...overrides.meta },
		data: {
			type: name.startsWith('subscription')
				? 'subscriptions'
				: name.startsWith('license')
					? 'license-keys'
					: 'orders',
			id: String(100000 + ++sampleCounter + Math.floor(Math.random() * 1e6)),
			attributes: {
				store_id: 12345,
				status: 'paid',
				total: 1999,
				currency: 'USD',
				created_at: now,
				updated_at: now,
			},
			...overrides.data,
		},
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'lemonSqueezy',
	port: 12115,
	create: (port) => new FakeLemonSqueezy({ port }),
	credentialType: 'lemonSqueezyVerifiedApi',
	credentialName: 'Lemon Squeezy (local fake)',
	credential: (fake) => ({ apiKey: fake.apiKey, signingSecrets: '', baseUrl: fake.url }),
};

module.exports = { demo, EVENTS, FakeLemonSqueezy, lemonSqueezySignature, sampleLemonSqueezyEvent };
