import {
	checkTimestamp,
	parseTimestampedHeader,
	reject,
	verifyHmac,
	type VerificationResult,
} from '../shared/signature';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

export interface StripeSignatureInput {
	rawBody: Buffer;
	/** The `Stripe-Signature` header as received (undefined when absent). */
	header: string | string[] | undefined;
	/** `whsec_…` secrets, used whole as UTF-8 keys, as Stripe does. */
	secrets: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
}

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`, HMAC-SHA256 over `<t>.<raw body>`.
 * Any v1 may match any secret (secret rolls send several); v0 and future schemes are ignored, as Stripe's
 * SDK does.
 */
export function verifyStripeSignature(input: StripeSignatureInput): VerificationResult {
	if (input.secrets.length === 0)
		return reject('no_secret', 'no Stripe signing secret is stored or configured');
	const parsed = parseTimestampedHeader(input.header, {
		name: 'Stripe-Signature',
		pairSeparator: ',',
		timestampKey: 't',
		signatureKey: 'v1',
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
		signedContent: [`${parsed.timestamp}.`, input.rawBody],
		candidates: parsed.signatures,
		timestamp: parsed.timestamp,
	});
}
