/**
 * Signed Webhook Trigger end to end in each pinned real n8n: the Slack preset (a handshake), Linear (a body
 * timestamp), HubSpot (method + URL with its query signed, a batch, signed by @hubspot/api-client) and SendGrid
 * (ECDSA P-256 with a public key, a batch; each signature accepted by @sendgrid/eventwebhook first) and Twilio
 * (the URL and sorted form fields, or the URL with the JSON body's SHA-256; signed by twilio's
 * getExpectedTwilioSignature) and Mailgun (a signature inside the body over a timestamp and a token; node:crypto,
 * as Mailgun publishes no signing code).
 */
import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { createHmac } from 'crypto';
import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

import { loadExample } from '../../../scripts/examples';
import { sendGridSdkAccepts, throwawaySigner } from '../../support/sendgrid';
import { settledExecutionCount, triggerItems, waitForExecutions, type N8n } from '../support';

const TRIGGER = 'Signed Webhook Trigger';
const SLACK_HOOK = 'f6ab2e9b-acbe-4cee-9cba-c18ae29dbe06';
const LINEAR_HOOK = '07bc3fac-bdcf-4d11-8dcb-d29bf3aecf07';
const HUBSPOT_HOOK = '5d0c8f0e-6a51-4b8e-a7a3-2f4b7e1c9d22';
const SLACK_FIXTURE = 'slack_e2e_signing_secret';
const HUBSPOT_FIXTURE = 'hubspot-e2e-client-secret';
const SENDGRID_HOOK = '9a3e51c2-7d4b-4f0e-8c61-3b2d9e7f4a15';
/** SendGrid signs with its private key; the credential holds the public key. */
const SENDGRID = throwawaySigner();
const LINEAR_FIXTURE = 'lin_wh_e2e_secret';
const TWILIO_HOOK = 'c2f7a9e4-3b18-4d6c-9e05-7a1b4c8d2f63';
const TWILIO_FIXTURE = 'twilio-e2e-auth-token';
const MAILGUN_HOOK = 'e8d4b6a2-1f3c-4a7e-b925-6c0d3f8e1a47';
const MAILGUN_FIXTURE = 'mailgun-e2e-signing-key';

async function post(url: string, body: string, headers: Record<string, string>) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body,
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function slackHeaders(
	body: string,
	secret = SLACK_FIXTURE,
	timestamp = Math.floor(Date.now() / 1000),
) {
	return {
		'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
		'x-slack-request-timestamp': String(timestamp),
	};
}

