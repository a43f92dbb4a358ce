/**
 * SendGrid Verified Trigger end to end in each pinned real n8n, against the fake SendGrid API: a signed Event
 * Webhook registered on activation, batches verified (each signed batch first accepted by SendGrid's official
 * verifier, @sendgrid/eventwebhook) and deduplicated per event, the webhook removed on deactivation.
 */
import { FakeSendGrid, keyPair, sampleSendGridEvent } from '../../fakes/fakeSendGrid';
import { sendGridSdkAccepts } from '../../support/sendgrid';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'SendGrid Verified Trigger';
const WEBHOOK_ID = 'c7e2a9d4-1b3f-4e58-8a6c-2d4f6b8e0a13';

export function sendGridCases(n8n: N8n, version: string) {
	const fake = new FakeSendGrid();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'SendGrid',
		credentialType: 'sendGridVerifiedApi',
		credential: (each) => ({
			apiKey: each.apiKey,
			environment: 'custom',
			baseUrl: each.url,
			verificationKeys: '',
		}),
		example: 'sendgrid-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('registers one signed Event Webhook with the production URL and the selected events', async () => {
		await n8n.activate(workflow.id);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(webhook).toMatchObject({
			url: workflow.url,
			enabled: true,
			delivered: true,
			bounce: true,
			open: false,
		});
		expect(fake.keys.has(webhook.id)).toBe(true);
	});

	it('runs once per event of a signed batch, refuses forgeries, and drops a redelivered batch', async () => {
		const tag = version.replace(/\./g, '_');
		const events = [
			sampleSendGridEvent('delivered', { sg_event_id: `sg_${tag}_1` }),
			sampleSendGridEvent('bounce', { sg_event_id: `sg_${tag}_2` }),
			sampleSendGridEvent('open', { sg_event_id: `sg_${tag}_not_selected` }),
		];
		const [first] = await fake.deliver(events);
		const [webhook] = fake.activeWebhooks();
		expect(
			sendGridSdkAccepts(
				fake.keys.get(webhook.id).publicKey,
				first.payload,
				first.signature,
				first.timestamp,
			),
		).toBe(true);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER).map((item) => item.json.verifiedWebhook)).toEqual([
			expect.objectContaining({
				provider: 'sendgrid',
				eventId: `sg_${tag}_1`,
				eventType: 'delivered',
			}),
			expect.objectContaining({ eventId: `sg_${tag}_2`, eventType: 'bounce' }),
		]);
		const forged = await fake.deliver(events, { privateKey: keyPair().privateKey });
		const stale = await fake.deliver(events, { timestamp: Math.floor(Date.now() / 1000) - 900 });
		const unsigned = await fake.deliver(events, { signature: null });
		const tampered = await fake.deliver(events, {
			tamper: (payload: string) => payload.replace('someone@', 'attacker@'),
		});
		expect([forged, stale, unsigned, tampered].map(([answer]) => answer.status)).toEqual([
			401, 401, 401, 401,
		]);
		const [again] = await fake.deliver(events);
		expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the Event Webhook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'SendGrid Event Webhook removed',
			() => fake.activeWebhooks().length === 0,
		);
	});
}
