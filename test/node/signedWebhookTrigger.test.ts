import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { createHmac } from 'crypto';
import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { IDataObject } from 'n8n-workflow';

import { SignedWebhookVerifiedApi } from '../../credentials/SignedWebhookVerifiedApi.credentials';
import { SignedWebhookTrigger } from '../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';
import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import { FakeResponse, TriggerHarness, fakeRequest } from '../support/n8nContexts';
import { SENDGRID_VECTORS, sendGridSdkAccepts, throwawaySigner } from '../support/sendgrid';

const SLACK_SECRET = 'slack_example_signing_secret';
/** SendGrid's preset holds a public key where the others hold a secret. */
const SENDGRID_KEY = throwawaySigner();
const secretFor = (preset: string) =>
	preset === 'sendgrid' ? SENDGRID_KEY.publicKey : 'a-real-secret';

function harness(parameters: Record<string, unknown>, secret = SLACK_SECRET) {
	return new TriggerHarness({
		nodeType: new SignedWebhookTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.signedWebhookTrigger',
		credentialType: new SignedWebhookVerifiedApi(),
		credentials: { secret, previousSecret: '' },
		parameters: { eventTypes: '', options: {}, ...parameters },
	});
}

function slackRequest(
	body: object,
	secret = SLACK_SECRET,
	timestamp = Math.floor(Date.now() / 1000),
) {
	const text = JSON.stringify(body);
	const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${text}`).digest('hex')}`;
	return fakeRequest(Buffer.from(text), {
		'x-slack-signature': signature,
		'x-slack-request-timestamp': String(timestamp),
	});
}

const ZOOM_SECRET = ['zoom', 'secret'].join('_'); // the documented vector's key

/** Zoom's documented endpoint.url_validation vector, signed with ZOOM_SECRET, and the answer Zoom expects. */
function zoomValidation() {
	const zoomToken = ['qgg8vlvZRS6U', 'YooatFL8Aw'].join(''); // the documented plain token
	const text = JSON.stringify({
		event: 'endpoint.url_validation',
		payload: { plainToken: zoomToken },
		event_ts: 1,
	});
	const timestamp = String(Math.floor(Date.now() / 1000));
	const request = fakeRequest(Buffer.from(text), {
		'x-zm-signature': `v0=${createHmac('sha256', ZOOM_SECRET).update(`v0:${timestamp}:${text}`).digest('hex')}`,
		'x-zm-request-timestamp': timestamp,
	});
	const documentedAnswer = '46a324cfb7c2ec760e4cd561586a53aadb6fc7561eb8d626d6ee1b71d808b3c0';
	return { request, answer: { plainToken: zoomToken, encryptedToken: documentedAnswer } };
}

