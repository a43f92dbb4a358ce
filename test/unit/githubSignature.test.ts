import { gitHub } from '../../nodes/GitHubVerifiedTrigger/provider';
import { octokitSign, octokitVerify } from '../fakes/officialSdk';
import { oneHeaderVerifier } from '../support/verifiers';

const verifyGitHubSignature = oneHeaderVerifier(gitHub, 'x-hub-signature-256');

const SIGNING_FIXTURE = "It's a Secret to Everybody";
const BODY = Buffer.from('Hello, World!');

function verify(
	header: string | string[] | undefined,
	extra: { body?: Buffer; secrets?: string[] } = {},
) {
	return verifyGitHubSignature({
		rawBody: extra.body ?? BODY,
		header,
		secrets: extra.secrets ?? [SIGNING_FIXTURE],
	});
}

describe('verifyGitHubSignature', () => {
	const official = octokitSign(SIGNING_FIXTURE, BODY.toString());

	it("matches GitHub's published vector, and @octokit/webhooks-methods sign produces the same", () => {
		expect(official).toBe(
			'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
		);
		expect(verify(official)).toMatchObject({ ok: true, secretIndex: 0, timestamp: undefined });
	});

	it('accepts what octokit verify accepts for a JSON delivery', () => {
		const payload = JSON.stringify({ action: 'opened', issue: { number: 1, title: 'Ünïcode' } });
		const signature = octokitSign(SIGNING_FIXTURE, payload);
		expect(octokitVerify(SIGNING_FIXTURE, payload, signature)).toBe(true);
		expect(verify(signature, { body: Buffer.from(payload) }).ok).toBe(true);
	});

	it('rejects a changed body, another secret, and a signature without its prefix', () => {
		expect(verify(official, { body: Buffer.from('Hello, World?') })).toMatchObject({
			reason: 'signature_mismatch',
		});
		expect(verify(octokitSign('another', BODY.toString()))).toMatchObject({
			reason: 'signature_mismatch',
		});
		expect(verify(official.replace('sha256=', ''))).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('rejects missing, repeated, non-hex and short signatures', () => {
		expect(verify(undefined)).toMatchObject({ reason: 'missing_signature' });
		expect(verify([official, official])).toMatchObject({ reason: 'malformed_signature' });
		expect(verify('sha256=zz')).toMatchObject({ reason: 'malformed_signature' });
		expect(verify('sha256=abcd')).toMatchObject({ reason: 'malformed_signature' });
	});

	it('accepts the previous secret during a rotation, and refuses with no secret', () => {
		expect(verify(official, { secrets: ['new-secret', SIGNING_FIXTURE] })).toMatchObject({
			ok: true,
			secretIndex: 1,
		});
		expect(verify(official, { secrets: [] })).toMatchObject({ reason: 'no_secret' });
	});
});
