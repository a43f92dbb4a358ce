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
