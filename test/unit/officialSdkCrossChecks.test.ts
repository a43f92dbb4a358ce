import { createHmac } from 'crypto';
import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { verifyRequestSignature } from '@slack/events-api';
import { WebhooksHelper } from 'square';
import {
	getExpectedBodyHash,
	getExpectedTwilioSignature,
	validateRequest,
	validateRequestWithBody,
} from 'twilio/lib/webhooks/webhooks';
import { Webhook as SvixWebhook } from 'svix';

import { standardWebhooks } from '../../nodes/StandardWebhooksVerifiedTrigger/provider';

/** The verifier the trigger runs (its provider declaration). */
const verifyStandardWebhook = standardWebhooks.verify;
import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import { verifyScheme, type SchemeRequest } from '../../nodes/SignedWebhookTrigger/scheme';
import { linearVerify } from '../fakes/officialSdk';
import {
	SENDGRID_VECTORS,
	publishedVectorsText,
	sendGridSdkAccepts,
	throwawaySigner,
} from '../support/sendgrid';

function schemeRequest(
	body: string,
	headers: Record<string, string>,
	url = 'https://example.com/hook',
): SchemeRequest {
	return {
		rawBody: Buffer.from(body),
		headers,
		query: {},
		method: 'POST',
		url,
		json: () => JSON.parse(body) as unknown,
	};
}

