/**
 * The permanent adversarial suite: for every trigger and every Signed Webhook preset, a genuine delivery is
 * accepted once, then fast-check mutates it — bit flips, truncations and extensions of the body, changed,
 * removed, repeated, emptied and re-cased headers (signed and unsigned), headers of other signature families
 * added — and every mutant goes through the trigger's real webhook() in n8n-core's WebhookContext.
 *
 * Asserted for every mutant: no exception, a documented status (200 for a replay or an ignored event, 400,
 * 401), and **no execution**. A mutant that keeps the signed bytes is a replay (dropped by the signed-bytes
 * fingerprint); any other accepted mutant would be a forgery. The canary at the end runs the same property
 * with HMAC verification forced to "ok" and must find forgeries, which proves the property can fail.
 *
 * Which code signs the genuine deliveries: Stripe — the `stripe` SDK (generateTestHeaderString); GitHub —
 * `@octokit/webhooks-methods` sign(); Shopify — `@shopify/shopify-api` getHmac; Standard Webhooks — the
 * `standardwebhooks` package; Paddle — HMAC per Paddle's scheme, accepted by `@paddle/paddle-node-sdk`'s
 * isSignatureValid; Slack — HMAC per Slack's scheme, accepted by `@slack/events-api`'s verifyRequestSignature;
 * SendGrid (trigger and preset) — throwaway P-256 keys (node:crypto), accepted by `@sendgrid/eventwebhook`'s
 * verifySignature; PayPal — signed by the fake PayPal (node:crypto) under a node-forge test CA's certificate,
 * accepted by node-forge's chain and RSA verification with crc-32's CRC32; Square (trigger and preset) — accepted by `square`'s WebhooksHelper.verifySignature; HubSpot (preset) — signed by
 * `@hubspot/api-client`'s Signature.getSignature (v3) and accepted by its Signature.isValid; Twilio (preset, form
 * posts) — signed by `twilio`'s getExpectedTwilioSignature and accepted by its validateRequest. The Lemon Squeezy, Typeform, Calendly and Linear triggers (Linear's SDK only verifies) and the presets
 * (Typeform, WooCommerce, Linear, Calendly, Lemon Squeezy, Zoom, Mailgun, GitLab) have no signing or verifying SDK a test
 * can run here: their genuine deliveries are HMACs computed in this file per the scheme (the preset tests tie those schemes to
 * the providers' documentation).
 *
 * Cases: 300 per target in `npm test`, 10,000 in the long mode. The seed is printed; SEED=<n> replays it.
 */
import { Paddle, WebhooksValidator } from '@paddle/paddle-node-sdk';
import { getHmac } from '@shopify/shopify-api/test-helpers';
import { verifyRequestSignature } from '@slack/events-api';
import {
	getExpectedTwilioSignature,
	validateRequest,
	validateRequestWithBody,
} from 'twilio/lib/webhooks/webhooks';
import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { createHmac } from 'crypto';
import fc from 'fast-check';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IWebhookResponseData,
} from 'n8n-workflow';
import { WebhooksHelper } from 'square';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

import type {
	FakeRequest,
	FakeResponse as FakeResponseType,
	TriggerHarness as HarnessType,
} from '../support/n8nContexts';
import { sendGridSdkAccepts, throwawaySigner } from '../support/sendgrid';
import { forgeAccepts } from '../support/paypal';
import { FakePayPal, signingChain } from '../fakes/fakePayPal';
import { signedUrl as twilioSignedUrl } from '../fakes/fakeTwilio';

