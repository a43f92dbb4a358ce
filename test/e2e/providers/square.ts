/** Square Verified Trigger end to end in each pinned real n8n, against the fake Square Webhook Subscriptions API. */
import { FakeSquare, sampleSquareEvent } from '../../fakes/fakeSquare';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Square Verified Trigger';
const WEBHOOK_ID = 'e4f6a8b0-3c5d-4e7f-9a1b-2c4d6e8f0a07';

export function squareCases(n8n: N8n) {
	const fake = new FakeSquare();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Square',
		credentialType: 'squareVerifiedApi',
		credential: (each) => ({
			accessToken: each.accessToken,
			environment: 'custom',
			baseUrl: each.url,
			signatureSecrets: '',
		}),
		example: 'square-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('creates one subscription for the production URL and the selected events', async () => {
		await n8n.activate(workflow.id);
		const [subscription] = await n8n.waitFor(
			async () => (fake.activeSubscriptions().length ? fake.activeSubscriptions() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(subscription).toMatchObject({
			notification_url: workflow.url,
			enabled: true,
			event_types: ['payment.updated', 'refund.created'],
		});
		expect(fake.activeSubscriptions()).toHaveLength(1);
	});

	it('runs once for an event signed over the notification URL, refuses forgeries, and drops a retry', async () => {
		const event = sampleSquareEvent('payment.updated');
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event_id: event.event_id,
			verifiedWebhook: { provider: 'square', eventType: 'payment.updated' },
		});
		const forged = await fake.deliver(event, { key: 'forged-key' });
		const otherUrl = await fake.deliver(event, { url: `${workflow.url}?x=1` });
		const unsigned = await fake.deliver(event, { signature: null });
		expect([forged[0].status, otherUrl[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the subscription on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Square subscription removed',
			() => fake.activeSubscriptions().length === 0,
		);
	});
}
