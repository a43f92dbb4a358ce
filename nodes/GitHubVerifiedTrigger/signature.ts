import {
	reject,
	signatureFromHeader,
	verifyHmac,
	type VerificationResult,
} from '../shared/signature';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`. One signature per request and
 * no timestamp, so rotation means trying a previous secret too.
 */
export function verifyGitHubSignature(input: {
	rawBody: Buffer;
	header: string | string[] | undefined;
	secrets: readonly string[];
}): VerificationResult {
	if (input.secrets.length === 0)
		return reject('no_secret', 'no GitHub webhook secret is stored or configured');
	const signature = signatureFromHeader(input.header, 'X-Hub-Signature-256', 'sha256=', 'hex');
	if (!Buffer.isBuffer(signature)) return signature;
	if (signature.length !== 32)
		return reject('malformed_signature', 'X-Hub-Signature-256 is not 32 bytes of hex');
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [input.rawBody],
		candidates: [signature],
	});
}
