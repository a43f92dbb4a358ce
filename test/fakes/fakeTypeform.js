'use strict';
/**
 * A fake Typeform Create API (form webhooks) on 127.0.0.1, and deliveries signed like Typeform:
 * `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>` with the webhook's secret. Typeform's
 * `@typeform/api-client` manages webhooks but neither signs nor verifies (2.10.4 exports no verifier), so signing
 * is node:crypto here. Shapes follow the API reference and that client's types (providers.md §2.15).
 */
const { createHmac, randomBytes } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

function typeformSignature(secret, payload) {
	return `sha256=${createHmac('sha256', secret).update(payload).digest('base64')}`;
}

function typeformError(status, code, description, details) {
	return { status, body: details ? { code, description, details } : { code, description } };
}

class FakeTypeform extends FakeProviderServer {
	constructor({ token = 'tfp_fake_token_for_loopback_only', formIds = ['u6nXL7'], port = 0 } = {}) {
		super({ port });
		this.token = token;
		this.formIds = formIds;
		/** `${formId} ${tag}` → webhook (with its secret, which the API never returns). */
		this.webhooks = new Map();
	}

	faultResponse(status) {
		return status >= 500
			? typeformError(status, 'INTERNAL_SERVER_ERROR', 'Internal server error')
			: typeformError(status, 'INJECTED', `Injected failure ${status}`);
	}

	activeWebhooks() {
		return [...this.webhooks.values()];
	}

	view(webhook) {
		const { secret: _secret, ...rest } = webhook;
		return rest;
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.token}`)
			return typeformError(
				401,
				'AUTHENTICATION_FAILED',
				'Authentication credentials not found on the Request Headers',
			);
		if (call.path === '/me' && call.method === 'GET')
			return { status: 200, body: { alias: 'fake', email: 'fake@example.com', language: 'en' } };
		const match = /^\/forms\/([^/]+)\/webhooks(?:\/([^/]+))?$/.exec(call.path);
		if (!match) return typeformError(404, 'NOT_FOUND', 'Endpoint not found');
		const formId = decodeURIComponent(match[1]);
		const tag = match[2] ? decodeURIComponent(match[2]) : undefined;
		if (!this.formIds.includes(formId))
			return typeformError(404, 'FORM_NOT_FOUND', `Non existing form with uid ${formId}`);
		if (!tag && call.method === 'GET') {
			const items = this.activeWebhooks()
				.filter((webhook) => webhook.form_id === formId)
				.map((webhook) => this.view(webhook));
			return { status: 200, body: { items } };
		}
		if (!tag) return typeformError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
		const key = `${formId} ${tag}`;
		const existing = this.webhooks.get(key);
		if (call.method === 'PUT') {
			const body = call.raw ? JSON.parse(call.raw) : {};
			if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
				return typeformError(400, 'VALIDATION_ERROR', 'The payload is invalid.', [
					{ code: 'WRONG_TYPE', description: 'url must be a valid URL', field: '/url', in: 'body' },
				]);
			}
			const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
			const webhook = {
				id: existing?.id ?? randomBytes(13).toString('base64url').toUpperCase(),
				form_id: formId,
				tag,
				url: body.url,
				enabled: body.enabled === true,
				verify_ssl: body.verify_ssl === true,
				event_types: body.event_types ?? { form_response: true },
				created_at: existing?.created_at ?? now,
				updated_at: now,
				// A PUT without a secret leaves the webhook unsigned, as Typeform does.
				secret: body.secret,
			};
			this.webhooks.set(key, webhook);
			return { status: existing ? 200 : 201, body: this.view(webhook) };
		}
		if (!existing) return typeformError(404, 'NOT_FOUND', `Webhook ${tag} not found`);
		if (call.method === 'GET') return { status: 200, body: this.view(existing) };
		if (call.method === 'DELETE') {
			this.webhooks.delete(key);
			return { status: 204, body: undefined };
		}
		return typeformError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
	}

	/** Delivers `event` to every enabled webhook of its form subscribed to its event_type. Options: `secret`, `signature` (null = none), `tamper`. */
	async deliver(event, options = {}) {
		const payload = JSON.stringify(event);
		const results = [];
		for (const webhook of this.webhooks.values()) {
			if (webhook.form_id !== event.form_response.form_id || !webhook.enabled) continue;
			if (!webhook.event_types[event.event_type]) continue;
			const headers = { 'content-type': 'application/json', 'user-agent': 'Typeform Webhooks' };
			const secret = options.secret ?? webhook.secret;
			const signature =
				options.signature !== undefined
					? options.signature
					: secret
						? typeformSignature(secret, payload)
						: null;
			if (signature !== null) headers['typeform-signature'] = signature;
			results.push({
				tag: webhook.tag,
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

/** A response event as Typeform sends it. */
function sampleTypeformEvent(type = 'form_response', formId = 'u6nXL7') {
	const token = randomBytes(16).toString('hex');
	return {
		event_id: randomBytes(13).toString('base64url').toUpperCase(),
		event_type: type,
		form_response: {
			form_id: formId,
			token,
			landed_at: new Date(Date.now() - 60_000).toISOString(),
			submitted_at: new Date().toISOString(),
			definition: {
				id: formId,
				title: 'Feedback',
				fields: [{ id: 'q1', type: 'rating', title: 'How was it?' }],
			},
			answers: [{ type: 'number', number: 5, field: { id: 'q1', type: 'rating' } }],
		},
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'typeform',
	port: 12116,
	create: (port) => new FakeTypeform({ port }),
	credentialType: 'typeformVerifiedApi',
	credentialName: 'Typeform (local fake)',
	credential: (fake) => ({ accessToken: fake.token, webhookSecrets: '', baseUrl: fake.url }),
};

module.exports = { demo, FakeTypeform, sampleTypeformEvent, typeformSignature };