describe('Signed Webhook Trigger (n8n-core WebhookContext)', () => {
	it('Slack: answers url_verification with the challenge and no execution', async () => {
		const response = new FakeResponse();
		const result = await harness({ preset: 'slack' }).webhook(
			slackRequest({ type: 'url_verification', challenge: 'abc123', token: 'x' }),
			response,
		);
		expect([response.statusCode, response.body]).toEqual([200, { challenge: 'abc123' }]);
		expect(result.workflowData).toBeUndefined();
	});

	it('Slack: an unsigned url_verification is refused (the challenge is answered only after verification)', async () => {
		const response = new FakeResponse();
		await harness({ preset: 'slack' }).webhook(
			fakeRequest(Buffer.from(JSON.stringify({ type: 'url_verification', challenge: 'abc' })), {}),
			response,
		);
		expect(response.statusCode).toBe(401);
	});

	it('Slack: emits an event callback once per event_id', async () => {
		const trigger = harness({ preset: 'slack' });
		const body = {
			type: 'event_callback',
			event_id: 'Ev123',
			event: { type: 'app_mention', text: 'hi' },
		};
		const first = await trigger.webhook(slackRequest(body), new FakeResponse());
		expect(first.workflowData![0][0].json).toMatchObject({
			verifiedWebhook: { provider: 'slack', eventId: 'Ev123', eventType: 'app_mention' },
		});
		const retry = await trigger.webhook(slackRequest(body), new FakeResponse());
		expect(retry.workflowData).toBeUndefined();
	});

	it('Zoom: answers endpoint.url_validation with the HMAC of the plain token', async () => {
		const { request, answer } = zoomValidation();
		const response = new FakeResponse();
		await harness({ preset: 'zoom' }, ZOOM_SECRET).webhook(request, response);
		expect(response.body).toEqual(answer);
	});

	it('WooCommerce: answers the unsigned creation ping with 200 and no execution, but verifies everything else', async () => {
		const trigger = harness({ preset: 'woocommerce' }, 'wc_secret');
		const ping = new FakeResponse();
		const pinged = await trigger.webhook(
			fakeRequest(Buffer.from('webhook_id=12'), {
				'content-type': 'application/x-www-form-urlencoded',
			}),
			ping,
		);
		expect([ping.statusCode, pinged.workflowData]).toEqual([200, undefined]);
		const forged = new FakeResponse();
		await trigger.webhook(
			fakeRequest(Buffer.from('{"id":1}'), { 'x-wc-webhook-topic': 'order.created' }),
			forged,
		);
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
			return await trigger.webhook(
				fakeRequest(Buffer.from(text), {
					'x-batch-signature': createHmac('sha256', secret).update(text).digest('base64'),
				}),
				new FakeResponse(),
			);
		};
		const first = await send([
			{ eventId: 1, subscriptionType: 'contact.creation' },
			{ eventId: 2, subscriptionType: 'contact.deletion' },
		]);
		expect(first.workflowData![0].map((item) => item.json.verifiedWebhook)).toMatchObject([
			{ eventId: '1' },
			{ eventId: '2' },
		]);
		const overlap = await send([
			{ eventId: 2, subscriptionType: 'contact.deletion' },
			{ eventId: 3, subscriptionType: 'contact.creation' },
		]);
		expect(
			overlap.workflowData![0].map(
				(item) => (item.json.verifiedWebhook as { eventId: string }).eventId,
			),
		).toEqual(['3']);
	});

	it('Twilio preset: SDK-signed form posts run once per message status, an Event Streams batch once per CloudEvent id; a forged one is 401', async () => {
		const authToken = 'twilio-auth-token';
		// The URL n8n serves the test harness's webhook at (n8nContexts' TriggerHarness).
		const url = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
		const trigger = harness({ preset: 'twilio' }, authToken);
		const run = async (request: ReturnType<typeof fakeRequest>) => {
			const response = new FakeResponse();
			const result = await trigger.webhook(request, response);
			const items = result.workflowData?.[0] ?? [];
			return {
				status: response.statusCode,
				ids: items.map((item) => (item.json.verifiedWebhook as { eventId: string }).eventId),
				items: items.map((item) => item.json),
			};
		};
		const form = (fields: Record<string, string>, token = authToken) => {
			const text = new URLSearchParams(fields).toString();
			return fakeRequest(Buffer.from(text), {
				'content-type': 'application/x-www-form-urlencoded',
				// Signed by Twilio's official SDK (twilio getExpectedTwilioSignature).
				'x-twilio-signature': getExpectedTwilioSignature(token, url, fields),
			});
		};
		const sent = { MessageSid: 'SM1', MessageStatus: 'sent', To: '+15551230000' };
		const first = await run(form(sent));
		expect(first).toMatchObject({ status: 200, ids: ['SM1:sent'] });
		expect(first.items[0]).toMatchObject({ MessageSid: 'SM1', To: '+15551230000' });
		expect(await run(form(sent))).toMatchObject({ status: 200, ids: [] });
		expect(await run(form({ ...sent, MessageStatus: 'delivered' }))).toMatchObject({
			status: 200,
			ids: ['SM1:delivered'],
		});
		expect(await run(form({ ...sent, MessageSid: 'SM2' }, 'another-token'))).toMatchObject({
			status: 401,
			ids: [],
		});

		// Event Streams: JSON, the body's SHA-256 in the signed URL's query.
		const events = JSON.stringify([
			{ specversion: '1.0', id: 'EZ1', type: 'com.twilio.messaging.message.sent', data: {} },
			{ specversion: '1.0', id: 'EZ2', type: 'com.twilio.messaging.message.delivered', data: {} },
		]);
		const stream = (body: string, hash = getExpectedBodyHash(body)) => {
			const signedUrl = `${url}?bodySHA256=${hash}`;
			return {
				...fakeRequest(Buffer.from(body), {
					'x-twilio-signature': getExpectedTwilioSignature(authToken, signedUrl, {}),
				}),
				query: { bodySHA256: hash },
				originalUrl: signedUrl.slice(signedUrl.indexOf('/webhook/')),
			};
		};
		expect(await run(stream(events))).toMatchObject({ status: 200, ids: ['EZ1', 'EZ2'] });
		expect(await run(stream(events))).toMatchObject({ status: 200, ids: [] });
		// A genuine URL signature with another body: the body does not hash to the signed value.
		const other = events.replace(/EZ/g, 'EY');
		expect(await run({ ...stream(events), rawBody: Buffer.from(other) })).toMatchObject({
			status: 401,
			ids: [],
		});
	});

	it('Mailgun preset: one run per event; a captured signature under another body, a retry, a forgery run nothing', async () => {
		// Mailgun publishes no signing code: signed with node:crypto per its documentation (providers.md §2.10).
		const key = 'mailgun-signing-key';
		const trigger = harness({ preset: 'mailgun' }, key);
		const signed = (eventData: object, token: string, signingKey = key) => {
			const timestamp = String(Math.floor(Date.now() / 1000));
			const signature = createHmac('sha256', signingKey)
				.update(timestamp + token)
				.digest('hex');
			return { signature: { timestamp, token, signature }, 'event-data': eventData };
		};
		const send = async (body: object) => {
			const response = new FakeResponse();
			const result = await trigger.webhook(
				fakeRequest(Buffer.from(JSON.stringify(body)), {}),
				response,
			);
			const items = result.workflowData?.[0] ?? [];
			return {
				status: response.statusCode,
				ids: items.map((item) => (item.json.verifiedWebhook as { eventId: string }).eventId),
			};
		};
		const delivered = { id: 'mg-ev-1', event: 'delivered', recipient: 'a@example.com' };
		const genuine = signed(delivered, 't'.repeat(50));
		expect(await send(genuine)).toEqual({ status: 200, ids: ['mg-ev-1'] });
		// The captured signature with other event data (the body is not signed): the token was used.
		expect(
			await send({ ...genuine, 'event-data': { id: 'mg-ev-2', event: 'complained' } }),
		).toEqual({ status: 200, ids: [] });
		// Mailgun's retry: the same event, a fresh token and signature.
		expect(await send(signed(delivered, 'u'.repeat(50)))).toEqual({ status: 200, ids: [] });
		expect(await send(signed({ id: 'mg-ev-3', event: 'opened' }, 'v'.repeat(50)))).toEqual({
			status: 200,
			ids: ['mg-ev-3'],
		});
		expect(
			await send(signed({ id: 'mg-ev-4', event: 'opened' }, 'w'.repeat(50), 'another-key')),
		).toEqual({ status: 401, ids: [] });
	});

	it('HubSpot preset: an SDK-signed batch runs once per event, a retry (new attempt, new signature) runs nothing, a stale one is 401', async () => {
		const secret = 'hubspot-client-secret';
		// The URL n8n serves the test harness's webhook at (n8nContexts' TriggerHarness).
		const url = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
		const trigger = harness({ preset: 'hubspot' }, secret);
		const send = async (events: object[], timestamp = Date.now()) => {
			const text = JSON.stringify(events);
			const response = new FakeResponse();
			const result = await trigger.webhook(
				fakeRequest(Buffer.from(text), {
					'x-hubspot-signature-v3': HubSpotSignature.getSignature('POST', 'v3', {
						signature: '',
						clientSecret: secret,
						requestBody: text,
						url,
						timestamp,
					}),
					'x-hubspot-request-timestamp': String(timestamp),
				}),
				response,
			);
			const ids = (result.workflowData?.[0] ?? []).map(
				(item) => (item.json.verifiedWebhook as { eventId: string }).eventId,
			);
			return { status: response.statusCode, ids };
		};
		const event = (eventId: number, portalId: number, attemptNumber: number) => ({
			eventId,
			subscriptionId: 7,
			portalId,
			occurredAt: 1_700_000_000_000,
			subscriptionType: 'contact.creation',
			attemptNumber,
		});
		expect(await send([event(1, 9, 0), event(2, 9, 0)])).toEqual({
			status: 200,
			ids: ['9:7:1:1700000000000', '9:7:2:1700000000000'],
		});
		expect(await send([event(1, 9, 1), event(2, 9, 1)])).toEqual({ status: 200, ids: [] });
		// The same eventId from another portal is another event.
		expect(await send([event(1, 10, 0)])).toEqual({
			status: 200,
			ids: ['10:7:1:1700000000000'],
		});
		expect(await send([event(3, 9, 0)], Date.now() - 301_000)).toMatchObject({
			status: 401,
			ids: [],
		});
	});

	it("SendGrid preset: SendGrid's published two-event delivery runs once per sg_event_id; replayed, it runs nothing; under another key it is 401", async () => {
		const [single, double] = SENDGRID_VECTORS;
		// Signed in 2021: the check of its age is turned off (Timestamp Tolerance 0) to run it today.
		// One trigger (one workflow's static data) per key.
		const triggers = new Map<string, ReturnType<typeof harness>>();
		const trigger = (key: string) => {
			if (!triggers.has(key))
				triggers.set(key, harness({ preset: 'sendgrid', options: { toleranceSeconds: 0 } }, key));
			return triggers.get(key)!;
		};
		const send = async (key: string, vector = double) => {
			const response = new FakeResponse();
			const result = await trigger(key).webhook(
				fakeRequest(Buffer.from(vector.payload), {
					'x-twilio-email-event-webhook-signature': vector.signature,
					'x-twilio-email-event-webhook-timestamp': vector.timestamp,
				}),
				response,
			);
			const items = (result.workflowData?.[0] ?? []).map((item) => item.json.verifiedWebhook);
			return { status: response.statusCode, items };
		};
		expect(
			sendGridSdkAccepts(double.spki, double.payload, double.signature, double.timestamp),
		).toBe(true);
		expect(await send(double.spki)).toMatchObject({
			status: 200,
			items: [
				{
					provider: 'sendgrid',
					eventId: 'cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA',
					eventType: 'processed',
				},
				{
					provider: 'sendgrid',
					eventId: 'Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w',
					eventType: 'bounce',
				},
			],
		});
		expect(await send(double.spki)).toEqual({ status: 200, items: [] });
		expect(await send(single.spki)).toEqual({ status: 401, items: [] });
		// With its age checked (the default 300 s), SendGrid's 2021 signature is refused as stale.
		const response = new FakeResponse();
		await harness({ preset: 'sendgrid' }, double.spki).webhook(
			fakeRequest(Buffer.from(double.payload), {
				'x-twilio-email-event-webhook-signature': double.signature,
				'x-twilio-email-event-webhook-timestamp': double.timestamp,
			}),
			response,
		);
		expect([response.statusCode, response.body]).toMatchObject([
			401,
			{ reason: 'timestamp_too_old' },
		]);
	});

	it('uses the configured rejection status, but never 410', async () => {
		const response406 = new FakeResponse();
		await harness({ preset: 'slack', options: { failureStatus: 406 } }).webhook(
			slackRequest({ type: 'event_callback' }, 'wrong'),
			response406,
		);
		const response410 = new FakeResponse();
		await harness({ preset: 'slack', options: { failureStatus: 410 } }).webhook(
			slackRequest({ type: 'event_callback' }, 'wrong'),
			response410,
		);
		expect([response406.statusCode, response410.statusCode]).toEqual([406, 401]);
	});
});

