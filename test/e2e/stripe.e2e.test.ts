/**
 * End to end, in a real n8n (each pinned version), with the packed package installed like a user's and a
 * fake Stripe on 127.0.0.1 that registers endpoints and delivers events signed by the official SDK.
 * Results are read through n8n's public REST API; only the persistence warning is read from n8n's log,
 * because a log line is what it is.
 */
import { fingerprint } from '../../nodes/shared/dedup';
import { loadExample } from '../../scripts/examples';
import { N8nInstance, sleep, testedVersions } from '../../scripts/n8n';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';
import { waitForExecutions as waitForFinished, waitForSavedRegistration } from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Stripe Verified Trigger';
const WEBHOOK_ID = '5d0c6a8e-3f4b-4c2d-9e1a-0b7f6c5d4e31';
/** How long a rejected or duplicate delivery is given to (wrongly) show up as an execution. */
const SETTLE_MS = 2500;

interface Execution {
	id: string;
	status?: string;
	finished?: boolean;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>
			>;
		};
	};
}

function triggerItems(execution: Execution) {
	return execution.data?.resultData?.runData?.[TRIGGER]?.[0]?.data?.main?.[0] ?? [];
}

describe.each(testedVersions())('Stripe Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeStripe();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let productionUrl = '';
	let credentialId = '';

	async function executions(id = workflowId): Promise<Execution[]> {
		return (await n8n.executions(id)) as Execution[];
	}

	async function waitForExecutions(count: number, id = workflowId): Promise<Execution[]> {
		return (await waitForFinished(n8n, id, count)) as Execution[];
	}

	/** Asserts the count stays at `count` after giving stragglers time to appear. */
	async function expectExecutionCountStays(count: number) {
		await sleep(SETTLE_MS);
		const ids = (await executions()).map((execution) => triggerItems(execution)[0]?.json.id);
		expect(ids).toHaveLength(count);
	}

	function endpointsFor(url: string) {
		return fake.activeEndpoints().filter((endpoint: { url: string }) => endpoint.url === url);
	}

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential('Stripe (fake, loopback)', 'stripeVerifiedApi', {
			secretKey: fake.apiKey,
			baseUrl: fake.url,
			signingSecrets: '',
		});
		credentialId = credential.id;
		productionUrl = `${n8n.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
	});

	afterAll(async () => {
		await n8n.stop();
		await fake.stop();
		n8n.cleanup();
	});

	it('registers exactly one endpoint with the production URL and the selected events on activation', async () => {
		const workflow = loadExample('stripe-verified-trigger', {
			credentials: { stripeVerifiedApi: { id: credentialId, name: 'Stripe (fake, loopback)' } },
			webhookId: WEBHOOK_ID,
		});
		const created = await n8n.createWorkflow(workflow);
		workflowId = created.id;
		await n8n.activate(workflowId);
		// Activation is asynchronous in 2.x: poll the provider, not the activate reply.
		const [endpoint] = await n8n.waitFor(
			async () =>
				endpointsFor(productionUrl).length > 0 ? endpointsFor(productionUrl) : undefined,
			{
				what: 'the endpoint registration',
			},
		);
		expect(endpoint.enabled_events).toEqual(['charge.refunded', 'payment_intent.succeeded']);
		await sleep(1000);
		expect(fake.activeEndpoints()).toHaveLength(1);
		const stored = await n8n.workflow(workflowId);
		const nodeData = stored.staticData?.[`node:${TRIGGER}`];
		expect(nodeData?.endpointId).toBe(endpoint.id);
		expect(JSON.stringify(stored)).not.toContain(fake.endpoints.get(endpoint.id).secret);
	});

	it('runs the workflow once for a signed event, with the documented item', async () => {
		const event = sampleEvent('payment_intent.succeeded', { id: `evt_e2e_${version}_1` });
		const [result] = await fake.deliver(event);
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body)).toEqual({ received: true });
		const [execution] = await waitForExecutions(1);
		const items = triggerItems(execution);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			id: event.id,
			type: 'payment_intent.succeeded',
			data: event.data,
			verifiedWebhook: {
				provider: 'stripe',
				eventId: event.id,
				eventType: 'payment_intent.succeeded',
				livemode: false,
				testDelivery: false,
			},
		});
		expect(typeof (items[0].json.verifiedWebhook as Record<string, unknown>).receivedAt).toBe(
			'string',
		);
		await expectExecutionCountStays(1);
	});

	it('answers 401 and starts nothing for tampered, stale, wrongly signed and unsigned deliveries', async () => {
		const event = sampleEvent('payment_intent.succeeded', { id: `evt_e2e_${version}_forged` });
		const stale = Math.floor(Date.now() / 1000) - 600;
		const attempts = [
			await fake.deliver(event, { tamper: (payload: string) => payload.replace('1999', '1') }),
			await fake.deliver(event, { timestamp: stale }),
			await fake.deliver(event, { secret: 'whsec_not_the_endpoint_secret' }),
			await fake.deliver(event, { signatureHeader: null }),
		];
		const reasons = attempts.map(([result]) => [result.status, JSON.parse(result.body).reason]);
		expect(reasons).toEqual([
			[401, 'signature_mismatch'],
			[401, 'timestamp_too_old'],
			[401, 'signature_mismatch'],
			[401, 'missing_signature'],
		]);
		await expectExecutionCountStays(1);
	});

	it('drops a redelivery and 20 concurrent copies of a seen event with 2xx and no new execution', async () => {
		const event = sampleEvent('payment_intent.succeeded', { id: `evt_e2e_${version}_1` });
		const [again] = await fake.deliver(event);
		expect(again.status).toBe(200);
		expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
		const copies = await Promise.all(Array.from({ length: 20 }, () => fake.deliver(event)));
		expect(copies.every(([result]) => result.status === 200)).toBe(true);
		await expectExecutionCountStays(1);
	});

	it('runs once for 20 concurrent copies of a new event', async () => {
		const event = sampleEvent('charge.refunded', { id: `evt_e2e_${version}_burst` });
		const copies = await Promise.all(Array.from({ length: 20 }, () => fake.deliver(event)));
		// One runs; a copy that arrives while n8n is still creating its execution gets 409 (Stripe retries it
		// later), never a 2xx for an event not yet recorded; one arriving after is a 2xx duplicate.
		const answers = copies.map(([result]) => `${result.status} ${result.body}`);
		expect(answers.filter((answer) => answer === '200 {"received":true}')).toHaveLength(1);
		expect(
			answers.filter(
				(answer) =>
					answer !== '200 {"received":true}' &&
					answer !== '200 {"received":true,"duplicate":true}' &&
					answer !== '409 {"received":false,"reason":"in_progress"}',
			),
		).toEqual([]);
		await waitForExecutions(2);
		await expectExecutionCountStays(2);
	});

	it('acknowledges an unselected event type without an execution', async () => {
		const event = sampleEvent('customer.created', { id: `evt_e2e_${version}_unselected` });
		const endpoint = endpointsFor(productionUrl)[0];
		const result = await fake.post(
			productionUrl,
			JSON.stringify(event),
			fake.endpoints.get(endpoint.id).secret,
		);
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body)).toEqual({ received: true, ignored: 'event type not selected' });
		await expectExecutionCountStays(2);
	});

	it('persists the dedup record: after a restart a redelivery starts nothing and no second endpoint appears', async () => {
		const stored = await n8n.workflow(workflowId);
		// Two deliveries so far: each stores its event id and the fingerprint of its signed bytes.
		expect(
			Object.values(stored.staticData?.[`node:${TRIGGER}`]?.seenEvents?.b ?? {}).join('').length,
		).toBeGreaterThanOrEqual(4 * 12);
		const callsBefore = fake.calls.length;
		await n8n.restart();
		// Measured: 1.123 runs checkExists at start-up (a GET of the stored endpoint) and 2.41 re-registers
		// its webhooks without calling the node. Either way there must be no second endpoint.
		await sleep(3000);
		const postsAfterRestart = fake.calls
			.slice(callsBefore)
			.filter((call: { method: string }) => call.method === 'POST');
		expect(postsAfterRestart).toHaveLength(0);
		expect(fake.activeEndpoints()).toHaveLength(1);
		for (const id of [`evt_e2e_${version}_1`, `evt_e2e_${version}_burst`]) {
			const type = id.endsWith('burst') ? 'charge.refunded' : 'payment_intent.succeeded';
			const [result] = await fake.deliver(sampleEvent(type, { id }));
			expect([result.status, JSON.parse(result.body)]).toEqual([
				200,
				{ received: true, duplicate: true },
			]);
		}
		await expectExecutionCountStays(2);
		const fresh = sampleEvent('payment_intent.succeeded', {
			id: `evt_e2e_${version}_after_restart`,
		});
		expect((await fake.deliver(fresh))[0].status).toBe(200);
		await waitForExecutions(3);
	});

	it('"Listen for test event" registers a temporary endpoint at the test URL, runs once, then removes it', async () => {
		const webhookId = '3c2b1a09-8f7e-4d6c-9b5a-1e2d3c4b5a69';
		const created = await n8n.createWorkflow(
			loadExample('stripe-verified-trigger', {
				credentials: { stripeVerifiedApi: { id: credentialId, name: 'Stripe (fake, loopback)' } },
				webhookId,
				name: 'Test listen',
			}),
		);
		const testUrl = `${n8n.baseUrl}/webhook-test/${webhookId}/webhook`;
		expect(await n8n.listenForTestEvent(created.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		const [endpoint] = await n8n.waitFor(
			async () => (endpointsFor(testUrl).length > 0 ? endpointsFor(testUrl) : undefined),
			{
				what: 'the test registration',
			},
		);
		// A forged delivery is refused (401) and ends the listen with one diagnostic item: the editor shows why.
		const [forged] = await fake.deliver(sampleEvent('payment_intent.succeeded'), {
			endpointId: endpoint.id,
			secret: 'whsec_forged',
		});
		expect(forged.status).toBe(401);
		const [diagnosed] = await waitForExecutions(1, created.id);
		const [diagnostic] = triggerItems(diagnosed);
		expect(Object.keys(diagnostic.json)).toEqual(['verifiedWebhook']);
		expect(diagnostic.json.verifiedWebhook).toMatchObject({
			rejected: true,
			reason: 'signature_mismatch',
			signatureHeader: 'Stripe-Signature',
			secretsTried: ['1: the Stripe signing secret stored when the webhook was registered'],
			testDelivery: true,
		});
		expect(JSON.stringify(diagnosed)).not.toContain(fake.endpoints.get(endpoint.id).secret);
		// The listen ended (n8n removed the test endpoint); listening again registers a new one, and the signed
		// event runs the workflow.
		await n8n.waitFor(async () => endpointsFor(testUrl).length === 0, {
			what: 'removal of the test endpoint after the diagnostic',
		});
		expect(await n8n.listenForTestEvent(created.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		const [second] = await n8n.waitFor(
			async () => (endpointsFor(testUrl).length > 0 ? endpointsFor(testUrl) : undefined),
			{ what: 'the second test registration' },
		);
		const event = sampleEvent('payment_intent.succeeded', { id: `evt_e2e_${version}_test_listen` });
		const [result] = await fake.deliver(event, { endpointId: second.id });
		expect(result.status).toBe(200);
		// The first execution ends the listen, and n8n calls delete(): the temporary endpoint goes away.
		await n8n.waitFor(async () => endpointsFor(testUrl).length === 0, {
			what: 'removal of the test endpoint',
		});
		const [execution] = await waitForExecutions(2, created.id);
		expect(triggerItems(execution)[0].json).toMatchObject({
			id: event.id,
			verifiedWebhook: { testDelivery: true },
		});
		expect(endpointsFor(productionUrl)).toHaveLength(1);
	});

	it('the Rejected Deliveries Output: a flood of 100 forgeries starts 1 execution there (no body, no signature), a genuine event runs on the first output', async () => {
		const webhookId = '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d';
		const workflow = loadExample('stripe-verified-trigger', {
			credentials: { stripeVerifiedApi: { id: credentialId, name: 'Stripe (fake, loopback)' } },
			webhookId,
			name: 'Rejected output',
		});
		const trigger = workflow.nodes.find((node: { name: string }) => node.name === TRIGGER);
		trigger.parameters.options = { ...trigger.parameters.options, rejectedOutput: true };
		const created = await n8n.createWorkflow(workflow);
		const url = `${n8n.baseUrl}/webhook/${webhookId}/webhook`;
		await n8n.activate(created.id);
		const [endpoint] = await n8n.waitFor(
			async () => (endpointsFor(url).length > 0 ? endpointsFor(url) : undefined),
			{ what: 'the endpoint registration' },
		);
		await waitForSavedRegistration(n8n, created.id, endpoint.id);
		// A failure here must not leave this endpoint for the deactivation test to count, and the clean-up
		// must not hide that failure behind one of its own.
		const failure = await rejectedOutputRun(created.id, endpoint.id).then(
			() => undefined,
			(error: unknown) => error,
		);
		if (failure) {
			await n8n.deactivate(created.id).catch(() => undefined);
			throw failure;
		}
		await n8n.deactivate(created.id);
	});

	async function rejectedOutputRun(createdId: string, endpointId: string) {
		const created = { id: createdId };
		const endpoint = { id: endpointId };
		const forgeries = await Promise.all(
			Array.from({ length: 100 }, (_, index) =>
				fake.deliver(sampleEvent('payment_intent.succeeded', { id: `evt_flood_${index}` }), {
					endpointId: endpoint.id,
					secret: 'whsec_forged',
				}),
			),
		);
		expect(forgeries.map(([answer]) => answer.status)).toEqual(Array(100).fill(401));
		const [notice] = await waitForExecutions(1, created.id);
		await sleep(SETTLE_MS);
		expect(await executions(created.id)).toHaveLength(1);
		const outputs = notice.data?.resultData?.runData?.[TRIGGER]?.[0]?.data?.main ?? [];
		expect(outputs[0] ?? []).toEqual([]);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json.verifiedWebhook).toMatchObject({
			rejected: true,
			reason: 'signature_mismatch',
			status: 401,
			suppressedBefore: 0,
		});
		const text = JSON.stringify(outputs);
		expect(text).not.toContain('evt_flood_');
		expect(text).not.toContain('payment_intent');
		const genuine = sampleEvent('payment_intent.succeeded', {
			id: `evt_e2e_${version}_rejected_on`,
		});
		expect((await fake.deliver(genuine, { endpointId: endpoint.id }))[0].status).toBe(200);
		const [latest] = await waitForExecutions(2, created.id);
		expect(triggerItems(latest)[0].json).toMatchObject({ id: genuine.id });
	}

	it('survives Stripe failing during activation: a clear error, and never a second endpoint', async () => {
		const webhookId = '7e6d5c4b-3a29-4181-9f0e-d1c2b3a49586';
		const url = `${n8n.baseUrl}/webhook/${webhookId}/webhook`;
		const created = await n8n.createWorkflow(
			loadExample('stripe-verified-trigger', {
				credentials: { stripeVerifiedApi: { id: credentialId, name: 'Stripe (fake, loopback)' } },
				webhookId,
				name: 'Activation under failures',
			}),
		);
		fake.failNext({ count: 2, status: 500, method: 'POST', path: '/v1/webhook_endpoints' });
		try {
			let activationError = '';
			await n8n.activate(created.id).catch((error: Error) => {
				activationError = error.message;
			});
			if (activationError) {
				// n8n 1.x activates synchronously and reports the failure; the message says what to do.
				expect(activationError).toMatch(/Stripe refused POST \/v1\/webhook_endpoints \(500\)/);
				expect(activationError).toMatch(/Activate the workflow again/);
				fake.faults.length = 0;
				await n8n.activate(created.id);
			}
			// n8n 2.x retries the activation in the background, so create() runs again after each failure.
			await n8n.waitFor(async () => endpointsFor(url).length > 0, {
				what: 'registration after failures',
				timeoutMs: 90_000,
			});
			expect(fake.faults).toHaveLength(0);
			await sleep(2000);
			expect(endpointsFor(url)).toHaveLength(1);
		} finally {
			fake.faults.length = 0;
		}
		await n8n.deactivate(created.id);
		await n8n.waitFor(async () => endpointsFor(url).length === 0, {
			what: 'removal after failures',
		});
	});

	it('deletes the endpoint at Stripe on deactivation, after the grace in which an edit could keep it', async () => {
		const before = (await n8n.workflow(workflowId)).staticData?.[`node:${TRIGGER}`]?.endpointId;
		const deactivatedAt = Date.now();
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => endpointsFor(productionUrl).length === 0, {
			what: 'endpoint removal',
		});
		expect(Date.now() - deactivatedAt).toBeGreaterThanOrEqual(10_000);
		expect(fake.activeEndpoints()).toHaveLength(0);
		// The record stays: had n8n stopped during the grace, the next activation would adopt or remove it. The
		// next activation finds it gone at Stripe and registers anew.
		await sleep(1000);
		expect((await n8n.workflow(workflowId)).staticData?.[`node:${TRIGGER}`]?.endpointId).toBe(
			before,
		);
	});

	it('restores ids lost to a downstream overwrite and warns once in the log', async () => {
		const webhookId = '9a1e7c55-1f1d-4d0b-8c55-2a7e0b3c9d77';
		const workflow = loadExample('stripe-verified-trigger', {
			credentials: { stripeVerifiedApi: { id: credentialId, name: 'Stripe (fake, loopback)' } },
			webhookId,
			name: 'Static data overwritten downstream',
		});
		// A Code node that changes workflow static data. n8n saves the execution's copy (taken when the run
		// started) at the end of the run, so a slow run overwrites what a later delivery wrote meanwhile.
		workflow.nodes.push({
			id: 'c0de0000-0000-4000-8000-000000000001',
			name: 'Touch Static Data',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [520, 0],
			parameters: {
				jsCode:
					"const data = $getWorkflowStaticData('global');\n" +
					"if ($input.first().json.eventId.endsWith('_slow')) await new Promise((done) => setTimeout(done, 4000));\n" +
					'data.touched = Date.now();\nreturn $input.all();',
			},
		});
		workflow.connections['Event Summary'] = {
			main: [[{ node: 'Touch Static Data', type: 'main', index: 0 }]],
		};
		const created = await n8n.createWorkflow(workflow);
		await n8n.activate(created.id);
		const url = `${n8n.baseUrl}/webhook/${webhookId}/webhook`;
		await n8n.waitFor(async () => endpointsFor(url).length === 1, {
			what: 'second workflow registration',
		});
		const record = async () =>
			(await n8n.workflow(created.id)).staticData?.[`node:${TRIGGER}`]?.seenEvents;

		const slow = fake.deliver(
			sampleEvent('payment_intent.succeeded', { id: `evt_clobber_${version}_slow` }),
		);
		await sleep(1000);
		await fake.deliver(
			sampleEvent('payment_intent.succeeded', { id: `evt_clobber_${version}_fast` }),
		);
		await slow;
		await waitForExecutions(2, created.id);
		// The slow run's save put back the record from before the fast delivery.
		const fastId = fingerprint(`evt_clobber_${version}_fast`);
		await n8n.waitFor(async () => !JSON.stringify((await record()) ?? {}).includes(fastId), {
			what: 'the downstream overwrite',
			timeoutMs: 15_000,
		});

		await sleep(11_000); // past the grace period for a write to come back from the database
		await fake.deliver(sampleEvent('payment_intent.succeeded', { id: `evt_clobber_${version}_3` }));
		await waitForExecutions(3, created.id);
		await sleep(1000);
		// Each run saved its pre-request copy over the trigger's write (n8n 2.x saves the trigger's record only
		// once the execution exists, after the run loaded its copy). This process still knows every id: the
		// redelivery is a duplicate, and that answer — which starts no run — writes the whole record back.
		const [redelivery] = await fake.deliver(
			sampleEvent('payment_intent.succeeded', { id: `evt_clobber_${version}_fast` }),
		);
		expect(JSON.parse(redelivery.body)).toEqual({ received: true, duplicate: true });
		await sleep(1000);
		const restored = await record();
		// Three events, each with its id and the fingerprint of its signed bytes, and the redelivery's bytes
		// (signed anew, at a new timestamp).
		expect(Object.values(restored.b as Record<string, string>).join('')).toHaveLength(7 * 12);
		expect(JSON.stringify(restored)).toContain(fastId);

		const warnings = n8n
			.logText()
			.split('\n')
			.filter((line: string) =>
				/were overwritten by another save|are not being saved by n8n/.test(line),
			);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('Remove Duplicates');
		await n8n.deactivate(created.id);
		await n8n.waitFor(async () => endpointsFor(url).length === 0, {
			what: 'second workflow removal',
		});
	});
});
