'use strict';
/**
 * A fake Square Webhook Subscriptions API on 127.0.0.1, and deliveries signed like Square:
 * `x-square-hmacsha256-signature: <base64 HMAC-SHA256(signature key, notification URL + raw body)>`. Square's SDK
 * (`square`) verifies but does not sign, so signing is node:crypto here; the tests check that
 * `WebhooksHelper.verifySignature` accepts these bytes, and that the SDK's own client can use this fake.
 * Shapes follow the SDK's types (snake_case on the wire) and Square's error bodies (providers.md §2.18).
 */
const { createHmac, randomBytes, randomUUID } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

function squareSignature(signatureKey, notificationUrl, payload) {
	return createHmac('sha256', signatureKey)
		.update(notificationUrl + payload)
		.digest('base64');
}

function squareError(status, category, code, detail, field) {
	const error = { category, code, detail };
	if (field) error.field = field;
	return { status, body: { errors: [error] } };
}

class FakeSquare extends FakeProviderServer {
	constructor({ accessToken = 'EAAAl_fake_token_for_loopback_only', port = 0 } = {}) {
		super({ port });
		this.accessToken = accessToken;
		this.subscriptions = new Map();
		/** idempotency_key → subscription id: a retried create with the same key answers the same subscription. */
		this.idempotency = new Map();
	}

	faultResponse(status) {
		return status >= 500
			? squareError(status, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'An internal error has occurred')
			: squareError(status, 'INVALID_REQUEST_ERROR', 'INJECTED', `Injected failure ${status}`);
	}

	activeSubscriptions() {
		return [...this.subscriptions.values()];
	}

