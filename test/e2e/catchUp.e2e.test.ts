/**
 * Catch-up (nodes/shared/catchUp.ts) in each pinned real n8n, with the fake Stripe, GitHub and Paddle and their
 * delivery logs: n8n is stopped, 20 events per provider fail to reach it (the fakes record the failures), n8n is
 * started → exactly 20 executions per workflow, each event once — Stripe's read from its events API, GitHub's and
 * Paddle's redelivered by the provider. Then the providers' own late retries and the next rounds add nothing, and
 * Stripe's events still come back after the endpoint was deleted while n8n was down (re-registered at start-up:
 * its pending retries are gone with it).
 */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeGitHub } from '../fakes/fakeGitHub';
import { FakePaddle, samplePaddleEvent } from '../fakes/fakePaddle';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';
import {
	executions,
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type Execution,
} from './support';

jest.setTimeout(600_000);

const EVENTS = 20;
const CATCH_UP = { catchUp: true, endpointCheckMinutes: 1 };

type Workflow = { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };

function withCatchUp(workflow: unknown): unknown {
	const trigger = (workflow as Workflow).nodes[0];
	trigger.parameters.options = { ...(trigger.parameters.options as object), ...CATCH_UP };
	return workflow;
}

/** The event ids the executions ran, and how many ran each. */
function ranIds(list: Execution[], trigger: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const execution of list) {
		for (const item of triggerItems(execution, trigger)) {
			const id = String((item.json.verifiedWebhook as { eventId: string }).eventId);
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
	}
	return counts;
}

