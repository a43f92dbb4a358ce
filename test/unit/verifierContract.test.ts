import '@shopify/shopify-api/adapters/node';
import { createHmac } from 'crypto';
import { Paddle, WebhooksValidator } from '@paddle/paddle-node-sdk';
import { getHmac } from '@shopify/shopify-api/test-helpers';
import { Webhook } from 'standardwebhooks';
import { WebhooksHelper } from 'square';
import Stripe from 'stripe';

import { calendly } from '../../nodes/CalendlyVerifiedTrigger/provider';
import { gitHub } from '../../nodes/GitHubVerifiedTrigger/provider';
import { gitLab } from '../../nodes/GitLabVerifiedTrigger/provider';
import { lemonSqueezy } from '../../nodes/LemonSqueezyVerifiedTrigger/provider';
import { wooCommerce } from '../../nodes/WooCommerceVerifiedTrigger/provider';
import { linear } from '../../nodes/LinearVerifiedTrigger/provider';
import { typeform } from '../../nodes/TypeformVerifiedTrigger/provider';
import { paddle } from '../../nodes/PaddleVerifiedTrigger/provider';
import { shopify } from '../../nodes/ShopifyVerifiedTrigger/provider';
import { square } from '../../nodes/SquareVerifiedTrigger/provider';
import { sendGrid } from '../../nodes/SendGridVerifiedTrigger/provider';
import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import { verifyScheme } from '../../nodes/SignedWebhookTrigger/scheme';
import { standardWebhooks } from '../../nodes/StandardWebhooksVerifiedTrigger/provider';
import { stripe as stripeTrigger } from '../../nodes/StripeVerifiedTrigger/provider';
import { verifyMac } from '../../nodes/shared/signature';
import type { VerificationResult } from '../../nodes/shared/verdict';
import { calendlySignature } from '../fakes/fakeCalendly';
import { lemonSqueezySignature } from '../fakes/fakeLemonSqueezy';
import { wooCommerceSignature } from '../fakes/fakeWooCommerce';
import { linearSignature } from '../fakes/fakeLinear';
import { paddleSignature } from '../fakes/fakePaddle';
import { squareSignature } from '../fakes/fakeSquare';
import { typeformSignature } from '../fakes/fakeTypeform';
import { sendGridSdkAccepts, throwawaySigner } from '../support/sendgrid';
import {
	CONTRACT_CERTIFICATE_URL,
	CONTRACT_ORIGIN,
	contractChain,
	forgeAccepts,
	signPayPal,
} from '../support/paypal';
import { payPal } from '../../nodes/PayPalVerifiedTrigger/provider';
import { linearVerify, octokitSign, octokitVerify } from '../fakes/officialSdk';

/**
 * One contract, run against every dedicated verifier — the `verify` of each provider's declaration, exactly what
 * the trigger runs (stripe-node runs one suite against every crypto
 * provider the same way). Each test starts from a delivery signed by the provider's official SDK, breaks one
 * thing, and expects the same reason code for the same fault everywhere. Where the SDK also verifies, the
 * valid delivery is checked by the SDK's verifier too. Paddle's SDK has no signer: its deliveries are signed by
 * the fake Paddle (node:crypto) and accepted by the SDK's WebhooksValidator in the first test.
 */

type Headers = Record<string, string | string[]>;

interface Subject {
	name: string;
	/** Two distinct secrets in the provider's format: current and previous. */
	secrets: [string, string];
	/** The signature header's name as received (lower case). */
	header: string;
	/** Finds the encoded signature inside the header's value. */
	encoded: RegExp;
	encoding: 'hex' | 'base64';
	timestamped: boolean;
	/** The body signed at `timestamp`, for schemes that carry the time in the body (Linear). Default: BODY. */
	body?(timestamp: number): Buffer;
	/** Signs with the official SDK. */
	sign(secret: string, body: Buffer, timestamp: number): Headers;
	/** The official SDK's own verifier on the same request, where it has one. */
	sdkAccepts?(secret: string, body: Buffer, headers: Headers): Promise<boolean> | boolean;
	/** The verifier the trigger runs: its provider declaration's. */
	verify(delivery: {
		rawBody: Buffer;
		headers: Headers;
		secrets: string[];
		nowSeconds: number;
		toleranceSeconds: number;
	}): VerificationResult | Promise<VerificationResult>;
}

