import { Paddle, WebhooksValidator } from '@paddle/paddle-node-sdk';

import { paddle } from '../../nodes/PaddleVerifiedTrigger/provider';
import { paddleSignature } from '../fakes/fakePaddle';
import { oneHeaderVerifier } from '../support/verifiers';

const verifyPaddleSignature = oneHeaderVerifier(paddle, 'paddle-signature');

const SIGNING_FIXTURE = 'pdl_ntfset_test_secret';
const BODY = Buffer.from('{"id":"evt_test_1","type":"test.event","data":{"amount":1999}}');
const NOW = 1_700_000_000;

function verify(
	header: string | string[] | undefined,
	extra: { body?: Buffer; secrets?: string[]; now?: number; tolerance?: number } = {},
) {
	return verifyPaddleSignature({
		rawBody: extra.body ?? BODY,
		header,
		secrets: extra.secrets ?? [SIGNING_FIXTURE],
		nowSeconds: extra.now ?? NOW,
		toleranceSeconds: extra.tolerance ?? 300,
	});
}

describe('verifyPaddleSignature', () => {
	it('matches the known-answer vector', () => {
		const header =
			'ts=1700000000;h1=a4861d63e1df7a7f36987944049d72ef85736c0e9f9ed63cd93ddd85dd5c1780';
		expect(paddleSignature(SIGNING_FIXTURE, BODY.toString(), NOW)).toBe(header);
		expect(verify(header)).toMatchObject({ ok: true, secretIndex: 0, timestamp: NOW });
	});

	it("signs bytes that Paddle's official SDK verifier accepts, and agrees with it", async () => {
		new Paddle('pdl_sdbx_apikey_example'); // sets the SDK's runtime crypto provider
		const now = Math.floor(Date.now() / 1000);
		const header = paddleSignature(SIGNING_FIXTURE, BODY.toString(), now);
		expect(
			await new WebhooksValidator().isValidSignature(BODY.toString(), SIGNING_FIXTURE, header),
		).toBe(true);
		expect(verify(header, { now }).ok).toBe(true);
		const wrong = paddleSignature('pdl_ntfset_other', BODY.toString(), now);
		expect(
			await new WebhooksValidator().isValidSignature(BODY.toString(), SIGNING_FIXTURE, wrong),
		).toBe(false);
		expect(verify(wrong, { now })).toMatchObject({ reason: 'signature_mismatch' });
	});

	it('accepts any of several h1 values (rotation), which the SDK would not (it keeps only the last)', () => {
		const valid = paddleSignature(SIGNING_FIXTURE, BODY.toString(), NOW).split(';h1=')[1];
		expect(verify(`ts=${NOW};h1=${valid};h1=${'0'.repeat(64)}`).ok).toBe(true);
	});

	it('is more lenient than the SDK on age (default 300 s) and still bounded', () => {
		expect(verify(paddleSignature(SIGNING_FIXTURE, BODY.toString(), NOW - 60)).ok).toBe(true);
		expect(verify(paddleSignature(SIGNING_FIXTURE, BODY.toString(), NOW - 301))).toMatchObject({
			reason: 'timestamp_too_old',
		});
	});

	it('rejects a changed body, a missing or malformed header, and no secret', () => {
		const header = paddleSignature(SIGNING_FIXTURE, BODY.toString(), NOW);
		expect(
			verify(header, { body: Buffer.from(BODY.toString().replace('1999', '1')) }),
		).toMatchObject({ reason: 'signature_mismatch' });
		expect(verify(undefined)).toMatchObject({ reason: 'missing_signature' });
		expect(verify(`ts=${NOW}`)).toMatchObject({ reason: 'missing_signature' });
		expect(verify('h1=abc')).toMatchObject({ reason: 'malformed_signature' });
		expect(verify(header, { secrets: [] })).toMatchObject({ reason: 'no_secret' });
	});
});
