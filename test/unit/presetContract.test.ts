import { createHmac } from 'crypto';
import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import { verifyScheme, type SchemeRequest } from '../../nodes/SignedWebhookTrigger/scheme';
import type { VerificationResult } from '../../nodes/shared/verdict';
import { sendGridSdkAccepts, throwawaySigner } from '../support/sendgrid';

/**
 * The verifier contract (verifierContract.test.ts) run against every signing preset (HMAC and ECDSA) of the Signed Webhook trigger:
 * one fault per test, the same reason code as the dedicated verifiers give for the same fault.
 *
 * Which signatures come from where: HubSpot's and Twilio's deliveries are signed by their official SDKs
 * (@hubspot/api-client; twilio's getExpectedTwilioSignature, the body read as a form as Twilio's form posts are);
 * SendGrid's by node:crypto with throwaway P-256 keys, each accepted by SendGrid's official verifier first;
 * the other providers ship no signing function, and their valid deliveries are signed by `sign` below with
 * node:crypto, following the provider's documentation; the known-answer vectors
 * of ../shared/reference/providers.md §3.3 (also node:crypto) pin the same computation in
 * signedWebhookPresets.test.ts, and officialSdkCrossChecks.test.ts shows that the official verifiers of Slack
 * (@slack/events-api), Linear (@linear/sdk) and Square (square) accept what these presets accept. Typeform,
 * WooCommerce, Calendly, Lemon Squeezy and Zoom publish no code and no example: for them this suite checks
 * consistency, not agreement with the provider.
 */

const NOW = 1_700_000_000;
const BODY = '{"id":"evt_contract_1","event_id":"evt_contract_1","type":"test.event","data":{}}';
const URL = 'https://example.com/webhook/contract';

type Headers = Record<string, string | string[]>;

interface PresetSubject {
	preset: string;
	/** The signature header (lower case). */
	header: string;
	encoding: 'hex' | 'base64';
	/** Where the encoded signature is inside the header value. */
	encoded: RegExp;
	/** True when a signed timestamp is checked before the HMAC. */
	timestamped: boolean;
	sign(secret: string, body: string, timestamp: number): Headers;
	/** For a public-key scheme: what the credential holds for a secret's name (its public key). */
	credential?(secret: string): string;
}

const hmac = (secret: string, text: string, encoding: 'hex' | 'base64') =>
	createHmac('sha256', secret).update(text).digest(encoding);

