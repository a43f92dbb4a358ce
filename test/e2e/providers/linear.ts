/** Linear Verified Trigger end to end in each pinned real n8n, against the fake Linear GraphQL API. */
import { FakeLinear, sampleLinearEvent } from '../../fakes/fakeLinear';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Linear Verified Trigger';
const WEBHOOK_ID = 'a6b8c0d2-5e7f-4a9b-8c3d-4e6f8a0b2c09';

export function linearCases(n8n: N8n, version: string) {
	const fake = new FakeLinear();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Linear',
		credentialType: 'linearVerifiedApi',
		credential: (each) => ({
			apiKey: each.apiKey,
			webhookSecrets: '',
			apiUrl: `${each.url}/graphql`,
		}),
		example: 'linear-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('creates one webhook for all public teams with the production URL and the resource types', async () => {
		await n8n.activate(workflow.id);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(webhook).toMatchObject({
			url: workflow.url,
			enabled: true,
			allPublicTeams: true,
			resourceTypes: ['Comment', 'Issue'],
		});
		expect(fake.activeWebhooks()).toHaveLength(1);
	});

	it('runs once for a signed event, refuses forgeries and stale timestamps, and drops a retry', async () => {
		const event = sampleLinearEvent('Issue', 'create');
		const deliveryId = `delivery-${version}`;
		const [first] = await fake.deliver(event, { deliveryId });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			type: 'Issue',
			verifiedWebhook: { provider: 'linear', eventId: deliveryId, action: 'create' },
		});
		const forged = await fake.deliver(event, { secret: 'forged', deliveryId: 'x1' });
		const stale = await fake.deliver(event, { timestamp: Date.now() - 900_000, deliveryId: 'x2' });
		const unsigned = await fake.deliver(event, { signature: null, deliveryId: 'x3' });
		expect([forged[0].status, stale[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		// Linear's retry: the same Linear-Delivery, re-signed with a new webhookTimestamp.
		const again = await fake.deliver(event, { deliveryId });
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the webhook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Linear webhook removed',
			() => fake.activeWebhooks().length === 0,
		);
	});
}
