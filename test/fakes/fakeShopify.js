'use strict';
/**
 * A fake Shopify Admin GraphQL API (webhook subscriptions only) on 127.0.0.1. It recognises the operations
 * this package sends by their root field rather than executing GraphQL. Deliveries are signed with
 * `getHmac` from @shopify/shopify-api's test helpers and the app's client secret, as Shopify does.
 */
const { randomBytes, randomUUID } = require('node:crypto');

require('@shopify/shopify-api/adapters/node');
const { getHmac } = require('@shopify/shopify-api/test-helpers');

const { FakeProviderServer } = require('./fakeHttp');

class FakeShopify extends FakeProviderServer {
	constructor({
		accessToken = 'shpat_fake_token_for_loopback_only',
		clientSecret = 'shpss_fake_client_secret',
		shopDomain = 'verified-test.myshopify.com',
		port = 0,
	} = {}) {
		super({ port });
		this.accessToken = accessToken;
		this.clientSecret = clientSecret;
		this.shopDomain = shopDomain;
		this.subscriptions = new Map();
		this.nextId = 1;
	}

	faultResponse(status) {
		return {
			status,
			body: { errors: status >= 500 ? 'Internal Server Error' : `Injected failure ${status}` },
		};
	}

	activeSubscriptions() {
		return [...this.subscriptions.values()];
	}

	view(subscription) {
		return {
			id: subscription.id,
			topic: subscription.topic,
			endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: subscription.callbackUrl },
		};
	}

	async handle(call) {
		if (!/^\/admin\/api\/[^/]+\/graphql\.json$/.test(call.path))
			return { status: 404, body: { errors: 'Not Found' } };
		if (call.headers['x-shopify-access-token'] !== this.accessToken) {
			return {
				status: 401,
				body: {
					errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
				},
			};
		}
		const { query = '', variables = {} } = JSON.parse(call.raw || '{}');
		if (query.includes('webhookSubscriptionCreate')) {
			const url = variables.sub?.callbackUrl;
			if (!/^[A-Z_]+$/.test(variables.topic ?? ''))
				return {
					status: 200,
					body: {
						errors: [
							{
								message: `Variable $topic of type WebhookSubscriptionTopic! was provided invalid value`,
							},
						],
					},
				};
			const taken = this.activeSubscriptions().some(
				(s) => s.topic === variables.topic && s.callbackUrl === url,
			);
			if (taken)
				return {
					status: 200,
					body: {
						data: {
							webhookSubscriptionCreate: {
								webhookSubscription: null,
								userErrors: [
									{
										field: ['webhookSubscription', 'callbackUrl'],
										message: 'Address for this topic has already been taken',
									},
								],
							},
						},
					},
				};
			const subscription = {
				id: `gid://shopify/WebhookSubscription/${this.nextId++}`,
				topic: variables.topic,
				callbackUrl: url,
				format: variables.sub?.format ?? 'JSON',
			};
			this.subscriptions.set(subscription.id, subscription);
			return {
				status: 200,
				body: {
					data: {
						webhookSubscriptionCreate: {
							webhookSubscription: this.view(subscription),
							userErrors: [],
						},
					},
				},
			};
		}
		if (query.includes('webhookSubscriptionDelete')) {
			if (!this.subscriptions.delete(variables.id)) {
				return {
					status: 200,
					body: {
						data: {
							webhookSubscriptionDelete: {
								deletedWebhookSubscriptionId: null,
								userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }],
							},
						},
					},
				};
			}
			return {
				status: 200,
				body: {
					data: {
						webhookSubscriptionDelete: {
							deletedWebhookSubscriptionId: variables.id,
							userErrors: [],
						},
					},
				},
			};
		}
		if (query.includes('webhookSubscriptions(')) {
			const edges = this.activeSubscriptions()
				.filter((s) => !variables.url || s.callbackUrl === variables.url)
				.map((s) => ({ node: this.view(s) }));
			return { status: 200, body: { data: { webhookSubscriptions: { edges } } } };
		}
		if (query.includes('nodes(ids')) {
			return {
				status: 200,
				body: {
					data: {
						nodes: (variables.ids ?? []).map((id) =>
							this.subscriptions.has(id) ? this.view(this.subscriptions.get(id)) : null,
						),
					},
				},
			};
		}
		if (query.includes('shop'))
			return { status: 200, body: { data: { shop: { name: 'Verified Test' } } } };
		return { status: 200, body: { errors: [{ message: 'unsupported operation in the fake' }] } };
	}

	/**
	 * Delivers `payload` for `topic` (e.g. orders/create) to every subscription of it, like Shopify: the
	 * same X-Shopify-Event-Id on every retry, a new X-Shopify-Webhook-Id per delivery.
	 */
	async deliver(topic, payload, options = {}) {
		const text = JSON.stringify(payload);
		const eventId = options.eventId ?? randomUUID();
		const results = [];
		for (const subscription of this.subscriptions.values()) {
			if (subscription.topic !== topic.replace(/\//g, '_').toUpperCase()) continue;
			const headers = {
				'content-type': 'application/json',
				'x-shopify-topic': topic,
				'x-shopify-shop-domain': this.shopDomain,
				'x-shopify-api-version': '2025-07',
				'x-shopify-webhook-id': randomUUID(),
				'x-shopify-event-id': eventId,
				'x-shopify-triggered-at': new Date().toISOString(),
			};
			const hmac =
				options.hmac !== undefined
					? options.hmac
					: getHmac(text, options.secret ?? this.clientSecret);
			if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac;
			results.push({
				subscriptionId: subscription.id,
				eventId,
				...(await this.post(
					subscription.callbackUrl,
					options.tamper ? options.tamper(text) : text,
					headers,
				)),
			});
		}
		return results;
	}
}

function sampleOrder() {
	return {
		id: Number(`82${randomBytes(3).readUIntBE(0, 3)}`),
		name: '#1001',
		total_price: '19.99',
		currency: 'USD',
		line_items: [{ title: 'Sticker', quantity: 1 }],
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'shopify',
	port: 12114,
	create: (port) => new FakeShopify({ port }),
	credentialType: 'shopifyVerifiedApi',
	credentialName: 'Shopify (local fake)',
	credential: (fake) => ({
		shopDomain: fake.shopDomain,
		accessToken: fake.accessToken,
		clientSecret: fake.clientSecret,
		previousClientSecret: '',
		apiBaseUrl: fake.url,
	}),
};

module.exports = { demo, FakeShopify, sampleOrder };