describe('cross-checks with official SDKs that only verify', () => {
	const nowSeconds = () => Math.floor(Date.now() / 1000);

	it("Square: the bytes our preset accepts are accepted by square's WebhooksHelper.verifySignature, and a forgery by neither", async () => {
		const key = 'sq_example_signature_key';
		const url = 'https://n8n.example.com/webhook/abc/webhook';
		const body = JSON.stringify({
			merchant_id: 'M1',
			type: 'payment.updated',
			event_id: 'e1',
			data: { id: 'p1' },
		});
		const signature = createHmac('sha256', key)
			.update(url + body)
			.digest('base64');
		expect(
			await WebhooksHelper.verifySignature({
				requestBody: body,
				signatureHeader: signature,
				signatureKey: key,
				notificationUrl: url,
			}),
		).toBe(true);
		expect(
			verifyScheme(
				PRESETS.square.config,
				schemeRequest(body, { 'x-square-hmacsha256-signature': signature }, url),
				[key],
				nowSeconds(),
			),
		).toMatchObject({ ok: true });
		const forged = createHmac('sha256', 'other')
			.update(url + body)
			.digest('base64');
		expect(
			await WebhooksHelper.verifySignature({
				requestBody: body,
				signatureHeader: forged,
				signatureKey: key,
				notificationUrl: url,
			}),
		).toBe(false);
		expect(
			verifyScheme(
				PRESETS.square.config,
				schemeRequest(body, { 'x-square-hmacsha256-signature': forged }, url),
				[key],
				nowSeconds(),
			),
		).toMatchObject({ ok: false });
	});

	it("Linear: the bytes our preset accepts are accepted by @linear/sdk's LinearWebhookClient.verify, including its timestamp rule", () => {
		const secret = 'lin_wh_example';
		const fresh = JSON.stringify({ action: 'create', type: 'Issue', webhookTimestamp: Date.now() });
		const signature = createHmac('sha256', secret).update(fresh).digest('hex');
		expect(linearVerify(secret, fresh, signature)).toBe(true);
		expect(
			verifyScheme(
				PRESETS.linear.config,
				schemeRequest(fresh, { 'linear-signature': signature }),
				[secret],
				nowSeconds(),
			),
		).toMatchObject({ ok: true });
		const stale = JSON.stringify({
			action: 'create',
			type: 'Issue',
			webhookTimestamp: Date.now() - 120_000,
		});
		const staleSignature = createHmac('sha256', secret).update(stale).digest('hex');
		expect(linearVerify(secret, stale, staleSignature)).toMatch(/timestamp/);
		expect(
			verifyScheme(
				PRESETS.linear.config,
				schemeRequest(stale, { 'linear-signature': staleSignature }),
				[secret],
				nowSeconds(),
			),
		).toMatchObject({ reason: 'timestamp_too_old' });
	});

	it("Slack: the bytes our preset accepts pass @slack/events-api's verifyRequestSignature, and a forgery passes neither", () => {
		const signingSecret = 'slack_example_signing_secret';
		const body = JSON.stringify({
			type: 'event_callback',
			event_id: 'Ev1',
			event: { type: 'app_mention' },
		});
		const timestamp = nowSeconds();
		const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
		expect(
			verifyRequestSignature({
				signingSecret,
				requestSignature: signature,
				requestTimestamp: timestamp,
				body,
			}),
		).toBe(true);
		const headers = {
			'x-slack-signature': signature,
			'x-slack-request-timestamp': String(timestamp),
		};
		expect(
			verifyScheme(PRESETS.slack.config, schemeRequest(body, headers), [signingSecret], timestamp),
		).toMatchObject({ ok: true });
		const forged = `v0=${createHmac('sha256', 'other').update(`v0:${timestamp}:${body}`).digest('hex')}`;
		expect(() =>
			verifyRequestSignature({
				signingSecret,
				requestSignature: forged,
				requestTimestamp: timestamp,
				body,
			}),
		).toThrow();
		expect(
			verifyScheme(
				PRESETS.slack.config,
				schemeRequest(body, { ...headers, 'x-slack-signature': forged }),
				[signingSecret],
				timestamp,
			),
		).toMatchObject({ ok: false });
	});

	it("HubSpot v3: what @hubspot/api-client's Signature signs, our preset accepts; both refuse another secret, a changed byte, method or URL", () => {
		const clientSecret = 'hubspot-example-client-secret';
		const url = 'https://n8n.example.com/webhook/abc/webhook?portal=1';
		const body = JSON.stringify([
			{
				eventId: 1,
				subscriptionId: 7,
				portalId: 9,
				occurredAt: 1,
				subscriptionType: 'contact.creation',
			},
		]);
		const timestamp = Date.now();
		const sign = (secret: string, method: string, signedUrl: string, signedBody: string) =>
			HubSpotSignature.getSignature(method, 'v3', {
				signature: '',
				clientSecret: secret,
				requestBody: signedBody,
				url: signedUrl,
				timestamp,
			});
		const sdkAccepts = (signature: string, requestBody: string, method = 'POST') =>
			HubSpotSignature.isValid({
				signatureVersion: 'v3',
				signature,
				clientSecret,
				requestBody,
				url,
				method,
				timestamp,
			});
		const oursAccepts = (signature: string, requestBody: string, method = 'POST') => {
			const request = {
				...schemeRequest(
					requestBody,
					{
						'x-hubspot-signature-v3': signature,
						'x-hubspot-request-timestamp': String(timestamp),
					},
					url,
				),
				method,
			};
			return verifyScheme(
				PRESETS.hubspot.config,
				request,
				[clientSecret],
				Math.floor(timestamp / 1000),
			).ok;
		};
		const genuine = sign(clientSecret, 'POST', url, body);
		const changed = body.replace('creation', 'creatioN');
		const cases = {
			genuine: [genuine, body],
			'another secret': [sign('another-secret', 'POST', url, body), body],
			'a changed byte': [genuine, changed],
			'another URL': [sign(clientSecret, 'POST', url.replace('portal=1', 'portal=2'), body), body],
			'another method': [sign(clientSecret, 'PUT', url, body), body],
		};
		const verdicts = Object.fromEntries(
			Object.entries(cases).map(([name, [signature, sent]]) => [
				name,
				{ sdk: sdkAccepts(signature, sent), ours: oursAccepts(signature, sent) },
			]),
		);
		expect(verdicts).toEqual({
			genuine: { sdk: true, ours: true },
			'another secret': { sdk: false, ours: false },
			'a changed byte': { sdk: false, ours: false },
			'another URL': { sdk: false, ours: false },
			'another method': { sdk: false, ours: false },
		});
		// The request's method is part of the signed content: the genuine signature, replayed as a PUT, fails both.
		expect({
			sdk: sdkAccepts(genuine, body, 'PUT'),
			ours: oursAccepts(genuine, body, 'PUT'),
		}).toEqual({
			sdk: false,
			ours: false,
		});
	});

	describe("Twilio: what twilio's getExpectedTwilioSignature signs, our preset accepts; validateRequest[WithBody] agrees on every case", () => {
		const authToken = 'twilio-example-auth-token';
		const served = 'https://n8n.example.com/webhook/abc/webhook';
		/** Our preset, given the URL as n8n serves it (its query parsed as n8n parses it) and the raw body. */
		const oursAccepts = (signature: string, url: string, rawBody: string, token = authToken) => {
			const query = Object.fromEntries(new URL(url).searchParams);
			return verifyScheme(
				PRESETS.twilio.config,
				{
					...schemeRequest(rawBody, { 'x-twilio-signature': signature }, url),
					query,
				},
				[token],
				nowSeconds(),
			).ok;
		};

		it('form posts: the URL and the sorted fields, repeated fields de-duplicated, either default port', () => {
			// Parsed as Express's urlencoded parser (and Twilio's SDK docs) hand them to validateRequest.
			const fields = (body: string) => {
				const params: Record<string, string | string[]> = {};
				for (const [name, value] of new URLSearchParams(body)) {
					const before = params[name];
					params[name] =
						before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
				}
				return params;
			};
			const body =
				'MessageSid=SM1&MessageStatus=delivered&To=%2B15551230000&Body=caf%C3%A9+%26+more&MediaUrl=b&MediaUrl=a&MediaUrl=b';
			const sign = (url: string, signedBody: string, token = authToken) =>
				getExpectedTwilioSignature(token, url, fields(signedBody));
			const genuine = sign(served, body);
			const cases: Record<string, [string, string, string]> = {
				genuine: [genuine, served, body],
				'fields in another order': [genuine, served, body.split('&').reverse().join('&')],
				'signed with :443, served without': [
					sign('https://n8n.example.com:443/webhook/abc/webhook', body),
					served,
					body,
				],
				'another token': [sign(served, body, 'another-token'), served, body],
				'a changed value': [genuine, served, body.replace('delivered', 'deliverea')],
				'an added field': [genuine, served, `${body}&Extra=1`],
				'another URL': [genuine, `${served}?x=1`, body],
				'signed without a port, served on another': [
					genuine,
					'https://n8n.example.com:8443/webhook/abc/webhook',
					body,
				],
			};
			const verdicts = Object.fromEntries(
				Object.entries(cases).map(([name, [signature, url, sent]]) => [
					name,
					{
						sdk: validateRequest(authToken, signature, url, fields(sent)),
						ours: oursAccepts(signature, url, sent),
					},
				]),
			);
			expect(verdicts).toEqual({
				genuine: { sdk: true, ours: true },
				'fields in another order': { sdk: true, ours: true },
				'signed with :443, served without': { sdk: true, ours: true },
				'another token': { sdk: false, ours: false },
				'a changed value': { sdk: false, ours: false },
				'an added field': { sdk: false, ours: false },
				'another URL': { sdk: false, ours: false },
				// The SDK also drops a non-default port; we accept only the URL's own port or the default one.
				'signed without a port, served on another': { sdk: true, ours: false },
			});
		});

		it('Event Streams (JSON): the URL with ?bodySHA256= is signed and the body must hash to it', () => {
			const body = JSON.stringify([
				{ specversion: '1.0', id: 'EZ1', type: 'com.twilio.messaging.message.delivered', data: {} },
			]);
			const url = (sent: string) => `${served}?bodySHA256=${getExpectedBodyHash(sent)}`;
			const genuine = getExpectedTwilioSignature(authToken, url(body), {});
			const changed = body.replace('EZ1', 'EZ2');
			const cases: Record<string, [string, string, string]> = {
				genuine: [genuine, url(body), body],
				'a changed body': [genuine, url(body), changed],
				'a changed body and its hash': [genuine, url(changed), changed],
				'another token': [
					getExpectedTwilioSignature('another-token', url(body), {}),
					url(body),
					body,
				],
				'no bodySHA256 in the URL': [genuine, served, body],
			};
			const verdicts = Object.fromEntries(
				Object.entries(cases).map(([name, [signature, sentUrl, sent]]) => [
					name,
					{
						sdk: validateRequestWithBody(authToken, signature, sentUrl, sent),
						ours: oursAccepts(signature, sentUrl, sent),
					},
				]),
			);
			expect(verdicts).toEqual({
				genuine: { sdk: true, ours: true },
				'a changed body': { sdk: false, ours: false },
				'a changed body and its hash': { sdk: false, ours: false },
				'another token': { sdk: false, ours: false },
				'no bodySHA256 in the URL': { sdk: false, ours: false },
			});
		});
	});

	describe('SendGrid (ECDSA P-256): the published vectors of @sendgrid/eventwebhook and its verifier', () => {
		const sendgrid = (
			body: string,
			signature: string,
			timestamp: string,
			keys: string[],
			now = Number(timestamp),
		) =>
			verifyScheme(
				PRESETS.sendgrid.config,
				schemeRequest(body, {
					'x-twilio-email-event-webhook-signature': signature,
					'x-twilio-email-event-webhook-timestamp': timestamp,
				}),
				keys,
				now,
			);

		it.each(SENDGRID_VECTORS)(
			'$name: the vector stands in the SDK as written here, the SDK and our preset accept it',
			(vector) => {
				const published = publishedVectorsText();
				for (const text of [vector.spki, vector.signature, vector.timestamp])
					expect(published).toContain(text);
				expect(
					sendGridSdkAccepts(vector.spki, vector.payload, vector.signature, vector.timestamp),
				).toBe(true);
				expect(
					sendgrid(vector.payload, vector.signature, vector.timestamp, [vector.spki]),
				).toMatchObject({ ok: true, secretIndex: 0, timestamp: Number(vector.timestamp) });
			},
		);

		it.each(SENDGRID_VECTORS)(
			'$name: another key, a changed byte, another timestamp: the SDK and our preset both refuse',
			(vector) => {
				const [other] = SENDGRID_VECTORS.filter((each) => each !== vector);
				const changed = vector.payload.replace('invalid', 'invalie').replace('hello', 'hellp');
				const later = String(Number(vector.timestamp) + 1);
				const verdicts = {
					'another key': [other.spki, vector.payload, vector.timestamp],
					'a changed byte': [vector.spki, changed, vector.timestamp],
					'another timestamp': [vector.spki, vector.payload, later],
				};
				for (const [name, [key, body, timestamp]] of Object.entries(verdicts)) {
					expect({
						name,
						sdk: sendGridSdkAccepts(key, body, vector.signature, timestamp),
						ours: sendgrid(body, vector.signature, timestamp, [key], Number(vector.timestamp)).ok,
					}).toEqual({ name, sdk: false, ours: false });
				}
			},
		);

		it('a delivery node:crypto signs with a fresh P-256 key is accepted by the SDK and by our preset; a rotation takes the previous key', () => {
			const current = throwawaySigner();
			const previous = throwawaySigner();
			const body = JSON.stringify([{ sg_event_id: 'e1', event: 'delivered' }]) + '\r\n';
			const timestamp = String(Math.floor(Date.now() / 1000));
			const signature = previous.sign(timestamp, body);
			expect(sendGridSdkAccepts(previous.publicKey, body, signature, timestamp)).toBe(true);
			expect(
				sendgrid(body, signature, timestamp, [current.publicKey, previous.publicKey]),
			).toMatchObject({
				ok: true,
				secretIndex: 1,
			});
			expect(sendgrid(body, signature, timestamp, [current.publicKey])).toMatchObject({
				reason: 'signature_mismatch',
			});
		});
	});

	it('svix: a delivery signed by svix Webhook.sign verifies with our Standard Webhooks verifier (svix- headers)', () => {
		const secret = `whsec_${Buffer.from('svix-example-signing-key-0123456789').toString('base64')}`;
		const body = JSON.stringify({ type: 'user.created', data: { id: 'u1' } });
		const at = new Date();
		const signature = new SvixWebhook(secret).sign('msg_svix_1', at, body);
		const headers = {
			'svix-id': 'msg_svix_1',
			'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
			'svix-signature': signature,
		};
		expect(new SvixWebhook(secret).verify(body, headers)).toMatchObject({ type: 'user.created' });
		expect(
			verifyStandardWebhook({
				rawBody: Buffer.from(body),
				headers,
				secrets: [secret],
				nowSeconds: nowSeconds(),
				toleranceSeconds: 300,
			}),
		).toMatchObject({ ok: true });
	});
});
