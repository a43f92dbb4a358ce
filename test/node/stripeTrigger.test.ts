import Stripe from 'stripe';
import { sleep } from 'n8n-workflow';

import { StripeVerifiedApi } from '../../credentials/StripeVerifiedApi.credentials';
import { StripeVerifiedTrigger } from '../../nodes/StripeVerifiedTrigger/StripeVerifiedTrigger.node';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';
import { claimRemoval, removeNow, waitingRemovals } from '../../nodes/shared/pendingRemoval';

const stripe = new Stripe('sk_test_unused');
const API_KEY = 'sk_test_fake_key_for_loopback_only';
const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
const TEST_URL = 'http://127.0.0.1:5678/webhook-test/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';

let fake: FakeStripe;

beforeEach(async () => {
	fake = new FakeStripe({ apiKey: API_KEY });
	await fake.start();
	logs.length = 0;
});

afterEach(async () => {
	await fake.stop();
});

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
) {
	return new TriggerHarness({
		nodeType: new StripeVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
		credentialType: new StripeVerifiedApi(),
		credentials: { secretKey: API_KEY, baseUrl: fake.url, signingSecrets: '', ...credentials },
		parameters: {
			registration: 'automatic',
			events: ['payment_intent.succeeded', 'charge.refunded'],
			options: {},
			...parameters,
		},
	});
}

/** Activation as n8n does it: checkExists, then create when it said false. */
async function activate(trigger: TriggerHarness, isTest = false) {
	const options = isTest ? { mode: 'manual' as const, activation: 'manual' as const, isTest } : {};
	if (!(await trigger.hook('checkExists', options))) await trigger.hook('create', options);
}

function secretOf(endpointId: string): string {
	return fake.endpoints.get(endpointId).secret;
}

function delivery(
	event: object,
	secret: string,
	options: { timestamp?: number; tamper?: (s: string) => string } = {},
) {
	const payload = JSON.stringify(event);
	const header = stripe.webhooks.generateTestHeaderString({
		payload,
		secret,
		timestamp: options.timestamp,
	});
	const bytes = Buffer.from(options.tamper ? options.tamper(payload) : payload);
	return fakeRequest(bytes, { 'stripe-signature': header });
}

