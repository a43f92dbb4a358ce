'use strict';
/**
 * A fake Paddle Billing API (notification settings) on 127.0.0.1, and deliveries signed like Paddle:
 * `Paddle-Signature: ts=…;h1=…` with the destination's endpoint secret key. Paddle's SDK only verifies,
 * so signing is node:crypto here; test/unit/paddleSignature.test.ts checks the SDK accepts these bytes.
 */
const { createHmac, randomBytes } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

function paddleSignature(secret, payload, timestamp = Math.floor(Date.now() / 1000)) {
	return `ts=${timestamp};h1=${createHmac('sha256', secret).update(`${timestamp}:${payload}`).digest('hex')}`;
}

function paddleError(status, code, detail) {
	return {
		status,
		body: {
			error: {
				type: 'request_error',
				code,
				detail,
				documentation_url: 'https://developer.paddle.com/v1/errors',
			},
			meta: { request_id: randomBytes(8).toString('hex') },
		},
	};
}

class FakePaddle extends FakeProviderServer {
	constructor({ apiKey = 'pdl_sdbx_apikey_fake_for_loopback_only', port = 0 } = {}) {
		super({ port });
		this.apiKey = apiKey;
		this.settings = new Map();
	}

	faultResponse(status) {
		return status >= 500
			? {
					status,
					body: {
						error: {
							type: 'api_error',
							code: 'internal_error',
							detail: 'An internal error occurred',
						},
					},
				}
			: paddleError(status, 'injected', `Injected failure ${status}`);
	}

	activeSettings() {
		return [...this.settings.values()];
	}

	view(setting) {
		return {
			...setting,
			subscribed_events: setting.subscribed_events.map((name) => ({
				name,
				description: name,
				group: name.split('.')[0],
				available_versions: [1],
			})),
		};
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.apiKey}`)
			return paddleError(403, 'forbidden', "You aren't permitted to perform this request.");
		const match = /^\/notification-settings(?:\/([^/]+))?$/.exec(call.path);
		if (!match) return paddleError(404, 'not_found', 'Entity not found');
		const id = match[1] ? decodeURIComponent(match[1]) : undefined;
		const body = call.raw ? JSON.parse(call.raw) : {};
		const meta = { request_id: randomBytes(8).toString('hex') };
		if (!id && call.method === 'GET')
			return { status: 200, body: { data: this.activeSettings().map((s) => this.view(s)), meta } };
		if (!id && call.method === 'POST') {
			if (
				!body.destination ||
				!Array.isArray(body.subscribed_events) ||
				body.subscribed_events.length === 0
			) {
				return paddleError(400, 'invalid_field', 'destination and subscribed_events are required');
			}
			const setting = {
				id: `ntfset_${randomBytes(13).toString('hex')}`,
				description: body.description ?? '',
				type: body.type ?? 'url',
				destination: body.destination,
				active: body.active ?? true,
				api_version: body.api_version ?? 1,
				include_sensitive_fields: body.include_sensitive_fields ?? false,
				subscribed_events: body.subscribed_events,
				endpoint_secret_key: `pdl_ntfset_${randomBytes(13).toString('hex')}_${randomBytes(16).toString('base64url')}`,
				traffic_source: body.traffic_source ?? 'platform',
			};
			this.settings.set(setting.id, setting);
			return { status: 201, body: { data: this.view(setting), meta } };
		}
		const setting = id ? this.settings.get(id) : undefined;
		if (!setting) return paddleError(404, 'not_found', `Notification setting ${id} not found`);
		if (call.method === 'GET') return { status: 200, body: { data: this.view(setting), meta } };
		if (call.method === 'PATCH') {
			if (body.subscribed_events) setting.subscribed_events = body.subscribed_events;
			if (body.active !== undefined) setting.active = body.active;
			return { status: 200, body: { data: this.view(setting), meta } };
		}
		if (call.method === 'DELETE') {
			this.settings.delete(id);
			return { status: 204, body: undefined };
		}
		return paddleError(405, 'method_not_allowed', 'Method not allowed');
	}

	/** Delivers to every active destination subscribed to `event.event_type`. Options: `secret`, `timestamp`, `tamper`, `signature`. */
	async deliver(event, options = {}) {
		const payload = JSON.stringify(event);
		const results = [];
		for (const setting of this.settings.values()) {
			if (!setting.active || !setting.subscribed_events.includes(event.event_type)) continue;
			const signature =
				options.signature !== undefined
					? options.signature
					: paddleSignature(
							options.secret ?? setting.endpoint_secret_key,
							payload,
							options.timestamp,
						);
			const headers = { 'content-type': 'application/json' };
			if (signature !== null) headers['paddle-signature'] = signature;
			results.push({
				settingId: setting.id,
				...(await this.post(
					setting.destination,
					options.tamper ? options.tamper(payload) : payload,
					headers,
				)),
			});
		}
		return results;
	}
}

function samplePaddleEvent(type = 'transaction.completed', overrides = {}) {
	return {
		event_id: `evt_${randomBytes(13).toString('hex')}`,
		event_type: type,
		occurred_at: new Date().toISOString(),
		notification_id: `ntf_${randomBytes(13).toString('hex')}`,
		data: {
			id: `txn_${randomBytes(13).toString('hex')}`,
			status: 'completed',
			currency_code: 'USD',
			details: { totals: { total: '1999' } },
		},
		...overrides,
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'paddle',
	port: 12113,
	create: (port) => new FakePaddle({ port }),
	credentialType: 'paddleVerifiedApi',
	credentialName: 'Paddle (local fake)',
	credential: (fake) => ({
		apiKey: fake.apiKey,
		environment: 'custom',
		baseUrl: fake.url,
		endpointSecretKeys: '',
	}),
};

module.exports = { demo, FakePaddle, paddleSignature, samplePaddleEvent };
