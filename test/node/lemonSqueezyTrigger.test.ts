/**
 * Lemon Squeezy Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake Lemon Squeezy
 * API (JSON:API shapes, media-type checks and error bodies of the real one). Lemon Squeezy publishes no signer
 * or verifier, so deliveries are signed by the fake with node:crypto (hex HMAC-SHA256 of the raw body).
 */
import type { IDataObject } from 'n8n-workflow';

import { LemonSqueezyVerifiedApi } from '../../credentials/LemonSqueezyVerifiedApi.credentials';
import { LemonSqueezyVerifiedTrigger } from '../../nodes/LemonSqueezyVerifiedTrigger/LemonSqueezyVerifiedTrigger.node';
import events from '../../nodes/LemonSqueezyVerifiedTrigger/events.json';
import {
	EVENTS,
	FakeLemonSqueezy,
	lemonSqueezySignature,
	sampleLemonSqueezyEvent,
} from '../fakes/fakeLemonSqueezy';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeLemonSqueezy;

beforeEach(async () => {
	fake = new FakeLemonSqueezy();
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
		nodeType: new LemonSqueezyVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.lemonSqueezyVerifiedTrigger',
		credentialType: new LemonSqueezyVerifiedApi(),
		credentials: { apiKey: fake.apiKey, signingSecrets: '', baseUrl: fake.url, ...credentials },
		parameters: {
			registration: 'automatic',
			storeId: '12345',
			events: ['order_created', 'subscription_created'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: object, secret: string, headers: Record<string, string> = {}) {
	const text = JSON.stringify(event);
	return fakeRequest(Buffer.from(text), {
		'x-signature': lemonSqueezySignature(secret, text),
		'x-event-name': (event as { meta: { event_name: string } }).meta.event_name,
		...headers,
	});
}

describe('Lemon Squeezy Verified Trigger lifecycle (n8n-core HookContext, fake Lemon Squeezy API)', () => {
	it('creates one store webhook with the URL, the selected events and a generated secret, which is sealed', async () => {
		const trigger = harness();
		await activate(trigger);
		const webhooks = fake.activeWebhooks();
		expect(webhooks).toHaveLength(1);
		expect(webhooks[0]).toMatchObject({
			storeId: '12345',
			url: PRODUCTION_URL,
			events: ['order_created', 'subscription_created'],
			testMode: false,
		});
		expect(webhooks[0].secret).toMatch(/^[0-9a-f]{40}$/);
		expect(JSON.stringify(trigger.staticData)).not.toContain(webhooks[0].secret);
		const [create] = fake.callsTo('POST', '/v1/webhooks');
		expect(create.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST')).toHaveLength(1);
	});

	it('registers every listed event for "All Events" (no wildcard at Lemon Squeezy), in test mode when asked', async () => {
		const trigger = harness({ events: ['*'], options: { testMode: true } });
		await activate(trigger);
		const [webhook] = fake.activeWebhooks();
		expect([...webhook.events].sort()).toEqual([...EVENTS].sort());
		expect(
			events
				.filter((event) => event.value !== '*')
				.map((event) => event.value)
				.sort(),
		).toEqual([...EVENTS].sort());
		expect(webhook.testMode).toBe(true);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('PATCH')).toHaveLength(0);
	});

	it('brings the webhook to newly selected events on the next activation (PATCH, same id)', async () => {
		const staticData: IDataObject = {};
		await activate(harness({}, {}, staticData));
		const id = fake.activeWebhooks()[0].id;
		const edited = harness({ events: ['order_refunded'] }, {}, staticData);
		expect(await edited.hook('checkExists')).toBe(true);
		expect(fake.activeWebhooks()).toMatchObject([{ id, events: ['order_refunded'] }]);
		expect(fake.callsTo('PATCH')).toHaveLength(1);
	});

	it('repeated create leaves one webhook; a create that lost its id removes the leftover; delete is 404-tolerant', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		expect(fake.callsTo('DELETE')).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeWebhooks()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.callsTo('DELETE').map((call) => call.status)).toContain(404);
	});

	it('fails activation with what to change: the API key (401), the Store ID (404, or not a number), a rate limit (429)', async () => {
		await expect(activate(harness({}, { apiKey: 'ls_wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/Check the API Key .*test-mode and live-mode keys/),
		});
		await expect(activate(harness({ storeId: '999' }))).rejects.toMatchObject({
			description: expect.stringMatching(/Store 999 not found.*Check the node's Store ID/),
		});
		await expect(activate(harness({ storeId: 'my-store' }))).rejects.toMatchObject({
			message: 'Store ID must be the numeric ID of a store',
		});
		fake.failNext({ status: 429, count: 1 });
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
			delivery(sampleLemonSqueezyEvent('order_created'), 'typed-by-hand-secret'),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('Lemon Squeezy Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, secret: fake.activeWebhooks()[0].secret as string };
	}

	it('emits one item per event (name, resource, last change) and drops the retry', async () => {
		const { trigger, secret } = await active();
		const event = sampleLemonSqueezyEvent('order_created', {
			data: { id: '777', attributes: { updated_at: '2026-12-01T10:00:00.000000Z' } },
		});
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, secret), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			meta: { event_name: 'order_created' },
			data: { type: 'orders', id: '777' },
			verifiedWebhook: {
				provider: 'lemonSqueezy',
				eventId: 'order_created:orders:777:2026-12-01T10:00:00.000000Z',
				eventType: 'order_created',
				resource: 'orders',
				resourceId: '777',
				testMode: true,
			},
		});
		const again = await trigger.webhook(delivery(event, secret), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
		const changed = sampleLemonSqueezyEvent('order_refunded', {
			data: { id: '777', attributes: { updated_at: '2026-12-01T11:00:00.000000Z' } },
		});
		const otherEvent = await active();
		expect(
			(await otherEvent.trigger.webhook(delivery(changed, otherEvent.secret), new FakeResponse()))
				.workflowData,
		).toBeUndefined(); // order_refunded is not selected
	});

	it('takes the event name from the signed body, never from the unsigned X-Event-Name header', async () => {
		const { trigger, secret } = await active();
		const event = sampleLemonSqueezyEvent('order_created');
		const result = await trigger.webhook(
			delivery(event, secret, { 'x-event-name': 'subscription_created' }),
			new FakeResponse(),
		);
		expect(result.workflowData![0][0].json).toMatchObject({
			verifiedWebhook: { eventType: 'order_created' },
		});
	});

	it('answers 401 to a forged, unsigned or altered delivery, 400 to a signed body without an event name, 200 without an execution to an unselected event', async () => {
		const { trigger, secret } = await active();
		const statuses: Array<number | undefined> = [];
		for (const request of [
			delivery(sampleLemonSqueezyEvent(), 'forged-secret'),
			fakeRequest(Buffer.from(JSON.stringify(sampleLemonSqueezyEvent())), {}),
			(() => {
				const text = JSON.stringify(sampleLemonSqueezyEvent());
				return fakeRequest(Buffer.from(text.replace('1999', '1')), {
					'x-signature': lemonSqueezySignature(secret, text),
				});
			})(),
		]) {
			const response = new FakeResponse();
			const result = await trigger.webhook(request, response);
			statuses.push(response.statusCode);
			expect(result.workflowData).toBeUndefined();
		}
		expect(statuses).toEqual([401, 401, 401]);
		const nameless = JSON.stringify({ meta: {}, data: { type: 'orders', id: '1' } });
		const bad = new FakeResponse();
		await trigger.webhook(
			fakeRequest(Buffer.from(nameless), {
				'x-signature': lemonSqueezySignature(secret, nameless),
			}),
			bad,
		);
		expect(bad.statusCode).toBe(400);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleLemonSqueezyEvent('license_key_created'), secret),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