describe('Stripe Verified Trigger lifecycle (real n8n-core HookContext, fake Stripe API)', () => {
	it('create registers one endpoint with the production URL, the events and an ownership marker', async () => {
		const trigger = harness();
		await activate(trigger);
		const endpoints = fake.activeEndpoints();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0]).toMatchObject({
			url: PRODUCTION_URL,
			enabled_events: ['charge.refunded', 'payment_intent.succeeded'],
			metadata: { n8n_verified_webhooks: '1', n8n_workflow_id: 'wf-1' },
		});
		expect(endpoints[0].description).toContain('Test workflow');
		expect(trigger.nodeStaticData.endpointId).toBe(endpoints[0].id);
	});

	it('does not keep the signing secret in plaintext in static data', async () => {
		const trigger = harness();
		await activate(trigger);
		const secret = secretOf(trigger.nodeStaticData.endpointId as string);
		const json = JSON.stringify(trigger.nodeStaticData);
		expect(json).not.toContain(secret);
		expect(json).not.toContain(secret.slice('whsec_'.length, 20));
		expect(trigger.nodeStaticData.sealedSecret).toMatch(/^s1\./);
	});

	it('repeated create (n8n retries activation) leaves exactly one endpoint', async () => {
		const trigger = harness();
		for (let i = 0; i < 5; i++) await trigger.hook('create');
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect(
			fake.callsTo('POST').filter((call) => call.path === '/v1/webhook_endpoints'),
		).toHaveLength(1);
	});

	it('create removes a leftover endpoint of ours whose id was never stored, and keeps foreign ones', async () => {
		const first = harness();
		await first.hook('create');
		const foreignId = 'we_foreign';
		fake.endpoints.set(foreignId, { ...fake.activeEndpoints()[0], id: foreignId, metadata: {} });
		const retry = harness(); // fresh static data: the earlier attempt's id was lost
		await retry.hook('create');
		const ids = fake.activeEndpoints().map((endpoint: { id: string }) => endpoint.id);
		expect(ids).toHaveLength(2);
		expect(ids).toContain(foreignId);
		expect(ids).toContain(retry.nodeStaticData.endpointId);
		expect(ids).not.toContain(first.nodeStaticData.endpointId);
		expect(logs.some((line) => line.level === 'warn' && line.message.includes(foreignId))).toBe(
			true,
		);
	});

	it('checkExists is true for a healthy endpoint and false once it was deleted at Stripe', async () => {
		const trigger = harness();
		await activate(trigger);
		expect(await trigger.hook('checkExists')).toBe(true);
		fake.endpoints.clear();
		expect(await trigger.hook('checkExists')).toBe(false);
		expect(trigger.nodeStaticData.endpointId).toBeUndefined();
	});

	it('checkExists repairs changed events and a disabled endpoint instead of re-creating', async () => {
		const trigger = harness();
		await activate(trigger);
		const endpoint = fake.activeEndpoints()[0];
		endpoint.enabled_events = ['charge.refunded'];
		endpoint.status = 'disabled';
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(endpoint.enabled_events).toEqual(['charge.refunded', 'payment_intent.succeeded']);
		expect(endpoint.status).toBe('enabled');
		expect(fake.activeEndpoints()).toHaveLength(1);
	});

	it('checkExists is false when the API key changed (the sealed secret cannot be opened), and create replaces the endpoint', async () => {
		const trigger = harness();
		await activate(trigger);
		const oldId = trigger.nodeStaticData.endpointId;
		const rotated = new TriggerHarness({
			nodeType: new StripeVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
			credentialType: new StripeVerifiedApi(),
			credentials: { secretKey: 'sk_test_rotated', baseUrl: fake.url },
			parameters: {
				registration: 'automatic',
				events: ['charge.refunded', 'payment_intent.succeeded'],
				options: {},
			},
			staticData: trigger.staticData,
		});
		fake.apiKey = 'sk_test_rotated';
		expect(await rotated.hook('checkExists')).toBe(false);
		await rotated.hook('create');
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect(rotated.nodeStaticData.endpointId).not.toBe(oldId);
	});

	it('delete removes the endpoint and the stored keys', async () => {
		const trigger = harness();
		await activate(trigger);
		await trigger.hook('delete', { mode: 'internal', activation: 'update' });
		expect(fake.activeEndpoints()).toHaveLength(0);
		expect(trigger.nodeStaticData).not.toHaveProperty('endpointId');
		expect(trigger.nodeStaticData).not.toHaveProperty('sealedSecret');
	});

	it('delete treats a 404 (already gone) as done', async () => {
		const trigger = harness();
		await activate(trigger);
		fake.endpoints.clear();
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(trigger.nodeStaticData).not.toHaveProperty('endpointId');
	});

	it("delete with nothing stored (a create that failed early) lists the URL's endpoints and deletes none that is not there", async () => {
		await expect(harness().hook('delete')).resolves.toBe(true);
		expect(
			fake.calls.map((call: { method: string; path: string }) => `${call.method} ${call.path}`),
		).toEqual(['GET /v1/webhook_endpoints']);
	});

	it('delete removes the endpoint that an attempt created at Stripe but never heard back about (no id stored)', async () => {
		const trigger = harness();
		fake.failNext({ method: 'POST', path: '/v1/webhook_endpoints', status: 500, after: true });
		await expect(trigger.hook('create')).rejects.toThrow();
		expect(fake.activeEndpoints()).toHaveLength(1);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.activeEndpoints()).toHaveLength(0);
	});

	it('a list answered 200 with an empty or non-JSON body fails the attempt instead of counting as "nothing there"', async () => {
		for (const body of ['', 'not json', '{"object":"list"}']) {
			const trigger = harness();
			fake.failNext({ method: 'POST', path: '/v1/webhook_endpoints', status: 500, after: true });
			await expect(trigger.hook('create')).rejects.toThrow();
			fake.failNext({ method: 'GET', path: '/v1/webhook_endpoints', status: 200, body });
			await expect(trigger.hook('create')).rejects.toThrow(/not a list/);
			await expect(trigger.hook('create')).resolves.toBe(true);
			expect(fake.activeEndpoints()).toHaveLength(1);
			await trigger.hook('delete');
			expect(fake.activeEndpoints()).toHaveLength(0);
		}
	});

	it('delete retries a 500 and succeeds when Stripe recovers', async () => {
		const trigger = harness();
		await activate(trigger);
		fake.failNext({ status: 500, method: 'DELETE', count: 2 });
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.activeEndpoints()).toHaveLength(0);
		expect(fake.callsTo('DELETE')).toHaveLength(3);
	});

	it('delete that keeps failing with a 500 logs, throws and keeps the id for the next activation', async () => {
		const trigger = harness();
		await activate(trigger);
		fake.failNext({ status: 500, method: 'DELETE', count: 3 });
		await expect(trigger.hook('delete')).rejects.toThrow(/Stripe refused DELETE/);
		expect(trigger.nodeStaticData.endpointId).toBeDefined();
		expect(
			logs.some((line) => line.level === 'error' && line.message.includes('could not be removed')),
		).toBe(true);
		// Re-activation reuses it instead of leaving an orphan.
		await activate(trigger);
		expect(fake.activeEndpoints()).toHaveLength(1);
	});

	it('a 500 on create fails activation with a message that says what to do', async () => {
		const trigger = harness();
		fake.failNext({ status: 500, method: 'POST', path: '/v1/webhook_endpoints' });
		const failure = activate(trigger);
		await expect(failure).rejects.toThrow(/Stripe refused POST \/v1\/webhook_endpoints \(500\)/);
		await activate(trigger).catch(() => undefined);
		expect(fake.activeEndpoints()).toHaveLength(1);
	});

	it('a wrong API key fails activation naming the credential, without the key in the error', async () => {
		const rejected = 'sk_test_example_rejected';
		const trigger = harness({}, { secretKey: rejected });
		let caught: unknown;
		try {
			await activate(trigger);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeDefined();
		const text =
			JSON.stringify(caught, Object.getOwnPropertyNames(caught as object)) +
			String((caught as Error).message);
		expect(text).toMatch(/401/);
		expect((caught as { description?: string }).description).toMatch(/Secret Key/);
		expect(text).not.toContain(rejected);
	});

	it('an unreachable API fails activation with a clear message', async () => {
		const trigger = harness({}, { baseUrl: 'http://127.0.0.1:9' });
		await expect(activate(trigger)).rejects.toThrow(
			/Could not reach Stripe at http:\/\/127\.0\.0\.1:9/,
		);
	});

	it('test mode registers a temporary endpoint at the test URL and removes it afterwards', async () => {
		const production = harness();
		await activate(production);
		const test = harness();
		await activate(test, true);
		const urls = fake
			.activeEndpoints()
			.map((endpoint: { url: string }) => endpoint.url)
			.sort();
		expect(urls).toEqual([PRODUCTION_URL, TEST_URL].sort());
		await test.hook('delete', { mode: 'internal', activation: 'update', isTest: true });
		expect(fake.activeEndpoints().map((endpoint: { url: string }) => endpoint.url)).toEqual([
			PRODUCTION_URL,
		]);
	});

	it('manual registration calls no API', async () => {
		const trigger = harness({ registration: 'manual' }, { signingSecrets: 'whsec_by_hand' });
		await activate(trigger);
		await trigger.hook('delete');
		expect(fake.calls).toHaveLength(0);
	});

	it('manual registration without a signing secret fails activation with what to change, and calls no API', async () => {
		for (const signingSecrets of ['', '  ']) {
			const trigger = harness({ registration: 'manual' }, { signingSecrets });
			await expect(activate(trigger)).rejects.toMatchObject({
				message:
					'The credential holds no Stripe signing secret: put it into the credential, or set Registration to Automatic',
				description: expect.stringMatching(
					/Registration is Manual.*every delivery would be refused \(401\).*or set Registration to Automatic/,
				),
			});
		}
		expect(fake.calls).toHaveLength(0);
	});

	it('automatic registration of a URL on this machine activates, with a warning that says how to fix it', async () => {
		logs.length = 0;
		await activate(harness());
		expect(logs.map((line) => line.message)).toContainEqual(
			expect.stringMatching(/cannot reach from the internet\. Set n8n's WEBHOOK_URL/),
		);
	});
});

