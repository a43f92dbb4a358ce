import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Signature schemes: pure functions over the raw body bytes, the signature material parsed out of the
 * headers, the candidate secrets and the clock. Nothing here parses JSON or touches n8n.
 */

export type RejectionReason =
	| 'no_secret'
	| 'missing_signature'
	| 'malformed_signature'
	| 'timestamp_too_old'
	| 'timestamp_in_future'
	| 'signature_mismatch';

export type VerificationResult =
	| {
			ok: true;
			secretIndex: number;
			timestamp?: number;
			/**
			 * The digest of the signed content under the first configured secret: the same for every replay of
			 * the same signed bytes, whatever unsigned headers travel with them. Dedup remembers it next to the
			 * event id, so a captured delivery resent under a fresh unsigned id header runs nothing.
			 */
			fingerprint?: Buffer;
	  }
	| { ok: false; reason: RejectionReason; detail: string };

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** A part of the signed content: the raw body stays a Buffer and is never copied or re-encoded. */
export type SignedPart = Buffer | string;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export function reject(reason: RejectionReason, detail: string): VerificationResult {
	return { ok: false, reason, detail };
}

/** HMAC over the parts in order, fed one by one so a large body is never concatenated. */
export function hmacDigest(
	algorithm: HmacAlgorithm,
	key: Buffer | string,
	parts: readonly SignedPart[],
) {
	const hmac = createHmac(algorithm, key);
	for (const part of parts) hmac.update(part);
	return hmac.digest();
}

/**
 * A key that authenticates something: not empty and not all zero bytes. HMAC pads a key with zeros to the
 * block size, so a key of only zero bytes gives the same MACs as the empty key, which anyone can compute.
 */
export function isUsableKey(key: Buffer | string): boolean {
	const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
	return bytes.length > 0 && bytes.some((byte) => byte !== 0);
}