/* eslint-disable @typescript-eslint/no-require-imports */
const { longMode, seed, report } = require('../support/modes.js') as {
	longMode(): boolean;
	seed(): number;
	report(line: string): void;
};
const { octokitSign } = require('../fakes/officialSdk.js') as {
	octokitSign(secret: string, payload: string): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const RUNS = longMode() ? 10_000 : 300;
const SEED = seed();
const CANARY_RUNS = 400;
/**
 * The canary runs a fixed seed: it shows that this property, as written, can see a forgery — a fact about the
 * test, not about a random sample. (With a random seed, Standard Webhooks' canary found 0 of 400 once: every
 * body mutation there keeps the already-recorded svix-id, so only the rarer id-changing mutants can run.)
 */
const CANARY_SEED = 20261130;
/**
 * The canary's clock: a fixed instant, so that its genuine deliveries (timestamps, ids) and the mutants made of
 * them are the same bytes in every run. (With the real clock, Linear's canary found 0 of 400 once: whether a
 * digit swap leaves the signed webhookTimestamp inside its 60-second window depends on the time's digits.)
 */
const CANARY_NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
/** Everything but Date stays real while the canary's clock is frozen. */
const REAL_TIMERS = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;
/**
 * PayPal signs with its certificate's key: a fake PayPal serves the certificate (the trigger fetches it from the
 * credential's Custom origin), valid from before the canary's frozen clock.
 */
const payPal = new FakePayPal({
	chain: signingChain({ from: new Date(Date.UTC(2026, 0, 1)) }),
});
beforeAll(async () => {
	await payPal.start();
});
afterAll(async () => await payPal.stop());
const PAYPAL_WEBHOOK_ID = '3RN13029J36659323';

/** SendGrid signs with a private key: the credential holds this key's public half. */
const SENDGRID_SIGNER = throwawaySigner();

/** A SendGrid batch of one event, signed with SENDGRID_SIGNER (the trigger's and the preset's target). */
function sendGridGenuine() {
	const body = `${JSON.stringify([
		{ sg_event_id: uniqueId(), event: 'delivered', email: 'a@example.com', timestamp: now() },
	])}\r\n`;
	const timestamp = String(now());
	return {
		body,
		headers: {
			'x-twilio-email-event-webhook-signature': SENDGRID_SIGNER.sign(timestamp, body),
			'x-twilio-email-event-webhook-timestamp': timestamp,
		},
	};
}

/** SendGrid's official verifier on such a batch. */
async function sendGridAccepts(genuine: { body: string; headers: Record<string, string> }) {
	return sendGridSdkAccepts(
		SENDGRID_SIGNER.publicKey,
		genuine.body,
		genuine.headers['x-twilio-email-event-webhook-signature'],
		genuine.headers['x-twilio-email-event-webhook-timestamp'],
	);
}
const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
const SECRET = 'adversarial-suite-signing-secret';
const WHSEC_FIXTURE = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3';
const stripe = new Stripe('sk_test_adversarial');

/** The modules a target is built from: loaded normally, or in a registry where verification is forced "ok". */
interface Loaded {
	TriggerHarness: typeof HarnessType;
	FakeResponse: typeof FakeResponseType;
	fakeRequest: (
		rawBody: Buffer | undefined,
		headers: Record<string, string | string[]>,
	) => FakeRequest;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	load: (path: string) => any;
}

interface Genuine {
	body: string;
	headers: Record<string, string>;
	/** The URL called, for schemes that sign its query (Twilio Event Streams' bodySHA256); not mutated. */
	url?: string;
}

interface Target {
	name: string;
	harness(loaded: Loaded): HarnessType;
	genuine(): Promise<Genuine>;
	/** An official SDK accepts the genuine delivery (where one can run here). */
	sdkAccepts?(genuine: Genuine): Promise<boolean>;
	/**
	 * False for GitLab's shared token, which authenticates the sender but not the body: whoever holds one
	 * delivery's token can send any body. Its mutants may run; the suite counts them and the README says so.
	 */
	authenticatesBody?: boolean;
	/**
	 * False where forcing the signature check "ok" still leaves the body bound by another check, so the canary
	 * cannot find a forgery: Twilio Event Streams' body must hash to the signed URL's bodySHA256 (measured: 0 of
	 * 400). The Twilio preset's canary (form posts, bound by the HMAC alone) runs the same verifier.
	 */
	canary?: boolean;
}

const now = () => Math.floor(Date.now() / 1000);
const hex = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const base64 = (key: string, text: string) =>
	createHmac('sha256', key).update(text).digest('base64');
/** Slack's and Zoom's scheme: `v0=` + hex HMAC of `v0:{timestamp}:{body}`, the timestamp in its own header. */
function v0Signed(
	body: string,
	signatureHeader: string,
	timestampHeader: string,
): Record<string, string> {
	const ts = String(now());
	return { [signatureHeader]: `v0=${hex(SECRET, `v0:${ts}:${body}`)}`, [timestampHeader]: ts };
}
/** Ids from a seeded generator (mulberry32), so that a seed and a clock fix every genuine delivery. */
let idState = 0;
function seedIds(seed: number): void {
	idState = seed >>> 0;
}
function nextRandom(): number {
	idState = (idState + 0x6d2b79f5) >>> 0;
	let t = idState;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const uniqueId = () =>
	`${Date.now().toString(36)}${Math.floor(nextRandom() * 2 ** 40).toString(36)}`;

function trigger(
	loaded: Loaded,
	folder: string,
	className: string,
	credentialFile: string,
	credentialClass: string,
	typeName: string,
) {
	return (credentials: ICredentialDataDecryptedObject, parameters: IDataObject) =>
		new loaded.TriggerHarness({
			nodeType: new (loaded.load(`../../nodes/${folder}/${className}.node`)[className])(),
			typeName: `n8n-nodes-verified-webhooks.${typeName}`,
			credentialType: new (loaded.load(`../../credentials/${credentialFile}.credentials`)[
				credentialClass
			])(),
			credentials,
			parameters,
		});
}

function preset(
	name: string,
	genuine: () => Genuine,
	sdkAccepts?: Target['sdkAccepts'],
	secret = SECRET,
): Target {
	return {
		authenticatesBody: name !== 'gitlab',
		name: `Signed Webhook (${name})`,
		harness: (loaded) =>
			trigger(
				loaded,
				'SignedWebhookTrigger',
				'SignedWebhookTrigger',
				'SignedWebhookVerifiedApi',
				'SignedWebhookVerifiedApi',
				'signedWebhookTrigger',
			)({ secret, previousSecret: '' }, { preset: name, eventTypes: '', options: {} }),
		genuine: async () => genuine(),
		sdkAccepts,
	};
}

const targets: Target[] = [
	{
		name: 'Stripe',
		harness: (loaded) =>
			trigger(
				loaded,
				'StripeVerifiedTrigger',
				'StripeVerifiedTrigger',
				'StripeVerifiedApi',
				'StripeVerifiedApi',
				'stripeVerifiedTrigger',
			)(
				{ secretKey: 'sk_test_unused', signingSecrets: 'whsec_adversarial' },
				{ registration: 'manual', events: ['*'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				id: `evt_${uniqueId()}`,
				object: 'event',
				type: 'payment_intent.succeeded',
				created: now(),
				data: { object: { id: 'pi_1', amount: 1999 } },
			});
			return {
				body,
				headers: {
					'stripe-signature': stripe.webhooks.generateTestHeaderString({
						payload: body,
						secret: 'whsec_adversarial',
					}),
				},
			};
		},
	},
	{
		name: 'GitHub',
		harness: (loaded) =>
			trigger(
				loaded,
				'GitHubVerifiedTrigger',
				'GitHubVerifiedTrigger',
				'GitHubVerifiedApi',
				'GitHubVerifiedApi',
				'gitHubVerifiedTrigger',
			)(
				{ accessToken: 'ghp_unused', webhookSecrets: SECRET },
				{
					registration: 'manual',
					scope: 'repository',
					owner: 'octo',
					repository: 'hello',
					events: ['push', 'issues'],
					options: {},
				},
			),
		genuine: async () => {
			const body = JSON.stringify({
				ref: 'refs/heads/main',
				after: uniqueId(),
				repository: { full_name: 'octo/hello' },
			});
			return {
				body,
				headers: {
					'x-github-event': 'push',
					'x-github-delivery': uniqueId(),
					'x-hub-signature-256': octokitSign(SECRET, body),
				},
			};
		},
	},
	{
		name: 'Shopify',
		harness: (loaded) =>
			trigger(
				loaded,
				'ShopifyVerifiedTrigger',
				'ShopifyVerifiedTrigger',
				'ShopifyVerifiedApi',
				'ShopifyVerifiedApi',
				'shopifyVerifiedTrigger',
			)(
				{
					shopDomain: 'adversarial.myshopify.com',
					accessToken: 'shpat_unused',
					clientSecret: SECRET,
					previousClientSecret: '',
				},
				{ registration: 'manual', topics: ['orders/create', 'orders/paid'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({ id: Date.now(), name: '#1001', total_price: '19.99' });
			return {
				body,
				headers: {
					'x-shopify-topic': 'orders/create',
					'x-shopify-event-id': uniqueId(),
					'x-shopify-shop-domain': 'adversarial.myshopify.com',
					'x-shopify-hmac-sha256': getHmac(body, SECRET),
				},
			};
		},
	},
	{
		name: 'Paddle Billing',
		harness: (loaded) =>
			trigger(
				loaded,
				'PaddleVerifiedTrigger',
				'PaddleVerifiedTrigger',
				'PaddleVerifiedApi',
				'PaddleVerifiedApi',
				'paddleVerifiedTrigger',
			)(
				{ apiKey: 'pdl_unused', environment: 'sandbox', endpointSecretKeys: SECRET },
				{ registration: 'manual', events: ['transaction.completed'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				event_id: `evt_${uniqueId()}`,
				event_type: 'transaction.completed',
				occurred_at: new Date().toISOString(),
				data: { id: 'txn_1' },
			});
			const ts = now();
			return {
				body,
				headers: { 'paddle-signature': `ts=${ts};h1=${hex(SECRET, `${ts}:${body}`)}` },
			};
		},
		sdkAccepts: async (genuine) => {
			new Paddle('pdl_sdbx_apikey_example'); // sets the SDK's runtime crypto provider
			return await new WebhooksValidator().isValidSignature(
				genuine.body,
				SECRET,
				genuine.headers['paddle-signature'],
			);
		},
	},
	{
		name: 'SendGrid',
		harness: (loaded) =>
			trigger(
				loaded,
				'SendGridVerifiedTrigger',
				'SendGridVerifiedTrigger',
				'SendGridVerifiedApi',
				'SendGridVerifiedApi',
				'sendGridVerifiedTrigger',
			)(
				{ apiKey: 'SG.unused', environment: 'global', verificationKeys: SENDGRID_SIGNER.publicKey },
				{ registration: 'manual', events: ['delivered'], options: {} },
			),
		genuine: async () => sendGridGenuine(),
		sdkAccepts: sendGridAccepts,
	},
	{
		// PayPal publishes no signer: the fake signs (node:crypto) under a test CA's certificate, and node-forge's
		// chain and RSA verification with crc-32's CRC32 accepts the genuine delivery (test/support/paypal.ts).
		name: 'PayPal',
		harness: (loaded) =>
			trigger(
				loaded,
				'PayPalVerifiedTrigger',
				'PayPalVerifiedTrigger',
				'PayPalVerifiedApi',
				'PayPalVerifiedApi',
				'payPalVerifiedTrigger',
			)(
				{
					clientId: payPal.clientId,
					clientSecret: payPal.clientSecret,
					environment: 'custom',
					baseUrl: payPal.url,
					webhookIds: PAYPAL_WEBHOOK_ID,
				},
				{ registration: 'manual', events: ['PAYMENT.CAPTURE.COMPLETED'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				id: `WH-${uniqueId()}`,
				event_type: 'PAYMENT.CAPTURE.COMPLETED',
				resource_type: 'capture',
				resource: { id: uniqueId(), amount: { currency_code: 'USD', value: '19.99' } },
			});
			const headers = payPal.transmission(body, PAYPAL_WEBHOOK_ID, {
				transmissionId: `${uniqueId()}-0000-0000`,
			}) as Record<string, string>;
			return { body, headers };
		},
		sdkAccepts: async (genuine) =>
			forgeAccepts(
				payPal.chain.pem,
				payPal.chain.root.pem,
				genuine.headers,
				Buffer.from(genuine.body),
				PAYPAL_WEBHOOK_ID,
			),
	},
	{
		// An Event Streams delivery: the URL the sink calls carries bodySHA256; signed by twilio's SDK.
		name: 'Twilio',
		canary: false,
		harness: (loaded) =>
			trigger(
				loaded,
				'TwilioVerifiedTrigger',
				'TwilioVerifiedTrigger',
				'TwilioVerifiedApi',
				'TwilioVerifiedApi',
				'twilioVerifiedTrigger',
			)(
				{ accountSid: 'ACx', authToken: SECRET, environment: 'twilio' },
				{
					registration: 'manual',
					events: ['com.twilio.messaging.message.delivered'],
					options: {},
				},
			),
		genuine: async () => {
			const body = JSON.stringify([
				{
					specversion: '1.0',
					type: 'com.twilio.messaging.message.delivered',
					id: `EZ${uniqueId()}`,
					source: '/2010-04-01/Accounts/ACx/Messages/SMx.json',
					time: new Date().toISOString(),
					data: { messageStatus: 'delivered' },
				},
			]);
			const url = twilioSignedUrl(PRODUCTION_URL, body);
			return {
				body,
				url,
				headers: { 'x-twilio-signature': getExpectedTwilioSignature(SECRET, url, {}) },
			};
		},
		sdkAccepts: async (genuine) =>
			validateRequestWithBody(
				SECRET,
				genuine.headers['x-twilio-signature'],
				genuine.url!,
				genuine.body,
			),
	},
	{
		name: 'Lemon Squeezy',
		harness: (loaded) =>
			trigger(
				loaded,
				'LemonSqueezyVerifiedTrigger',
				'LemonSqueezyVerifiedTrigger',
				'LemonSqueezyVerifiedApi',
				'LemonSqueezyVerifiedApi',
				'lemonSqueezyVerifiedTrigger',
			)(
				{ apiKey: 'ls_unused', signingSecrets: SECRET },
				{ registration: 'manual', events: ['order_created'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				meta: { event_name: 'order_created', test_mode: true },
				data: {
					type: 'orders',
					id: uniqueId(),
					attributes: { total: 1999, updated_at: new Date().toISOString() },
				},
			});
			return {
				body,
				headers: { 'x-event-name': 'order_created', 'x-signature': hex(SECRET, body) },
			};
		},
	},
	{
		// Signed the way the trigger registers WooCommerce webhooks: with the topic's secret derived from the
		// secret (HMAC-SHA256(secret, "woocommerce-topic:<topic>"), hex), so the unsigned topic header is covered too.
		name: 'WooCommerce',
		harness: (loaded) =>
			trigger(
				loaded,
				'WooCommerceVerifiedTrigger',
				'WooCommerceVerifiedTrigger',
				'WooCommerceVerifiedApi',
				'WooCommerceVerifiedApi',
				'wooCommerceVerifiedTrigger',
			)(
				{
					url: 'https://shop.invalid',
					consumerKey: 'ck',
					consumerSecret: 'cs',
					signingSecrets: SECRET,
				},
				{ registration: 'manual', events: ['order.created'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				id: uniqueId(),
				status: 'processing',
				total: '19.99',
				date_modified_gmt: new Date().toISOString().slice(0, 19),
			});
			const topicSecret = hex(SECRET, 'woocommerce-topic:order.created');
			return {
				body,
				headers: {
					'x-wc-webhook-topic': 'order.created',
					'x-wc-webhook-id': '21',
					'x-wc-webhook-signature': base64(topicSecret, body),
				},
			};
		},
	},
	{
		name: 'Typeform',
		harness: (loaded) =>
			trigger(
				loaded,
				'TypeformVerifiedTrigger',
				'TypeformVerifiedTrigger',
				'TypeformVerifiedApi',
				'TypeformVerifiedApi',
				'typeformVerifiedTrigger',
			)(
				{ accessToken: 'tfp_unused', webhookSecrets: SECRET },
				{ registration: 'manual', events: ['form_response'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				event_id: uniqueId(),
				event_type: 'form_response',
				form_response: { form_id: 'u6nXL7', token: uniqueId(), answers: [] },
			});
			return {
				body,
				headers: {
					'typeform-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`,
				},
			};
		},
	},
	{
		name: 'Square',
		harness: (loaded) =>
			trigger(
				loaded,
				'SquareVerifiedTrigger',
				'SquareVerifiedTrigger',
				'SquareVerifiedApi',
				'SquareVerifiedApi',
				'squareVerifiedTrigger',
			)(
				{ accessToken: 'EAAA_unused', environment: 'sandbox', signatureSecrets: SECRET },
				{ registration: 'manual', events: ['payment.created'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				merchant_id: 'M1',
				event_id: uniqueId(),
				type: 'payment.created',
				data: { id: 'p1' },
			});
			return {
				body,
				headers: { 'x-square-hmacsha256-signature': base64(SECRET, PRODUCTION_URL + body) },
			};
		},
		sdkAccepts: async (genuine) =>
			await WebhooksHelper.verifySignature({
				requestBody: genuine.body,
				signatureHeader: genuine.headers['x-square-hmacsha256-signature'],
				signatureKey: SECRET,
				notificationUrl: PRODUCTION_URL,
			}),
	},
	{
		name: 'Calendly',
		harness: (loaded) =>
			trigger(
				loaded,
				'CalendlyVerifiedTrigger',
				'CalendlyVerifiedTrigger',
				'CalendlyVerifiedApi',
				'CalendlyVerifiedApi',
				'calendlyVerifiedTrigger',
			)(
				{ accessToken: 'unused', signingSecrets: SECRET },
				{ registration: 'manual', events: ['invitee.created'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				event: 'invitee.created',
				created_at: new Date().toISOString(),
				payload: { uri: `https://api.calendly.com/invitees/${uniqueId()}`, name: 'Ada' },
			});
			const ts = now();
			return {
				body,
				headers: { 'calendly-webhook-signature': `t=${ts},v1=${hex(SECRET, `${ts}.${body}`)}` },
			};
		},
	},
	{
		name: 'Linear',
		harness: (loaded) =>
			trigger(
				loaded,
				'LinearVerifiedTrigger',
				'LinearVerifiedTrigger',
				'LinearVerifiedApi',
				'LinearVerifiedApi',
				'linearVerifiedTrigger',
			)(
				{ apiKey: 'lin_api_unused', webhookSecrets: SECRET },
				{ registration: 'manual', resourceTypes: ['Issue'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({
				action: 'create',
				type: 'Issue',
				data: { id: uniqueId() },
				webhookTimestamp: Date.now(),
			});
			return {
				body,
				headers: { 'linear-signature': hex(SECRET, body), 'linear-delivery': uniqueId() },
			};
		},
	},
	{
		// A shared token authenticates the sender, not the bytes: executions of body mutants are expected.
		authenticatesBody: false,
		name: 'GitLab',
		harness: (loaded) =>
			trigger(
				loaded,
				'GitLabVerifiedTrigger',
				'GitLabVerifiedTrigger',
				'GitLabVerifiedApi',
				'GitLabVerifiedApi',
				'gitLabVerifiedTrigger',
			)(
				{ accessToken: 'glpat-unused', secretTokens: SECRET },
				{ registration: 'manual', events: ['push_events'], options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({ object_kind: 'push', after: uniqueId() });
			return {
				body,
				headers: {
					'x-gitlab-token': SECRET,
					'x-gitlab-event': 'Push Hook',
					'idempotency-key': uniqueId(),
				},
			};
		},
	},
	{
		name: 'Standard Webhooks',
		harness: (loaded) =>
			trigger(
				loaded,
				'StandardWebhooksVerifiedTrigger',
				'StandardWebhooksVerifiedTrigger',
				'StandardWebhooksVerifiedApi',
				'StandardWebhooksVerifiedApi',
				'standardWebhooksVerifiedTrigger',
			)(
				{ signingSecret: WHSEC_FIXTURE, previousSigningSecret: '' },
				{ eventTypes: '', options: {} },
			),
		genuine: async () => {
			const body = JSON.stringify({ type: 'invoice.paid', data: { id: uniqueId() } });
			const id = `msg_${uniqueId()}`;
			const at = new Date();
			return {
				body,
				headers: {
					'svix-id': id,
					'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
					'svix-signature': new Webhook(WHSEC_FIXTURE).sign(id, at, body),
				},
			};
		},
	},
	preset(
		'slack',
		() => {
			const body = JSON.stringify({
				type: 'event_callback',
				event_id: `Ev${uniqueId()}`,
				event: { type: 'app_mention', text: 'hi' },
			});
			return { body, headers: v0Signed(body, 'x-slack-signature', 'x-slack-request-timestamp') };
		},
		async (genuine) =>
			verifyRequestSignature({
				signingSecret: SECRET,
				requestSignature: genuine.headers['x-slack-signature'],
				requestTimestamp: Number(genuine.headers['x-slack-request-timestamp']),
				body: genuine.body,
			}),
	),
	preset(
		'square',
		() => {
			const body = JSON.stringify({
				event_id: uniqueId(),
				type: 'payment.created',
				data: { id: 'p1' },
			});
			return {
				body,
				headers: { 'x-square-hmacsha256-signature': base64(SECRET, PRODUCTION_URL + body) },
			};
		},
		async (genuine) =>
			await WebhooksHelper.verifySignature({
				requestBody: genuine.body,
				signatureHeader: genuine.headers['x-square-hmacsha256-signature'],
				signatureKey: SECRET,
				notificationUrl: PRODUCTION_URL,
			}),
	),
	preset('typeform', () => {
		const body = JSON.stringify({
			event_id: uniqueId(),
			event_type: 'form_response',
			form_response: { answers: [] },
		});
		return { body, headers: { 'typeform-signature': `sha256=${base64(SECRET, body)}` } };
	}),
	preset('woocommerce', () => {
		const body = JSON.stringify({
			id: Date.now(),
			date_modified_gmt: new Date().toISOString(),
			status: 'processing',
		});
		return {
			body,
			headers: {
				'x-wc-webhook-signature': base64(SECRET, body),
				'x-wc-webhook-topic': 'order.created',
				'x-wc-webhook-delivery-id': uniqueId(),
			},
		};
	}),
	preset('linear', () => {
		const body = JSON.stringify({
			action: 'create',
			type: 'Issue',
			webhookId: uniqueId(),
			createdAt: new Date().toISOString(),
			webhookTimestamp: Date.now(),
		});
		return {
			body,
			headers: { 'linear-signature': hex(SECRET, body), 'linear-delivery': uniqueId() },
		};
	}),
	preset('calendly', () => {
		const body = JSON.stringify({
			event: 'invitee.created',
			created_at: new Date().toISOString(),
			payload: { uri: `https://api.calendly.com/x/${uniqueId()}` },
		});
		const ts = now();
		return {
			body,
			headers: { 'calendly-webhook-signature': `t=${ts},v1=${hex(SECRET, `${ts}.${body}`)}` },
		};
	}),
	preset('lemonSqueezy', () => {
		const body = JSON.stringify({
			meta: { event_name: 'order_created' },
			data: { id: uniqueId(), attributes: { updated_at: new Date().toISOString() } },
		});
		return { body, headers: { 'x-signature': hex(SECRET, body) } };
	}),
	preset('zoom', () => {
		const body = JSON.stringify({
			event: 'meeting.started',
			event_ts: Date.now(),
			payload: { object: { id: uniqueId() } },
		});
		return { body, headers: v0Signed(body, 'x-zm-signature', 'x-zm-request-timestamp') };
	}),
	preset(
		'hubspot',
		() => {
			const body = JSON.stringify([
				{
					eventId: Math.floor(nextRandom() * 2 ** 31),
					subscriptionId: 7,
					portalId: 9,
					occurredAt: Date.now(),
					subscriptionType: 'contact.creation',
					attemptNumber: 0,
					objectId: Math.floor(nextRandom() * 2 ** 31),
				},
			]);
			const timestamp = Date.now();
			return {
				body,
				headers: {
					'x-hubspot-signature-v3': HubSpotSignature.getSignature('POST', 'v3', {
						signature: '',
						clientSecret: SECRET,
						requestBody: body,
						url: PRODUCTION_URL,
						timestamp,
					}),
					'x-hubspot-request-timestamp': String(timestamp),
				},
			};
		},
		async (genuine) =>
			HubSpotSignature.isValid({
				signatureVersion: 'v3',
				signature: genuine.headers['x-hubspot-signature-v3'],
				clientSecret: SECRET,
				requestBody: genuine.body,
				url: PRODUCTION_URL,
				method: 'POST',
				timestamp: Number(genuine.headers['x-hubspot-request-timestamp']),
			}),
	),
	preset('sendgrid', sendGridGenuine, sendGridAccepts, SENDGRID_SIGNER.publicKey),
	(() => {
		// Form posts: the signature covers the URL and the parsed fields, so a mutant that parses to the same
		// fields (an added "&", say) keeps the signed content and must be dropped as a replay.
		const fields = (body: string) => Object.fromEntries(new URLSearchParams(body));
		return preset(
			'twilio',
			() => {
				const body = new URLSearchParams({
					MessageSid: `SM${uniqueId()}`,
					MessageStatus: 'delivered',
					To: '+15551230000',
					Body: 'café & more',
				}).toString();
				return {
					body,
					headers: {
						'x-twilio-signature': getExpectedTwilioSignature(SECRET, PRODUCTION_URL, fields(body)),
					},
				};
			},
			async (genuine) =>
				validateRequest(
					SECRET,
					genuine.headers['x-twilio-signature'],
					PRODUCTION_URL,
					fields(genuine.body),
				),
		);
	})(),
	// Mailgun signs a timestamp and a token, not the event data: a mutant that keeps the signature object is a
	// replay of its token (the same fingerprint) and must run nothing, whatever it did to the event data.
	preset('mailgun', () => {
		const timestamp = String(now());
		const token = `${uniqueId()}${'t'.repeat(40)}`.slice(0, 50);
		const body = JSON.stringify({
			signature: { timestamp, token, signature: hex(SECRET, timestamp + token) },
			'event-data': { id: uniqueId(), event: 'delivered', recipient: 'a@example.com' },
		});
		return { body, headers: {} };
	}),
	preset('gitlab', () => {
		const body = JSON.stringify({ object_kind: 'push', after: uniqueId() });
		return {
			body,
			headers: {
				'x-gitlab-token': SECRET,
				'x-gitlab-event': 'Push Hook',
				'x-gitlab-event-uuid': uniqueId(),
			},
		};
	}),
];

type Mutation =
	| { kind: 'flip'; at: number; bit: number }
	| { kind: 'truncate'; keep: number }
	| { kind: 'append'; bytes: Uint8Array }
	| { kind: 'replaceBody'; bytes: Uint8Array }
	| {
			kind: 'header';
			pick: number;
			change: 'remove' | 'empty' | 'repeat' | 'upper' | 'lower' | 'pad' | 'flip' | 'random';
			value: string;
			at: number;
	  }
	| { kind: 'addHeader'; name: string; value: string }
	| { kind: 'digits'; from: number; to: number; headers: 'none' | 'all' | number };

/** Header names of every family the package reads, so a mutant can add the "other" family's headers. */
const FOREIGN_HEADERS = [
	'webhook-id',
	'webhook-timestamp',
	'webhook-signature',
	'svix-id',
	'svix-timestamp',
	'svix-signature',
	'x-github-delivery',
	'x-github-event',
	'x-hub-signature-256',
	'x-hub-signature',
	'x-shopify-event-id',
	'x-shopify-topic',
	'x-shopify-hmac-sha256',
	'stripe-signature',
	'paddle-signature',
	'linear-delivery',
	'x-wc-webhook-delivery-id',
	'x-wc-webhook-topic',
	'idempotency-key',
	'x-gitlab-event-uuid',
	'x-slack-request-timestamp',
	'content-type',
];

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({
		kind: fc.constant('flip' as const),
		at: fc.nat(),
		bit: fc.integer({ min: 0, max: 7 }),
	}),
	fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
	fc.record({
		kind: fc.constant('append' as const),
		bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
	}),
	fc.record({ kind: fc.constant('replaceBody' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
	fc.record({
		kind: fc.constant('header' as const),
		pick: fc.nat(),
		change: fc.constantFrom('remove', 'empty', 'repeat', 'upper', 'lower', 'pad', 'flip', 'random'),
		value: fc.string({ maxLength: 40 }),
		at: fc.nat(),
	}),
	fc.record({
		kind: fc.constant('addHeader' as const),
		name: fc.constantFrom(...FOREIGN_HEADERS),
		value: fc.string({ maxLength: 40 }),
	}),
	// Every digit d1 in the body (and maybe in the headers) becomes d2: usually still JSON, with other ids —
	// the shape of a forgery that would run if verification let it through.
	fc.record({
		kind: fc.constant('digits' as const),
		from: fc.integer({ min: 0, max: 9 }),
		to: fc.integer({ min: 0, max: 9 }),
		headers: fc.oneof(fc.constant('none' as const), fc.constant('all' as const), fc.nat()),
	}),
);

function mutate(
	genuine: Genuine,
	mutations: Mutation[],
): { body: Buffer; headers: Record<string, string | string[]> } {
	let body = Buffer.from(genuine.body);
	const headers: Record<string, string | string[]> = { ...genuine.headers };
	for (const mutation of mutations) {
		if (mutation.kind === 'flip' && body.length > 0) {
			body = Buffer.from(body);
			body[mutation.at % body.length] ^= 1 << mutation.bit;
		} else if (mutation.kind === 'truncate') {
			body = body.subarray(0, mutation.keep % Math.max(1, body.length));
		} else if (mutation.kind === 'append') {
			body = Buffer.concat([body, Buffer.from(mutation.bytes)]);
		} else if (mutation.kind === 'replaceBody') {
			body = Buffer.from(mutation.bytes);
		} else if (mutation.kind === 'digits') {
			const swap = (text: string) => text.split(String(mutation.from)).join(String(mutation.to));
			body = Buffer.from(swap(body.toString('latin1')), 'latin1');
			const names = Object.keys(headers);
			const chosen =
				mutation.headers === 'all'
					? names
					: mutation.headers === 'none' || names.length === 0
						? []
						: [names[mutation.headers % names.length]];
			for (const name of chosen) {
				const value = headers[name];
				headers[name] = Array.isArray(value) ? value.map(swap) : swap(value);
			}
		} else if (mutation.kind === 'addHeader') {
			headers[mutation.name] = mutation.value;
		} else if (mutation.kind === 'header') {
			const names = Object.keys(headers);
			if (names.length === 0) continue;
			const name = names[mutation.pick % names.length];
			const value = String(headers[name]);
			if (mutation.change === 'remove') delete headers[name];
			else if (mutation.change === 'empty') headers[name] = '';
			else if (mutation.change === 'repeat') headers[name] = [value, value];
			else if (mutation.change === 'upper') headers[name] = value.toUpperCase();
			else if (mutation.change === 'lower') headers[name] = value.toLowerCase();
			else if (mutation.change === 'pad') headers[name] = ` ${value} `;
			else if (mutation.change === 'random') headers[name] = mutation.value;
			else if (value.length > 0) {
				const at = mutation.at % value.length;
				headers[name] =
					value.slice(0, at) + String.fromCharCode(value.charCodeAt(at) ^ 1) + value.slice(at + 1);
			}
		}
	}
	return { body, headers };
}

const ALLOWED_STATUSES = new Set([200, 400, 401]);

interface Outcome {
	executions: number;
	statuses: Record<number, number>;
	throws: number;
}

/** Runs the property for one target; returns what happened (the caller asserts). */
async function attack(
	target: Target,
	harness: HarnessType,
	loaded: Loaded,
	runs: number,
	seed: number,
): Promise<Outcome> {
	const genuine = await target.genuine();
	const send = async (body: Buffer, headers: Record<string, string | string[]>) => {
		const response = new loaded.FakeResponse();
		const request = loaded.fakeRequest(body, headers);
		if (genuine.url) {
			const called = new URL(genuine.url);
			request.originalUrl = called.pathname + called.search;
			request.query = Object.fromEntries(called.searchParams);
		}
		const result: IWebhookResponseData = await harness.webhook(request, response as never);
		return { status: response.statusCode ?? 0, executed: result.workflowData !== undefined };
	};
	const first = await send(Buffer.from(genuine.body), genuine.headers);
	if (!first.executed)
		throw new Error(`${target.name}: the genuine delivery was not accepted (${first.status})`);
	const outcome: Outcome = { executions: 0, statuses: {}, throws: 0 };
	await fc.assert(
		fc.asyncProperty(
			fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
			async (mutations) => {
				const mutant = mutate(genuine, mutations);
				try {
					const { status, executed } = await send(mutant.body, mutant.headers);
					outcome.statuses[status] = (outcome.statuses[status] ?? 0) + 1;
					if (executed) outcome.executions++;
				} catch {
					outcome.throws++;
				}
				return true;
			},
		),
		{ numRuns: runs, seed },
	);
	return outcome;
}

function loadNormally(): Loaded {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const contexts = require('../support/n8nContexts') as typeof import('../support/n8nContexts');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return { ...contexts, load: (path: string) => require(path) };
}

describe(`adversarial: mutated SDK-signed deliveries (seed ${SEED}, ${RUNS} cases per target)`, () => {
	beforeEach(() => seedIds(SEED));
	it.each(targets.map((target) => [target.name, target] as const))(
		'%s: 0 executions (but a shared token), 0 throws, only 200/400/401',
		async (_name, target) => {
			if (target.sdkAccepts) expect(await target.sdkAccepts(await target.genuine())).toBe(true);
			const loaded = loadNormally();
			const outcome = await attack(target, target.harness(loaded), loaded, RUNS, SEED);
			report(`[adversarial] ${target.name} seed ${SEED}: ${JSON.stringify(outcome)}`);
			expect(outcome.throws).toBe(0);
			expect(
				Object.keys(outcome.statuses)
					.map(Number)
					.filter((status) => !ALLOWED_STATUSES.has(status)),
			).toEqual([]);
			if (target.authenticatesBody !== false) expect(outcome.executions).toBe(0);
		},
		900_000,
	);
});

// GitLab's shared token is compared, not HMACed: it authenticates no body, so it has no canary to run.
describe('adversarial canary: with the HMAC check forced to "ok", the same property finds forgeries', () => {
	beforeEach(() => {
		jest.useFakeTimers({ now: CANARY_NOW, doNotFake: [...REAL_TIMERS] });
		seedIds(CANARY_SEED);
	});
	afterEach(() => jest.useRealTimers());
	it.each(
		targets
			.filter((target) => target.authenticatesBody !== false && target.canary !== false)
			.map((target) => [target.name, target] as const),
	)(
		'%s',
		async (_name, target) => {
			let loaded!: Loaded;
			let harness!: HarnessType;
			// Everything the trigger loads comes from a registry in which the signature check (verifyMac and
			// verifyPublicKey, used by the Signed Webhook schemes, and verifySignedHeader, used by the provider
			// declarations) always says "ok".
			jest.isolateModules(() => {
				jest.doMock('../../nodes/shared/signature', () => {
					const actual = jest.requireActual('../../nodes/shared/signature');
					const ok = () => ({ ok: true, secretIndex: 0 });
					return { ...actual, verifyMac: ok, verifySignedHeader: ok };
				});
				jest.doMock('../../nodes/shared/publicKey', () => ({
					...jest.requireActual('../../nodes/shared/publicKey'),
					verifyPublicKey: () => ({ ok: true, secretIndex: 0 }),
				}));
				loaded = loadNormally();
				harness = target.harness(loaded);
			});
			const outcome = await attack(target, harness, loaded, CANARY_RUNS, CANARY_SEED);
			jest.dontMock('../../nodes/shared/signature');
			jest.dontMock('../../nodes/shared/publicKey');
			report(
				`[adversarial canary] ${target.name}: ${outcome.executions} forgeries accepted of ${CANARY_RUNS} (seed ${CANARY_SEED})`,
			);
			expect(outcome.executions).toBeGreaterThan(0);
		},
		120_000,
	);
});
