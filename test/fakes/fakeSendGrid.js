'use strict';
/**
 * A fake SendGrid v3 API (Event Webhook settings and their signing) on 127.0.0.1, and batches signed like
 * SendGrid's Signed Event Webhook: a DER ECDSA P-256 / SHA-256 signature (base64) over the timestamp header's text
 * and the raw body, with the webhook's own key pair, issued when its signing is switched on. SendGrid's SDK only
 * verifies; test/node/sendGridTrigger.test.ts has @sendgrid/eventwebhook accept what this fake signs.
 */
const { generateKeyPairSync, randomBytes, randomUUID, sign } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

/** The setting switching each event on, by the event name deliveries carry. */
const EVENT_SETTINGS = {
	bounce: 'bounce',
	click: 'click',
	deferred: 'deferred',
	delivered: 'delivered',
	dropped: 'dropped',
	group_resubscribe: 'group_resubscribe',
	group_unsubscribe: 'group_unsubscribe',
	open: 'open',
	processed: 'processed',
	spamreport: 'spam_report',
	unsubscribe: 'unsubscribe',
};
const SETTINGS = '/v3/user/webhooks/event/settings';

function sendGridError(status, message, field = null) {
	return { status, body: { errors: [{ field, message }] } };
}

/** A P-256 key pair as SendGrid issues one: the public key as base64 SPKI DER (its "Verification Key"). */
function keyPair() {
	const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	return {
		privateKey: pair.privateKey,
		publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
	};
}

function signBatch(privateKey, timestamp, payload) {
	return sign('sha256', Buffer.from(`${timestamp}${payload}`), privateKey).toString('base64');
}

class FakeSendGrid extends FakeProviderServer {
	constructor({ apiKey = 'SG.fake_for_loopback_only.0123456789', port = 0, maxAllowed = 5 } = {}) {
		super({ port });
		this.apiKey = apiKey;
		this.maxAllowed = maxAllowed;
		this.webhooks = new Map();
		/** Signing key pairs by webhook id (the private half never leaves the fake). */
		this.keys = new Map();
	}

	faultResponse(status) {
		return sendGridError(status, status >= 500 ? 'internal error' : `injected failure ${status}`);
	}

	activeWebhooks() {
		return [...this.webhooks.values()];
	}