/** Constant-time equality of two byte strings; a length difference returns false without comparing. */
export function bytesEqual(expected: Buffer, actual: Buffer): boolean {
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes a signature as sent; undefined when it is not valid in that encoding (never a partial decode). */
export function decodeSignature(value: string, encoding: 'hex' | 'base64'): Buffer | undefined {
	if (value.length === 0) return undefined;
	if (encoding === 'hex') {
		return value.length % 2 === 0 && HEX.test(value) ? Buffer.from(value, 'hex') : undefined;
	}
	return value.length % 4 === 0 && BASE64.test(value) ? Buffer.from(value, 'base64') : undefined;
}

export interface TimestampWindow {
	/** Unix seconds from the signature. */
	timestamp: number;
	nowSeconds: number;
	/** 0 disables the check. Both ways: too old and too far in the future (Stripe's SDK checks age only). */
	toleranceSeconds: number;
}

/** undefined when the timestamp is acceptable, else the rejection. */
export function checkTimestamp(window: TimestampWindow): VerificationResult | undefined {
	const { timestamp, nowSeconds, toleranceSeconds } = window;
	if (toleranceSeconds <= 0) return undefined;
	const age = nowSeconds - timestamp;
	if (age > toleranceSeconds) {
		return reject(
			'timestamp_too_old',
			`timestamp is ${age} s old, tolerance ${toleranceSeconds} s`,
		);
	}
	if (-age > toleranceSeconds) {
		return reject(
			'timestamp_in_future',
			`timestamp is ${-age} s in the future, tolerance ${toleranceSeconds} s (check this server's clock)`,
		);
	}
	return undefined;
}

export interface HmacCheck {
	algorithm: HmacAlgorithm;
	/** Every secret that may have signed (current first, then previous ones). */
	secrets: ReadonlyArray<Buffer | string>;
	/** The exact signed content, in order. */
	signedContent: readonly SignedPart[];
	/** Decoded signatures from the request; any one may match (rotation sends several). */
	candidates: readonly Buffer[];
	timestamp?: number;
}

/**
 * Tries every candidate against every secret. The comparison is constant-time per pair; the loop stops at
 * the first match, which tells an observer only which slot matched, never anything about a secret.
 */
export function verifyHmac(check: HmacCheck): VerificationResult {
	const secrets = check.secrets.filter(isUsableKey);
	if (secrets.length === 0)
		return reject('no_secret', 'no usable signing secret is configured or stored');
	if (check.candidates.length === 0) return reject('missing_signature', 'no signature to check');
	let fingerprint: Buffer | undefined;
	for (let index = 0; index < secrets.length; index++) {
		const expected = hmacDigest(check.algorithm, secrets[index], check.signedContent);
		fingerprint ??= expected;
		for (const candidate of check.candidates) {
			if (bytesEqual(expected, candidate)) {
				return { ok: true, secretIndex: index, timestamp: check.timestamp, fingerprint };
			}
		}
	}
	return reject(
		'signature_mismatch',
		`none of ${check.candidates.length} signature(s) matches any of ${secrets.length} secret(s)`,
	);
}

/**
 * The signature of a single-valued header such as `sha256=<hex>` (GitHub) or a bare base64 value
 * (Shopify): a rejection when the header is absent, repeated, lacks the prefix or is not valid encoding.
 */
export function signatureFromHeader(
	value: string | string[] | undefined,
	name: string,
	prefix: string,
	encoding: 'hex' | 'base64',
): Buffer | VerificationResult {
	if (value === undefined || value === '')
		return reject('missing_signature', `the ${name} header is missing`);
	if (Array.isArray(value))
		return reject('malformed_signature', `the ${name} header was sent more than once`);
	if (!value.startsWith(prefix))
		return reject('malformed_signature', `the ${name} header does not start with "${prefix}"`);
	const decoded = decodeSignature(value.slice(prefix.length).trim(), encoding);
	return decoded ?? reject('malformed_signature', `the ${name} header is not valid ${encoding}`);
}

export interface TimestampedHeaderFormat {
	/** The header's name, for messages. */
	name: string;
	/** `,` (Stripe, Calendly) or `;` (Paddle). */
	pairSeparator: string;
	timestampKey: string;
	signatureKey: string;
	/** Decoded length of one signature (32 for SHA-256). */
	signatureBytes: number;
}

/**
 * Parses `t=<unix>,v1=<hex>[,v1=<hex>…]`-style headers: exactly one timestamp, any number of signatures
 * under `signatureKey` (rotation sends several; any may match), other keys ignored. A signature value that
 * is not valid hex of the right length is skipped, but if none is usable the header is malformed.
 */
export function parseTimestampedHeader(
	header: string | string[] | undefined,
	format: TimestampedHeaderFormat,
): { timestamp: number; signatures: Buffer[] } | VerificationResult {
	if (header === undefined || header === '')
		return reject('missing_signature', `the ${format.name} header is missing`);
	if (Array.isArray(header))
		return reject('malformed_signature', `the ${format.name} header was sent more than once`);
	let timestamp: number | undefined;
	let timestamps = 0;
	let seen = 0;
	const signatures: Buffer[] = [];
	for (const item of header.split(format.pairSeparator)) {
		const separator = item.indexOf('=');
		if (separator <= 0) continue;
		const key = item.slice(0, separator).trim();
		const value = item.slice(separator + 1).trim();
		if (key === format.timestampKey) {
			timestamps++;
			timestamp = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
		} else if (key === format.signatureKey) {
			seen++;
			const decoded = decodeSignature(value, 'hex');
			if (decoded && decoded.length === format.signatureBytes) signatures.push(decoded);
		}
	}
	const { name, timestampKey, signatureKey } = format;
	if (timestamps === 0)
		return reject('malformed_signature', `${name} has no ${timestampKey}= timestamp`);
	if (timestamps > 1)
		return reject('malformed_signature', `${name} has more than one ${timestampKey}=`);
	if (timestamp === undefined || Number.isNaN(timestamp)) {
		return reject('malformed_signature', `${name} ${timestampKey}= is not a unix timestamp`);
	}
	if (seen === 0) return reject('missing_signature', `${name} has no ${signatureKey}= signature`);
	if (signatures.length === 0) {
		return reject(
			'malformed_signature',
			`no ${signatureKey}= signature in ${name} is ${format.signatureBytes * 2} hex characters`,
		);
	}
	return { timestamp, signatures };
}

/** The HMAC key of a `whsec_<base64>` secret (Standard Webhooks, Svix), or undefined when it is not valid base64. */
export function whsecKey(secret: string): Buffer | undefined {
	const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
	const key = decodeSignature(encoded, 'base64');
	return key && key.length > 0 ? key : undefined;
}
