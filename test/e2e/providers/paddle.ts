/** Paddle Billing Verified Trigger end to end in each pinned real n8n, against the fake Paddle API. */
import { FakePaddle, samplePaddleEvent } from '../../fakes/fakePaddle';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Paddle Billing Verified Trigger';
const WEBHOOK_ID = 'a04c6e3b-4d5f-4c88-9d54-6b2a8c3d5e03';

export function paddleCases(n8n: N8n, version: string) {
	const fake = new FakePaddle();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Paddle',
		credentialType: 'paddleVerifiedApi',
		credential: (each) => ({
			apiKey: each.apiKey,
			environment: 'custom',
			baseUrl: each.url,
			endpointSecretKeys: '',
		}),
		example: 'paddle-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('registers one notification setting with the production URL and the selected events', async () => {
		await n8n.activate(workflow.id);
		const [setting] = await n8n.waitFor(
			async () => (fake.activeSettings().length ? fake.activeSettings() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(setting).toMatchObject({
			destination: workflow.url,
			subscribed_events: ['subscription.created', 'transaction.completed'],
		});
	});

	it('runs once for a signed event, refuses forgeries, and drops a redelivery', async () => {
		const event = samplePaddleEvent('transaction.completed', {
			event_id: `evt_paddle_${version.replace(/\./g, '_')}`,
		});
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event_id: event.event_id,
			verifiedWebhook: { provider: 'paddle', eventType: 'transaction.completed' },
		});
		const forged = await fake.deliver(event, { secret: 'pdl_ntfset_forged' });
		const stale = await fake.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 900 });
		const unsigned = await fake.deliver(event, { signature: null });
		expect([forged[0].status, stale[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the notification setting on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Paddle notification setting removed',
			() => fake.activeSettings().length === 0,
		);
	});
}
