'use strict';
/**
 * A fake Twilio Events API (Event Streams: webhook sinks, subscriptions, subscribed events) on 127.0.0.1, and
 * deliveries as a webhook sink sends them: a JSON array of CloudEvents POSTed to the sink's destination with
 * `?bodySHA256=<hex SHA-256 of the body>` added, signed by **Twilio's official SDK** (`twilio`'s
 * getExpectedTwilioSignature: base64 HMAC-SHA1 of that URL under the account's Auth Token). Request and answer
 * shapes follow the SDK's (form-encoded requests, snake_case JSON, `Types` repeated as JSON strings) and
 * Twilio's error bodies ({ code, message, more_info, status }).
 */
const { createHash, randomBytes, randomUUID } = require('node:crypto');
const { getExpectedTwilioSignature } = require('twilio/lib/webhooks/webhooks');

const { FakeProviderServer } = require('./fakeHttp');

const sid = (prefix) => `${prefix}${randomBytes(16).toString('hex')}`;

function twilioError(status, code, message) {
	return {
		status,
		body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
	};
}

/** The URL an Event Streams sink calls for a body: its destination with bodySHA256 added. */
function signedUrl(destination, payload) {
	const url = new URL(destination);
	url.searchParams.set('bodySHA256', createHash('sha256').update(payload).digest('hex'));
	return url.toString();
}

class FakeTwilio extends FakeProviderServer {
	constructor({ port = 0 } = {}) {
		super({ port });
		// Fixed, as npm start's saved demo credential needs (the fake listens on loopback only).
		this.accountSid = 'AC00000000000000000000000000000fa4e';
		this.authToken = 'fa4e0000loopback0only000000000000';
		this.sinks = new Map();
		this.subscriptions = new Map();
	}

	faultResponse(status) {
		return twilioError(status, status >= 500 ? 20500 : 20001, `Injected failure ${status}`);
	}

	activeSinks() {
		return [...this.sinks.values()];
	}

	/** The types each subscription of a sink subscribes to. */
	typesOf(sinkSid) {
		return [...this.subscriptions.values()]
			.filter((subscription) => subscription.sink_sid === sinkSid)
			.flatMap((subscription) => subscription.types.map((entry) => entry.type));
	}

	sinkView(sink) {
		return { ...sink, url: `${this.url}/v1/Sinks/${sink.sid}` };
	}

	subscriptionView({ types, ...subscription }) {
		return { ...subscription, url: `${this.url}/v1/Subscriptions/${subscription.sid}` };
	}

	async handle(call) {
		const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
		if (call.headers.authorization !== expected) return twilioError(401, 20003, 'Authenticate');
		const form = new URLSearchParams(call.raw);
		const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
		const match = /^\/v1\/(Sinks|Subscriptions)(?:\/([^/]+))?(?:\/(SubscribedEvents))?$/.exec(
			call.path,
		);
		if (!match) return twilioError(404, 20404, `The requested resource ${call.path} was not found`);
		const [, collection, id, sub] = match;
		const page = (key, items) => ({
			status: 200,
			body: {
				[key]: items,
				meta: {
					page: 0,
					page_size: 1000,
					key,
					next_page_url: null,
					url: `${this.url}${call.path}`,
				},
			},
		});
		if (collection === 'Sinks') {
			if (!id && call.method === 'GET')
				return page(
					'sinks',
					this.activeSinks().map((sink) => this.sinkView(sink)),
				);
			if (!id && call.method === 'POST') {
				let configuration;
				try {
					configuration = JSON.parse(form.get('SinkConfiguration') ?? '');
				} catch {
					return twilioError(400, 20001, 'Invalid SinkConfiguration');
				}
				if (
					form.get('SinkType') !== 'webhook' ||
					!/^https?:\/\//.test(configuration?.destination ?? '')
				)
					return twilioError(400, 20001, 'Invalid sink: a webhook sink needs a destination URL');
				const sink = {
					sid: sid('DG'),
					description: form.get('Description') ?? '',
					sink_type: 'webhook',
					sink_configuration: configuration,
					status: 'active',
					date_created: now,
					date_updated: now,
				};
				this.sinks.set(sink.sid, sink);
				return { status: 201, body: this.sinkView(sink) };
			}
			const sink = this.sinks.get(id);
			if (!sink)
				return twilioError(404, 20404, `The requested resource /Sinks/${id} was not found`);
			if (call.method === 'GET') return { status: 200, body: this.sinkView(sink) };
			if (call.method === 'DELETE') {
				if (
					this.typesOf(id).length ||
					[...this.subscriptions.values()].some((s) => s.sink_sid === id)
				)
					return twilioError(400, 20001, 'The sink has subscriptions: delete them first');
				this.sinks.delete(id);
				return { status: 204 };
			}
		} else {
			if (!id && call.method === 'GET')
				return page(
					'subscriptions',
					[...this.subscriptions.values()]
						.filter((each) => !call.query.SinkSid || each.sink_sid === call.query.SinkSid)
						.map((each) => this.subscriptionView(each)),
				);
			if (!id && call.method === 'POST') {
				const sinkSid = form.get('SinkSid');
				if (!sinkSid || !this.sinks.has(sinkSid)) return twilioError(400, 20001, 'Invalid SinkSid');
				let types;
				try {
					types = form.getAll('Types').map((entry) => JSON.parse(entry));
				} catch {
					return twilioError(400, 20001, 'Invalid Types');
				}
				if (types.length === 0 || types.some((entry) => typeof entry?.type !== 'string'))
					return twilioError(400, 20001, 'Types is required');
				const subscription = {
					account_sid: this.accountSid,
					sid: sid('DF'),
					description: form.get('Description') ?? '',
					sink_sid: sinkSid,
					date_created: now,
					date_updated: now,
					types,
				};
				this.subscriptions.set(subscription.sid, subscription);
				return { status: 201, body: this.subscriptionView(subscription) };
			}
			const subscription = this.subscriptions.get(id);
			if (!subscription)
				return twilioError(404, 20404, `The requested resource /Subscriptions/${id} was not found`);
			if (sub && call.method === 'GET')
				return page(
					'types',
					subscription.types.map((entry) => ({
						account_sid: this.accountSid,
						type: entry.type,
						schema_version: entry.schema_version,
						subscription_sid: subscription.sid,
					})),
				);
			if (call.method === 'GET') return { status: 200, body: this.subscriptionView(subscription) };
			if (call.method === 'DELETE') {
				this.subscriptions.delete(id);
				return { status: 204 };
			}
		}
		return twilioError(405, 20004, 'Method not allowed');
	}

