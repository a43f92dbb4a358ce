import { createHash } from 'crypto';
import Stripe from 'stripe';

import { SignedWebhookVerifiedApi } from '../../credentials/SignedWebhookVerifiedApi.credentials';
import { StripeVerifiedApi } from '../../credentials/StripeVerifiedApi.credentials';
import { SignedWebhookTrigger } from '../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';
import { StandardWebhooksVerifiedApi } from '../../credentials/StandardWebhooksVerifiedApi.credentials';
import { StandardWebhooksVerifiedTrigger } from '../../nodes/StandardWebhooksVerifiedTrigger/StandardWebhooksVerifiedTrigger.node';
import { StripeVerifiedTrigger } from '../../nodes/StripeVerifiedTrigger/StripeVerifiedTrigger.node';
import { RATE_LIMIT_MS } from '../../nodes/shared/diagnostics';
import { FakeResponse, TriggerHarness, fakeRequest } from '../support/n8nContexts';
import { sampleEvent } from '../fakes/fakeStripe';

/**
 * Why a delivery did not run (#20 items 1–2): a refused delivery ends a test listen with one diagnostic item,
 * and, with the Rejected Deliveries Output on, emits one rate-limited metadata item in production. Signatures
 * come from stripe-node's own `generateTestHeaderString` (code nobody here wrote), with the right secret or
 * another one.
 */

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_the_one_in_the_credential';
/** The Standard Webhooks specification's example key (providers.md's vector table). */
const SPEC_EXAMPLE = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3';

function harness(options: Record<string, unknown> = {}) {
	return new TriggerHarness({
		nodeType: new StripeVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
		credentialType: new StripeVerifiedApi(),
		credentials: { secretKey: 'sk_test_unused', signingSecrets: SECRET },
		parameters: { registration: 'manual', events: ['*'], options },
	});
}

function signed(
	secret: string,
	{ timestamp, id = 'evt_diag' }: { timestamp?: number; id?: string } = {},
) {
	const payload = JSON.stringify(sampleEvent('payment_intent.succeeded', { id }));
	const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
	const request = fakeRequest(Buffer.from(payload), { 'stripe-signature': header });
	return { request, payload, header };
}

async function deliver(
	trigger: TriggerHarness,
	request: ReturnType<typeof fakeRequest>,
	mode: 'manual' | 'webhook' = 'webhook',
) {
	const response = new FakeResponse();
	const result = await trigger.webhook(request, response, mode);
	return { response, result };
}

afterEach(() => jest.restoreAllMocks());

