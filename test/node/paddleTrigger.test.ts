import { PaddleVerifiedApi } from '../../credentials/PaddleVerifiedApi.credentials';
import { PaddleVerifiedTrigger } from '../../nodes/PaddleVerifiedTrigger/PaddleVerifiedTrigger.node';
import { FakePaddle, paddleSignature, samplePaddleEvent } from '../fakes/fakePaddle';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakePaddle;

beforeEach(async () => {
	fake = new FakePaddle();
	await fake.start();
	logs.length = 0;
});
afterEach(async () => fake.stop());

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
) {
	return new TriggerHarness({
		nodeType: new PaddleVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.paddleVerifiedTrigger',
		credentialType: new PaddleVerifiedApi(),
		credentials: {
			apiKey: fake.apiKey,
			environment: 'custom',
			baseUrl: fake.url,
			endpointSecretKeys: '',
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			events: ['transaction.completed', 'subscription.created'],
			options: {},
			...parameters,
		},
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: object, secret: string, timestamp?: number) {
	const text = JSON.stringify(event);
	return fakeRequest(Buffer.from(text), {
		'paddle-signature': paddleSignature(secret, text, timestamp),
	});
}

describe('Paddle Billing Verified Trigger lifecycle (n8n-core HookContext, fake Paddle API)', () => {
	it('creates one notification setting with the URL and events; the endpoint secret key is sealed', async () => {
		const trigger = harness();
		await activate(trigger);
		const [setting] = fake.activeSettings();
		expect(fake.activeSettings()).toHaveLength(1);
		expect(setting).toMatchObject({
			destination: PRODUCTION_URL,
			type: 'url',
			subscribed_events: ['subscription.created', 'transaction.completed'],
		});
		expect(setting.description).toMatch(/^n8n verified webhooks:/);
		expect(JSON.stringify(trigger.nodeStaticData)).not.toContain(setting.endpoint_secret_key);
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('subscribes to every event type for "All Events" (Paddle has no wildcard), without repairing on every check', async () => {
		const trigger = harness({ events: ['*'] });
		await activate(trigger);
		expect(fake.activeSettings()[0].subscribed_events.length).toBeGreaterThan(50);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('PATCH')).toHaveLength(0);
	});

	it('repeated create leaves one setting; delete removes it; 404 on delete is done', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeSettings()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeSettings()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeSettings()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
	});

	it('a wrong key fails activation naming the permission to grant', async () => {
		await expect(
			activate(harness({}, { apiKey: 'pdl_sdbx_apikey_example_wrong' })),
		).rejects.toMatchObject({
			description: expect.stringMatching(/Notification settings: Write/),
		});
	});
});

describe('Paddle Billing Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, secret: fake.activeSettings()[0].endpoint_secret_key as string };
	}

	it('emits one item per event_id and drops the redelivery', async () => {
		const { trigger, secret } = await active();
		const event = samplePaddleEvent('transaction.completed', { event_id: 'evt_paddle_1' });
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, secret), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			event_id: 'evt_paddle_1',
			event_type: 'transaction.completed',
			verifiedWebhook: {
				provider: 'paddle',
				eventId: 'evt_paddle_1',
				eventType: 'transaction.completed',
				notificationId: event.notification_id,
			},
		});
		const again = await trigger.webhook(delivery(event, secret), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
	});

	it('answers 401 to a forged or stale delivery and 200 without an execution to an unselected type', async () => {
		const { trigger, secret } = await active();
		const forged = new FakeResponse();
		await trigger.webhook(delivery(samplePaddleEvent(), 'pdl_ntfset_forged'), forged);
		const stale = new FakeResponse();
		await trigger.webhook(
			delivery(samplePaddleEvent(), secret, Math.floor(Date.now() / 1000) - 600),
			stale,
		);
		expect([forged.statusCode, stale.statusCode]).toEqual([401, 401]);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(samplePaddleEvent('customer.created'), secret),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
