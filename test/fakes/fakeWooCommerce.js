'use strict';
/**
 * A fake WooCommerce REST API (wc/v3 webhooks) on 127.0.0.1, and deliveries sent like WooCommerce sends them.
 * Behaviour follows WooCommerce's own controller and WC_Webhook (providers.md §2.9): HTTP Basic with the
 * consumer key and secret; WordPress error bodies `{ code, message, data: { status } }`; a create saves the
 * webhook, then POSTs the unsigned ping `webhook_id=<id>` to the delivery URL and answers 201 whatever the ping
 * got; a GET of an unknown id is a 400 ("ID is invalid."), a DELETE of one a 404, a DELETE without force=true
 * a 501; lists page with per_page/page and X-WP-Total(Pages). Deliveries carry the trimmed JSON body signed
 * `X-WC-Webhook-Signature: base64(HMAC-SHA256(secret, body))` and the unsigned Source/Topic/Resource/Event/ID/
 * Delivery-ID headers; more than 5 failed deliveries in a row disable the webhook. WooCommerce publishes no
 * signing library (it is PHP): signing is node:crypto here, checked against providers.md's vector in the tests.
 */
const { createHash, createHmac } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

const RESOURCES = ['coupon', 'customer', 'order', 'product'];
const EVENTS = ['created', 'updated', 'deleted', 'restored'];
/** The topics the trigger's catalogue lists (customers are never restored). */
const TOPICS = ['order', 'product', 'customer', 'coupon'].flatMap((resource) =>
	EVENTS.filter((event) => !(resource === 'customer' && event === 'restored')).map(
		(event) => `${resource}.${event}`,
	),
);

function wooCommerceSignature(secret, payload) {
	return createHmac('sha256', secret).update(payload).digest('base64');
}

function wpError(status, code, message) {
	return { status, body: { code, message, data: { status } } };
}

const validTopic = (topic) => {
	const [resource, event, ...rest] = String(topic ?? '')
		.toLowerCase()
		.split('.');
	return (
		rest.length === 0 &&
		((RESOURCES.includes(resource) && EVENTS.includes(event)) || (resource === 'action' && !!event))
	);
};
const validUrl = (url) => /^https?:\/\/\S+$/.test(String(url ?? ''));

class FakeWooCommerce extends FakeProviderServer {
	constructor({
		consumerKey = 'ck_fake_loopback_only_0000000000000000000000',
		consumerSecret = 'cs_fake_loopback_only_0000000000000000000000',
		port = 0,
	} = {}) {
		super({ port });
		this.consumerKey = consumerKey;
		this.consumerSecret = consumerSecret;
		this.webhooks = new Map();
		this.nextId = 21;
		/** Every creation ping: the webhook id and the status the delivery URL answered (0: unreachable). */
		this.pings = [];
	}

	faultResponse(status) {
		return status >= 500
			? wpError(status, 'internal_server_error', 'There has been a critical error on this website.')
			: wpError(status, 'injected', `Injected failure ${status}`);
	}

	activeWebhooks() {
		return [...this.webhooks.values()];
	}

	resource(webhook) {
		const topic = webhook.topic;
		const [resource, event] = topic.split('.');
		return {
			id: webhook.id,
			name: webhook.name,
			status: webhook.status,
			topic,
			resource,
			event,
			hooks: [`woocommerce_${event}_${resource}`],
			delivery_url: webhook.deliveryUrl,
			date_created: webhook.created,
			date_created_gmt: webhook.created,
			date_modified: webhook.modified,
			date_modified_gmt: webhook.modified,
			_links: {
				self: [{ href: `${this.url}/wp-json/wc/v3/webhooks/${webhook.id}` }],
				collection: [{ href: `${this.url}/wp-json/wc/v3/webhooks` }],
			},
		};
	}

	authorised(headers) {
		const match = /^Basic (.+)$/.exec(headers.authorization ?? '');
		if (!match) return false;
		return (
			Buffer.from(match[1], 'base64').toString('utf8') ===
			`${this.consumerKey}:${this.consumerSecret}`
		);
	}

