import { readSignatureHeader, verifyHmac, type VerificationResult } from '../shared/signature';

export const PADDLE_SIGNATURE_HEADER = 'paddle-signature';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`, HMAC-SHA256 over `<ts>:<raw body>`
 * keyed with the notification setting's endpoint secret key (the whole `pdl_ntfset_…` string). Any h1 may
 * match (Paddle sends several while a secret is rotated). Paddle's SDK allows 5 s of age, which a busy queue
 * or a skewed clock exceeds; the node's tolerance defaults to 300 s like the others.
 */
export function verifyPaddleSignature(input: {
	rawBody: Buffer;
	header: string | string[] | undefined;
	secrets: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
}): VerificationResult {
	const header = readSignatureHeader(input.header, {
		name: 'Paddle-Signature',
		encoding: 'hex',
		bytes: 32,
		layout: { kind: 'pairs', separator: ';', timestampKey: 'ts', signatureKey: 'h1' },
	});
	if ('ok' in header) return header;
	const timestamp = header.timestamp ?? Number.NaN;
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [`${timestamp}:`, input.rawBody],
		candidates: header.signatures,
		window: { timestamp, nowSeconds: input.nowSeconds, toleranceSeconds: input.toleranceSeconds },
	});
}
