'use strict';
/**
 * A fake Calendly API v2 (webhook subscriptions) on 127.0.0.1, and deliveries signed like Calendly:
 * `Calendly-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256(signing key, "<t>.<raw body>")>`. Calendly publishes
 * no signer or verifier, so signing is node:crypto here. Shapes follow the API reference (providers.md §2.13):
 * resources named by URI, `{ resource }` and `{ collection, pagination }` answers, `{ title, message }` errors,
 * one subscription per callback URL and scope.
 */
const { createHmac, randomUUID } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

const API = 'https://api.calendly.com';
const EVENTS = [
	'invitee.created',
	'invitee.canceled',
	'invitee_no_show.created',
	'invitee_no_show.deleted',
	'routing_form_submission.created',
];

function calendlySignature(signingKey, payload, timestamp = Math.floor(Date.now() / 1000)) {
	return `t=${timestamp},v1=${createHmac('sha256', signingKey).update(`${timestamp}.${payload}`).digest('hex')}`;
}

function calendlyError(status, title, message, details) {
	return { status, body: details ? { title, message, details } : { title, message } };
}

class FakeCalendly extends FakeProviderServer {
	constructor({ token = 'calendly_pat_fake_for_loopback_only', port = 0 } = {}) {
		super({ port });
		this.token = token;
		this.user = `${API}/users/AAAAAAAAAAAAAAAA`;
		this.organization = `${API}/organizations/BBBBBBBBBBBBBBBB`;
		this.subscriptions = new Map();
	}

	faultResponse(status) {
		return status >= 500
			? calendlyError(
					status,
					'Internal Server Error',
					'The server encountered an unexpected condition',
				)
			: calendlyError(status, 'Injected', `Injected failure ${status}`);
	}

	activeSubscriptions() {
		return [...this.subscriptions.values()];
	}

	view(subscription) {
		const { signing_key: _key, ...rest } = subscription;
		return rest;
	}