export function signedWebhookCases(n8n: N8n, version: string) {
	const ids = { slack: '', linear: '', hubspot: '', sendgrid: '', twilio: '', mailgun: '' };
	const url = (hook: string) => `${n8n.baseUrl}/webhook/${hook}/webhook`;

	beforeAll(async () => {
		for (const [name, hook, secret, preset] of [
			['slack', SLACK_HOOK, SLACK_FIXTURE, 'slack'],
			['linear', LINEAR_HOOK, LINEAR_FIXTURE, 'linear'],
			['hubspot', HUBSPOT_HOOK, HUBSPOT_FIXTURE, 'hubspot'],
			['sendgrid', SENDGRID_HOOK, SENDGRID.publicKey, 'sendgrid'],
			['twilio', TWILIO_HOOK, TWILIO_FIXTURE, 'twilio'],
			['mailgun', MAILGUN_HOOK, MAILGUN_FIXTURE, 'mailgun'],
		] as const) {
			const credential = await n8n.createCredential(`${name} secret`, 'signedWebhookVerifiedApi', {
				secret,
				previousSecret: '',
			});
			const workflow = loadExample('signed-webhook-trigger', {
				credentials: { signedWebhookVerifiedApi: { id: credential.id, name: `${name} secret` } },
				webhookId: hook,
				name: `signed: ${name}`,
			});
			workflow.nodes[0].parameters.preset = preset;
			ids[name] = (await n8n.createWorkflow(workflow)).id;
			await n8n.activate(ids[name]);
		}
		await n8n.waitFor(
			async () => (await fetch(url(LINEAR_HOOK), { method: 'POST' })).status === 401,
			{ what: 'the webhooks to be live' },
		);
	});

	// The n8n is shared with the other providers' suites: leave nothing of this one listening.
	afterAll(async () => {
		for (const id of Object.values(ids)) if (id) await n8n.deactivate(id);
	});

	it('Slack preset: answers the signed url_verification with its challenge and starts nothing', async () => {
		const body = JSON.stringify({
			token: 't',
			challenge: 'challenge-e2e',
			type: 'url_verification',
		});
		expect(await post(url(SLACK_HOOK), body, slackHeaders(body))).toEqual({
			status: 200,
			body: { challenge: 'challenge-e2e' },
		});
		expect((await post(url(SLACK_HOOK), body, slackHeaders(body, 'wrong'))).status).toBe(401);
		expect(await settledExecutionCount(n8n, ids.slack)).toBe(0);
	});

	it('Slack preset: one execution per event_id, 401 for a stale or forged request', async () => {
		const body = JSON.stringify({
			type: 'event_callback',
			event_id: `Ev${version}`,
			event: { type: 'app_mention', text: 'hello' },
		});
		expect((await post(url(SLACK_HOOK), body, slackHeaders(body))).status).toBe(200);
		const [execution] = await waitForExecutions(n8n, ids.slack, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			verifiedWebhook: { eventId: `Ev${version}`, eventType: 'app_mention' },
		});
		expect(
			(
				await post(
					url(SLACK_HOOK),
					body,
					slackHeaders(body, SLACK_FIXTURE, Math.floor(Date.now() / 1000) - 900),
				)
			).status,
		).toBe(401);
		expect((await post(url(SLACK_HOOK), body, slackHeaders(body, 'forged'))).status).toBe(401);
		expect((await post(url(SLACK_HOOK), body, slackHeaders(body))).body).toEqual({
			received: true,
			duplicate: true,
		});
		expect(await settledExecutionCount(n8n, ids.slack)).toBe(1);
	});

	it('Linear preset: verifies the body timestamp, runs once per Linear-Delivery', async () => {
		const body = JSON.stringify({
			action: 'create',
			type: 'Issue',
			data: { id: 'iss_1' },
			webhookTimestamp: Date.now(),
		});
		const headers = {
			'linear-signature': createHmac('sha256', LINEAR_FIXTURE).update(body).digest('hex'),
			'linear-delivery': `del-${version}`,
		};
		expect((await post(url(LINEAR_HOOK), body, headers)).status).toBe(200);
		const [execution] = await waitForExecutions(n8n, ids.linear, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			verifiedWebhook: { provider: 'linear', eventId: `del-${version}`, eventType: 'Issue.create' },
		});
		const old = JSON.stringify({
			action: 'create',
			type: 'Issue',
			webhookTimestamp: Date.now() - 120_000,
		});
		expect(
			(
				await post(url(LINEAR_HOOK), old, {
					'linear-signature': createHmac('sha256', LINEAR_FIXTURE).update(old).digest('hex'),
					'linear-delivery': 'del-old',
				})
			).body,
		).toMatchObject({ reason: 'timestamp_too_old' });
		expect((await post(url(LINEAR_HOOK), body, headers)).body).toEqual({
			received: true,
			duplicate: true,
		});
		expect(await settledExecutionCount(n8n, ids.linear)).toBe(1);
	});

	it('HubSpot preset: a batch signed over method, URL with query, body and ms time by @hubspot/api-client runs once per event', async () => {
		// HubSpot calls the URL exactly as configured in the app, query included, and signs it.
		const target = `${url(HUBSPOT_HOOK)}?source=hubspot`;
		const send = async (events: object[], secret = HUBSPOT_FIXTURE, timestamp = Date.now()) => {
			const body = JSON.stringify(events);
			return await post(target, body, {
				'x-hubspot-signature-v3': HubSpotSignature.getSignature('POST', 'v3', {
					signature: '',
					clientSecret: secret,
					requestBody: body,
					url: target,
					timestamp,
				}),
				'x-hubspot-request-timestamp': String(timestamp),
			});
		};
		const event = (eventId: number, attemptNumber: number) => ({
			eventId,
			subscriptionId: 11,
			portalId: 22,
			occurredAt: 1_700_000_000_000,
			subscriptionType: 'contact.propertyChange',
			attemptNumber,
		});
		expect((await send([event(1, 0), event(2, 0)])).status).toBe(200);
		const [execution] = await waitForExecutions(n8n, ids.hubspot, 1);
		expect(triggerItems(execution, TRIGGER).map((item) => item.json.verifiedWebhook)).toMatchObject(
			[
				{
					provider: 'hubspot',
					eventId: '22:11:1:1700000000000',
					eventType: 'contact.propertyChange',
				},
				{
					provider: 'hubspot',
					eventId: '22:11:2:1700000000000',
					eventType: 'contact.propertyChange',
				},
			],
		);
		// HubSpot's retry: the same events, the next attemptNumber, a new time and signature.
		expect((await send([event(1, 1), event(2, 1)])).status).toBe(200);
		expect((await send([event(3, 0)], 'another-client-secret')).status).toBe(401);
		expect((await send([event(3, 0)], HUBSPOT_FIXTURE, Date.now() - 301_000)).status).toBe(401);
		expect(await settledExecutionCount(n8n, ids.hubspot)).toBe(1);
	});

	it('SendGrid preset: an ECDSA-signed batch (public key in the credential) runs once per sg_event_id; another key or a stale time is 401', async () => {
		const send = async (
			events: object[],
			signer = SENDGRID,
			timestamp = String(Math.floor(Date.now() / 1000)),
		) => {
			const body = `${JSON.stringify(events).split('},{').join('},\r\n{')}\r\n`;
			const signature = signer.sign(timestamp, body);
			expect(sendGridSdkAccepts(signer.publicKey, body, signature, timestamp)).toBe(true);
			return await post(url(SENDGRID_HOOK), body, {
				'x-twilio-email-event-webhook-signature': signature,
				'x-twilio-email-event-webhook-timestamp': timestamp,
			});
		};
		const events = [
			{ email: 'a@example.com', event: 'delivered', sg_event_id: `dlv-${version}`, timestamp: 1 },
			{ email: 'a@example.com', event: 'open', sg_event_id: `opn-${version}`, timestamp: 2 },
		];
		expect((await send(events)).status).toBe(200);
		const [execution] = await waitForExecutions(n8n, ids.sendgrid, 1);
		expect(triggerItems(execution, TRIGGER).map((item) => item.json.verifiedWebhook)).toMatchObject(
			[
				{ provider: 'sendgrid', eventId: `dlv-${version}`, eventType: 'delivered' },
				{ provider: 'sendgrid', eventId: `opn-${version}`, eventType: 'open' },
			],
		);
		// SendGrid's retry of the same batch, signed again.
		expect((await send(events)).body).toMatchObject({ received: true, duplicate: true });
		const other = [{ email: 'b@example.com', event: 'bounce', sg_event_id: `bnc-${version}` }];
		expect((await send(other, throwawaySigner())).status).toBe(401);
		const stale = String(Math.floor(Date.now() / 1000) - 400);
		expect((await send(other, SENDGRID, stale)).status).toBe(401);
		expect(await settledExecutionCount(n8n, ids.sendgrid)).toBe(1);
	});

	it('Twilio preset: SDK-signed form posts run once per message status, Event Streams JSON once per CloudEvent id; a forged body or token is 401', async () => {
		const form = async (fields: Record<string, string>, token = TWILIO_FIXTURE) => {
			const response = await fetch(url(TWILIO_HOOK), {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					'x-twilio-signature': getExpectedTwilioSignature(token, url(TWILIO_HOOK), fields),
				},
				body: new URLSearchParams(fields).toString(),
			});
			return response.status;
		};
		const status = {
			MessageSid: `SM${version.replace(/\./g, '')}`,
			MessageStatus: 'delivered',
			To: '+15551230000',
			Body: 'café & more',
		};
		expect(await form(status)).toBe(200);
		const [execution] = await waitForExecutions(n8n, ids.twilio, 1);
		const [item] = triggerItems(execution, TRIGGER);
		expect(item.json).toMatchObject({ MessageSid: status.MessageSid, Body: 'café & more' });
		expect(item.json.verifiedWebhook).toMatchObject({
			provider: 'twilio',
			eventId: `${status.MessageSid}:delivered`,
			eventType: 'delivered',
		});
		// Twilio's retry of the same status; a forged field; another account's token.
		expect(await form(status)).toBe(200);
		expect(await form({ ...status, MessageStatus: 'failed' }, 'another-auth-token')).toBe(401);

		// Event Streams: the URL carries ?bodySHA256= of the JSON body and is all that is signed.
		const events = JSON.stringify([
			{
				specversion: '1.0',
				id: `EZ-${version}`,
				type: 'com.twilio.messaging.message.sent',
				data: {},
			},
		]);
		const stream = async (body: string, hashOf = body) => {
			const target = `${url(TWILIO_HOOK)}?bodySHA256=${getExpectedBodyHash(hashOf)}`;
			const response = await fetch(target, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-twilio-signature': getExpectedTwilioSignature(TWILIO_FIXTURE, target, {}),
				},
				body,
			});
			return response.status;
		};
		expect(await stream(events)).toBe(200);
		const executions = await waitForExecutions(n8n, ids.twilio, 2);
		const streamed = executions.flatMap((each) => triggerItems(each, TRIGGER));
		expect(streamed.map((each) => each.json.verifiedWebhook)).toContainEqual(
			expect.objectContaining({
				eventId: `EZ-${version}`,
				eventType: 'com.twilio.messaging.message.sent',
			}),
		);
		expect(await stream(events)).toBe(200);
		// A genuine signature over the URL of another body: the body does not hash to it.
		expect(await stream(events.replace('EZ-', 'EY-'), events)).toBe(401);
		expect(await settledExecutionCount(n8n, ids.twilio)).toBe(2);
	});

	it('Mailgun preset: one execution per event; the captured signature under other event data, a retry and another key run nothing', async () => {
		const signed = (eventData: object, token: string, key = MAILGUN_FIXTURE) => {
			const timestamp = String(Math.floor(Date.now() / 1000));
			const signature = createHmac('sha256', key)
				.update(timestamp + token)
				.digest('hex');
			return { signature: { timestamp, token, signature }, 'event-data': eventData };
		};
		const send = async (body: object) =>
			(await post(url(MAILGUN_HOOK), JSON.stringify(body), {})).status;
		const delivered = { id: `mg-${version}`, event: 'delivered', recipient: 'a@example.com' };
		const genuine = signed(delivered, `${version}-`.padEnd(50, 'a'));
		expect(await send(genuine)).toBe(200);
		const [execution] = await waitForExecutions(n8n, ids.mailgun, 1);
		const [item] = triggerItems(execution, TRIGGER);
		expect(item.json.verifiedWebhook).toMatchObject({
			provider: 'mailgun',
			eventId: `mg-${version}`,
			eventType: 'delivered',
		});
		// Mailgun signs no event data: the captured signature with another event must not run.
		expect(
			await send({ ...genuine, 'event-data': { id: `forged-${version}`, event: 'complained' } }),
		).toBe(200);
		// Mailgun's retry (a fresh token) and another account's key.
		expect(await send(signed(delivered, `${version}-`.padEnd(50, 'b')))).toBe(200);
		expect(
			await send(signed({ id: `other-${version}` }, `${version}-`.padEnd(50, 'c'), 'another-key')),
		).toBe(401);
		expect(await settledExecutionCount(n8n, ids.mailgun)).toBe(1);
	});
}
