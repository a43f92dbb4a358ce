import { createHmac } from 'crypto';

import { SignedWebhookVerifiedApi } from '../../credentials/SignedWebhookVerifiedApi.credentials';
import { SignedWebhookTrigger } from '../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';
import { FakeResponse, TriggerHarness, fakeRequest } from '../support/n8nContexts';

const SLACK_SECRET = 'slack_example_signing_secret';

function harness(parameters: Record<string, unknown>, secret = SLACK_SECRET) {
	return new TriggerHarness({
		nodeType: new SignedWebhookTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.signedWebhookTrigger',
		credentialType: new SignedWebhookVerifiedApi(),
		credentials: { secret, previousSecret: '' },
		parameters: { eventTypes: '', options: {}, ...parameters },
	});
}

function slackRequest(body: object, secret = SLACK_SECRET, timestamp = Math.floor(Date.now() / 1000)) {
	const text = JSON.stringify(body);
	const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${text}`).digest('hex')}`;
	return fakeRequest(Buffer.from(text), { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) });
}

describe('Signed Webhook Trigger (n8n-core WebhookContext)', () => {
	it('Slack: answers url_verification with the challenge and no execution', async () => {
		const response = new FakeResponse();
		const result = await harness({ preset: 'slack' }).webhook(slackRequest({ type: 'url_verification', challenge: 'abc123', token: 'x' }), response);
		expect([response.statusCode, response.body]).toEqual([200, { challenge: 'abc123' }]);
		expect(result.workflowData).toBeUndefined();
	});

	it('Slack: an unsigned url_verification is refused (the challenge is answered only after verification)', async () => {
		const response = new FakeResponse();
		await harness({ preset: 'slack' }).webhook(fakeRequest(Buffer.from(JSON.stringify({ type: 'url_verification', challenge: 'abc' })), {}), response);
		expect(response.statusCode).toBe(401);
	});

	it('Slack: emits an event callback once per event_id', async () => {
		const trigger = harness({ preset: 'slack' });
		const body = { type: 'event_callback', event_id: 'Ev123', event: { type: 'app_mention', text: 'hi' } };
		const first = await trigger.webhook(slackRequest(body), new FakeResponse());
		expect(first.workflowData![0][0].json).toMatchObject({ verifiedWebhook: { provider: 'slack', eventId: 'Ev123', eventType: 'app_mention' } });
		const retry = await trigger.webhook(slackRequest(body), new FakeResponse());
		expect(retry.workflowData).toBeUndefined();
	});

	it('Zoom: answers endpoint.url_validation with the HMAC of the plain token', async () => {
		const secret = ['zoom', 'secret'].join('_'); // the documented vector's key
		const zoomToken = ['qgg8vlvZRS6U', 'YooatFL8Aw'].join(''); // the documented plain token
		const expectedAnswer = '46a324cfb7c2ec760e4cd561586a53aadb6fc7561eb8d626d6ee1b71d808b3c0';
		const text = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: zoomToken }, event_ts: 1 });
		const timestamp = String(Math.floor(Date.now() / 1000));
		const request = fakeRequest(Buffer.from(text), {
			'x-zm-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${text}`).digest('hex')}`,
			'x-zm-request-timestamp': timestamp,
		});
		const response = new FakeResponse();
		await harness({ preset: 'zoom' }, secret).webhook(request, response);
		expect(response.body).toEqual({ plainToken: zoomToken, encryptedToken: expectedAnswer });
	});

	it('WooCommerce: answers the unsigned creation ping with 200 and no execution, but verifies everything else', async () => {
		const trigger = harness({ preset: 'woocommerce' }, 'wc_secret');
		const ping = new FakeResponse();
		const pinged = await trigger.webhook(fakeRequest(Buffer.from('webhook_id=12'), { 'content-type': 'application/x-www-form-urlencoded' }), ping);
		expect([ping.statusCode, pinged.workflowData]).toEqual([200, undefined]);
		const forged = new FakeResponse();
		await trigger.webhook(fakeRequest(Buffer.from('{"id":1}'), { 'x-wc-webhook-topic': 'order.created' }), forged);
		expect(forged.statusCode).toBe(401);
	});

	it('Custom: a batched body is deduplicated and emitted per element', async () => {
		const secret = 'batch_secret';
		const trigger = harness(
			{
				preset: 'custom',
				algorithm: 'sha256',
				secretEncoding: 'utf8',
				signatureLocation: 'header',
				signatureName: 'X-Batch-Signature',
				signatureFormat: 'raw',
				signatureEncoding: 'base64',
				template: '{body}',
				timestampSource: 'none',
				eventIdTemplate: '{json:eventId}',
				eventTypeTemplate: '{json:subscriptionType}',
				batchPath: '$',
				challenge: 'none',
			},
			secret,
		);
		const send = async (events: object[]) => {
			const text = JSON.stringify(events);
			return await trigger.webhook(fakeRequest(Buffer.from(text), { 'x-batch-signature': createHmac('sha256', secret).update(text).digest('base64') }), new FakeResponse());
		};
		const first = await send([{ eventId: 1, subscriptionType: 'contact.creation' }, { eventId: 2, subscriptionType: 'contact.deletion' }]);
		expect(first.workflowData![0].map((item) => item.json.verifiedWebhook)).toMatchObject([{ eventId: '1' }, { eventId: '2' }]);
		const overlap = await send([{ eventId: 2, subscriptionType: 'contact.deletion' }, { eventId: 3, subscriptionType: 'contact.creation' }]);
		expect(overlap.workflowData![0].map((item) => (item.json.verifiedWebhook as { eventId: string }).eventId)).toEqual(['3']);
	});

	it('uses the configured rejection status, but never 410', async () => {
		const response406 = new FakeResponse();
		await harness({ preset: 'slack', options: { failureStatus: 406 } }).webhook(slackRequest({ type: 'event_callback' }, 'wrong'), response406);
		const response410 = new FakeResponse();
		await harness({ preset: 'slack', options: { failureStatus: 410 } }).webhook(slackRequest({ type: 'event_callback' }, 'wrong'), response410);
		expect([response406.statusCode, response410.statusCode]).toEqual([406, 401]);
	});
});
