import Stripe from 'stripe';

import { stripe as stripeTrigger } from '../../nodes/StripeVerifiedTrigger/provider';
import { oneHeaderVerifier } from '../support/verifiers';

const verifyStripeSignature = oneHeaderVerifier(stripeTrigger, 'stripe-signature');

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_test_secret';
const NOW = 1_700_000_000;
const BODY = Buffer.from('{"id":"evt_test_1","type":"test.event","data":{"amount":1999}}');

/** One valid delivery made by the official SDK; each test breaks one thing. */
function signed(options: { body?: Buffer; secret?: string; timestamp?: number } = {}) {
	const body = options.body ?? BODY;
	return {
		rawBody: body,
		header: stripe.webhooks.generateTestHeaderString({
			payload: body.toString('utf8'),
			secret: options.secret ?? SECRET,
			timestamp: options.timestamp ?? NOW,
		}),
	};
}

function verify(
	rawBody: Buffer,
	header: string | string[] | undefined,
	extra: { secrets?: string[]; now?: number; tolerance?: number } = {},
) {
	return verifyStripeSignature({
		rawBody,
		header,
		secrets: extra.secrets ?? [SECRET],
		nowSeconds: extra.now ?? NOW,
		toleranceSeconds: extra.tolerance ?? 300,
	});
}