describe('a test listen ends with a diagnostic item when a delivery is refused', () => {
	it('wrong secret: 401 signature_mismatch, the item names the header, its form, the secrets tried by position and the body digest — and holds no payload, secret or signature', async () => {
		const trigger = harness();
		const { request, payload, header } = signed('whsec_some_other_endpoint');
		const { response, result } = await deliver(trigger, request, 'manual');
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ received: false, reason: 'signature_mismatch' });
		expect(result.workflowData).toHaveLength(1);
		const [[item]] = result.workflowData!;
		expect(Object.keys(item.json)).toEqual(['verifiedWebhook']);
		expect(item.json.verifiedWebhook).toMatchObject({
			provider: 'stripe',
			rejected: true,
			status: 401,
			reason: 'signature_mismatch',
			signatureHeader: 'Stripe-Signature',
			expectedFormat: 't=<unix seconds>,v1=<32-byte signature in hex>',
			secretsTried: ["1: the credential's secret 1"],
			bodyBytes: Buffer.byteLength(payload),
			bodySha256: createHash('sha256').update(payload).digest('hex'),
			headersReceived: ['content-type', 'stripe-signature'],
			testDelivery: true,
		});
		const diagnostic = item.json.verifiedWebhook as {
			timestampSkewSeconds: number;
			likelyFix: string;
		};
		expect(Math.abs(diagnostic.timestampSkewSeconds)).toBeLessThanOrEqual(2);
		expect(diagnostic.likelyFix).toMatch(/copy it again from stripe.*body was changed on the way/s);
		const text = JSON.stringify(item);
		for (const secretOrValue of [SECRET, header, 'payment_intent.succeeded', 'evt_diag'])
			expect(text).not.toContain(secretOrValue);
	});

	it('a signature made 400 s ago: timestamp_too_old with the skew, and the clock or a replay as the fix', async () => {
		const trigger = harness();
		const { request } = signed(SECRET, { timestamp: Math.floor(Date.now() / 1000) - 400 });
		const { response, result } = await deliver(trigger, request, 'manual');
		expect(response.statusCode).toBe(401);
		const [[item]] = result.workflowData!;
		const diagnostic = item.json.verifiedWebhook as Record<string, unknown>;
		expect(diagnostic.reason).toBe('timestamp_too_old');
		expect(diagnostic.timestampSkewSeconds).toBeGreaterThanOrEqual(400);
		expect(diagnostic.timestampSkewSeconds).toBeLessThanOrEqual(402);
		expect(diagnostic.likelyFix).toMatch(/clock is behind.*raise the tolerance/);
	});

	it('no signature header: missing_signature, and the header names that did arrive', async () => {
		const trigger = harness();
		const request = fakeRequest(Buffer.from('{"id":"evt_x","type":"t"}'), {
			'x-forwarded-for': '203.0.113.9',
		});
		const { response, result } = await deliver(trigger, request, 'manual');
		expect(response.statusCode).toBe(401);
		const diagnostic = result.workflowData![0][0].json.verifiedWebhook as Record<string, unknown>;
		expect(diagnostic).toMatchObject({
			reason: 'missing_signature',
			timestampSkewSeconds: null,
			headersReceived: ['content-type', 'x-forwarded-for'],
		});
		expect(diagnostic.likelyFix).toMatch(/has no Stripe-Signature.*removed the header/);
	});

	it('a correctly signed delivery in a test listen still runs normally (no diagnostic)', async () => {
		const trigger = harness();
		const { response, result } = await deliver(trigger, signed(SECRET).request, 'manual');
		expect(response.statusCode).toBe(200); // the harness answers as n8n does once the execution exists
		const [[item]] = result.workflowData!;
		expect(item.json).toMatchObject({ id: 'evt_diag', verifiedWebhook: { testDelivery: true } });
		expect(item.json.verifiedWebhook).not.toHaveProperty('rejected');
	});

	it('with the Rejected output on, the diagnostic goes to that output and the first stays empty', async () => {
		const trigger = harness({ rejectedOutput: true });
		const { result } = await deliver(trigger, signed('whsec_wrong').request, 'manual');
		expect(result.workflowData).toHaveLength(2);
		expect(result.workflowData![0]).toEqual([]);
		expect(result.workflowData![1][0].json.verifiedWebhook).toMatchObject({
			reason: 'signature_mismatch',
			testDelivery: true,
		});
	});
});