	async handle(call) {
		if (!call.path.startsWith('/wp-json/wc/v3/'))
			return wpError(
				404,
				'rest_no_route',
				'No route was found matching the URL and request method.',
			);
		if (!this.authorised(call.headers))
			return wpError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
		const match = /^\/wp-json\/wc\/v3\/webhooks(?:\/(\d+))?$/.exec(call.path);
		if (!match)
			return wpError(
				404,
				'rest_no_route',
				'No route was found matching the URL and request method.',
			);
		const id = match[1] ? Number(match[1]) : undefined;
		const input = call.raw ? JSON.parse(call.raw) : {};
		if (id === undefined && call.method === 'GET') return this.list(call.query);
		if (id === undefined && call.method === 'POST') return await this.create(input);
		const webhook = id === undefined ? undefined : this.webhooks.get(id);
		if (call.method === 'GET') {
			if (!webhook)
				return wpError(400, 'woocommerce_rest_shop_webhook_invalid_id', 'ID is invalid.');
			return { status: 200, body: this.resource(webhook) };
		}
		if (call.method === 'PUT' || call.method === 'PATCH') {
			if (!webhook)
				return wpError(400, 'woocommerce_rest_shop_webhook_invalid_id', 'ID is invalid.');
			if (input.topic !== undefined) {
				if (!validTopic(input.topic))
					return wpError(
						400,
						'woocommerce_rest_shop_webhook_invalid_topic',
						'Webhook topic must be valid.',
					);
				webhook.topic = String(input.topic).toLowerCase();
			}
			if (input.delivery_url !== undefined) {
				if (!validUrl(input.delivery_url))
					return wpError(
						400,
						'woocommerce_rest_shop_webhook_invalid_delivery_url',
						'Webhook delivery URL must be a valid URL starting with http:// or https://.',
					);
				webhook.deliveryUrl = input.delivery_url;
			}
			if (input.secret) webhook.secret = input.secret;
			if (input.status !== undefined) {
				if (!['active', 'paused', 'disabled'].includes(input.status))
					return wpError(
						400,
						'woocommerce_rest_shop_webhook_invalid_status',
						'Webhook status must be valid.',
					);
				webhook.status = input.status;
				if (input.status === 'active') webhook.failures = 0;
			}
			if (input.name) webhook.name = input.name;
			webhook.modified = new Date().toISOString().slice(0, 19);
			return { status: 200, body: this.resource(webhook) };
		}
		if (call.method === 'DELETE') {
			if (call.query.force !== 'true' && call.query.force !== '1')
				return wpError(
					501,
					'woocommerce_rest_trash_not_supported',
					'Webhooks do not support trashing.',
				);
			if (!webhook) return wpError(404, 'woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.');
			this.webhooks.delete(id);
			return { status: 200, body: this.resource(webhook) };
		}
		return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
	}

