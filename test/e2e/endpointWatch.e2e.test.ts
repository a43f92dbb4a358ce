/**
 * What the node's trigger() (nodes/shared/endpointWatch.ts) brings, in each pinned real n8n, with the Stripe
 * trigger and the fake Stripe: an endpoint Stripe disabled while n8n runs is enabled again by the periodic check;
 * one deleted while n8n was down is registered again when n8n starts (on 2.41 only because the node defines
 * trigger(): without it this test fails there), once, and deliveries signed with the new endpoint's secret run
 * (its id and secret were saved). That a test event still reaches the manual run is in stripe.e2e.test.ts.
 */
import { testedVersions } from '../../scripts/n8n';
import { sampleEvent } from '../fakes/fakeStripe';
import {
	activeStripeWorkflow,
	executions,
	settledExecutionCount,
	stripeSuite,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(300_000);

const TRIGGER = 'Stripe Verified Trigger';

type Endpoint = { id: string; url: string; status: string };

describe.each(testedVersions())('endpoint checks in real n8n %s', (version) => {
	const { fake, n8n } = stripeSuite(version);
	let workflow = { id: '', url: '', secret: '' };
	const endpointFor = (url: string): Endpoint | undefined =>
		fake.activeEndpoints().find((endpoint: Endpoint) => endpoint.url === url);

	beforeAll(async () => {
		workflow = await activeStripeWorkflow(n8n, fake, {
			webhookId: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
			name: 'Endpoint checks',
			edit: (data) => {
				const node = data.nodes.find((each) => each.name === TRIGGER)!;
				(node.parameters as { options: Record<string, unknown> }).options = {
					endpointCheckMinutes: 1,
				};
			},
		});
	});

	it('enables an endpoint again that Stripe disabled while the workflow is active (periodic check, ≤ 1 min)', async () => {
		const endpoint = endpointFor(workflow.url)!;
		fake.endpoints.get(endpoint.id).status = 'disabled';
		await n8n.waitFor(async () => endpointFor(workflow.url)?.status === 'enabled', {
			what: 'the periodic check to re-enable the endpoint',
			timeoutMs: 90_000,
			intervalMs: 1000,
		});
		expect(endpointFor(workflow.url)?.id).toBe(endpoint.id);
		expect(
			fake.activeEndpoints().filter((each: Endpoint) => each.url === workflow.url),
		).toHaveLength(1);
	});

	it('registers again an endpoint deleted at Stripe while n8n runs (periodic check, ≤ 1 min); the new secret is saved', async () => {
		const before = endpointFor(workflow.url)!;
		fake.endpoints.delete(before.id);
		const after = await n8n.waitFor(async () => endpointFor(workflow.url), {
			what: 'the endpoint registered again by the periodic check',
			timeoutMs: 120_000,
			intervalMs: 1000,
		});
		expect(after.id).not.toBe(before.id);
		await waitForSavedRegistration(n8n, workflow.id, after.id);
		expect(fake.activeEndpoints().filter((each: Endpoint) => each.url === workflow.url)).toEqual([
			expect.objectContaining({ id: after.id }),
		]);
		const executionsBefore = (await executions(n8n, workflow.id)).filter(
			(execution) => execution.mode !== 'error',
		).length;
		const event = sampleEvent('payment_intent.succeeded');
		const [result] = await fake.deliver(event);
		expect(result.status).toBe(200);
		await n8n.waitFor(
			async () =>
				(await executions(n8n, workflow.id)).some((execution) =>
					JSON.stringify(triggerItems(execution, TRIGGER)).includes(event.id),
				) || undefined,
			{ what: 'the execution of an event signed with the new secret' },
		);
		expect(
			(await executions(n8n, workflow.id)).filter((execution) => execution.mode !== 'error'),
		).toHaveLength(executionsBefore + 1);
	});

	it('registers again, at start-up, an endpoint deleted while n8n was down; the new secret is saved', async () => {
		const before = endpointFor(workflow.url)!;
		await n8n.stop();
		fake.endpoints.delete(before.id);
		await n8n.start();
		await n8n.login();
		const after = await n8n.waitFor(async () => endpointFor(workflow.url), {
			what: 'the endpoint registered again at start-up',
			timeoutMs: 60_000,
		});
		expect(after.id).not.toBe(before.id);
		await waitForSavedRegistration(n8n, workflow.id, after.id);
		// Exactly one: n8n's own start-up checkExists registers it; nothing else races it.
		expect(fake.activeEndpoints().filter((each: Endpoint) => each.url === workflow.url)).toEqual([
			expect.objectContaining({ id: after.id }),
		]);
		const event = sampleEvent('payment_intent.succeeded');
		const [result] = await fake.deliver(event);
		expect(result.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 2);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({ id: event.id });
		// A second restart with the endpoint in place changes nothing.
		await n8n.restart();
		expect(fake.activeEndpoints().filter((each: Endpoint) => each.url === workflow.url)).toEqual([
			expect.objectContaining({ id: after.id }),
		]);
		const [again] = await fake.deliver(sampleEvent('payment_intent.succeeded'));
		expect(again.status).toBe(200);
		await waitForExecutions(n8n, workflow.id, 3);
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(3);
	});
});