describe('production: refusals start nothing unless the Rejected output is on, then at most one per 10 s', () => {
	it('option off (the default): 401 and no execution', async () => {
		const trigger = harness();
		const { response, result } = await deliver(trigger, signed('whsec_wrong').request);
		expect(response.statusCode).toBe(401);
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
	});

	it('a flood of 200 forgeries with the option on starts 1 execution, the next window 1 more that counts the 199 left out; nothing of the body or signature in either', async () => {
		const trigger = harness({ rejectedOutput: true });
		let now = Date.now();
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		const started: Array<Record<string, unknown>> = [];
		let sample = '';
		for (let index = 0; index < 200; index++) {
			const { request, header } = signed('whsec_attacker', { id: `evt_flood_${index}` });
			request.headers['x-attacker-chosen'] = 'value-that-must-not-appear';
			(request as unknown as { ip: string }).ip = '198.51.100.7';
			sample = header;
			const { response, result } = await deliver(trigger, request);
			expect(response.statusCode).toBe(401);
			if (result.workflowData) {
				expect(result.workflowData[0]).toEqual([]);
				started.push(result.workflowData[1][0].json.verifiedWebhook as Record<string, unknown>);
			}
			now += 10; // 200 deliveries in 2 s
		}
		expect(started).toHaveLength(1);
		expect(started[0]).toMatchObject({
			provider: 'stripe',
			rejected: true,
			status: 401,
			reason: 'signature_mismatch',
			sourceIp: '198.51.100.7',
			suppressedBefore: 0,
		});
		expect(started[0].headersReceived).toEqual([
			'content-type',
			'stripe-signature',
			'x-attacker-chosen',
		]);
		now += RATE_LIMIT_MS;
		const { result } = await deliver(trigger, signed('whsec_attacker', { id: 'evt_late' }).request);
		const late = result.workflowData![1][0].json.verifiedWebhook as Record<string, unknown>;
		expect(late.suppressedBefore).toBe(199);
		const text = JSON.stringify([started, late]);
		for (const value of [
			sample,
			'value-that-must-not-appear',
			'evt_flood_',
			'payment_intent',
			SECRET,
		])
			expect(text).not.toContain(value);
	});

	it('concurrent forgeries read the clock before they await, so they reach the gate out of order: still 1 execution per window (the CI run of 72b2bba saw 2)', async () => {
		const trigger = harness({ rejectedOutput: true });
		// Each delivery's clock reads 1 ms before the previous one's, as when the one that read it first was
		// slower to fetch its credential. A clock that goes back by more than the window opens a new one.
		let now = Date.now() + 1000;
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		let started = 0;
		for (let index = 0; index < 50; index++) {
			const { result } = await deliver(
				trigger,
				signed('whsec_attacker', { id: `evt_race_${index}` }).request,
			);
			if (result.workflowData) started++;
			now -= 1;
		}
		expect(started).toBe(1);
		now -= RATE_LIMIT_MS;
		const { result } = await deliver(trigger, signed('whsec_attacker', { id: 'evt_back' }).request);
		expect(result.workflowData![1][0].json.verifiedWebhook).toMatchObject({ suppressedBefore: 49 });
	});

	it('a genuine delivery with the option on runs on the first output only', async () => {
		const trigger = harness({ rejectedOutput: true });
		const { result } = await deliver(trigger, signed(SECRET, { id: 'evt_genuine' }).request);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0][0].json).toMatchObject({ id: 'evt_genuine' });
	});

	it('a signed body that is not an event: 400 malformed_payload, also on the Rejected output', async () => {
		const trigger = harness({ rejectedOutput: true });
		const payload = '[1,2,3]';
		const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
		const request = fakeRequest(Buffer.from(payload), { 'stripe-signature': header });
		const { response, result } = await deliver(trigger, request);
		expect(response.statusCode).toBe(400);
		expect(result.workflowData![1][0].json.verifiedWebhook).toMatchObject({
			reason: 'malformed_payload',
			status: 400,
		});
	});
});