	/**
	 * Delivers `events` (CloudEvents) to every sink subscribed to their type, as one JSON array. Options: `token`
	 * (what signs), `signature` (null = none), `url` (what is signed), `tamper` (changes the bytes after signing).
	 */
	async deliver(events, options = {}) {
		const payload = JSON.stringify(events);
		const results = [];
		for (const sink of this.sinks.values()) {
			const types = this.typesOf(sink.sid);
			if (!events.some((event) => types.includes(event.type))) continue;
			const url = signedUrl(sink.sink_configuration.destination, payload);
			const headers = {
				'content-type': 'application/json',
				'i-twilio-idempotency-token': randomUUID(),
			};
			const signature =
				options.signature !== undefined
					? options.signature
					: getExpectedTwilioSignature(options.token ?? this.authToken, options.url ?? url, {});
			if (signature !== null) headers['x-twilio-signature'] = signature;
			results.push({
				sinkSid: sink.sid,
				url,
				headers,
				...(await this.post(url, options.tamper ? options.tamper(payload) : payload, headers)),
			});
		}
		return results;
	}

	/** npm start's "send an event": POST /_control/deliver {"type": "com.twilio.messaging.message.delivered"}. */
	async control(method, url, raw) {
		if (method !== 'POST' || url.pathname !== '/_control/deliver')
			return { status: 404, body: { message: 'POST /_control/deliver {"type": "…"}' } };
		const type = (raw ? JSON.parse(raw) : {}).type ?? 'com.twilio.messaging.message.delivered';
		return { status: 200, body: { deliveries: await this.deliver([sampleTwilioEvent(type)]) } };
	}
}

/** A CloudEvent as Event Streams sends it. */
function sampleTwilioEvent(type = 'com.twilio.messaging.message.delivered', accountSid = 'ACxxxx') {
	return {
		specversion: '1.0',
		type,
		source: `/2010-04-01/Accounts/${accountSid}/Messages/SM${randomBytes(16).toString('hex')}.json`,
		id: `EZ${randomBytes(16).toString('hex')}`,
		dataschema: `https://events-schemas.twilio.com/Messaging.MessageStatus/1`,
		datacontenttype: 'application/json',
		time: new Date().toISOString(),
		data: {
			accountSid,
			messageStatus: type.split('.').pop(),
			to: '+15558675310',
			from: '+15017122661',
		},
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'twilio',
	port: 12124,
	create: (port) => new FakeTwilio({ port }),
	credentialType: 'twilioVerifiedApi',
	credentialName: 'Twilio (local fake)',
	credential: (fake) => ({
		accountSid: fake.accountSid,
		authToken: fake.authToken,
		previousAuthToken: '',
		environment: 'custom',
		baseUrl: fake.url,
	}),
};

module.exports = { demo, FakeTwilio, sampleTwilioEvent, signedUrl };