describe.each(testedVersions())('catch-up of missed events in real n8n %s', (version) => {
	const stripe = new FakeStripe();
	const github = new FakeGitHub();
	const paddle = new FakePaddle();
	const n8n = new N8nInstance({ version });
	const ids = { stripe: '', github: '', paddle: '' };
	const sent = { stripe: [] as string[], github: [] as string[], paddle: [] as string[] };
	const TRIGGERS = {
		stripe: 'Stripe Verified Trigger',
		github: 'GitHub Verified Trigger',
		paddle: 'Paddle Billing Verified Trigger',
	};

	beforeAll(async () => {
		await Promise.all([stripe.start(), github.start(), paddle.start()]);
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const stripeCredential = await n8n.createCredential('Stripe (fake)', 'stripeVerifiedApi', {
			secretKey: stripe.apiKey,
			baseUrl: stripe.url,
			signingSecrets: '',
		});
		const githubCredential = await n8n.createCredential('GitHub (fake)', 'gitHubVerifiedApi', {
			accessToken: github.token,
			baseUrl: github.url,
			webhookSecrets: '',
		});
		const paddleCredential = await n8n.createCredential('Paddle (fake)', 'paddleVerifiedApi', {
			apiKey: paddle.apiKey,
			environment: 'custom',
			baseUrl: paddle.url,
			endpointSecretKeys: '',
		});
		const workflows = {
			stripe: loadExample('stripe-verified-trigger', {
				credentials: { stripeVerifiedApi: { id: stripeCredential.id, name: 'Stripe (fake)' } },
				webhookId: 'c1a0e5d4-3b2a-4f19-8e7d-6c5b4a392810',
				name: 'Catch-up Stripe',
			}),
			github: loadExample('github-verified-trigger', {
				credentials: { gitHubVerifiedApi: { id: githubCredential.id, name: 'GitHub (fake)' } },
				webhookId: 'c1a0e5d4-3b2a-4f19-8e7d-6c5b4a392811',
				name: 'Catch-up GitHub',
			}),
			paddle: loadExample('paddle-verified-trigger', {
				credentials: { paddleVerifiedApi: { id: paddleCredential.id, name: 'Paddle (fake)' } },
				webhookId: 'c1a0e5d4-3b2a-4f19-8e7d-6c5b4a392812',
				name: 'Catch-up Paddle',
			}),
		};
		for (const provider of ['stripe', 'github', 'paddle'] as const) {
			ids[provider] = (await n8n.createWorkflow(withCatchUp(workflows[provider]))).id;
			await n8n.activate(ids[provider]);
			await waitForSavedRegistration(n8n, ids[provider]);
		}
	});

	afterAll(async () => {
		await n8n.stop();
		await Promise.all([stripe.stop(), github.stop(), paddle.stop()]);
		n8n.cleanup();
	});

	it(`runs the ${EVENTS} events per provider that failed while n8n was down, each once, after it starts`, async () => {
		await n8n.stop();
		for (let index = 0; index < EVENTS; index++) {
			const event = sampleEvent(index % 2 ? 'payment_intent.succeeded' : 'charge.refunded');
			const stripeResults = await stripe.deliver(event);
			const githubResults = await github.deliver('issues', {
				action: 'opened',
				issue: { number: index },
			});
			const notification = samplePaddleEvent('transaction.completed');
			const paddleResults = await paddle.deliver(notification);
			for (const result of [...stripeResults, ...githubResults, ...paddleResults])
				expect(result.status).toBe(0);
			sent.stripe.push(event.id);
			sent.github.push(githubResults[0].deliveryId);
			sent.paddle.push(notification.event_id);
		}
		await n8n.start();
		await n8n.login();
		for (const provider of ['stripe', 'github', 'paddle'] as const) {
			await waitForExecutions(n8n, ids[provider], EVENTS);
			expect(await settledExecutionCount(n8n, ids[provider])).toBe(EVENTS);
			const ran = ranIds(await executions(n8n, ids[provider]), TRIGGERS[provider]);
			expect([...ran.keys()].sort()).toEqual([...sent[provider]].sort());
			expect([...ran.values()].every((count) => count === 1)).toBe(true);
		}
		const [stripeExecution] = await executions(n8n, ids.stripe);
		expect(triggerItems(stripeExecution, TRIGGERS.stripe)[0].json).toMatchObject({
			verifiedWebhook: { provider: 'stripe', via: 'api' },
		});
		const [githubExecution] = await executions(n8n, ids.github);
		expect(triggerItems(githubExecution, TRIGGERS.github)[0].json).toMatchObject({
			verifiedWebhook: { provider: 'github', via: 'webhook' },
		});
	});

	it("adds nothing with the providers' late retries and the next rounds", async () => {
		// Stripe's own retries of the same events reach n8n now: duplicates, every one.
		const retried = await stripe.retryFailed();
		expect(retried).toHaveLength(EVENTS);
		expect(retried.every((result: { status: number; body: string }) => result.status === 200)).toBe(
			true,
		);
		expect(retried.every((result: { body: string }) => JSON.parse(result.body).duplicate)).toBe(
			true,
		);
		// The next round of each (every minute here) finds nothing to run or ask for.
		const rounds = () => [
			stripe.callsTo('GET', '/v1/events').length,
			github
				.callsTo('GET', '/repos/')
				.filter((call: { path: string }) => call.path.endsWith('/deliveries')).length,
			paddle.callsTo('GET', '/notifications').length,
		];
		const before = rounds();
		await n8n.waitFor(
			async () => rounds().every((count, index) => count > before[index]) || undefined,
			{ what: 'the next catch-up round of each workflow', timeoutMs: 150_000, intervalMs: 1000 },
		);
		for (const provider of ['stripe', 'github', 'paddle'] as const)
			expect(await settledExecutionCount(n8n, ids[provider])).toBe(EVENTS);
		const redeliveries = github
			.callsTo('POST', '/repos/')
			.filter((call: { path: string }) => call.path.endsWith('/attempts'));
		expect(redeliveries).toHaveLength(EVENTS);
		expect(paddle.callsTo('POST', '/notifications/')).toHaveLength(EVENTS);
	});

	it('gets Stripe events back after the endpoint was deleted while n8n was down and registered again at start-up', async () => {
		await n8n.stop();
		const events = [];
		for (let index = 0; index < EVENTS; index++) {
			const event = sampleEvent('payment_intent.succeeded');
			const [result] = await stripe.deliver(event);
			expect(result.status).toBe(0);
			events.push(event.id);
		}
		// Stripe disables, then someone deletes, the failing endpoint: its pending retries go with it.
		const [old] = stripe.activeEndpoints();
		stripe.endpoints.delete(old.id);
		await n8n.start();
		await n8n.login();
		const renewed = await n8n.waitFor(async () => stripe.activeEndpoints()[0], {
			what: 'the endpoint registered again at start-up',
			timeoutMs: 60_000,
		});
		expect(renewed.id).not.toBe(old.id);
		await waitForExecutions(n8n, ids.stripe, 2 * EVENTS);
		expect(await settledExecutionCount(n8n, ids.stripe)).toBe(2 * EVENTS);
		const ran = ranIds(await executions(n8n, ids.stripe), TRIGGERS.stripe);
		expect(events.every((id) => ran.get(id) === 1)).toBe(true);
		expect([...ran.values()].every((count) => count === 1)).toBe(true);
	});
});