describe('a secret that cannot be the provider’s fails activation with what to change', () => {
	async function activation(trigger: TriggerHarness) {
		if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
	}

	it('Stripe: a signing secret without whsec_ (the Secret Key pasted in the wrong field)', async () => {
		for (const registration of ['manual', 'automatic']) {
			const trigger = new TriggerHarness({
				nodeType: new StripeVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
				credentialType: new StripeVerifiedApi(),
				// No API base URL is reachable: activation must fail before any request.
				credentials: {
					secretKey: 'sk_test_unused',
					baseUrl: 'http://127.0.0.1:9',
					signingSecrets: `${SECRET} sk_test_pasted_here`,
				},
				parameters: { registration, events: ['*'], options: {} },
			});
			const failure = activation(trigger);
			await expect(failure).rejects.toMatchObject({
				message:
					'The credential holds a Stripe signing secret that cannot verify anything: secret 2 does not start with whsec_, as every Stripe signing secret does (is it the Secret Key?)',
				description: expect.stringMatching(
					/secret 2 does not start with whsec_.*is it the Secret Key\?/,
				),
			});
			const error = await failure.catch((caught: Error & { description?: string }) => caught);
			expect(JSON.stringify([String(error), error?.description])).not.toContain(
				'sk_test_pasted_here',
			);
		}
	});

	it('Standard Webhooks: a secret that is not whsec_ + base64, or decodes to zero bytes', async () => {
		for (const [secret, problem] of [
			['whsec_not*base64!', /secret 1 is not whsec_ followed by base64/],
			['whsec_AAAA', /secret 1 decodes to zero bytes only/],
		] as const) {
			const trigger = new TriggerHarness({
				nodeType: new StandardWebhooksVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.standardWebhooksVerifiedTrigger',
				credentialType: new StandardWebhooksVerifiedApi(),
				credentials: { signingSecret: secret, previousSigningSecret: '' },
				parameters: { eventTypes: '', options: {} },
			});
			await expect(activation(trigger)).rejects.toMatchObject({
				description: expect.stringMatching(problem),
			});
		}
		const sound = new TriggerHarness({
			nodeType: new StandardWebhooksVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.standardWebhooksVerifiedTrigger',
			credentialType: new StandardWebhooksVerifiedApi(),
			credentials: {
				signingSecret: SPEC_EXAMPLE,
				previousSigningSecret: '',
			},
			parameters: { eventTypes: '', options: {} },
		});
		await expect(activation(sound)).resolves.toBeUndefined();
	});
});

describe('the Signed Webhook presets give the same diagnostics', () => {
	it.each([
		[{ secret: 'the_configured_slack_secret', previousSecret: '' }, "1: the credential's Secret"],
		// Only the previous secret set (mid-rotation): it is tried first and named by its field.
		[
			{ secret: '', previousSecret: 'the_configured_slack_secret' },
			"1: the credential's Previous Secret",
		],
	])(
		'Slack preset, another app’s signing secret: the item names X-Slack-Signature, its v0= form, the skew and the secret tried (%j)',
		async (credentials, secretTried) => {
			const trigger = new TriggerHarness({
				nodeType: new SignedWebhookTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.signedWebhookTrigger',
				credentialType: new SignedWebhookVerifiedApi(),
				credentials,
				parameters: { preset: 'slack', eventTypes: '', options: {} },
			});
			const timestamp = Math.floor(Date.now() / 1000) - 30;
			const body = JSON.stringify({
				type: 'event_callback',
				event_id: 'Ev1',
				event: { type: 'message' },
			});
			// A wrong signature in the right form: its bytes do not matter, only that it is not the configured secret's.
			const request = fakeRequest(Buffer.from(body), {
				'x-slack-signature': `v0=${'ab'.repeat(32)}`,
				'x-slack-request-timestamp': String(timestamp),
			});
			const { response, result } = await deliver(trigger, request, 'manual');
			expect(response.statusCode).toBe(401);
			const diagnostic = result.workflowData![0][0].json.verifiedWebhook as Record<string, unknown>;
			expect(diagnostic).toMatchObject({
				provider: 'slack',
				reason: 'signature_mismatch',
				signatureHeader: 'X-Slack-Signature',
				expectedFormat: 'v0=<32-byte HMAC-SHA256 in hex>',
				secretsTried: [secretTried],
			});
			expect(diagnostic.timestampSkewSeconds).toBeGreaterThanOrEqual(30);
			expect(diagnostic.timestampSkewSeconds).toBeLessThanOrEqual(32);
			expect(JSON.stringify(diagnostic)).not.toContain('the_configured_slack_secret');
		},
	);
});