	list(query) {
		const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 10)));
		const page = Math.max(1, Number(query.page ?? 1));
		const status = query.status ?? 'all';
		const include = query.include ? String(query.include).split(',').map(Number) : undefined;
		const all = this.activeWebhooks()
			.filter((webhook) => status === 'all' || webhook.status === status)
			.filter((webhook) => !include || include.includes(webhook.id))
			.sort((a, b) => b.id - a.id);
		const pages = Math.ceil(all.length / perPage);
		return {
			status: 200,
			headers: { 'x-wp-total': String(all.length), 'x-wp-totalpages': String(pages) },
			body: all
				.slice((page - 1) * perPage, page * perPage)
				.map((webhook) => this.resource(webhook)),
		};
	}

	async create(input) {
		if (input.id)
			return wpError(
				400,
				'woocommerce_rest_shop_webhook_exists',
				'Cannot create existing shop_webhook.',
			);
		if (!validTopic(input.topic))
			return wpError(
				400,
				'woocommerce_rest_shop_webhook_invalid_topic',
				'Webhook topic is required and must be valid.',
			);
		if (!validUrl(input.delivery_url))
			return wpError(
				400,
				'woocommerce_rest_shop_webhook_invalid_delivery_url',
				'Webhook delivery URL must be a valid URL starting with http:// or https://.',
			);
		const now = new Date().toISOString().slice(0, 19);
		const webhook = {
			id: this.nextId++,
			name: input.name || `Webhook created on ${now}`,
			status: 'active',
			topic: String(input.topic).toLowerCase(),
			deliveryUrl: input.delivery_url,
			// WooCommerce generates a 50-character password when no secret is given.
			secret:
				input.secret ||
				createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 50),
			failures: 0,
			created: now,
			modified: now,
		};
		this.webhooks.set(webhook.id, webhook);
		// Like WC_REST_Webhooks_V1_Controller::create_item: the ping goes out before the answer, and its outcome
		// does not change the answer.
		let pinged = 0;
		try {
			const answer = await fetch(webhook.deliveryUrl, {
				method: 'POST',
				headers: {
					'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: `webhook_id=${webhook.id}`,
			});
			pinged = answer.status;
			await answer.text();
		} catch {
			pinged = 0;
		}
		this.pings.push({ webhookId: webhook.id, status: pinged });
		return { status: 201, body: this.resource(webhook) };
	}

	/**
	 * Sends `payload` for `topic` to every active webhook with that topic, like WC_Webhook::deliver. Options:
	 * `secret` (instead of the webhook's), `signature` (null = none), `tamper`, `headers` (override any header).
	 */
	async deliver(topic, payload, options = {}) {
		const body = JSON.stringify(payload).trim();
		const results = [];
		for (const webhook of this.webhooks.values()) {
			if (webhook.topic !== topic || webhook.status !== 'active') continue;
			const [resource, event] = topic.split('.');
			const headers = {
				'content-type': 'application/json',
				'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
				'x-wc-webhook-source': `${this.url}/`,
				'x-wc-webhook-topic': topic,
				'x-wc-webhook-resource': resource,
				'x-wc-webhook-event': event,
				'x-wc-webhook-id': String(webhook.id),
				'x-wc-webhook-delivery-id': createHash('md5')
					.update(`${webhook.id}${Math.floor(Date.now() / 1000)}`)
					.digest('hex'),
			};
			const signature =
				options.signature !== undefined
					? options.signature
					: wooCommerceSignature(options.secret ?? webhook.secret, body);
			if (signature !== null) headers['x-wc-webhook-signature'] = signature;
			Object.assign(headers, options.headers);
			const result = await this.post(
				webhook.deliveryUrl,
				options.tamper ? options.tamper(body) : body,
				headers,
			);
			// 2xx, 301 and 302 are success; more than 5 failures in a row disable the webhook.
			if (result.status >= 200 && result.status < 303) webhook.failures = 0;
			else if (webhook.failures > 5) webhook.status = 'disabled';
			else webhook.failures++;
			results.push({ webhookId: webhook.id, headers, body, ...result });
		}
		return results;
	}
}

let sampleCounter = 0;

/** A resource as WooCommerce's wc/v3 API renders it in a webhook payload (trimmed to the fields that matter). */
function sampleWooCommerceOrder(overrides = {}) {
	const now = new Date().toISOString().slice(0, 19);
	return {
		id: 1000 + ++sampleCounter + Math.floor(Math.random() * 1e6),
		parent_id: 0,
		status: 'processing',
		currency: 'EUR',
		total: '19.99',
		date_created: now,
		date_created_gmt: now,
		date_modified: now,
		date_modified_gmt: now,
		billing: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
		line_items: [{ id: 1, name: 'Notebook', quantity: 1, total: '19.99' }],
		...overrides,
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'wooCommerce',
	port: 12121,
	create: (port) => new FakeWooCommerce({ port }),
	credentialType: 'wooCommerceVerifiedApi',
	credentialName: 'WooCommerce (local fake)',
	credential: (fake) => ({
		url: fake.url,
		consumerKey: fake.consumerKey,
		consumerSecret: fake.consumerSecret,
		signingSecrets: '',
	}),
};

module.exports = { demo, FakeWooCommerce, TOPICS, sampleWooCommerceOrder, wooCommerceSignature };