describe('Signed Webhook Trigger: activation refuses unsafe or unusable schemes (n8n-core HookContext)', () => {
	const custom = {
		preset: 'custom',
		signatureLocation: 'header',
		signatureName: 'X-Signature',
		signatureFormat: 'raw',
		signatureEncoding: 'hex',
		secretEncoding: 'utf8',
		eventIdTemplate: '{json:id}',
	};

	it.each([
		[{ ...custom, template: '{method}' }, 'a-real-secret', /no \{body\}/],
		[
			{ ...custom, template: '{body}', timestampSource: 'header', timestampName: 'X-Ts' },
			'a-real-secret',
			/no \{timestamp\}/,
		],
		[{ ...custom, template: '{body}', secretEncoding: 'hex' }, '00', /zero bytes/],
		[
			{ ...custom, template: '{body}', options: { failureStatus: 0 } },
			'a-real-secret',
			/Rejection Status 0/,
		],
		[
			{ ...custom, template: '{body}', options: { failureStatus: 1000 } },
			'a-real-secret',
			/Rejection Status 1000/,
		],
		[{ preset: 'slack' }, '', /No secret/],
		[{ preset: 'sendgrid' }, 'a-real-secret', /not a public key.*public verification key/],
		[
			{ preset: 'sendgrid' },
			// An Ed25519 public key (base64 SPKI): a key, but not the kind SendGrid signs with.
			'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=',
			/not an ECDSA P-256 one/,
		],
	])(
		'refuses %j at checkExists and create with a NodeOperationError that says what to change',
		async (parameters, secret, message) => {
			const trigger = harness(parameters, secret);
			for (const method of ['checkExists', 'create'] as const) {
				const error = await trigger.hook(method).then(
					() => undefined,
					(thrown: unknown) => thrown as { name: string; message: string; description?: string },
				);
				expect(error?.name).toBe('NodeOperationError');
				expect(`${error?.message} ${error?.description ?? ''}`).toMatch(message);
			}
			// Deactivation is never blocked by the check.
			await expect(trigger.hook('delete')).resolves.toBe(true);
		},
	);

	it('activates a sound Custom scheme and every preset', async () => {
		await expect(
			harness({ ...custom, template: '{body}' }, 'a-real-secret').hook('checkExists'),
		).resolves.toBe(true);
		for (const preset of Object.keys(PRESETS)) {
			await expect(harness({ preset }, secretFor(preset)).hook('checkExists')).resolves.toBe(true);
		}
	});
});

