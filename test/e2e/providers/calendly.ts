/** Calendly Verified Trigger end to end in each pinned real n8n, against the fake Calendly API v2. */
import { FakeCalendly, sampleCalendlyEvent } from '../../fakes/fakeCalendly';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Calendly Verified Trigger';
const WEBHOOK_ID = 'f5a7b9c1-4d6e-4f8a-8b2c-3d5e7f9a1b08';

export function calendlyCases(n8n: N8n) {
	const fake = new FakeCalendly();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Calendly',
		credentialType: 'calendlyVerifiedApi',
		credential: (each) => ({
			accessToken: each.token,
			signingSecrets: '',
			baseUrl: each.url,
		}),
		example: 'calendly-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it("creates one user-scope subscription for the production URL with the token's user and organization", async () => {
		await n8n.activate(workflow.id);
		const [subscription] = await n8n.waitFor(
			async () => (fake.activeSubscriptions().length ? fake.activeSubscriptions() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(subscription).toMatchObject({
			callback_url: workflow.url,
			scope: 'user',
			user: fake.user,
			organization: fake.organization,
			events: ['invitee.canceled', 'invitee.created'],
		});
		expect(fake.activeSubscriptions()).toHaveLength(1);
	});

	it('runs once for a signed event, refuses forgeries, and drops a retry', async () => {
		const event = sampleCalendlyEvent('invitee.created');
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event: 'invitee.created',
			verifiedWebhook: {
				provider: 'calendly',
				eventType: 'invitee.created',
				resource: event.payload.uri,
			},
		});
		const forged = await fake.deliver(event, { key: 'forged-key' });
		const stale = await fake.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 900 });
		const unsigned = await fake.deliver(event, { signature: null });
		expect([forged[0].status, stale[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the subscription on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Calendly subscription removed',
			() => fake.activeSubscriptions().length === 0,
		);
	});
}