describe('Stripe Verified Trigger across edits of the active workflow (delete, then checkExists/create)', () => {
	/** n8n publishing an edit: delete (the removal waits its grace), then activation with the new settings. */
	async function publishEdit(trigger: TriggerHarness, edit: () => void) {
		await trigger.hook('delete', { mode: 'internal', activation: 'update', keepWaiting: true });
		edit();
		await activate(trigger);
	}

	// A removal a test left waiting would hold the test process for its whole retry schedule.
	afterEach(() => {
		for (const url of waitingRemovals()) claimRemoval(url);
	});

	function remoteCalls(from: number) {
		return fake.calls
			.slice(from)
			.map((call: { method: string; path: string }) => `${call.method} ${call.path}`);
	}

	it('an edit of the events keeps the endpoint and its secret and updates the events in place', async () => {
		const trigger = harness();
		await activate(trigger);
		const id = trigger.nodeStaticData.endpointId as string;
		const before = fake.calls.length;
		await publishEdit(trigger, () => {
			trigger.node.parameters.events = ['charge.refunded', 'customer.created'];
		});
		expect(trigger.nodeStaticData.endpointId).toBe(id);
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect(fake.endpoints.get(id).enabled_events).toEqual(['charge.refunded', 'customer.created']);
		expect(
			remoteCalls(before).filter(
				(call: string) => call.startsWith('DELETE') || call === 'POST /v1/webhook_endpoints',
			),
		).toEqual([]);
		expect(waitingRemovals()).toEqual([]);
		// Deliveries signed with the endpoint's (unchanged) secret still verify.
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleEvent('customer.created'), secretOf(id)),
			response,
		);
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('renaming the node keeps the endpoint, and the renamed node takes over its data (the dedup record too)', async () => {
		const trigger = harness();
		await activate(trigger);
		const id = trigger.nodeStaticData.endpointId as string;
		const event = sampleEvent('payment_intent.succeeded');
		const first = await trigger.webhook(delivery(event, secretOf(id)), new FakeResponse());
		expect(first.workflowData?.[0]).toHaveLength(1);
		await publishEdit(trigger, () => {
			trigger.node.name = 'Renamed trigger';
		});
		expect(trigger.nodeStaticData.endpointId).toBe(id);
		expect(fake.activeEndpoints()).toHaveLength(1);
		const again = await trigger.webhook(delivery(event, secretOf(id)), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
	});

	it('a deactivation removes nothing during the grace, then removes the endpoint and the stored keys', async () => {
		const trigger = harness();
		await activate(trigger);
		await trigger.hook('delete', { mode: 'internal', activation: 'update', keepWaiting: true });
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect(waitingRemovals()).toEqual([PRODUCTION_URL]);
		await removeNow(PRODUCTION_URL);
		expect(fake.activeEndpoints()).toHaveLength(0);
		expect(trigger.nodeStaticData).not.toHaveProperty('endpointId');
		expect(waitingRemovals()).toEqual([]);
	});

	it('a removal lost with the process (n8n stopped during the grace) is adopted by the next activation', async () => {
		const trigger = harness();
		await activate(trigger);
		const id = trigger.nodeStaticData.endpointId;
		await trigger.hook('delete', { mode: 'internal', activation: 'update', keepWaiting: true });
		claimRemoval(PRODUCTION_URL); // what a restart does to the waiting removal: it is gone
		const restarted = harness();
		Object.assign(restarted.staticData, JSON.parse(JSON.stringify(trigger.staticData)));
		await activate(restarted);
		expect(restarted.nodeStaticData.endpointId).toBe(id);
		expect(fake.activeEndpoints()).toHaveLength(1);
	});

	it("a failed lookup while an edit is published keeps the removal waiting, and n8n's next attempt keeps the endpoint", async () => {
		const trigger = harness();
		await activate(trigger);
		const id = trigger.nodeStaticData.endpointId;
		await trigger.hook('delete', { mode: 'internal', activation: 'update', keepWaiting: true });
		fake.failNext({ status: 500, method: 'GET' });
		await expect(activate(trigger)).rejects.toThrow(/Stripe refused GET/);
		expect(waitingRemovals()).toEqual([PRODUCTION_URL]);
		await activate(trigger);
		expect(trigger.nodeStaticData.endpointId).toBe(id);
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect(waitingRemovals()).toEqual([]);
	});

	it('an endpoint deleted at Stripe during the edit is registered anew (one endpoint, a new secret)', async () => {
		const trigger = harness();
		await activate(trigger);
		const id = trigger.nodeStaticData.endpointId;
		await trigger.hook('delete', { mode: 'internal', activation: 'update', keepWaiting: true });
		fake.endpoints.clear();
		await activate(trigger);
		expect(trigger.nodeStaticData.endpointId).not.toBe(id);
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect(waitingRemovals()).toEqual([]);
	});
});

describe('Stripe Verified Trigger webhook() (real n8n-core WebhookContext)', () => {
	async function activeTrigger(
		parameters: Record<string, unknown> = {},
		credentials: Record<string, unknown> = {},
	) {
		const trigger = harness(parameters, credentials);
		await activate(trigger);
		return { trigger, secret: secretOf(trigger.nodeStaticData.endpointId as string) };
	}

	it('emits one item for a signed event and leaves the 200 to n8n (sent once the execution exists)', async () => {
		const { trigger, secret } = await activeTrigger();
		const event = sampleEvent('payment_intent.succeeded', { id: 'evt_node_1' });
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, secret), response);
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true });
		expect(response.statusCode).toBe(200);
		expect(response.body).toEqual({ received: true });
		expect(result.workflowData).toHaveLength(1);
		const [item] = result.workflowData![0];
		expect(item.json).toMatchObject({
			id: 'evt_node_1',
			type: 'payment_intent.succeeded',
			data: event.data,
			verifiedWebhook: {
				provider: 'stripe',
				eventId: 'evt_node_1',
				eventType: 'payment_intent.succeeded',
				livemode: false,
				testDelivery: false,
			},
		});
		expect(JSON.stringify(item.json)).not.toContain(secret);
		expect(JSON.stringify(item.json)).not.toContain('stripe-signature');
	});

	it('drops a sequential duplicate with 200 and no item', async () => {
		const { trigger, secret } = await activeTrigger();
		const event = sampleEvent('payment_intent.succeeded', { id: 'evt_node_dup' });
		await trigger.webhook(delivery(event, secret), new FakeResponse());
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, secret), response);
		expect(response.statusCode).toBe(200);
		expect(response.body).toEqual({ received: true, duplicate: true });
		expect(result.workflowData).toBeUndefined();
	});

	it('gives exactly one item for 50 concurrent identical deliveries', async () => {
		const { trigger, secret } = await activeTrigger();
		const event = sampleEvent('payment_intent.succeeded', { id: 'evt_node_concurrent' });
		const results = await Promise.all(
			Array.from({ length: 50 }, () =>
				trigger.webhook(delivery(event, secret), new FakeResponse()),
			),
		);
		expect(results.filter((result) => result.workflowData)).toHaveLength(1);
	});

	describe('acknowledged means recorded', () => {
		it('answers a copy that arrives before the first answer left with 409 in_progress (never a 2xx for an unrecorded event); afterwards, duplicate', async () => {
			const { trigger, secret } = await activeTrigger();
			const event = sampleEvent('payment_intent.succeeded', { id: 'evt_node_pending' });
			trigger.holdAnswers = true;
			const first = new FakeResponse();
			const started = await trigger.webhook(delivery(event, secret), first);
			expect(started.workflowData).toHaveLength(1);
			expect(first.ended).toBe(false);
			const copy = new FakeResponse();
			const copied = await trigger.webhook(delivery(event, secret), copy);
			expect(copied.workflowData).toBeUndefined();
			expect(copy.statusCode).toBe(409);
			expect(copy.body).toEqual({ received: false, reason: 'in_progress' });
			first.status(200).json(started.webhookResponse); // n8n created the execution and answered
			trigger.holdAnswers = false;
			const later = new FakeResponse();
			expect((await trigger.webhook(delivery(event, secret), later)).workflowData).toBeUndefined();
			expect(later.body).toEqual({ received: true, duplicate: true });
		});

		it("forgets the event when n8n could not create its execution (500): the provider's retry runs", async () => {
			const { trigger, secret } = await activeTrigger();
			const event = sampleEvent('payment_intent.succeeded', { id: 'evt_node_not_created' });
			trigger.failNextExecution = true;
			const failed = new FakeResponse();
			await trigger.webhook(delivery(event, secret), failed);
			expect(failed.statusCode).toBe(500);
			const retry = new FakeResponse();
			expect((await trigger.webhook(delivery(event, secret), retry)).workflowData).toHaveLength(1);
			expect(retry.statusCode).toBe(200);
		});

		it('forgets the event when the connection closes before any answer', async () => {
			const { trigger, secret } = await activeTrigger();
			const event = sampleEvent('payment_intent.succeeded', { id: 'evt_node_dropped' });
			trigger.holdAnswers = true;
			const dropped = new FakeResponse();
			await trigger.webhook(delivery(event, secret), dropped);
			dropped.abort();
			trigger.holdAnswers = false;
			expect(
				(await trigger.webhook(delivery(event, secret), new FakeResponse())).workflowData,
			).toHaveLength(1);
		});

		it("keeps the static data marked changed until n8n's answer leaves (n8n 2.x clears the flag while creating the execution)", async () => {
			const { trigger, secret } = await activeTrigger();
			trigger.holdAnswers = true;
			const response = new FakeResponse();
			const result = await trigger.webhook(delivery(sampleEvent(), secret), response);
			// The flag lives on the static data root, as n8n-workflow's change-tracking proxy defines it.
			const root = trigger.lastLoadedStaticData as unknown as { __dataChanged: boolean };
			expect(root.__dataChanged).toBe(true);
			root.__dataChanged = false; // what a second Workflow over the same object does in 2.20+
			await sleep(20);
			expect(root.__dataChanged).toBe(true);
			response.status(200).json(result.webhookResponse);
			await sleep(5);
			root.__dataChanged = false;
			await sleep(20);
			expect(root.__dataChanged).toBe(false);
		});
	});

	it.each([
		[
			'a changed body byte',
			{ tamper: (s: string) => s.replace('1999', '1998') },
			'signature_mismatch',
		],
		['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 301 }, 'timestamp_too_old'],
	])('answers 401 and emits nothing for %s', async (_name, options, reason) => {
		const { trigger, secret } = await activeTrigger();
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(sampleEvent(), secret, options), response);
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ received: false, reason });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('answers 401 for a wrong secret and a missing header', async () => {
		const { trigger } = await activeTrigger();
		const wrong = new FakeResponse();
		await trigger.webhook(delivery(sampleEvent(), 'whsec_wrong'), wrong);
		expect(wrong.statusCode).toBe(401);
		const missing = new FakeResponse();
		await trigger.webhook(fakeRequest(Buffer.from(JSON.stringify(sampleEvent())), {}), missing);
		expect(missing.statusCode).toBe(401);
		expect(missing.body).toEqual({ received: false, reason: 'missing_signature' });
	});

	it('refuses every delivery when no secret is available (manual mode, empty credential) and logs an error', async () => {
		const trigger = harness({ registration: 'manual' });
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(sampleEvent(), 'whsec_anything'), response);
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ received: false, reason: 'no_secret' });
		expect(result.workflowData).toBeUndefined();
		expect(
			logs.some(
				(line) => line.level === 'error' && line.message.includes('no Stripe signing secret'),
			),
		).toBe(true);
	});

	it('verifies with the credential signing secrets in manual mode', async () => {
		const trigger = harness(
			{ registration: 'manual' },
			{ signingSecrets: 'whsec_old, whsec_manual' },
		);
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(sampleEvent(), 'whsec_manual'), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toHaveLength(1);
	});

	/** A manually registered trigger whose credential holds `whsec_first`, after one accepted delivery. */
	async function manualTriggerAfterOneDelivery(): Promise<TriggerHarness> {
		const trigger = harness({ registration: 'manual' }, { signingSecrets: 'whsec_first' });
		const first = await trigger.webhook(delivery(sampleEvent(), 'whsec_first'), new FakeResponse());
		expect(first.workflowData).toHaveLength(1);
		return trigger;
	}

	it('a flood of 1,000 forgeries costs at most one credential read per second, and a new secret still works within a second', async () => {
		const trigger = await manualTriggerAfterOneDelivery();
		const before = trigger.credentialReads;
		const started = Date.now();
		for (let i = 0; i < 1000; i++) {
			const response = new FakeResponse();
			await trigger.webhook(delivery(sampleEvent(), 'whsec_forged'), response);
			expect(response.statusCode).toBe(401);
		}
		const seconds = (Date.now() - started) / 1000;
		expect(trigger.credentialReads - before).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
		trigger.setCredential('signingSecrets', 'whsec_first whsec_rotated');
		await sleep(1100);
		expect(
			(await trigger.webhook(delivery(sampleEvent(), 'whsec_rotated'), new FakeResponse()))
				.workflowData,
		).toHaveLength(1);
	});

	it('accepts a secret added to the credential at once, although secrets are cached', async () => {
		const trigger = await manualTriggerAfterOneDelivery();
		trigger.setCredential('signingSecrets', 'whsec_first whsec_second');
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(sampleEvent(), 'whsec_second'), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toHaveLength(1);
	});

	it('acknowledges an event type that is not selected with 200 and no item', async () => {
		const { trigger, secret } = await activeTrigger();
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleEvent('customer.created'), secret),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(response.body).toEqual({ received: true, ignored: 'event type not selected' });
		expect(result.workflowData).toBeUndefined();
	});

	it('answers 400 for a signed body that is not an event', async () => {
		const { trigger, secret } = await activeTrigger();
		const response = new FakeResponse();
		await trigger.webhook(delivery({ hello: 'world' }, secret), response);
		expect(response.statusCode).toBe(400);
	});

	it('reads the raw body itself when n8n did not (unparsed content type)', async () => {
		const { trigger, secret } = await activeTrigger();
		const event = sampleEvent('payment_intent.succeeded', { id: 'evt_unread' });
		const signedRequest = delivery(event, secret);
		const request = fakeRequest(
			undefined,
			signedRequest.headers as Record<string, string>,
			signedRequest.rawBody,
		);
		const result = await trigger.webhook(request, new FakeResponse());
		expect(result.workflowData).toHaveLength(1);
	});

	it('keeps test deliveries and production deliveries apart in dedup', async () => {
		const { trigger, secret } = await activeTrigger();
		const event = sampleEvent('payment_intent.succeeded', { id: 'evt_both_urls' });
		const test = await trigger.webhook(delivery(event, secret), new FakeResponse(), 'manual');
		expect(test.workflowData![0][0].json.verifiedWebhook).toMatchObject({ testDelivery: true });
		const production = await trigger.webhook(delivery(event, secret), new FakeResponse());
		expect(production.workflowData).toHaveLength(1);
	});

	it('enforces the dedup window size option', async () => {
		const { trigger, secret } = await activeTrigger({ options: { dedupMaxEntries: 2 } });
		for (const id of ['evt_w1', 'evt_w2', 'evt_w3']) {
			await trigger.webhook(
				delivery(sampleEvent('payment_intent.succeeded', { id }), secret),
				new FakeResponse(),
			);
		}
		const again = await trigger.webhook(
			delivery(sampleEvent('payment_intent.succeeded', { id: 'evt_w1' }), secret),
			new FakeResponse(),
		);
		expect(again.workflowData).toHaveLength(1);
	});

	it('never logs the secret or the signature', async () => {
		const { trigger, secret } = await activeTrigger();
		const request = delivery(sampleEvent(), 'whsec_wrong');
		await trigger.webhook(request, new FakeResponse());
		const text = JSON.stringify(logs);
		expect(text).not.toContain(secret);
		expect(text).not.toContain(String(request.headers['stripe-signature']).split('v1=')[1]);
	});
});

