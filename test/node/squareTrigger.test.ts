/**
 * Square Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake Square Webhook
 * Subscriptions API. Square's SDK (`square`) verifies but does not sign: deliveries are signed by the fake with
 * node:crypto and the SDK's WebhooksHelper.verifySignature is checked to accept them; the SDK's own client is run
 * against the fake, so its request and answer shapes are the ones the official client reads and writes.
 */
import type { IDataObject } from 'n8n-workflow';
import { SquareClient, WebhooksHelper } from 'square';

import { SquareVerifiedApi } from '../../credentials/SquareVerifiedApi.credentials';
import { SquareVerifiedTrigger } from '../../nodes/SquareVerifiedTrigger/SquareVerifiedTrigger.node';
import events from '../../nodes/SquareVerifiedTrigger/events.json';
import { FakeSquare, sampleSquareEvent, squareSignature } from '../fakes/fakeSquare';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeSquare;

beforeEach(async () => {
	fake = new FakeSquare();
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
		nodeType: new SquareVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.squareVerifiedTrigger',
		credentialType: new SquareVerifiedApi(),
		credentials: {
			accessToken: fake.accessToken,
			environment: 'custom',
			baseUrl: fake.url,
			signatureSecrets: '',
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			events: ['payment.updated', 'refund.created'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: object, key: string, url = PRODUCTION_URL) {
	const text = JSON.stringify(event);
	return fakeRequest(Buffer.from(text), {
		'x-square-hmacsha256-signature': squareSignature(key, url, text),
	});
}

describe('the fake Square API as the official SDK sees it', () => {
	it("square's SquareClient creates, reads, lists and deletes a subscription on the fake", async () => {
		const client = new SquareClient({ token: fake.accessToken, baseUrl: fake.url });
		const created = await client.webhooks.subscriptions.create({
			idempotencyKey: 'sdk-1',
			subscription: {
				name: 'sdk',
				eventTypes: ['payment.created'],
				notificationUrl: PRODUCTION_URL,
			},
		});
		expect(created.subscription?.signatureKey).toBeTruthy();
		const id = created.subscription!.id!;
		expect(
			(await client.webhooks.subscriptions.get({ subscriptionId: id })).subscription,
		).toMatchObject({
			id,
			eventTypes: ['payment.created'],
			notificationUrl: PRODUCTION_URL,
			enabled: true,
		});
		const listed: string[] = [];
		for await (const subscription of await client.webhooks.subscriptions.list({
			includeDisabled: true,
		}))
			listed.push(subscription.id!);
		expect(listed).toEqual([id]);
		await client.webhooks.subscriptions.delete({ subscriptionId: id });
		expect(fake.activeSubscriptions()).toHaveLength(0);
	});
});

describe('Square Verified Trigger lifecycle (n8n-core HookContext, fake Square API)', () => {
	it('creates one subscription with the URL and events; the signature key Square returns is sealed', async () => {
		const trigger = harness();
		await activate(trigger);
		const subscriptions = fake.activeSubscriptions();
		expect(subscriptions).toHaveLength(1);
		expect(subscriptions[0]).toMatchObject({
			notification_url: PRODUCTION_URL,
			enabled: true,
			event_types: ['payment.updated', 'refund.created'],
		});
		expect(subscriptions[0].name).toMatch(/^n8n verified webhooks: workflow /);
		expect(fake.callsTo('POST')[0].headers['square-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(JSON.stringify(trigger.staticData)).not.toContain(subscriptions[0].signature_key);
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('registers every listed event type for "All Events", and brings a changed or disabled subscription back with PUT', async () => {
		const staticData: IDataObject = {};
		await activate(harness({ events: ['*'] }, {}, staticData));
		const [subscription] = fake.activeSubscriptions();
		expect([...subscription.event_types].sort()).toEqual(
			events
				.map((event) => event.value)
				.filter((value) => value !== '*')
				.sort(),
		);
		expect(await harness({ events: ['*'] }, {}, staticData).hook('checkExists')).toBe(true);
		expect(fake.callsTo('PUT')).toHaveLength(0);
		subscription.enabled = false;
		expect(await harness({ events: ['order.created'] }, {}, staticData).hook('checkExists')).toBe(
			true,
		);
		expect(fake.activeSubscriptions()).toMatchObject([
			{ id: subscription.id, enabled: true, event_types: ['order.created'] },
		]);
	});

	it('repeated create leaves one subscription; a create that lost its id removes the leftover; delete is 404-tolerant', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeSubscriptions()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeSubscriptions()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeSubscriptions()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.callsTo('DELETE').map((call) => call.status)).toContain(404);
	});

	it("fails activation with what to change: the application's personal access token (401), a rate limit (429)", async () => {
		await expect(activate(harness({}, { accessToken: 'EAAA_wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/UNAUTHORIZED.*personal access token/),
		});
		fake.failNext({ status: 429, count: 1 });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeSubscriptions()).toHaveLength(0);
	});
});

describe('Square Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, key: fake.activeSubscriptions()[0].signature_key as string };
	}

	it("emits one item per event_id and drops the retry; square's WebhooksHelper accepts the same delivery", async () => {
		const { trigger, key } = await active();
		const event = sampleSquareEvent('payment.updated');
		const text = JSON.stringify(event);
		expect(
			await WebhooksHelper.verifySignature({
				requestBody: text,
				signatureHeader: squareSignature(key, PRODUCTION_URL, text),
				signatureKey: key,
				notificationUrl: PRODUCTION_URL,
			}),
		).toBe(true);
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, key), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			event_id: event.event_id,
			type: 'payment.updated',
			verifiedWebhook: {
				provider: 'square',
				eventId: event.event_id,
				eventType: 'payment.updated',
				merchantId: 'MLEFBHHSJGVHD',
				objectId: event.data.id,
			},
		});
		const again = await trigger.webhook(delivery(event, key), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
	});

	it('answers 401 to a signature over another URL, another key, the legacy SHA-1 header alone, or altered bytes', async () => {
		const { trigger, key } = await active();
		const text = JSON.stringify(sampleSquareEvent());
		const statuses: Array<number | undefined> = [];
		for (const request of [
			delivery(sampleSquareEvent(), key, PRODUCTION_URL.replace('/webhook/', '/webhook-test/')),
			delivery(sampleSquareEvent(), 'another-key'),
			fakeRequest(Buffer.from(text), { 'x-square-signature': 'c2hhMQ==' }),
			fakeRequest(Buffer.from(text.replace('1999', '1')), {
				'x-square-hmacsha256-signature': squareSignature(key, PRODUCTION_URL, text),
			}),
		]) {
			const response = new FakeResponse();
			expect((await trigger.webhook(request, response)).workflowData).toBeUndefined();
			statuses.push(response.statusCode);
		}
		expect(statuses).toEqual([401, 401, 401, 401]);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleSquareEvent('customer.created'), key),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
