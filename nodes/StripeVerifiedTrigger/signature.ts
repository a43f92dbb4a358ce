import { readSignatureHeader, verifyHmac, type VerificationResult } from '../shared/signature';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`, HMAC-SHA256 over `<t>.<raw body>`, keyed
 * with the whole `whsec_…` string as UTF-8. Any v1 may match any secret (secret rolls send several); v0 and
 * future schemes are ignored, as Stripe's SDK does.
 */
export function verifyStripeSignature(input: {
	rawBody: Buffer;
	/** The `Stripe-Signature` header as received (undefined when absent). */
	header: string | string[] | undefined;
	secrets: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
}): VerificationResult {
	const header = readSignatureHeader(input.header, {
		name: 'Stripe-Signature',
		encoding: 'hex',
		bytes: 32,
		layout: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v1' },
	});
	if ('ok' in header) return header;
	const timestamp = header.timestamp ?? Number.NaN;
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [`${timestamp}.`, input.rawBody],
		candidates: header.signatures,
		window: { timestamp, nowSeconds: input.nowSeconds, toleranceSeconds: input.toleranceSeconds },
	});
}