const subjects: PresetSubject[] = [
	{
		preset: 'slack',
		header: 'x-slack-signature',
		encoding: 'hex',
		encoded: /[0-9a-f]{64}/,
		timestamped: true,
		sign: (secret, body, ts) => ({
			'x-slack-signature': `v0=${hmac(secret, `v0:${ts}:${body}`, 'hex')}`,
			'x-slack-request-timestamp': String(ts),
		}),
	},
	{
		preset: 'zoom',
		header: 'x-zm-signature',
		encoding: 'hex',
		encoded: /[0-9a-f]{64}/,
		timestamped: true,
		sign: (secret, body, ts) => ({
			'x-zm-signature': `v0=${hmac(secret, `v0:${ts}:${body}`, 'hex')}`,
			'x-zm-request-timestamp': String(ts),
		}),
	},
	{
		preset: 'calendly',
		header: 'calendly-webhook-signature',
		encoding: 'hex',
		encoded: /[0-9a-f]{64}/,
		timestamped: true,
		sign: (secret, body, ts) => ({
			'calendly-webhook-signature': `t=${ts},v1=${hmac(secret, `${ts}.${body}`, 'hex')}`,
		}),
	},
	{
		preset: 'typeform',
		header: 'typeform-signature',
		encoding: 'base64',
		encoded: /(?<=sha256=).+$/,
		timestamped: false,
		sign: (secret, body) => ({ 'typeform-signature': `sha256=${hmac(secret, body, 'base64')}` }),
	},
	{
		preset: 'woocommerce',
		header: 'x-wc-webhook-signature',
		encoding: 'base64',
		encoded: /^.+$/,
		timestamped: false,
		sign: (secret, body) => ({ 'x-wc-webhook-signature': hmac(secret, body, 'base64') }),
	},
	{
		preset: 'lemonSqueezy',
		header: 'x-signature',
		encoding: 'hex',
		encoded: /^.+$/,
		timestamped: false,
		sign: (secret, body) => ({ 'x-signature': hmac(secret, body, 'hex') }),
	},
	{
		preset: 'square',
		header: 'x-square-hmacsha256-signature',
		encoding: 'base64',
		encoded: /^.+$/,
		timestamped: false,
		sign: (secret, body) => ({
			'x-square-hmacsha256-signature': hmac(secret, `${URL}${body}`, 'base64'),
		}),
	},
	{
		// Signed by HubSpot's official SDK (@hubspot/api-client Signature.getSignature, v3): the preset's one
		// subject whose signature comes from code nobody here wrote.
		preset: 'hubspot',
		header: 'x-hubspot-signature-v3',
		encoding: 'base64',
		encoded: /^.+$/,
		timestamped: true,
		sign: (secret, body, ts) => ({
			'x-hubspot-signature-v3': HubSpotSignature.getSignature('POST', 'v3', {
				signature: '',
				clientSecret: secret,
				requestBody: body,
				url: URL,
				timestamp: ts * 1000,
			}),
			'x-hubspot-request-timestamp': String(ts * 1000),
		}),
	},
	{
		// Signed by Twilio's official SDK (twilio getExpectedTwilioSignature): the URL, then the body's form fields.
		preset: 'twilio',
		header: 'x-twilio-signature',
		encoding: 'base64',
		encoded: /^.+$/,
		timestamped: false,
		sign: (secret, body) => ({
			'x-twilio-signature': getExpectedTwilioSignature(
				secret,
				URL,
				Object.fromEntries(new URLSearchParams(body)),
			),
		}),
	},
	(() => {
		// ECDSA: one throwaway P-256 key per secret name; each signature is checked by SendGrid's official
		// verifier (@sendgrid/eventwebhook) before the contract uses it.
		const signers = new Map<string, ReturnType<typeof throwawaySigner>>();
		const signer = (name: string) => {
			if (!signers.has(name)) signers.set(name, throwawaySigner());
			return signers.get(name)!;
		};
		return {
			preset: 'sendgrid',
			header: 'x-twilio-email-event-webhook-signature',
			encoding: 'base64' as const,
			encoded: /^.+$/,
			timestamped: true,
			sign: (secret: string, body: string, ts: number) => {
				const { publicKey, sign } = signer(secret);
				const signature = sign(String(ts), body);
				if (!sendGridSdkAccepts(publicKey, body, signature, String(ts)))
					throw new Error("SendGrid's verifier refused the throwaway signature");
				return {
					'x-twilio-email-event-webhook-signature': signature,
					'x-twilio-email-event-webhook-timestamp': String(ts),
				};
			},
			credential: (secret: string) => signer(secret).publicKey,
		};
	})(),
];

function verify(
	subject: PresetSubject,
	headers: Headers,
	options: { body?: string; secrets?: string[]; now?: number; tolerance?: number } = {},
): VerificationResult {
	const body = options.body ?? BODY;
	const config = PRESETS[subject.preset].config;
	const scheme =
		config.timestamp && options.tolerance !== undefined
			? { ...config, timestamp: { ...config.timestamp, toleranceSeconds: options.tolerance } }
			: config;
	const request: SchemeRequest = {
		rawBody: Buffer.from(body),
		headers,
		query: {},
		method: 'POST',
		url: URL,
		json: () => JSON.parse(body) as unknown,
	};
	const secrets = (options.secrets ?? ['contract-current']).map(
		(secret) => subject.credential?.(secret) ?? secret,
	);
	return verifyScheme(scheme, request, secrets, options.now ?? NOW);
}

/**
 * Mailgun's signature covers no body (a timestamp and a token inside it), so "a changed byte" is not a fault its
 * verifier can see: signedWebhookPresets.test.ts and the node test cover it (the replay record stops a changed
 * body under a captured signature).
 */
