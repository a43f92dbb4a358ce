/**
 * WooCommerce Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake WooCommerce REST
 * API (WordPress error bodies, Basic auth, the creation ping, one webhook per topic). WooCommerce publishes no
 * signing library (it is PHP): deliveries are signed by the fake with node:crypto, and that signer is checked
 * against providers.md's known-answer vector here.
 */
import type { IDataObject } from 'n8n-workflow';

import { WooCommerceVerifiedApi } from '../../credentials/WooCommerceVerifiedApi.credentials';
import { WooCommerceVerifiedTrigger } from '../../nodes/WooCommerceVerifiedTrigger/WooCommerceVerifiedTrigger.node';
import events from '../../nodes/WooCommerceVerifiedTrigger/events.json';
import {
	FakeWooCommerce,
	TOPICS,
	sampleWooCommerceOrder,
	wooCommerceSignature,
} from '../fakes/fakeWooCommerce';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeWooCommerce;

beforeEach(async () => {
	fake = new FakeWooCommerce();
	await fake.start();
	logs.length = 0;
});
afterEach(async () => fake.stop());

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
	staticData?: IDataObject,
) {
	return new TriggerHarness({
		nodeType: new WooCommerceVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.wooCommerceVerifiedTrigger',
		credentialType: new WooCommerceVerifiedApi(),
		credentials: {
			url: fake.url,
			consumerKey: fake.consumerKey,
			consumerSecret: fake.consumerSecret,
			signingSecrets: '',
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			events: ['order.created', 'order.updated'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(
	topic: string,
	payload: object,
	secret: string,
	headers: Record<string, string> = {},
) {
	const text = JSON.stringify(payload);
	return fakeRequest(Buffer.from(text), {
		'x-wc-webhook-topic': topic,
		'x-wc-webhook-id': '21',
		'x-wc-webhook-signature': wooCommerceSignature(secret, text),
		...headers,
	});
}

const secretOf = (topic: string) =>
	fake.activeWebhooks().find((webhook) => webhook.topic === topic)?.secret as string;

describe('the fake WooCommerce signer', () => {
	it("reproduces providers.md's known-answer vector (no official signer exists)", () => {
		const body = '{"id":"evt_test_1","type":"test.event","data":{"amount":1999}}';
		expect(wooCommerceSignature('wc_test_secret', body)).toBe(
			'3eFG0Ts26tOmugIBstAnEIU6WIXVuZgO4NEDm6X/tKE=',
		);
	});
});

describe('WooCommerce Verified Trigger lifecycle (n8n-core HookContext, fake WooCommerce API)', () => {
	it('creates one webhook per topic with the URL, our name and a per-topic secret derived from a sealed one', async () => {
		const trigger = harness();
		await activate(trigger);
		const webhooks = fake.activeWebhooks();
		expect(webhooks.map((webhook) => webhook.topic).sort()).toEqual([
			'order.created',
			'order.updated',
		]);
		for (const webhook of webhooks) {
			expect(webhook).toMatchObject({ deliveryUrl: PRODUCTION_URL, status: 'active' });
			expect(webhook.name).toBe(`n8n Verified Webhooks: ${webhook.topic}`);
			expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
			expect(JSON.stringify(trigger.staticData)).not.toContain(webhook.secret);
		}
		expect(secretOf('order.created')).not.toBe(secretOf('order.updated'));
		expect(trigger.nodeStaticData.endpointId).toBe(
			webhooks.map((webhook) => String(webhook.id)).join(' '),
		);
		expect(fake.callsTo('POST')[0].headers.authorization).toMatch(/^Basic /);
		// WooCommerce pinged each new webhook (nothing listens in this test: status 0).
		expect(fake.pings.map((ping) => ping.webhookId)).toEqual(webhooks.map((webhook) => webhook.id));
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST')).toHaveLength(2);
	});

	it('registers every listed topic for "All Events" (WooCommerce has no wildcard)', async () => {
		const trigger = harness({ events: ['*'] });
		await activate(trigger);
		expect(
			fake
				.activeWebhooks()
				.map((webhook) => webhook.topic)
				.sort(),
		).toEqual([...TOPICS].sort());
		expect(
			events
				.filter((event) => event.value !== '*')
				.map((event) => event.value)
				.sort(),
		).toEqual([...TOPICS].sort());
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST')).toHaveLength(TOPICS.length);
	});

	it('on the next activation adds and removes topics, re-enables a disabled webhook and keeps the others', async () => {
		const staticData: IDataObject = {};
		await activate(harness({}, {}, staticData));
		const [created, updated] = ['order.created', 'order.updated'].map(
			(topic) => fake.activeWebhooks().find((webhook) => webhook.topic === topic)!,
		);
		created.status = 'disabled'; // WooCommerce disables a webhook after repeated failed deliveries.
		const edited = harness({ events: ['order.created', 'product.created'] }, {}, staticData);
		expect(await edited.hook('checkExists')).toBe(true);
		const now = fake.activeWebhooks();
		expect(now.map((webhook) => webhook.topic).sort()).toEqual([
			'order.created',
			'product.created',
		]);
		expect(now.find((webhook) => webhook.id === created.id)?.status).toBe('active');
		expect(now.some((webhook) => webhook.id === updated.id)).toBe(false);
		expect(edited.nodeStaticData.endpointId).toBe(
			`${created.id} ${now.find((webhook) => webhook.topic === 'product.created')!.id}`,
		);
		// The added topic's secret derives from the stored secret like the others: deliveries verify.
		const response = new FakeResponse();
		const result = await edited.webhook(
			delivery(
				'product.created',
				{ id: 5, date_modified_gmt: '2026-12-01T10:00:00' },
				secretOf('product.created'),
			),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('repeated create leaves one set; a create that lost its ids removes ours by name and leaves a foreign webhook alone', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(2);
		fake.webhooks.set(99, {
			id: 99,
			name: 'Made by hand',
			status: 'active',
			topic: 'order.created',
			deliveryUrl: PRODUCTION_URL,
			secret: 'x',
			failures: 0,
			created: '',
			modified: '',
		});
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeWebhooks().map((webhook) => webhook.id)).toContain(99);
		expect(fake.activeWebhooks()).toHaveLength(3);
		expect(logs.some((line) => /was not created by this node/.test(line.message))).toBe(true);
		await lost.hook('delete');
		await expect(trigger.hook('delete')).resolves.toBe(true);
	});

	it('a create whose first webhook was made but whose answer was lost leaves exactly one set after the retry', async () => {
		const trigger = harness();
		fake.failNext({ method: 'POST', status: 500, count: 1, after: true });
		await expect(trigger.hook('create')).rejects.toThrow();
		await trigger.hook('create');
		expect(
			fake
				.activeWebhooks()
				.map((webhook) => webhook.topic)
				.sort(),
		).toEqual(['order.created', 'order.updated']);
		expect(fake.callsTo('DELETE')).toHaveLength(1);
	});

	it('delete removes every webhook with force=true and treats 404 as done', async () => {
		const staticData: IDataObject = {};
		const trigger = harness({}, {}, staticData);
		await activate(trigger);
		const [first] = fake.activeWebhooks();
		fake.webhooks.delete(first.id);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.activeWebhooks()).toHaveLength(0);
		const deletes = fake.callsTo('DELETE');
		expect(deletes.every((call) => call.query.force === 'true')).toBe(true);
		expect(deletes.map((call) => call.status)).toContain(404);
	});

	it('fails activation with what to change: the keys (401), the Store URL (404, or not a URL), a server error', async () => {
		await expect(activate(harness({}, { consumerSecret: 'cs_wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(
				/Check the Consumer Key and Consumer Secret .*Read\/Write/,
			),
		});
		await expect(activate(harness({}, { url: `${fake.url}/shop` }))).rejects.toMatchObject({
			description: expect.stringMatching(/rest_no_route.*check the URL/),
		});
		await expect(activate(harness({}, { url: 'shop.example.com' }))).rejects.toMatchObject({
			message: "The WooCommerce credential's Store URL is not a web address",
		});
		fake.failNext({ status: 503, count: 1 });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeWebhooks()).toHaveLength(0);
	});

	it('registers nothing in manual mode and verifies with the credential secrets', async () => {
		const trigger = harness({ registration: 'manual' }, { signingSecrets: 'typed-by-hand-secret' });
		await activate(trigger);
		expect(fake.calls).toHaveLength(0);
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery('order.created', sampleWooCommerceOrder(), 'typed-by-hand-secret'),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('WooCommerce Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return trigger;
	}

	it('answers the unsigned creation ping 200 without an execution, and nothing else that is unsigned', async () => {
		const trigger = await active();
		const ping = new FakeResponse();
		const result = await trigger.webhook(
			fakeRequest(Buffer.from('webhook_id=21'), {
				'content-type': 'application/x-www-form-urlencoded',
			}),
			ping,
		);
		expect([ping.statusCode, result.workflowData]).toEqual([200, undefined]);
		expect(ping.body).toEqual({ received: true, ignored: 'woocommerce ping' });
		for (const body of ['webhook_id=21&x=1', 'webhook_id=' + '1'.repeat(80), '{"webhook_id":21}']) {
			const response = new FakeResponse();
			const other = await trigger.webhook(
				fakeRequest(Buffer.from(body), { 'x-wc-webhook-topic': 'order.created' }),
				response,
			);
			expect([response.statusCode, other.workflowData]).toEqual([401, undefined]);
		}
	});

	it('emits one item per change (topic, id, modification time) and drops the same change sent again', async () => {
		const trigger = await active();
		const order = sampleWooCommerceOrder({ id: 777, date_modified_gmt: '2026-12-01T10:00:00' });
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery('order.created', order, secretOf('order.created')),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			id: 777,
			verifiedWebhook: {
				provider: 'wooCommerce',
				eventId: 'order.created:777:2026-12-01T10:00:00',
				eventType: 'order.created',
				resource: 'order',
				event: 'created',
				resourceId: '777',
			},
		});
		const again = await trigger.webhook(
			delivery('order.created', order, secretOf('order.created')),
			new FakeResponse(),
		);
		expect(again.workflowData).toBeUndefined();
		const later = await trigger.webhook(
			delivery(
				'order.updated',
				{ ...order, date_modified_gmt: '2026-12-01T10:05:00' },
				secretOf('order.updated'),
			),
			new FakeResponse(),
		);
		expect(later.workflowData?.[0]).toHaveLength(1);
	});

	it('refuses a captured delivery replayed under another topic: each topic has its own secret', async () => {
		const trigger = await active();
		const order = sampleWooCommerceOrder();
		const text = JSON.stringify(order);
		const signature = wooCommerceSignature(secretOf('order.created'), text);
		const replay = new FakeResponse();
		const result = await trigger.webhook(
			fakeRequest(Buffer.from(text), {
				'x-wc-webhook-topic': 'order.updated',
				'x-wc-webhook-signature': signature,
			}),
			replay,
		);
		expect([replay.statusCode, result.workflowData]).toEqual([401, undefined]);
		// The same bytes with their own topic are genuine.
		const genuine = new FakeResponse();
		await trigger.webhook(
			fakeRequest(Buffer.from(text), {
				'x-wc-webhook-topic': 'order.created',
				'x-wc-webhook-signature': signature,
			}),
			genuine,
		);
		expect(genuine.statusCode).toBe(200);
	});

	it('answers 401 to a forged, unsigned or altered delivery, 400 to a signed body without a topic, 200 without an execution to an unselected topic', async () => {
		const trigger = await active();
		const secret = secretOf('order.created');
		const statuses: Array<number | undefined> = [];
		const text = JSON.stringify(sampleWooCommerceOrder());
		for (const request of [
			delivery('order.created', sampleWooCommerceOrder(), 'forged-secret'),
			fakeRequest(Buffer.from(text), { 'x-wc-webhook-topic': 'order.created' }),
			fakeRequest(Buffer.from(text.replace('19.99', '0.01')), {
				'x-wc-webhook-topic': 'order.created',
				'x-wc-webhook-signature': wooCommerceSignature(secret, text),
			}),
		]) {
			const response = new FakeResponse();
			const result = await trigger.webhook(request, response);
			statuses.push(response.statusCode);
			expect(result.workflowData).toBeUndefined();
		}
		expect(statuses).toEqual([401, 401, 401]);
		const configured = harness({}, { signingSecrets: 'hand-made' });
		await configured.hook('create');
		const topicless = new FakeResponse();
		await configured.webhook(
			fakeRequest(Buffer.from(text), {
				'x-wc-webhook-signature': wooCommerceSignature('hand-made', text),
			}),
			topicless,
		);
		expect(topicless.statusCode).toBe(400);
		const unselected = new FakeResponse();
		const result = await configured.webhook(
			delivery('product.created', { id: 1 }, 'hand-made'),
			unselected,
		);
		expect([unselected.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