describe('Signed Webhook Trigger: hardening', () => {
	it('Zoom: the validation answer uses the secret exactly as verification does (a copied trailing newline is ignored)', async () => {
		const { request, answer } = zoomValidation();
		const response = new FakeResponse();
		await harness({ preset: 'zoom' }, `${ZOOM_SECRET}\n`).webhook(request, response);
		expect(response.body).toEqual(answer);
	});

	it('a Rejection Status outside 4xx stored before activation checked it is answered as 401, never 500', async () => {
		const response = new FakeResponse();
		await harness({ preset: 'slack', options: { failureStatus: 1000 } }).webhook(
			fakeRequest(Buffer.from('{}'), {}),
			response,
		);
		expect(response.statusCode).toBe(401);
	});

	it('a body n8n already consumed (multipart) is answered 400 unreadable_body, not 500', async () => {
		const request = fakeRequest(undefined, { 'content-type': 'multipart/form-data; boundary=x' });
		request.readRawBody = async () => {
			throw new Error('stream is not readable');
		};
		const response = new FakeResponse();
		const result = await harness({ preset: 'slack' }).webhook(request, response);
		expect([response.statusCode, response.body, result.workflowData]).toEqual([
			400,
			{ received: false, reason: 'unreadable_body' },
			undefined,
		]);
	});

	it('node static data that is a string is recovered from: the delivery is answered and emitted, one error logged', async () => {
		const trigger = new TriggerHarness({
			nodeType: new SignedWebhookTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.signedWebhookTrigger',
			credentialType: new SignedWebhookVerifiedApi(),
			credentials: { secret: SLACK_SECRET, previousSecret: '' },
			parameters: { eventTypes: '', options: {}, preset: 'slack' },
			staticData: { 'node:Trigger': 'garbage' as unknown as IDataObject },
		});
		for (const id of ['EvA', 'EvB']) {
			const response = new FakeResponse();
			const body = { type: 'event_callback', event_id: id, event: { type: 'app_mention' } };
			const result = await trigger.webhook(slackRequest(body), response);
			expect(response.statusCode).toBe(200);
			expect(result.workflowData![0]).toHaveLength(1);
		}
	});
});

describe('Signed Webhook Trigger: an unsigned 16 MB body is refused without being read', () => {
	it.each(Object.keys(PRESETS))(
		'%s: 401 in well under 5 ms (decoding or hashing the body would take 10 ms or more)',
		async (preset) => {
			const body = Buffer.from('['.repeat(8 * 1024 * 1024) + ']'.repeat(8 * 1024 * 1024));
			const trigger = harness({ preset }, secretFor(preset));
			const response = new FakeResponse();
			await trigger.webhook(
				fakeRequest(body, { 'content-type': 'text/plain' }),
				new FakeResponse(),
			); // warm-up
			// The fastest of 5: a GC pause or a busy CI core can delay one call, but no call that reads the body
			// can be fast.
			let ms = Infinity;
			for (let run = 0; run < 5; run++) {
				const started = performance.now();
				await trigger.webhook(fakeRequest(body, { 'content-type': 'text/plain' }), response);
				ms = Math.min(ms, performance.now() - started);
			}
			expect(response.statusCode).toBe(401);
			expect(ms).toBeLessThan(5);
		},
	);
});