const stripe = new Stripe('sk_test_unused');
new Paddle('pdl_sdbx_apikey_example'); // sets the Paddle SDK's runtime crypto provider
const NOW = Math.floor(Date.now() / 1000);
const SQUARE_URL = 'https://n8n.example.com/webhook/contract/webhook';
const BODY = Buffer.from('{"id":"evt_contract_1","type":"test.event","data":{"amount":1999}}');
const bodyFor = (subject: Subject, timestamp: number) => subject.body?.(timestamp) ?? BODY;

const subjects: Subject[] = [
	{
		name: 'Stripe (stripe-node generateTestHeaderString / constructEvent)',
		secrets: ['whsec_contract_current', 'whsec_contract_previous'],
		header: 'stripe-signature',
		encoded: /[0-9a-f]{64}/,
		encoding: 'hex',
		timestamped: true,
		sign: (secret, body, timestamp) => ({
			'stripe-signature': stripe.webhooks.generateTestHeaderString({
				payload: body.toString('utf8'),
				secret,
				timestamp,
			}),
		}),
		sdkAccepts: (secret, body, headers) =>
			stripe.webhooks.constructEvent(body, headers['stripe-signature'] as string, secret).id ===
			'evt_contract_1',
		verify: stripeTrigger.verify,
	},
	{
		name: 'Paddle (fake Paddle signer, @paddle/paddle-node-sdk WebhooksValidator)',
		secrets: ['pdl_ntfset_contract_current', 'pdl_ntfset_contract_previous'],
		header: 'paddle-signature',
		encoded: /[0-9a-f]{64}/,
		encoding: 'hex',
		timestamped: true,
		sign: (secret, body, timestamp) => ({
			'paddle-signature': paddleSignature(secret, body.toString('utf8'), timestamp),
		}),
		sdkAccepts: async (secret, body, headers) =>
			await new WebhooksValidator().isValidSignature(
				body.toString('utf8'),
				secret,
				headers['paddle-signature'] as string,
			),
		verify: paddle.verify,
	},
	{
		name: 'GitHub (@octokit/webhooks-methods sign / verify)',
		secrets: ['contract-current', 'contract-previous'],
		header: 'x-hub-signature-256',
		encoded: /[0-9a-f]{64}/,
		encoding: 'hex',
		timestamped: false,
		sign: (secret, body) => ({
			'x-hub-signature-256': octokitSign(secret, body.toString('utf8')),
		}),
		sdkAccepts: (secret, body, headers) =>
			octokitVerify(secret, body.toString('utf8'), headers['x-hub-signature-256']),
		verify: gitHub.verify,
	},
	{
		// No Lemon Squeezy library signs or verifies (its SDK only manages webhooks): node:crypto signs here.
		name: 'Lemon Squeezy (fake Lemon Squeezy signer, node:crypto; no official signer or verifier exists)',
		secrets: ['contract-current', 'contract-previous'],
		header: 'x-signature',
		encoded: /^[0-9a-f]{64}$/,
		encoding: 'hex',
		timestamped: false,
		sign: (secret, body) => ({
			'x-signature': lemonSqueezySignature(secret, body.toString('utf8')),
		}),
		verify: lemonSqueezy.verify,
	},
	{
		// WooCommerce signs in PHP and publishes no library: the fake's node:crypto signer (checked against
		// providers.md's vector in the node test) signs here, as a webhook made by hand with the secret itself.
		name: 'WooCommerce (fake WooCommerce signer, node:crypto; no official signer or verifier exists)',
		secrets: ['contract-current', 'contract-previous'],
		header: 'x-wc-webhook-signature',
		encoded: /^[A-Za-z0-9+/]{43}=$/,
		encoding: 'base64',
		timestamped: false,
		sign: (secret, body) => ({
			'x-wc-webhook-signature': wooCommerceSignature(secret, body.toString('utf8')),
		}),
		verify: wooCommerce.verify,
	},
	{
		// @typeform/api-client manages webhooks but exports no signer or verifier: node:crypto signs here.
		name: 'Typeform (fake Typeform signer, node:crypto; no official signer or verifier exists)',
		secrets: ['contract-current', 'contract-previous'],
		header: 'typeform-signature',
		encoded: /(?<=^sha256=).+$/,
		encoding: 'base64',
		timestamped: false,
		sign: (secret, body) => ({
			'typeform-signature': typeformSignature(secret, body.toString('utf8')),
		}),
		verify: typeform.verify,
	},
	{
		// Square's SDK verifies but does not sign: node:crypto signs, WebhooksHelper.verifySignature accepts.
		name: 'Square (fake Square signer, node:crypto; square WebhooksHelper.verifySignature)',
		secrets: ['contract-current-key', 'contract-previous-key'],
		header: 'x-square-hmacsha256-signature',
		encoded: /^.+$/,
		encoding: 'base64',
		timestamped: false,
		sign: (secret, body) => ({
			'x-square-hmacsha256-signature': squareSignature(secret, SQUARE_URL, body.toString('utf8')),
		}),
		sdkAccepts: async (secret, body, headers) =>
			await WebhooksHelper.verifySignature({
				requestBody: body.toString('utf8'),
				signatureHeader: headers['x-square-hmacsha256-signature'] as string,
				signatureKey: secret,
				notificationUrl: SQUARE_URL,
			}),
		// Square signs the notification URL: the trigger passes the URL n8n serves.
		verify: (delivery) => square.verify({ ...delivery, url: SQUARE_URL }),
	},
	{
		// Calendly publishes no signer or verifier: node:crypto signs here.
		name: 'Calendly (fake Calendly signer, node:crypto; no official signer or verifier exists)',
		secrets: ['contract-current-key', 'contract-previous-key'],
		header: 'calendly-webhook-signature',
		encoded: /[0-9a-f]{64}/,
		encoding: 'hex',
		timestamped: true,
		sign: (secret, body, timestamp) => ({
			'calendly-webhook-signature': calendlySignature(secret, body.toString('utf8'), timestamp),
		}),
		verify: calendly.verify,
	},
	{
		// @linear/sdk verifies but does not sign: node:crypto signs, LinearWebhookClient.verify accepts. The signed
		// time is the body's webhookTimestamp (ms).
		name: 'Linear (fake Linear signer, node:crypto; @linear/sdk LinearWebhookClient.verify)',
		secrets: ['contract-current', 'contract-previous'],
		header: 'linear-signature',
		encoded: /^[0-9a-f]{64}$/,
		encoding: 'hex',
		timestamped: true,
		body: (timestamp) =>
			Buffer.from(
				JSON.stringify({
					action: 'create',
					type: 'Issue',
					data: { id: 'i1' },
					webhookTimestamp: timestamp * 1000,
				}),
			),
		sign: (secret, body) => ({
			'linear-signature': linearSignature(secret, body.toString('utf8')),
		}),
		sdkAccepts: (secret, body, headers) =>
			linearVerify(secret, body.toString('utf8'), headers['linear-signature'] as string) === true,
		verify: linear.verify,
	},
	{
		name: 'Shopify (@shopify/shopify-api getHmac)',
		secrets: ['shpss_contract_current', 'shpss_contract_previous'],
		header: 'x-shopify-hmac-sha256',
		encoded: /^.+$/,
		encoding: 'base64',
		timestamped: false,
		sign: (secret, body) => ({ 'x-shopify-hmac-sha256': getHmac(body.toString('utf8'), secret) }),
		verify: shopify.verify,
	},
	{
		name: 'Standard Webhooks (standardwebhooks Webhook.sign / verify)',
		secrets: [
			'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3',
			`whsec_${Buffer.from('contract-previous-secret').toString('base64')}`,
		],
		header: 'webhook-signature',
		encoded: /(?<=v1,)\S+/,
		encoding: 'base64',
		timestamped: true,
		sign: (secret, body, timestamp) => ({
			'webhook-id': 'msg_contract_1',
			'webhook-timestamp': String(timestamp),
			'webhook-signature': new Webhook(secret).sign(
				'msg_contract_1',
				new Date(timestamp * 1000),
				body.toString('utf8'),
			),
		}),
		sdkAccepts: (secret, body, headers) => {
			new Webhook(secret).verify(body.toString('utf8'), headers as Record<string, string>);
			return true;
		},
		verify: standardWebhooks.verify,
	},
	sendGridSubject(),
	payPalSubject(),
];

