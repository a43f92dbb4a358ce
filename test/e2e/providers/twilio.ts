/**
 * Twilio Verified Trigger (Event Streams) end to end in each pinned real n8n, against the fake Twilio Events
 * API: n8n registers a webhook sink and its subscription, and verifies deliveries signed by Twilio's official
 * SDK (getExpectedTwilioSignature over the URL the sink calls, which carries bodySHA256).
 */
import { randomBytes } from 'crypto';
import { FakeTwilio, sampleTwilioEvent } from '../../fakes/fakeTwilio';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

/** A random Auth Token that is not the fake's (nothing here is a real secret). */
const otherToken = () => randomBytes(16).toString('hex');

const TRIGGER = 'Twilio Verified Trigger';
const WEBHOOK_ID = 'c8e0a2b4-6d7f-4b9c-8e1a-2f3b4c5d6e09';
const DELIVERED = 'com.twilio.messaging.message.delivered';
const RECEIVED = 'com.twilio.messaging.inbound-message.received';

export function twilioCases(n8n: N8n) {
	const fake = new FakeTwilio();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Twilio',
		credentialType: 'twilioVerifiedApi',
		credential: (each) => ({
			accountSid: each.accountSid,
			authToken: each.authToken,
			previousAuthToken: '',
			environment: 'custom',
			baseUrl: each.url,
		}),
		example: 'twilio-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('creates one sink for the production URL and a subscription to the selected types', async () => {
		await n8n.activate(workflow.id);
		const [sink] = await n8n.waitFor(
			async () => (fake.subscriptions.size ? fake.activeSinks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(sink.sink_configuration).toMatchObject({ destination: workflow.url, method: 'POST' });
		expect(fake.typesOf(sink.sid).sort()).toEqual([DELIVERED, RECEIVED].sort());
		expect(fake.activeSinks()).toHaveLength(1);
	});

	it('runs once per CloudEvent signed over the URL with bodySHA256, refuses forgeries, and drops a retry', async () => {
		const first = sampleTwilioEvent(DELIVERED, fake.accountSid);
		const second = sampleTwilioEvent(RECEIVED, fake.accountSid);
		const [delivered] = await fake.deliver([first, second]);
		expect(delivered.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER).map((item) => item.json.id)).toEqual([
			first.id,
			second.id,
		]);
		const forged = await fake.deliver([first], { token: otherToken() });
		const withoutHash = await fake.deliver([first], { url: workflow.url });
		const tampered = await fake.deliver([first], {
			tamper: (payload: string) => payload.replace(first.id, 'EZforged'),
		});
		const unsigned = await fake.deliver([first], { signature: null });
		expect([forged, withoutHash, tampered, unsigned].map(([result]) => result.status)).toEqual([
			401, 401, 401, 401,
		]);
		const again = await fake.deliver([first]);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the subscription and the sink on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Twilio sink and subscription removed',
			() => fake.activeSinks().length === 0 && fake.subscriptions.size === 0,
		);
	});
}