	view(subscription, withKey = false) {
		const { signature_key: key, ...rest } = subscription;
		return withKey ? { ...rest, signature_key: key } : rest;
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.accessToken}`)
			return squareError(
				401,
				'AUTHENTICATION_ERROR',
				'UNAUTHORIZED',
				'This request could not be authorized.',
			);
		const match = /^\/v2\/webhooks\/subscriptions(?:\/([^/]+))?$/.exec(call.path);
		if (!match)
			return squareError(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', 'Resource not found.');
		const id = match[1] ? decodeURIComponent(match[1]) : undefined;
		const body = call.raw ? JSON.parse(call.raw) : {};
		if (!id && call.method === 'GET') {
			const all = this.activeSubscriptions().filter(
				(subscription) => call.query.include_disabled === 'true' || subscription.enabled,
			);
			const limit = Number(call.query.limit ?? 100);
			const start = Number(call.query.cursor ?? 0);
			const page = all.slice(start, start + limit);
			// Square leaves out what is empty: no subscriptions, no cursor.
			const answer = {};
			if (page.length) answer.subscriptions = page.map((subscription) => this.view(subscription));
			if (start + limit < all.length) answer.cursor = String(start + limit);
			return { status: 200, body: answer };
		}
		if (!id && call.method === 'POST') {
			if (!body.idempotency_key)
				return squareError(
					400,
					'INVALID_REQUEST_ERROR',
					'MISSING_REQUIRED_PARAMETER',
					'Missing required parameter.',
					'idempotency_key',
				);
			const known = this.idempotency.get(body.idempotency_key);
			if (known && this.subscriptions.has(known))
				return {
					status: 200,
					body: { subscription: this.view(this.subscriptions.get(known), true) },
				};
			const input = body.subscription ?? {};
			if (!Array.isArray(input.event_types) || input.event_types.length === 0)
				return squareError(
					400,
					'INVALID_REQUEST_ERROR',
					'INVALID_VALUE',
					'Event types must not be empty.',
					'subscription.event_types',
				);
			if (
				typeof input.notification_url !== 'string' ||
				!/^https?:\/\//.test(input.notification_url)
			)
				return squareError(
					400,
					'INVALID_REQUEST_ERROR',
					'INVALID_URL',
					'Notification URL is invalid.',
					'subscription.notification_url',
				);
			const now = new Date()
				.toISOString()
				.replace('Z', '000Z')
				.replace(/(\.\d{3})\d+/, '$1');
			const subscription = {
				id: `wbhk_${randomBytes(16).toString('hex')}`,
				name: input.name ?? '',
				enabled: input.enabled !== false,
				event_types: input.event_types,
				notification_url: input.notification_url,
				api_version: input.api_version ?? call.headers['square-version'] ?? '2025-10-16',
				signature_key: randomBytes(16).toString('base64url'),
				created_at: now,
				updated_at: now,
			};
			this.subscriptions.set(subscription.id, subscription);
			this.idempotency.set(body.idempotency_key, subscription.id);
			return { status: 200, body: { subscription: this.view(subscription, true) } };
		}
		const subscription = id ? this.subscriptions.get(id) : undefined;
		if (!subscription)
			return squareError(
				404,
				'INVALID_REQUEST_ERROR',
				'NOT_FOUND',
				`Subscription with id ${id} not found.`,
			);
		if (call.method === 'GET')
			return { status: 200, body: { subscription: this.view(subscription) } };
		if (call.method === 'PUT') {
			const input = body.subscription ?? {};
			for (const key of ['name', 'enabled', 'event_types', 'notification_url'])
				if (input[key] !== undefined) subscription[key] = input[key];
			subscription.updated_at = new Date().toISOString();
			return { status: 200, body: { subscription: this.view(subscription) } };
		}
		if (call.method === 'DELETE') {
			this.subscriptions.delete(id);
			return { status: 200, body: {} };
		}
		return squareError(405, 'INVALID_REQUEST_ERROR', 'METHOD_NOT_ALLOWED', 'Method not allowed.');
	}

	/** Delivers `event` to every enabled subscription of its type. Options: `key`, `signature` (null = none), `tamper`, `url` (what is signed). */
	async deliver(event, options = {}) {
		const payload = JSON.stringify(event);
		const results = [];
		for (const subscription of this.subscriptions.values()) {
			if (!subscription.enabled || !subscription.event_types.includes(event.type)) continue;
			const key = options.key ?? subscription.signature_key;
			const signedUrl = options.url ?? subscription.notification_url;
			const headers = {
				'content-type': 'application/json',
				'square-environment': 'Sandbox',
				'x-square-signature': createHmac('sha1', key)
					.update(signedUrl + payload)
					.digest('base64'),
			};
			const signature =
				options.signature !== undefined
					? options.signature
					: squareSignature(key, signedUrl, payload);
			if (signature !== null) headers['x-square-hmacsha256-signature'] = signature;
			results.push({
				subscriptionId: subscription.id,
				...(await this.post(
					subscription.notification_url,
					options.tamper ? options.tamper(payload) : payload,
					headers,
				)),
			});
		}
		return results;
	}
}

/** An event as Square sends it. */
function sampleSquareEvent(type = 'payment.updated') {
	const objectType = type.split('.')[0];
	const objectId = randomBytes(12).toString('base64url');
	return {
		merchant_id: 'MLEFBHHSJGVHD',
		type,
		event_id: randomUUID(),
		created_at: new Date().toISOString(),
		data: {
			type: objectType,
			id: objectId,
			object: {
				[objectType]: {
					id: objectId,
					status: 'COMPLETED',
					amount_money: { amount: 1999, currency: 'USD' },
				},
			},
		},
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'square',
	port: 12117,
	create: (port) => new FakeSquare({ port }),
	credentialType: 'squareVerifiedApi',
	credentialName: 'Square (local fake)',
	credential: (fake) => ({
		accessToken: fake.accessToken,
		environment: 'custom',
		baseUrl: fake.url,
		signatureSecrets: '',
	}),
};

module.exports = { demo, FakeSquare, sampleSquareEvent, squareSignature };