/**
 * PayPal's "secrets" are webhook ids, which every signature covers; PayPal signs with its certificate's RSA key.
 * No PayPal code signs or verifies offline: node:crypto signs with a test key under a certificate a test CA issued,
 * and node-forge (chain, RSA) with crc-32 (the CRC32 PayPal's documentation example uses) accepts what it signs.
 * The certificate is handed over as if fetched from the allowed URL (the fetch is certificates.ts's, tested
 * apart).
 */
function payPalSubject(): Subject {
	return {
		name: 'PayPal (test CA via node-forge, node:crypto sign; node-forge chain + RSA verify, crc-32)',
		secrets: ['5GP028458E2496506', '8PT597110X687430LKGECFMO'],
		header: 'paypal-transmission-sig',
		encoded: /[A-Za-z0-9+/]{300,}={0,2}/,
		encoding: 'base64',
		timestamped: true,
		sign: (webhookId, body, timestamp) => signPayPal(webhookId, body, timestamp),
		sdkAccepts: (webhookId, body, headers) =>
			forgeAccepts(contractChain().pem, contractChain().root.pem, headers, body, webhookId),
		verify: (delivery) =>
			payPal.verify({
				...delivery,
				settings: [CONTRACT_ORIGIN],
				fetchText: async (url) => {
					expect(url).toBe(CONTRACT_CERTIFICATE_URL);
					return contractChain().pem;
				},
			}),
	};
}

