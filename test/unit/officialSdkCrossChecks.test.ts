import { createHmac } from 'crypto';
import { verifyRequestSignature } from '@slack/events-api';
import { WebhooksHelper } from 'square';
import { Webhook as SvixWebhook } from 'svix';

import { standardWebhooks } from '../../nodes/StandardWebhooksVerifiedTrigger/provider';

/** The verifier the trigger runs (its provider declaration). */
const verifyStandardWebhook = standardWebhooks.verify;
import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import { verifyScheme, type SchemeRequest } from '../../nodes/SignedWebhookTrigger/scheme';
import { linearVerify } from '../fakes/officialSdk';

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
