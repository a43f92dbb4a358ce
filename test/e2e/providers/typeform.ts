/** Typeform Verified Trigger end to end in each pinned real n8n, against the fake Typeform Create API. */
import { FakeTypeform, sampleTypeformEvent } from '../../fakes/fakeTypeform';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Typeform Verified Trigger';
const WEBHOOK_ID = 'd3e5f7a9-2b4c-4d6e-8f0a-1b3c5d7e9f06';

export function typeformCases(n8n: N8n) {
	const fake = new FakeTypeform();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Typeform',
		credentialType: 'typeformVerifiedApi',
		credential: (each) => ({
			accessToken: each.token,
			webhookSecrets: '',
			baseUrl: each.url,
		}),
		example: 'typeform-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('puts one webhook on the form with the production URL, completed responses only, and a generated secret', async () => {
		await n8n.activate(workflow.id);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(webhook).toMatchObject({
			form_id: 'u6nXL7',
			url: workflow.url,
			enabled: true,
			event_types: { form_response: true, form_response_partial: false },
		});
		expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(fake.activeWebhooks()).toHaveLength(1);
	});

	it('runs once for a signed response, refuses forgeries, and drops a retry', async () => {
		const event = sampleTypeformEvent();
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event_id: event.event_id,
			verifiedWebhook: { provider: 'typeform', eventType: 'form_response', formId: 'u6nXL7' },
		});
		const forged = await fake.deliver(event, { secret: 'forged-secret' });
		const unsigned = await fake.deliver(event, { signature: null });
		const altered = await fake.deliver(event, {
			tamper: (payload: string) => payload.replace('"number":5', '"number":1'),
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
			'Typeform webhook removed',
			() => fake.activeWebhooks().length === 0,
		);
	});
}
