/** Lemon Squeezy Verified Trigger end to end in each pinned real n8n, against the fake Lemon Squeezy API. */
import { FakeLemonSqueezy, sampleLemonSqueezyEvent } from '../../fakes/fakeLemonSqueezy';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Lemon Squeezy Verified Trigger';
const WEBHOOK_ID = 'c2d4e6f8-1a3b-4c5d-9e7f-0a2b4c6d8e05';

export function lemonSqueezyCases(n8n: N8n) {
	const fake = new FakeLemonSqueezy();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Lemon Squeezy',
		credentialType: 'lemonSqueezyVerifiedApi',
		credential: (each) => ({ apiKey: each.apiKey, signingSecrets: '', baseUrl: each.url }),
		example: 'lemon-squeezy-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('registers one store webhook with the production URL, the selected events and a generated secret', async () => {
		await n8n.activate(workflow.id);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(webhook).toMatchObject({
			storeId: '12345',
			url: workflow.url,
			events: ['order_created', 'subscription_created'],
		});
		expect(webhook.secret).toMatch(/^[0-9a-f]{40}$/);
		expect(fake.activeWebhooks()).toHaveLength(1);
	});

	it('runs once for a signed event, refuses forgeries, and drops a retry', async () => {
		const event = sampleLemonSqueezyEvent('order_created');
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			data: { id: event.data.id },
			verifiedWebhook: { provider: 'lemonSqueezy', eventType: 'order_created' },
		});
		const forged = await fake.deliver(event, { secret: 'forged-secret' });
		const unsigned = await fake.deliver(event, { signature: null });
		const altered = await fake.deliver(event, {
			tamper: (payload: string) => payload.replace('"total":1999', '"total":1'),
		});
		expect([forged[0].status, unsigned[0].status, altered[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the webhook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Lemon Squeezy webhook removed',
			() => fake.activeWebhooks().length === 0,
		);
	});
}