describe('Stripe Verified Trigger: rotating the API key keeps verification going', () => {
	/** The trigger as another n8n process sees it (a restart): a fresh module registry, the same static data. */
	function inAnotherProcess(
		staticData: TriggerHarness['staticData'],
		secretKey: string,
	): TriggerHarness {
		let module!: typeof import('../../nodes/StripeVerifiedTrigger/StripeVerifiedTrigger.node');
		jest.isolateModules(() => {
			module = jest.requireActual('../../nodes/StripeVerifiedTrigger/StripeVerifiedTrigger.node');
		});
		return new TriggerHarness({
			nodeType: new module.StripeVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
			credentialType: new StripeVerifiedApi(),
			credentials: { secretKey, baseUrl: fake.url, signingSecrets: '' },
			parameters: { registration: 'automatic', events: ['payment_intent.succeeded'], options: {} },
			staticData,
		});
	}

	it('a delivery after the Secret Key changed is verified, and the stored secret is re-sealed under the new key', async () => {
		const trigger = harness();
		await activate(trigger);
		const secret = secretOf(trigger.nodeStaticData.endpointId as string);
		expect(
			(await trigger.webhook(delivery(sampleEvent(), secret), new FakeResponse())).workflowData,
		).toHaveLength(1);
		const sealedBefore = trigger.nodeStaticData.sealedSecret;
		trigger.setCredential('secretKey', 'sk_test_rotated_key_for_loopback');
		// Within the 10 s secret cache nothing reads the credential; after it, the new key is read.
		const later = Date.now() + 11_000;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
		try {
			const response = new FakeResponse();
			const result = await trigger.webhook(delivery(sampleEvent(), secret), response);
			expect([response.statusCode, result.workflowData?.[0]]).toEqual([200, expect.any(Array)]);
		} finally {
			clock.mockRestore();
		}
		expect(trigger.nodeStaticData.sealedSecret).not.toBe(sealedBefore);
		expect(JSON.stringify(trigger.nodeStaticData)).not.toContain(secret);

		// A restarted n8n (no memory of the secret) opens the re-sealed value with the new key.
		const afterRestart = inAnotherProcess(trigger.staticData, 'sk_test_rotated_key_for_loopback');
		expect(
			(await afterRestart.webhook(delivery(sampleEvent(), secret), new FakeResponse()))
				.workflowData,
		).toHaveLength(1);
	});

	it('a process that never opened the secret cannot verify after a key change: 401 no_secret (re-activate)', async () => {
		const trigger = harness();
		await activate(trigger);
		const secret = secretOf(trigger.nodeStaticData.endpointId as string);
		const other = inAnotherProcess(trigger.staticData, 'sk_test_rotated_before_any_delivery');
		const response = new FakeResponse();
		await other.webhook(delivery(sampleEvent(), secret), response);
		expect([response.statusCode, (response.body as { reason: string }).reason]).toEqual([
			401,
			'no_secret',
		]);
	});
});