/**
 * SendGrid's "secrets" are public keys: the contract's two are throwaway P-256 keys whose private halves sign
 * (node:crypto; SendGrid publishes no signer), and @sendgrid/eventwebhook's verifier accepts what they sign.
 */
function sendGridSubject(): Subject {
	const signers = [throwawaySigner(), throwawaySigner()];
	const signerOf = (publicKey: string) => signers.find((each) => each.publicKey === publicKey)!;
	return {
		name: 'SendGrid (throwaway P-256 keys, node:crypto sign; @sendgrid/eventwebhook verifySignature)',
		secrets: [signers[0].publicKey, signers[1].publicKey],
		header: 'x-twilio-email-event-webhook-signature',
		encoded: /^.+$/,
		encoding: 'base64',
		timestamped: true,
		sign: (publicKey, body, timestamp) => ({
			'x-twilio-email-event-webhook-signature': signerOf(publicKey).sign(
				String(timestamp),
				body.toString('utf8'),
			),
			'x-twilio-email-event-webhook-timestamp': String(timestamp),
		}),
		sdkAccepts: (publicKey, body, headers) =>
			sendGridSdkAccepts(
				publicKey,
				body,
				headers['x-twilio-email-event-webhook-signature'] as string,
				headers['x-twilio-email-event-webhook-timestamp'] as string,
			),
		verify: sendGrid.verify,
	};
}

/** The same header with its encoded signature replaced. */
function withSignature(subject: Subject, headers: Headers, replacement: string): Headers {
	const value = headers[subject.header] as string;
	expect(value).toMatch(subject.encoded);
	return { ...headers, [subject.header]: value.replace(subject.encoded, replacement) };
}

