import {
	checkTimestamp,
	decodeSignature,
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

interface ParsedHeader {
	timestamp: number;
	signatures: Buffer[];
}

/**
 * Parses `t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`. Exactly one `t` is allowed; other schemes (v0, future
 * ones) are ignored, as Stripe's SDK does. Returns a rejection for anything ambiguous.
 */
function parseHeader(header: string): ParsedHeader | VerificationResult {
	let timestamp: number | undefined;
	let timestamps = 0;
	let v1Seen = 0;
	const signatures: Buffer[] = [];
	for (const item of header.split(',')) {
		const separator = item.indexOf('=');
		if (separator <= 0) continue;
		const key = item.slice(0, separator).trim();
		const value = item.slice(separator + 1).trim();
		if (key === 't') {
			timestamps++;
			timestamp = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
		} else if (key === 'v1') {
			v1Seen++;
			const decoded = decodeSignature(value, 'hex');
			// A v1 that is not 32 bytes of hex can never match; skip it, but keep any valid sibling.
			if (decoded && decoded.length === 32) signatures.push(decoded);
		}
	}
	if (timestamps === 0) return reject('malformed_signature', 'Stripe-Signature has no t= timestamp');
	if (timestamps > 1) return reject('malformed_signature', 'Stripe-Signature has more than one t=');
	if (timestamp === undefined || Number.isNaN(timestamp)) {
		return reject('malformed_signature', 'Stripe-Signature t= is not a unix timestamp');
	}
	if (v1Seen === 0) return reject('missing_signature', 'Stripe-Signature has no v1= signature');
	if (signatures.length === 0) {
		return reject('malformed_signature', 'no v1= signature in Stripe-Signature is 64 hex characters');
	}
	return { timestamp, signatures };
}

/** Verifies a Stripe delivery: HMAC-SHA256 over `<t>.<raw body>`, any v1 matching any secret. */
export function verifyStripeSignature(input: StripeSignatureInput): VerificationResult {
	if (input.secrets.length === 0) return reject('no_secret', 'no Stripe signing secret is stored or configured');
	if (input.header === undefined || input.header === '') {
		return reject('missing_signature', 'the Stripe-Signature header is missing');
	}
	if (Array.isArray(input.header)) {
		return reject('malformed_signature', 'the Stripe-Signature header was sent more than once');
	}
	const parsed = parseHeader(input.header);
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