	async handle(call) {
		if (call.headers.authorization !== `Bearer ${this.token}`)
			return calendlyError(401, 'Unauthenticated', 'The access token is invalid');
		if (call.path === '/users/me' && call.method === 'GET')
			return {
				status: 200,
				body: {
					resource: { uri: this.user, name: 'Fake', current_organization: this.organization },
				},
			};
		const match = /^\/webhook_subscriptions(?:\/([^/]+))?$/.exec(call.path);
		if (!match)
			return calendlyError(
				404,
				'Resource Not Found',
				'The server could not find the requested resource.',
			);
		const id = match[1] ? decodeURIComponent(match[1]) : undefined;
		if (!id && call.method === 'GET') {
			const { organization, scope, user } = call.query;
			if (organization !== this.organization || !['user', 'organization'].includes(scope))
				return calendlyError(400, 'Invalid Argument', 'The supplied parameters are invalid.', [
					{ parameter: 'organization', message: 'is invalid' },
				]);
			const all = this.activeSubscriptions().filter(
				(subscription) =>
					subscription.scope === scope && (scope !== 'user' || subscription.user === user),
			);
			const count = Number(call.query.count ?? 20);
			const start = Number(call.query.page_token ?? 0);
			const next = start + count < all.length ? String(start + count) : null;
			return {
				status: 200,
				body: {
					collection: all
						.slice(start, start + count)
						.map((subscription) => this.view(subscription)),
					pagination: {
						count,
						next_page: next && `${API}/webhook_subscriptions?page_token=${next}`,
						next_page_token: next,
						previous_page: null,
						previous_page_token: null,
					},
				},
			};
		}
		if (!id && call.method === 'POST') {
			const body = call.raw ? JSON.parse(call.raw) : {};
			const invalid = (parameter, message) =>
				calendlyError(400, 'Invalid Argument', 'The supplied parameters are invalid.', [
					{ parameter, message },
				]);
			if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))
				return invalid('url', 'is invalid');
			if (
				!Array.isArray(body.events) ||
				body.events.length === 0 ||
				body.events.some((event) => !EVENTS.includes(event))
			)
				return invalid('events', 'is invalid');
			if (body.organization !== this.organization) return invalid('organization', 'is invalid');
			if (body.scope === 'user' && body.user !== this.user) return invalid('user', 'is invalid');
			if (!['user', 'organization'].includes(body.scope)) return invalid('scope', 'is invalid');
			if (body.scope === 'user' && body.events.includes('routing_form_submission.created'))
				return invalid(
					'events',
					'routing_form_submission.created is only available in organization scope',
				);
			if (
				this.activeSubscriptions().some(
					(other) => other.callback_url === body.url && other.scope === body.scope,
				)
			)
				return calendlyError(409, 'Already Exists', 'Hook with this url already exists');
			const now = new Date().toISOString();
			const subscription = {
				uri: `${API}/webhook_subscriptions/${randomUUID()}`,
				callback_url: body.url,
				created_at: now,
				updated_at: now,
				retry_started_at: null,
				state: 'active',
				events: body.events,
				scope: body.scope,
				organization: body.organization,
				user: body.scope === 'user' ? body.user : null,
				group: null,
				creator: this.user,
				signing_key: body.signing_key,
			};
			this.subscriptions.set(subscription.uri.split('/').pop(), subscription);
			return { status: 201, body: { resource: this.view(subscription) } };
		}
		const subscription = id ? this.subscriptions.get(id) : undefined;
		if (!subscription)
			return calendlyError(
				404,
				'Resource Not Found',
				'The server could not find the requested resource.',
			);
		if (call.method === 'GET') return { status: 200, body: { resource: this.view(subscription) } };
		if (call.method === 'DELETE') {
			this.subscriptions.delete(id);
			return { status: 204, body: undefined };
		}
		return calendlyError(405, 'Method Not Allowed', 'Method not allowed');
	}

	/** Delivers `event` to every active subscription of its type. Options: `key`, `timestamp`, `signature` (null = none), `tamper`. */
	async deliver(event, options = {}) {
		const payload = JSON.stringify(event);
		const results = [];
		for (const subscription of this.subscriptions.values()) {
			if (subscription.state !== 'active' || !subscription.events.includes(event.event)) continue;
			const headers = { 'content-type': 'application/json', 'user-agent': 'Calendly-Webhooks' };
			const key = options.key ?? subscription.signing_key;
			const signature =
				options.signature !== undefined
					? options.signature
					: key
						? calendlySignature(key, payload, options.timestamp)
						: null;
			if (signature !== null) headers['calendly-webhook-signature'] = signature;
			results.push({
				uri: subscription.uri,
				...(await this.post(
					subscription.callback_url,
					options.tamper ? options.tamper(payload) : payload,
					headers,
				)),
			});
		}
		return results;
	}
}

/** An invitee event as Calendly sends it. */
function sampleCalendlyEvent(event = 'invitee.created') {
	const now = new Date().toISOString();
	const scheduled = `${API}/scheduled_events/${randomUUID()}`;
	return {
		created_at: now,
		created_by: `${API}/users/AAAAAAAAAAAAAAAA`,
		event,
		payload: {
			uri: `${scheduled}/invitees/${randomUUID()}`,
			email: 'invitee@example.com',
			name: 'Ada Invitee',
			status: event === 'invitee.canceled' ? 'canceled' : 'active',
			scheduled_event: { uri: scheduled, name: 'Intro call', start_time: now },
			created_at: now,
			updated_at: now,
		},
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'calendly',
	port: 12118,
	create: (port) => new FakeCalendly({ port }),
	credentialType: 'calendlyVerifiedApi',
	credentialName: 'Calendly (local fake)',
	credential: (fake) => ({ accessToken: fake.token, signingSecrets: '', baseUrl: fake.url }),
};

module.exports = { calendlySignature, demo, EVENTS, FakeCalendly, sampleCalendlyEvent };
