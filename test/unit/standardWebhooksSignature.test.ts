import { generateKeyPairSync, sign as cryptoSign } from 'crypto';
import { Webhook } from 'standardwebhooks';

import { standardWebhooks } from '../../nodes/StandardWebhooksVerifiedTrigger/provider';

/** The verifier the trigger runs (its provider declaration). */
const verifyStandardWebhook = standardWebhooks.verify;

const SIGNING_FIXTURE = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3';
const NOW = 1_700_000_000;
const BODY = Buffer.from('{"id":"evt_test_1","type":"test.event","data":{"amount":1999}}');

/** One delivery signed by the official `standardwebhooks` package; each test breaks one thing. */
function signed(
	options: { secret?: string; timestamp?: number; id?: string; prefix?: string } = {},
) {
	const id = options.id ?? 'msg_test_1';
	const timestamp = options.timestamp ?? NOW;
	const signature = new Webhook(options.secret ?? SIGNING_FIXTURE).sign(
		id,
		new Date(timestamp * 1000),
		BODY.toString(),
	);
	const prefix = options.prefix ?? 'webhook-';
	return {
		[`${prefix}id`]: id,
		[`${prefix}timestamp`]: String(timestamp),
		[`${prefix}signature`]: signature,
	};
}

function verify(
	headers: Record<string, string>,
	extra: { body?: Buffer; secrets?: string[]; now?: number } = {},
) {
	return verifyStandardWebhook({
		rawBody: extra.body ?? BODY,
		headers,
		secrets: extra.secrets ?? [SIGNING_FIXTURE],
		nowSeconds: extra.now ?? NOW,
		toleranceSeconds: 300,
	});
}