describe.each(subjects)('verifier contract: $name', (subject) => {
	const [current, previous] = subject.secrets;
	const body = bodyFor(subject, NOW);
	const valid = subject.sign(current, body, NOW);
	const verify = (
		headers: Headers,
		options: { body?: Buffer; secrets?: string[]; now?: number; tolerance?: number } = {},
	) =>
		subject.verify({
			rawBody: options.body ?? body,
			headers,
			secrets: options.secrets ?? [current],
			nowSeconds: options.now ?? NOW,
			toleranceSeconds: options.tolerance ?? 300,
		});

	it('verify(SDK-signed delivery) is ok with secretIndex 0', async () => {
		expect(await verify(valid)).toMatchObject({ ok: true, secretIndex: 0 });
	});

	it('verify(body with one changed byte) is signature_mismatch', async () => {
		const changed = Buffer.from(body);
		changed[changed.length - 3] ^= 0x01;
		expect(await verify(valid, { body: changed })).toMatchObject({ reason: 'signature_mismatch' });
	});

	it('verify(signed with another secret) is signature_mismatch', async () => {
		expect(await verify(subject.sign(previous, body, NOW))).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('verify(signature header absent) is missing_signature', async () => {
		const headers = { ...valid };
		delete headers[subject.header];
		expect(await verify(headers)).toMatchObject({ reason: 'missing_signature' });
	});

	it('verify(signature header empty) is missing_signature', async () => {
		expect(await verify({ ...valid, [subject.header]: '' })).toMatchObject({
			reason: 'missing_signature',
		});
	});

	it('verify(signature header sent twice) is malformed_signature', async () => {
		const value = valid[subject.header] as string;
		expect(await verify({ ...valid, [subject.header]: [value, value] })).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('verify(signature not valid in its encoding) is malformed_signature', async () => {
		const length = (valid[subject.header] as string).match(subject.encoded)![0].length;
		const garbled = withSignature(subject, valid, '*'.repeat(length));
		expect(await verify(garbled)).toMatchObject({ reason: 'malformed_signature' });
	});

	it('verify(signature of 16 bytes instead of 32) is malformed_signature', async () => {
		const short = Buffer.alloc(16, 7).toString(subject.encoding);
		expect(await verify(withSignature(subject, valid, short))).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('verify(signed with the previous secret, configured second) is ok with secretIndex 1', async () => {
		expect(
			await verify(subject.sign(previous, body, NOW), { secrets: [current, previous] }),
		).toMatchObject({ ok: true, secretIndex: 1 });
	});

	it('verify(signed with the current secret, configured first of two) is ok with secretIndex 0', async () => {
		expect(await verify(valid, { secrets: [current, previous] })).toMatchObject({
			ok: true,
			secretIndex: 0,
		});
	});

	it('verify(no secret configured) is no_secret, naming the signature header for the diagnostics', async () => {
		expect(await verify(valid, { secrets: [] })).toMatchObject({
			reason: 'no_secret',
			header: expect.any(String),
			expected: expect.any(String),
		});
	});
});

describe.each(subjects.filter((subject) => subject.sdkAccepts))(
	'verifier contract, cross-check: $name',
	(subject) => {
		it("the SDK's own verifier accepts the delivery the contract starts from", async () => {
			const [current] = subject.secrets;
			const body = bodyFor(subject, NOW);
			expect(await subject.sdkAccepts!(current, body, subject.sign(current, body, NOW))).toBe(true);
		});
	},
);

describe.each(subjects.filter((subject) => subject.timestamped))(
	'verifier contract, signed timestamp: $name',
	(subject) => {
		const [current] = subject.secrets;
		const verify = (signedAt: number, tolerance = 300) =>
			subject.verify({
				rawBody: bodyFor(subject, signedAt),
				headers: subject.sign(current, bodyFor(subject, signedAt), signedAt),
				secrets: [current],
				nowSeconds: NOW,
				toleranceSeconds: tolerance,
			});

		it('verify(signed 301 s ago, tolerance 300) is timestamp_too_old', async () => {
			expect(await verify(NOW - 301)).toMatchObject({ reason: 'timestamp_too_old' });
		});

		it('verify(signed exactly 300 s ago, tolerance 300) is ok', async () => {
			expect(await verify(NOW - 300)).toMatchObject({ ok: true });
		});

		it('verify(signed 301 s in the future, tolerance 300) is timestamp_in_future', async () => {
			expect(await verify(NOW + 301)).toMatchObject({ reason: 'timestamp_in_future' });
		});

		it('verify(signed a day ago, tolerance 0) is ok: 0 turns the check off', async () => {
			expect(await verify(NOW - 86_400, 0)).toMatchObject({ ok: true, timestamp: NOW - 86_400 });
		});
	},
);

/**
 * The same contract for a shared token (GitLab's X-Gitlab-Token): the header is the secret itself, so there is
 * nothing for an SDK to sign — GitLab documents the header as "the secret token" of the hook, sent unchanged. Run
 * against the GitLab trigger's verifier and the Signed Webhook trigger's GitLab preset: one verifier in the
 * package (verifyMac with algorithm "token"), so both must give the same answer to the same fault.
 */
const tokenSubjects: Array<{
	name: string;
	verify(headers: Headers, secrets: string[], body?: Buffer): VerificationResult;
}> = [
	{
		name: 'GitLab trigger',
		verify: (headers, secrets, body = BODY) =>
			gitLab.verify({ rawBody: body, headers, secrets, nowSeconds: NOW, toleranceSeconds: 300 }),
	},
	{
		name: 'Signed Webhook preset "gitlab"',
		verify: (headers, secrets, body = BODY) =>
			verifyScheme(
				PRESETS.gitlab.config,
				{
					rawBody: body,
					headers,
					query: {},
					method: 'POST',
					url: 'https://n8n.example.com/webhook/contract',
					json: () => JSON.parse(body.toString()) as unknown,
				},
				secrets,
				NOW,
			),
	},
];

describe.each(tokenSubjects)('token contract: $name', (subject) => {
	const current = 'glpat-contract-current-token';
	const previous = 'glpat-contract-previous-token';
	const sent = (token: string | string[]) => ({ 'x-gitlab-token': token });

	it('verify(the configured token) is ok with secretIndex 0', () => {
		expect(subject.verify(sent(current), [current])).toMatchObject({ ok: true, secretIndex: 0 });
	});

	it('verify(another token of the same length) is signature_mismatch', () => {
		expect(subject.verify(sent(previous), [current])).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('verify(the token with one changed character) is signature_mismatch', () => {
		const changed = current.slice(0, -1) + (current.endsWith('n') ? 'm' : 'n');
		expect(subject.verify(sent(changed), [current])).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('verify(a prefix of the token) is signature_mismatch', () => {
		expect(subject.verify(sent(current.slice(0, 8)), [current])).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('verify(token header absent) is missing_signature', () => {
		expect(subject.verify({}, [current])).toMatchObject({ reason: 'missing_signature' });
	});

	it('verify(token header empty) is missing_signature', () => {
		expect(subject.verify(sent(''), [current])).toMatchObject({ reason: 'missing_signature' });
	});

	it('verify(token header sent twice) is malformed_signature', () => {
		expect(subject.verify(sent([current, current]), [current])).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('verify(the previous token, configured second) is ok with secretIndex 1', () => {
		expect(subject.verify(sent(previous), [current, previous])).toMatchObject({
			ok: true,
			secretIndex: 1,
		});
	});

	it('verify(no secret configured) is no_secret', () => {
		expect(subject.verify(sent(current), [])).toMatchObject({ reason: 'no_secret' });
	});

	it('verify(same token, changed body) is ok: a token does not sign the body, the fingerprint tells them apart', () => {
		const changed = Buffer.from(BODY);
		changed[5] ^= 0x01;
		const first = subject.verify(sent(current), [current]);
		const second = subject.verify(sent(current), [current], changed);
		const again = subject.verify(sent(current), [current]);
		if (!first.ok || !second.ok || !again.ok) throw new Error('expected three accepted tokens');
		expect(first.fingerprint).toEqual(again.fingerprint);
		expect(first.fingerprint).not.toEqual(second.fingerprint);
	});
});

/**
 * A token is compared without reading the signed content: only an accepted token pays for its fingerprint (the
 * HMAC over the body), so a flood of wrong tokens with 16 MB bodies costs no hashing of them.
 */
describe('verifyMac with a token: the body is read only after a match', () => {
	/** Signed content that counts how often it is iterated (each pass feeds the whole body to a hash). */
	function countedContent() {
		const parts = [BODY];
		const counted = { reads: 0, parts };
		const iterable = Object.assign([...parts], {
			[Symbol.iterator]: () => {
				counted.reads++;
				return parts[Symbol.iterator]();
			},
		});
		return { counted, signedContent: iterable };
	}
	const token = 'glpat-contract-current-token';
	const check = (sent: string, signedContent: Buffer[]) =>
		verifyMac({
			algorithm: 'token',
			secrets: [token],
			signedContent,
			candidates: [Buffer.from(sent)],
		});

	it('a wrong token: signature_mismatch, the body never read', () => {
		const { counted, signedContent } = countedContent();
		expect(check('glpat-contract-wrong-token!!', signedContent)).toMatchObject({
			reason: 'signature_mismatch',
		});
		expect(counted.reads).toBe(0);
	});

	it('the right token: ok, the body read once for the fingerprint', () => {
		const { counted, signedContent } = countedContent();
		const verdict = check(token, signedContent);
		expect(verdict).toMatchObject({ ok: true, secretIndex: 0 });
		expect(counted.reads).toBe(1);
		if (!verdict.ok) throw new Error('expected ok');
		expect(verdict.fingerprint).toEqual(createHmac('sha256', token).update(BODY).digest());
	});
});
