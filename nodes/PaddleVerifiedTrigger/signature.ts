import {
	DEFAULT_TOLERANCE_SECONDS,
	checkTimestamp,
	parseTimestampedHeader,
	reject,
	verifyHmac,
	type VerificationResult,
} from '../shared/signature';

export const PADDLE_SIGNATURE_HEADER = 'paddle-signature';

/** Paddle's SDK allows 5 s, which a busy queue or a skewed clock exceeds; we default to Stripe's 300 s. */
export const PADDLE_DEFAULT_TOLERANCE_SECONDS = DEFAULT_TOLERANCE_SECONDS;

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`, HMAC-SHA256 over `<ts>:<raw body>`
 * keyed with the notification setting's endpoint secret key (the whole `pdl_ntfset_…` string). Any h1 may
 * match (Paddle sends several while a secret is rotated).
 */
export function verifyPaddleSignature(input: {
	rawBody: Buffer;
	header: string | string[] | undefined;
	secrets: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
}): VerificationResult {
	if (input.secrets.length === 0)
		return reject('no_secret', 'no Paddle endpoint secret key is stored or configured');
	const parsed = parseTimestampedHeader(input.header, {
		name: 'Paddle-Signature',
		pairSeparator: ';',
		timestampKey: 'ts',
		signatureKey: 'h1',
		signatureBytes: 32,
	});
	if ('ok' in parsed) return parsed;
	const stale = checkTimestamp({
		timestamp: parsed.timestamp,
		nowSeconds: input.nowSeconds,
		toleranceSeconds: input.toleranceSeconds,
	});
	if (stale) return stale;
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [`${parsed.timestamp}:`, input.rawBody],
		candidates: parsed.signatures,
		timestamp: parsed.timestamp,
	});
}