describe('verifyStandardWebhook', () => {
	it('matches the published known-answer vector', () => {
		expect(signed()['webhook-signature']).toBe('v1,3dx9qx/CiGIRVpcXfY5Py3KVd4d5rU1wJ0O4xFuQIOY=');
		expect(verify(signed())).toMatchObject({ ok: true, secretIndex: 0 });
	});

	it('accepts svix- prefixed headers', () => {
		expect(verify(signed({ prefix: 'svix-' })).ok).toBe(true);
	});

	it('agrees with the official verifier on the same bytes', () => {
		const now = Math.floor(Date.now() / 1000);
		const headers = signed({ timestamp: now });
		expect(new Webhook(SIGNING_FIXTURE).verify(BODY.toString(), headers)).toMatchObject({
			id: 'evt_test_1',
		});
		expect(verify(headers, { now }).ok).toBe(true);
	});

	it('rejects a changed body, another secret, a changed id', () => {
		const changed = Buffer.from(BODY);
		changed[5] ^= 1;
		expect(verify(signed(), { body: changed })).toMatchObject({ reason: 'signature_mismatch' });
		const another = 'whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldA==';
		expect(verify(signed({ secret: another }))).toMatchObject({ reason: 'signature_mismatch' });
		expect(verify({ ...signed(), 'webhook-id': 'msg_other' })).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('rejects timestamps outside the tolerance both ways', () => {
		expect(verify(signed({ timestamp: NOW - 301 }))).toMatchObject({ reason: 'timestamp_too_old' });
		expect(verify(signed({ timestamp: NOW + 301 }))).toMatchObject({
			reason: 'timestamp_in_future',
		});
	});

	it('accepts any matching entry of a space-separated list (rotation)', () => {
		const headers = signed();
		headers['webhook-signature'] =
			`v1,${'A'.repeat(43)}= v1a,ignored ${headers['webhook-signature']}`;
		expect(verify(headers).ok).toBe(true);
	});

	it('tries every configured secret', () => {
		const previous = 'whsec_cHJldmlvdXNwcmV2aW91c3ByZXZpb3Vz';
		expect(
			verify(signed({ secret: previous }), { secrets: [SIGNING_FIXTURE, previous] }),
		).toMatchObject({ ok: true, secretIndex: 1 });
	});

	it('rejects missing pieces and a missing secret', () => {
		const unsigned: Record<string, string> = signed();
		delete unsigned['webhook-signature'];
		expect(verify(unsigned)).toMatchObject({ reason: 'missing_signature' });
		expect(verify({ ...signed(), 'webhook-timestamp': 'soon' })).toMatchObject({
			reason: 'malformed_signature',
		});
		// No signature in the expected scheme is the same fault as no header: missing_signature, as for Stripe's v1=.
		expect(verify({ ...signed(), 'webhook-signature': 'v2,abc' })).toMatchObject({
			reason: 'missing_signature',
		});
		expect(verify(signed(), { secrets: [] })).toMatchObject({ reason: 'no_secret' });
		expect(verify(signed(), { secrets: ['whsec_!!!'] })).toMatchObject({ reason: 'no_secret' });
	});
});

/**
 * `v1a`: Ed25519 over the same `<id>.<timestamp>.<body>`, `whpk_` public keys. No official library signs or
 * verifies v1a (the `standardwebhooks` package skips non-v1 entries, checked below), so deliveries are signed by
 * node:crypto with throwaway keys, and the key reading and the Ed25519 primitive are pinned by RFC 8032's
 * published test vectors in publicKey.test.ts.
 */
describe('verifyStandardWebhook: v1a (Ed25519)', () => {
	const pair = () => {
		const { publicKey, privateKey } = generateKeyPairSync('ed25519');
		const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
		return {
			whpk: `whpk_${raw.toString('base64')}`,
			sign: (id: string, timestamp: number, body: Buffer) =>
				`v1a,${cryptoSign(null, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]), privateKey).toString('base64')}`,
		};
	};
	const current = pair();
	const previous = pair();
	const headers = (signature: string, id = 'msg_test_1', timestamp = NOW) => ({
		'webhook-id': id,
		'webhook-timestamp': String(timestamp),
		'webhook-signature': signature,
	});

	it('verifies under the current or the previous public key; another key, byte, id or time fails', () => {
		const genuine = current.sign('msg_test_1', NOW, BODY);
		expect(verify(headers(genuine), { secrets: [current.whpk] })).toMatchObject({
			ok: true,
			timestamp: NOW,
		});
		expect(
			verify(headers(previous.sign('msg_test_1', NOW, BODY)), {
				secrets: [current.whpk, previous.whpk],
			}),
		).toMatchObject({ ok: true, secretIndex: 1 });
		const refused = {
			'another key': verify(headers(pair().sign('msg_test_1', NOW, BODY)), {
				secrets: [current.whpk],
			}),
			'a changed byte': verify(headers(genuine), {
				secrets: [current.whpk],
				body: Buffer.from(BODY.toString().replace('1999', '1998')),
			}),
			'another id': verify(headers(genuine, 'msg_test_2'), { secrets: [current.whpk] }),
			'another time': verify(headers(genuine, 'msg_test_1', NOW + 1), {
				secrets: [current.whpk],
			}),
		};
		for (const verdict of Object.values(refused))
			expect(verdict).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('checks the window first, and reads only v1a entries with a public key', () => {
		const old = current.sign('msg_test_1', NOW - 301, BODY);
		expect(
			verify(headers(old, 'msg_test_1', NOW - 301), { secrets: [current.whpk] }),
		).toMatchObject({ reason: 'timestamp_too_old' });
		// A v1 HMAC entry carries nothing for a public key; a v1a entry of the wrong length is malformed.
		expect(verify(signed(), { secrets: [current.whpk] })).toMatchObject({
			reason: 'missing_signature',
		});
		expect(verify(headers('v1a,AAAA'), { secrets: [current.whpk] })).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('during a migration (whsec_ and whpk_ both set) either entry verifies; the official library reads only v1', () => {
		const now = Math.floor(Date.now() / 1000);
		const v1 = signed({ timestamp: now })['webhook-signature'];
		const v1a = current.sign('msg_test_1', now, BODY);
		const both = headers(`${v1} ${v1a}`, 'msg_test_1', now);
		const secrets = [SIGNING_FIXTURE, current.whpk];
		expect(verify(both, { secrets, now })).toMatchObject({ ok: true });
		expect(verify(headers(v1a, 'msg_test_1', now), { secrets, now })).toMatchObject({ ok: true });
		expect(new Webhook(SIGNING_FIXTURE).verify(BODY.toString(), both)).toMatchObject({
			id: 'evt_test_1',
		});
		// v1a alone: the official library finds no v1 signature and refuses.
		expect(() =>
			new Webhook(SIGNING_FIXTURE).verify(BODY.toString(), headers(v1a, 'msg_test_1', now)),
		).toThrow();
	});

	it('activation and the credential test refuse a whpk_ that is not a 32-byte key', () => {
		expect(standardWebhooks.secretProblem?.(current.whpk)).toBeUndefined();
		expect(standardWebhooks.secretProblem?.('whpk_AAAA')).toMatch(/32-byte Ed25519 key/);
		expect(standardWebhooks.secretProblem?.('whpk_not base64!')).toMatch(/32-byte Ed25519 key/);
	});
});