describe('verifyStripeSignature', () => {
	it('matches the published known-answer vector', () => {
		const header =
			't=1700000000,v1=88f1de2d72b5c63f97a0477c539d7598f4c9b4fc8f2858527724334182daad5e';
		expect(verify(BODY, header)).toMatchObject({ ok: true, secretIndex: 0, timestamp: NOW });
	});

	it('accepts a header made by stripe.webhooks.generateTestHeaderString, which constructEvent also accepts', () => {
		const { rawBody, header } = signed();
		expect(verify(rawBody, header).ok).toBe(true);
		// The SDK's verifier agrees on the same bytes (it uses the real clock, so sign "now").
		const fresh = signed({ timestamp: Math.floor(Date.now() / 1000) });
		expect(stripe.webhooks.constructEvent(fresh.rawBody, fresh.header, SECRET).id).toBe(
			'evt_test_1',
		);
		expect(verify(fresh.rawBody, fresh.header, { now: Math.floor(Date.now() / 1000) }).ok).toBe(
			true,
		);
	});

	it('rejects a body with one changed byte as signature_mismatch', () => {
		const { rawBody, header } = signed();
		const changed = Buffer.from(rawBody);
		changed[changed.length - 3] ^= 0x01;
		expect(verify(changed, header)).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('rejects a re-serialised body (whitespace differs) as signature_mismatch', () => {
		const pretty = Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 2));
		const { header } = signed({ body: pretty });
		expect(
			verify(Buffer.from(JSON.stringify(JSON.parse(pretty.toString()))), header),
		).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('rejects a signature made with another secret as signature_mismatch', () => {
		const { rawBody, header } = signed({ secret: 'whsec_other_secret' });
		expect(verify(rawBody, header)).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('rejects a timestamp older than the tolerance as timestamp_too_old, naming the age, the header, its form and the signed time', () => {
		const { rawBody, header } = signed({ timestamp: NOW - 301 });
		expect(verify(rawBody, header)).toEqual({
			ok: false,
			reason: 'timestamp_too_old',
			detail: 'timestamp is 301 s old, tolerance 300 s',
			header: 'Stripe-Signature',
			expected: 't=<unix seconds>,v1=<32-byte signature in hex>',
			timestamp: NOW - 301,
		});
	});

	it('accepts a timestamp exactly at the tolerance', () => {
		const { rawBody, header } = signed({ timestamp: NOW - 300 });
		expect(verify(rawBody, header).ok).toBe(true);
	});

	it('rejects a timestamp further in the future than the tolerance as timestamp_in_future', () => {
		const { rawBody, header } = signed({ timestamp: NOW + 301 });
		expect(verify(rawBody, header)).toMatchObject({ ok: false, reason: 'timestamp_in_future' });
	});

	it('accepts an old timestamp when the tolerance is 0 (check off)', () => {
		const { rawBody, header } = signed({ timestamp: NOW - 86_400 });
		expect(verify(rawBody, header, { tolerance: 0 }).ok).toBe(true);
	});

	it('rejects a stale signature before comparing HMACs, even when the HMAC is right', () => {
		const { rawBody, header } = signed({ timestamp: NOW - 10_000 });
		expect(verify(rawBody, header).ok).toBe(false);
	});

	it('rejects a missing header as missing_signature', () => {
		expect(verify(BODY, undefined)).toMatchObject({ ok: false, reason: 'missing_signature' });
		expect(verify(BODY, '')).toMatchObject({ ok: false, reason: 'missing_signature' });
	});

	it('rejects a header sent twice as malformed_signature', () => {
		const { rawBody, header } = signed();
		expect(verify(rawBody, [header, header])).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('rejects a header without t= as malformed_signature', () => {
		const { rawBody, header } = signed();
		expect(verify(rawBody, header.replace(/^t=\d+,/, ''))).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('rejects a header with two t= as malformed_signature', () => {
		const { rawBody, header } = signed();
		expect(verify(rawBody, `t=${NOW + 1},${header}`)).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('rejects a non-numeric t= as malformed_signature', () => {
		const { rawBody, header } = signed();
		expect(verify(rawBody, header.replace(/^t=\d+/, 't=yesterday'))).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('rejects a header without v1= as missing_signature', () => {
		expect(verify(BODY, `t=${NOW},v0=abcdef`)).toMatchObject({
			ok: false,
			reason: 'missing_signature',
		});
	});

	it('rejects garbled v1 values as malformed_signature', () => {
		expect(verify(BODY, `t=${NOW},v1=not-hex`)).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
		expect(verify(BODY, `t=${NOW},v1=abcd`)).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('rejects plain garbage as malformed_signature', () => {
		expect(verify(BODY, 'garbage')).toMatchObject({ ok: false, reason: 'malformed_signature' });
	});

	it('accepts when one of several v1 signatures is valid, whatever its position', () => {
		const { rawBody, header } = signed();
		const valid = header.split(',v1=')[1];
		const wrong = 'f'.repeat(64);
		expect(verify(rawBody, `t=${NOW},v1=${wrong},v1=${valid}`).ok).toBe(true);
		expect(verify(rawBody, `t=${NOW},v1=${valid},v1=${wrong},v0=${wrong}`).ok).toBe(true);
		expect(verify(rawBody, `t=${NOW},v1=not-hex,v1=${valid}`).ok).toBe(true);
	});

	it('ignores a valid-looking v0 signature (only v1 counts)', () => {
		const { rawBody, header } = signed();
		const valid = header.split(',v1=')[1];
		expect(verify(rawBody, `t=${NOW},v0=${valid}`)).toMatchObject({
			ok: false,
			reason: 'missing_signature',
		});
	});

	it('accepts a delivery signed with the previous secret and reports which secret matched', () => {
		const { rawBody, header } = signed({ secret: 'whsec_previous' });
		expect(verify(rawBody, header, { secrets: [SECRET, 'whsec_previous'] })).toMatchObject({
			ok: true,
			secretIndex: 1,
		});
	});

	it('refuses to verify with no secret (never fails open)', () => {
		const { rawBody, header } = signed();
		expect(verify(rawBody, header, { secrets: [] })).toMatchObject({
			ok: false,
			reason: 'no_secret',
		});
	});

	it('does not put the secret into a rejection', () => {
		const { rawBody, header } = signed({ secret: 'whsec_other_secret' });
		expect(JSON.stringify(verify(rawBody, header))).not.toContain(SECRET);
	});
});
