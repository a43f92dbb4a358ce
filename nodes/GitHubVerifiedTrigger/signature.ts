import { readSignatureHeader, verifyHmac, type VerificationResult } from '../shared/signature';

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
	const header = readSignatureHeader(input.header, {
		name: 'X-Hub-Signature-256',
		encoding: 'hex',
		bytes: 32,
		layout: { kind: 'single', prefix: 'sha256=' },
	});
	if ('ok' in header) return header;
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [input.rawBody],
		candidates: header.signatures,
	});
}