	view(webhook) {
		const key = this.keys.get(webhook.id);
		return { ...webhook, signed: key !== undefined, public_key: key?.publicKey ?? '' };
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.apiKey}`)
			return sendGridError(401, 'The provided authorization grant is invalid, expired, or revoked');
		const body = call.raw ? JSON.parse(call.raw) : {};
		const signed = new RegExp(`^${SETTINGS}/signed/([^/]+)$`).exec(call.path);
		if (signed) {
			const webhook = this.webhooks.get(decodeURIComponent(signed[1]));
			if (!webhook) return sendGridError(404, 'webhook not found');
			if (call.method === 'PATCH') {
				if (body.enabled === true && !this.keys.has(webhook.id))
					this.keys.set(webhook.id, keyPair());
				if (body.enabled === false) this.keys.delete(webhook.id);
			} else if (call.method !== 'GET') return sendGridError(405, 'method not allowed');
			return {
				status: 200,
				body: { id: webhook.id, public_key: this.keys.get(webhook.id)?.publicKey ?? '' },
			};
		}
		if (call.path === `${SETTINGS}/all` && call.method === 'GET')
			return {
				status: 200,
				body: {
					max_allowed: this.maxAllowed,
					webhooks: this.activeWebhooks().map((webhook) => this.view(webhook)),
				},
			};
		if (call.path === SETTINGS && call.method === 'POST') {
			if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))
				return sendGridError(400, 'url is required and must be a valid URL', 'url');
			if (this.activeWebhooks().some((webhook) => webhook.url === body.url))
				return sendGridError(400, 'a webhook with this url already exists', 'url');
			if (this.webhooks.size >= this.maxAllowed)
				return sendGridError(400, `you can only have ${this.maxAllowed} webhooks`);
			const webhook = {
				id: randomUUID(),
				url: body.url,
				enabled: body.enabled === true,
				friendly_name: body.friendly_name ?? null,
				oauth_client_id: '',
				oauth_token_url: '',
				created_date: new Date().toISOString(),
				updated_date: new Date().toISOString(),
				...Object.fromEntries(
					Object.values(EVENT_SETTINGS).map((setting) => [setting, body[setting] === true]),
				),
			};
			this.webhooks.set(webhook.id, webhook);
			return { status: 201, body: this.view(webhook) };
		}
		const one = new RegExp(`^${SETTINGS}/([^/]+)$`).exec(call.path);
		const webhook = one ? this.webhooks.get(decodeURIComponent(one[1])) : undefined;
		if (!one) return sendGridError(404, 'not found');
		if (!webhook) return sendGridError(404, 'webhook not found');
		if (call.method === 'GET') return { status: 200, body: this.view(webhook) };
		if (call.method === 'PATCH') {
			for (const key of ['enabled', 'url', 'friendly_name', ...Object.values(EVENT_SETTINGS)])
				if (body[key] !== undefined) webhook[key] = body[key];
			webhook.updated_date = new Date().toISOString();
			return { status: 200, body: this.view(webhook) };
		}
		if (call.method === 'DELETE') {
			this.webhooks.delete(webhook.id);
			this.keys.delete(webhook.id);
			return { status: 204, body: undefined };
		}
		return sendGridError(405, 'method not allowed');
	}

	/**
	 * Sends `events` to every enabled webhook, each getting only the events it switched on, as one batch.
	 * Options: `privateKey` (another key: a forgery), `timestamp`, `signature` (null: none), `tamper`, `id` (one
	 * webhook only).
	 */
	async deliver(events, options = {}) {
		const results = [];
		for (const webhook of this.webhooks.values()) {
			if (!webhook.enabled || (options.id && webhook.id !== options.id)) continue;
			const batch = events.filter((event) => webhook[EVENT_SETTINGS[event.event]] === true);
			if (batch.length === 0) continue;
			const payload = `${JSON.stringify(batch)}\r\n`;
			const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
			const headers = { 'content-type': 'application/json' };
			const key = options.privateKey ?? this.keys.get(webhook.id)?.privateKey;
			const signature =
				options.signature !== undefined
					? options.signature
					: key && signBatch(key, timestamp, payload);
			if (signature) {
				headers['x-twilio-email-event-webhook-signature'] = signature;
				headers['x-twilio-email-event-webhook-timestamp'] = timestamp;
			}
			const sent = options.tamper ? options.tamper(payload) : payload;
			const result = await this.post(webhook.url, sent, headers);
			results.push({ webhookId: webhook.id, payload, timestamp, signature, ...result });
		}
		return results;
	}
}

function sampleSendGridEvent(event = 'delivered', overrides = {}) {
	const messageId = `${randomBytes(11).toString('base64url')}.filterdrecv-fake-0.0`;
	return {
		email: 'someone@example.com',
		timestamp: Math.floor(Date.now() / 1000),
		'smtp-id': `<${messageId}@ismtpd.example>`,
		event,
		category: ['n8n-demo'],
		sg_event_id: randomBytes(16).toString('base64url'),
		sg_message_id: messageId,
		...(event === 'delivered' ? { response: '250 OK' } : {}),
		...overrides,
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'sendgrid',
	port: 12122,
	create: (port) => new FakeSendGrid({ port }),
	credentialType: 'sendGridVerifiedApi',
	credentialName: 'SendGrid (local fake)',
	credential: (fake) => ({
		apiKey: fake.apiKey,
		environment: 'custom',
		baseUrl: fake.url,
		verificationKeys: '',
	}),
};

module.exports = { demo, FakeSendGrid, keyPair, sampleSendGridEvent, signBatch };
