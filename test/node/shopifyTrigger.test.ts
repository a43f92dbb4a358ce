import { getHmac } from '@shopify/shopify-api/test-helpers';

import { ShopifyVerifiedApi } from '../../credentials/ShopifyVerifiedApi.credentials';
import { ShopifyVerifiedTrigger } from '../../nodes/ShopifyVerifiedTrigger/ShopifyVerifiedTrigger.node';
import { FakeShopify, sampleOrder } from '../fakes/fakeShopify';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeShopify;

beforeEach(async () => {
	fake = new FakeShopify();
	await fake.start();
	logs.length = 0;
});
afterEach(async () => fake.stop());

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
) {
	return new TriggerHarness({
		nodeType: new ShopifyVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.shopifyVerifiedTrigger',
		credentialType: new ShopifyVerifiedApi(),
		credentials: {
			shopDomain: fake.shopDomain,
			accessToken: fake.accessToken,
			clientSecret: fake.clientSecret,
			previousClientSecret: '',
			apiBaseUrl: fake.url,
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			topics: ['orders/create', 'draft_orders/update'],
			options: {},
			...parameters,
		},
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(topic: string, payload: object, secret: string, eventId = 'ev-1') {
	const text = JSON.stringify(payload);
	return fakeRequest(Buffer.from(text), {
		'x-shopify-topic': topic,
		'x-shopify-event-id': eventId,
		'x-shopify-webhook-id': `wh-${Math.random()}`,
		'x-shopify-hmac-sha256': getHmac(text, secret),
	});
}

describe('Shopify Verified Trigger lifecycle (n8n-core HookContext, fake GraphQL API)', () => {
	it('subscribes each topic once with the production URL; checkExists then finds them', async () => {
		const trigger = harness();
		await activate(trigger);
		expect(
			fake
				.activeSubscriptions()
				.map((s) => [s.topic, s.callbackUrl, s.format])
				.sort(),
		).toEqual([
			['DRAFT_ORDERS_UPDATE', PRODUCTION_URL, 'JSON'],
			['ORDERS_CREATE', PRODUCTION_URL, 'JSON'],
		]);
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('repeated create and a lost id never duplicate a subscription', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		await harness().hook('create');
		expect(fake.activeSubscriptions()).toHaveLength(2);
	});

	it('a changed topic list is repaired in place (one subscription added, one removed)', async () => {
		const trigger = harness();
		await activate(trigger);
		const changed = new TriggerHarness({
			...(trigger as unknown as { options: ConstructorParameters<typeof TriggerHarness>[0] })
				.options,
			parameters: {
				registration: 'automatic',
				topics: ['orders/create', 'orders/paid'],
				options: {},
			},
			staticData: trigger.staticData,
		});
		expect(await changed.hook('checkExists')).toBe(true);
		expect(
			fake
				.activeSubscriptions()
				.map((s) => s.topic)
				.sort(),
		).toEqual(['ORDERS_CREATE', 'ORDERS_PAID']);
		expect(String(changed.nodeStaticData.endpointId).split(' ')).toHaveLength(2);
	});

	it('delete removes every subscription, and a second delete is fine', async () => {
		const trigger = harness();
		await activate(trigger);
		await trigger.hook('delete');
		expect(fake.activeSubscriptions()).toHaveLength(0);
		await expect(harness().hook('delete')).resolves.toBe(true);
	});

	it('a wrong token fails activation with a readable message', async () => {
		await expect(
			activate(harness({}, { accessToken: 'shpat_example_wrong' })),
		).rejects.toMatchObject({
			description: expect.stringMatching(
				/Invalid API key or access token.*Check the Admin API access token/,
			),
		});
	});
});

describe('Shopify Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	it('emits one item per X-Shopify-Event-Id and drops a retry of the same event', async () => {
		const trigger = harness();
		const order = sampleOrder();
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery('orders/create', order, fake.clientSecret, 'ev-42'),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			id: order.id,
			verifiedWebhook: { provider: 'shopify', eventId: 'ev-42', eventType: 'orders/create' },
		});
		const retry = await trigger.webhook(
			delivery('orders/create', order, fake.clientSecret, 'ev-42'),
			new FakeResponse(),
		);
		expect(retry.workflowData).toBeUndefined();
	});

	it('answers 401 (never a silent 200) to a forged delivery, and accepts the previous client secret', async () => {
		const forged = new FakeResponse();
		await harness().webhook(delivery('orders/create', sampleOrder(), 'shpss_forged'), forged);
		expect(forged.statusCode).toBe(401);
		const rotated = harness(
			{},
			{ clientSecret: 'shpss_new', previousClientSecret: fake.clientSecret },
		);
		const response = new FakeResponse();
		await rotated.webhook(
			delivery('orders/create', sampleOrder(), fake.clientSecret, 'ev-77'),
			response,
		);
		expect(response.statusCode).toBe(200);
	});
});
