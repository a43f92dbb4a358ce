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
		/** Every notification (one per destination and event; a replay is a new one), oldest first. */
		this.notifications = [];
		/** Replays under way (Paddle answers 202 and sends them afterwards). */
		this.replays = [];
	}

	/** `GET /notifications` (filters catch-up uses) and `POST /notifications/{id}/replay`. */
	notificationsApi(call, id, meta) {
		if (!id && call.method === 'GET') {
			const setting = call.query.notification_setting_id;
			const from = call.query.from ? Date.parse(call.query.from) : 0;
			const statuses = call.query.status ? call.query.status.split(',') : undefined;
			let list = this.notifications.filter(
				(each) =>
					(!setting || setting.split(',').includes(each.notification_setting_id)) &&
					Date.parse(each.occurred_at) >= from &&
					(!statuses || statuses.includes(each.status)),
			);
			if (call.query.order_by === 'id[DESC]') list = [...list].reverse();
			const after = call.query.after;
			const start = after ? list.findIndex((each) => each.id === after) + 1 : 0;
			const perPage = Math.min(Number(call.query.per_page ?? 50), 200);
			const page = list.slice(start, start + perPage);
			const view = page.map(({ request: _r, ...rest }) => rest);
			const hasMore = start + perPage < list.length;
			return {
				status: 200,
				body: {
					data: view,
					meta: { ...meta, pagination: { per_page: perPage, has_more: hasMore } },
				},
			};
		}
		const replay = /^(ntf_[^/]+)\/replay$/.exec(id ?? '');
		if (replay && call.method === 'POST') {
			const original = this.notifications.find((each) => each.id === replay[1]);
			const setting = original && this.settings.get(original.notification_setting_id);
			if (!original || !setting) return paddleError(404, 'not_found', 'Entity not found');
			const copy = {
				...original.payload,
				notification_id: `ntf_${randomBytes(13).toString('hex')}`,
			};
			this.replays.push(this.notify(setting, copy, {}, 'replay'));
			return { status: 202, body: { data: { notification_id: copy.notification_id }, meta } };
		}
		return paddleError(404, 'not_found', 'Entity not found');
	}

	/** Waits for the replays asked for so far. */
	async replaysSent() {
		await Promise.all(this.replays);
	}

	/** One notification of `event` to `setting`, signed; recorded with its outcome. */
	async notify(setting, event, options, origin = 'event') {
		const payload = JSON.stringify(event);
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
		const result = await this.post(
			setting.destination,
			options.tamper ? options.tamper(payload) : payload,
			headers,
		);
		const forged = options.secret || options.tamper || options.signature !== undefined;
		if (!forged) {
			const delivered = result.status >= 200 && result.status < 300;
			this.notifications.push({
				id: event.notification_id ?? `ntf_${randomBytes(13).toString('hex')}`,
				type: event.event_type,
				status: delivered ? 'delivered' : 'failed',
				payload: event,
				occurred_at: event.occurred_at,
				delivered_at: delivered ? new Date().toISOString() : null,
				replayed_at: null,
				origin,
				last_attempt_at: new Date().toISOString(),
				retry_at: null,
				times_attempted: 1,
				notification_setting_id: setting.id,
			});
		}
		return { settingId: setting.id, ...result };
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
		const notifications = /^\/notifications(?:\/(.+))?$/.exec(call.path);
		if (notifications)
			return this.notificationsApi(call, notifications[1], {
				request_id: randomBytes(8).toString('hex'),
			});
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
		const results = [];
		for (const setting of this.settings.values()) {
			if (!setting.active || !setting.subscribed_events.includes(event.event_type)) continue;
			results.push(await this.notify(setting, event, options));
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