it('covers every signing preset (GitLab compares a token, Linear reads its timestamp from the body, Mailgun signs no body)', () => {
	const hmacPresets = Object.keys(PRESETS).filter(
		(name) => PRESETS[name].config.algorithm !== 'token' && name !== 'linear' && name !== 'mailgun',
	);
	expect(subjects.map((subject) => subject.preset).sort()).toEqual(hmacPresets.sort());
});

describe.each(subjects)('preset contract: $preset', (subject) => {
	const current = 'contract-current';
	const previous = 'contract-previous';
	const valid = subject.sign(current, BODY, NOW);
	const replaced = (replacement: string): Headers => {
		const value = valid[subject.header] as string;
		expect(value).toMatch(subject.encoded);
		return { ...valid, [subject.header]: value.replace(subject.encoded, replacement) };
	};

	it('verify(signed delivery) is ok with secretIndex 0', () => {
		expect(verify(subject, valid)).toMatchObject({ ok: true, secretIndex: 0 });
	});

	it('verify(body with one changed byte) is signature_mismatch', () => {
		expect(
			verify(subject, valid, { body: BODY.replace('test.event', 'test.evenu') }),
		).toMatchObject({ reason: 'signature_mismatch' });
	});

	it('verify(signed with another secret) is signature_mismatch', () => {
		expect(verify(subject, subject.sign(previous, BODY, NOW))).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('verify(signature header absent) is missing_signature', () => {
		const headers = { ...valid };
		delete headers[subject.header];
		expect(verify(subject, headers)).toMatchObject({ reason: 'missing_signature' });
	});

	it('verify(signature header empty) is missing_signature', () => {
		expect(verify(subject, { ...valid, [subject.header]: '' })).toMatchObject({
			reason: 'missing_signature',
		});
	});

	it('verify(signature header sent twice) is malformed_signature', () => {
		const value = valid[subject.header] as string;
		expect(verify(subject, { ...valid, [subject.header]: [value, value] })).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('verify(signature not valid in its encoding) is malformed_signature', () => {
		const length = (valid[subject.header] as string).match(subject.encoded)![0].length;
		expect(verify(subject, replaced('*'.repeat(length)))).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('verify(signature of 16 bytes instead of 32) is malformed_signature', () => {
		const short = Buffer.alloc(16, 7).toString(subject.encoding);
		expect(verify(subject, replaced(short))).toMatchObject({ reason: 'malformed_signature' });
	});

	it('verify(signed with the previous secret, configured second) is ok with secretIndex 1', () => {
		expect(
			verify(subject, subject.sign(previous, BODY, NOW), { secrets: [current, previous] }),
		).toMatchObject({ ok: true, secretIndex: 1 });
	});

	it('verify(no secret configured) is no_secret', () => {
		expect(verify(subject, valid, { secrets: [] })).toMatchObject({ reason: 'no_secret' });
	});
});

describe.each(subjects.filter((subject) => subject.timestamped))(
	'preset contract, signed timestamp: $preset',
	(subject) => {
		const current = 'contract-current';
		const at = (signedAt: number, tolerance?: number) =>
			verify(subject, subject.sign(current, BODY, signedAt), { tolerance });
		const tolerance = PRESETS[subject.preset].config.timestamp!.toleranceSeconds;

		it('verify(signed just outside the preset tolerance, in the past) is timestamp_too_old', () => {
			expect(at(NOW - tolerance - 1)).toMatchObject({ reason: 'timestamp_too_old' });
		});

		it('verify(signed exactly at the tolerance) is ok', () => {
			expect(at(NOW - tolerance)).toMatchObject({ ok: true });
		});

		it('verify(signed just outside the tolerance, in the future) is timestamp_in_future', () => {
			expect(at(NOW + tolerance + 1)).toMatchObject({ reason: 'timestamp_in_future' });
		});

		it('verify(signed a day ago, tolerance 0) is ok: 0 turns the check off', () => {
			expect(at(NOW - 86_400, 0)).toMatchObject({ ok: true, timestamp: NOW - 86_400 });
		});
	},
);
