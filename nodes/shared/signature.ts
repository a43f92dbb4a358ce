import { createHash, createHmac, timingSafeEqual } from 'crypto';

import { reject, type Rejection, type VerificationResult } from './verdict';

/**
 * Signature primitives: pure functions over the raw body bytes, the signature header as received, the
 * candidate secrets and the clock. Nothing here parses JSON or touches n8n. Every verifier in the package is
 * made of these: read the header (readSignatureHeader), check the timestamp window and the MAC (verifyMac).
 */

const PATTERNS = {
	hex: /^(?:[0-9a-fA-F]{2})+$/,
	base64: /^[A-Za-z0-9+/]+={0,2}$/,
	base64url: /^[A-Za-z0-9_-]+={0,2}$/,
} as const;

/**
 * Text as bytes in the stated encoding; undefined when it is not valid in that encoding (never a partial
 * decode). `whsec` is a Standard Webhooks / Svix secret: `whsec_` (optional) followed by base64.
 */
export function decodeBytes(
	text: string,
	encoding: 'hex' | 'base64' | 'base64url' | 'utf8' | 'whsec',
): Buffer | undefined {
	if (text.length === 0) return undefined;
	if (encoding === 'utf8') return Buffer.from(text, 'utf8');
	if (encoding === 'whsec') {
		return decodeBytes(text.startsWith('whsec_') ? text.slice('whsec_'.length) : text, 'base64');
	}
	return PATTERNS[encoding].test(text) ? Buffer.from(text, encoding) : undefined;
}

/**
 * A key that authenticates something: not empty and not all zero bytes. HMAC pads a key with zeros to the
 * block size, so a key of only zero bytes gives the same MACs as the empty key, which anyone can compute.
 */
export function isUsableKey(key: Buffer | string): boolean {
	const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
	return bytes.length > 0 && bytes.some((byte) => byte !== 0);
}

type Headers = Record<string, string | string[] | undefined>;

/** A provider's signature scheme as data: where the signature is, how it is written, what it signs. */
export interface HeaderScheme {
	/** The signature header's names as n8n passes them (lower case); the first one present is read. */
	headers: readonly string[];
	/** The header's name as documented, for messages. */
	name: string;
	encoding: 'hex' | 'base64' | 'base64url';
	/**
	 * Decoded length of one signature (32 for SHA-256), or, for signatures of varying length (ECDSA's DER), a
	 * test of the decoded bytes' form.
	 */
	bytes: number | { form: string; accepts(signature: Buffer): boolean };
	/**
	 * single: one signature, after an optional prefix (`sha256=`); pairs: `t=<unix>,v1=<sig>[,v1=…]`
	 * (Stripe, Paddle with `;`); list: space-separated `<version>,<sig>` entries (Standard Webhooks).
	 */
	layout:
		| { kind: 'single'; prefix?: string }
		/**
		 * token: the header carries a shared secret itself (GitLab's X-Gitlab-Token), compared in constant time;
		 * nothing is signed, so encoding and bytes are not read, and `content` only feeds the replay fingerprint.
		 */
		| { kind: 'token' }
		| { kind: 'pairs'; separator: string; timestampKey: string; signatureKey: string }
		| { kind: 'list'; version: string };
	/** A header carrying the signed unix timestamp, when the signature header does not (Standard Webhooks). */
	timestampHeader?: string;
	/**
	 * The signed content in order (the raw body stays a Buffer), given the signed timestamp and the URL the
	 * provider was told to call (Square signs it); a string is the reason the request cannot carry a valid
	 * signature (malformed_signature).
	 */
	content(
		rawBody: Buffer,
		timestamp: number | undefined,
		headers: Headers,
		url: string,
	): ReadonlyArray<Buffer | string> | string;
}

/** How long one signature is, in words. */
function sizeOf({ bytes }: HeaderScheme): string {
	return typeof bytes === 'number' ? `${bytes} bytes` : bytes.form;
}

/**
 * The signatures (and, for `pairs`, the signed timestamp) of a header. The same fault gets the same reason
 * everywhere: absent or empty → missing_signature; sent twice, unreadable, badly encoded or of the wrong length
 * → malformed_signature. Several signatures may be sent during a secret rotation; any may match. One
 * unreadable entry among usable ones is skipped.
 */
function readSignatureHeader(
	value: string | string[] | undefined,
	format: HeaderScheme,
): { signatures: Buffer[]; timestamp?: number } | Rejection {
	const { name, layout } = format;
	if (value === undefined || value === '') return reject('missing_signature', `${name} is missing`);
	if (Array.isArray(value)) return reject('malformed_signature', `${name} was sent more than once`);
	const decode = (text: string) => {
		const decoded = decodeBytes(text.trim(), format.encoding);
		if (!decoded) return undefined;
		const { bytes } = format;
		return (typeof bytes === 'number' ? decoded.length === bytes : bytes.accepts(decoded))
			? decoded
			: undefined;
	};
	const unusable = () =>
		reject(
			'malformed_signature',
			`no signature in ${name} is ${sizeOf(format)} of ${format.encoding}`,
		);
	if (layout.kind === 'single') {
		const prefix = layout.prefix ?? '';
		if (!value.startsWith(prefix))
			return reject('malformed_signature', `${name} does not start with "${prefix}"`);
		const signature = decode(value.slice(prefix.length));
		return signature ? { signatures: [signature] } : unusable();
	}
	const signatures: Buffer[] = [];
	let seen = 0;
	if (layout.kind === 'list') {
		for (const entry of value.split(' ')) {
			const comma = entry.indexOf(',');
			if (comma <= 0 || entry.slice(0, comma) !== layout.version) continue;
			seen++;
			const signature = decode(entry.slice(comma + 1));
			if (signature) signatures.push(signature);
		}
		if (seen === 0) return reject('missing_signature', `${name} has no ${layout.version} entry`);
		return signatures.length ? { signatures } : unusable();
	}
	if (layout.kind === 'token') return { signatures: [Buffer.from(value, 'utf8')] };
	const timestamps: string[] = [];
	for (const item of value.split(layout.separator)) {
		const at = item.indexOf('=');
		if (at <= 0) continue;
		const key = item.slice(0, at).trim();
		const text = item.slice(at + 1).trim();
		if (key === layout.timestampKey) timestamps.push(text);
		else if (key === layout.signatureKey) {
			seen++;
			const signature = decode(text);
			if (signature) signatures.push(signature);
		}
	}
	const { timestampKey, signatureKey } = layout;
	if (timestamps.length !== 1) {
		const count = timestamps.length === 0 ? 'no' : 'more than one';
		return reject('malformed_signature', `${name} has ${count} ${timestampKey}= timestamp`);
	}
	if (!/^\d{1,12}$/.test(timestamps[0]))
		return reject('malformed_signature', `${name} ${timestampKey}= is not a unix timestamp`);
	if (seen === 0) return reject('missing_signature', `${name} has no ${signatureKey}= signature`);
	return signatures.length ? { signatures, timestamp: Number(timestamps[0]) } : unusable();
}

interface TimestampWindow {
	/** Unix seconds the sender signed. */
	timestamp: number;
	nowSeconds: number;
	/** 0 disables the check. Both ways: too old and too far in the future (Stripe's SDK checks age only). */
	toleranceSeconds: number;
}

/** undefined when the timestamp is inside the window, else the rejection. */
export function checkTimestamp(window: TimestampWindow): Rejection | undefined {
	const { timestamp, nowSeconds, toleranceSeconds } = window;
	if (toleranceSeconds <= 0) return undefined;
	const age = nowSeconds - timestamp;
	if (age > toleranceSeconds)
		return {
			...reject('timestamp_too_old', `timestamp is ${age} s old, tolerance ${toleranceSeconds} s`),
			timestamp,
		};
	if (-age > toleranceSeconds) {
		return {
			...reject(
				'timestamp_in_future',
				`timestamp is ${-age} s in the future, tolerance ${toleranceSeconds} s (check this server's clock)`,
			),
			timestamp,
		};
	}
	return undefined;
}

interface MacCheck {
	/**
	 * The HMAC's hash, or `token`: the "signature" is a shared secret itself (GitLab's X-Gitlab-Token). Tokens
	 * are compared as SHA-256 digests, so neither the comparison's time nor a length check tells anything about a
	 * secret; the fingerprint is then the HMAC-SHA256 of the signed content under the first secret.
	 */
	algorithm: 'sha1' | 'sha256' | 'sha512' | 'token';
	/** Every key that may have signed (current first, then previous ones); unusable keys are ignored. */
	secrets: ReadonlyArray<Buffer | string>;
	/** The exact signed content in order; the raw body stays a Buffer and is never copied or re-encoded. */
	signedContent: ReadonlyArray<Buffer | string>;
	/** Decoded signatures (or sent tokens) from the request; any one may match (rotation sends several). */
	candidates: readonly Buffer[];
	/** The signed timestamp, checked against the window before any MAC is computed. */
	window?: TimestampWindow;
}

const sha256 = (text: Buffer | string) => createHash('sha256').update(text).digest();

/**
 * Checks the window, then tries every candidate against every secret. The comparison is constant-time per
 * pair; the loop stops at the first match, which tells an observer only which slot matched, never anything
 * about a secret. The parts are fed one by one, so a large body is never concatenated.
 */
export function verifyMac(check: MacCheck): VerificationResult {
	const secrets = check.secrets.filter(isUsableKey);
	if (secrets.length === 0)
		return reject('no_secret', 'no usable signing secret is configured or stored');
	if (check.candidates.length === 0) return reject('missing_signature', 'no signature to check');
	const stale = check.window && checkTimestamp(check.window);
	if (stale) return stale;
	const token = check.algorithm === 'token';
	const mac = (secret: Buffer | string) => {
		const hmac = createHmac(token ? 'sha256' : check.algorithm, secret);
		for (const part of check.signedContent) hmac.update(part);
		return hmac.digest();
	};
	// The first secret's MAC is the replay fingerprint. An HMAC scheme computes it for the first comparison
	// anyway; a token scheme only once a token matched, so a wrong token costs no pass over the body.
	let first: Buffer | undefined;
	const fingerprint = () => (first ??= mac(secrets[0]));
	const candidates = token ? check.candidates.map(sha256) : check.candidates;
	for (let index = 0; index < secrets.length; index++) {
		const expected = token
			? sha256(secrets[index])
			: index === 0
				? fingerprint()
				: mac(secrets[index]);
		for (const candidate of candidates) {
			if (expected.length === candidate.length && timingSafeEqual(expected, candidate)) {
				return {
					ok: true,
					secretIndex: index,
					timestamp: check.window?.timestamp,
					fingerprint: fingerprint(),
				};
			}
		}
	}
	return {
		...reject(
			'signature_mismatch',
			`none of ${check.candidates.length} signature(s) matches any of ${secrets.length} secret(s)`,
		),
		timestamp: check.window?.timestamp,
	};
}

/**
 * Verifies a delivery against a provider's scheme: reads the signature header (and the timestamp), checks the
 * window, then the HMAC-SHA256 over the signed content under every secret. Nothing else of the request is read.
 */
export function verifySignedHeader(
	scheme: HeaderScheme,
	delivery: Parameters<typeof verifyWithScheme>[1],
): VerificationResult {
	const verdict = verifyWithScheme(scheme, delivery);
	return verdict.ok ? verdict : { ...verdict, header: scheme.name, expected: expectedForm(scheme) };
}

/** The form a scheme's header must have, in words (for the test-listen diagnostics). */
function expectedForm(scheme: HeaderScheme): string {
	const { layout, encoding, bytes, timestampHeader } = scheme;
	const signature =
		typeof bytes === 'number'
			? `<${bytes}-byte signature in ${encoding}>`
			: `<${sizeOf(scheme)} in ${encoding}>`;
	const form =
		layout.kind === 'token'
			? 'the secret token itself'
			: layout.kind === 'single'
				? `${layout.prefix ?? ''}${signature}`
				: layout.kind === 'pairs'
					? `${layout.timestampKey}=<unix seconds>${layout.separator}${layout.signatureKey}=${signature}`
					: `${layout.version},${signature} (several separated by spaces)`;
	return timestampHeader ? `${form}, with the signed unix time in ${timestampHeader}` : form;
}

function verifyWithScheme(
	scheme: HeaderScheme,
	delivery: {
		rawBody: Buffer;
		headers: Headers;
		url?: string;
		secrets: ReadonlyArray<Buffer | string>;
		/**
		 * Checks the signatures instead of an HMAC under `secrets` (public-key schemes: Standard Webhooks' v1a),
		 * after the timestamp window.
		 */
		checkSignatures?: (
			signedContent: ReadonlyArray<Buffer | string>,
			candidates: readonly Buffer[],
		) => VerificationResult;
		nowSeconds?: number;
		toleranceSeconds?: number;
	},
): VerificationResult {
	const { headers } = delivery;
	const present = scheme.headers.find((name) => headers[name] !== undefined) ?? scheme.headers[0];
	const read = readSignatureHeader(headers[present], scheme);
	if ('ok' in read) return read;
	let timestamp = read.timestamp;
	if (scheme.timestampHeader) {
		const text = headers[scheme.timestampHeader];
		if (typeof text !== 'string' || !/^\d{1,12}$/.test(text))
			return reject(
				'malformed_signature',
				`${scheme.timestampHeader} is missing or not unix seconds`,
			);
		timestamp = Number(text);
	}
	const content = scheme.content(delivery.rawBody, timestamp, headers, delivery.url ?? '');
	if (typeof content === 'string') return reject('malformed_signature', content);
	const { nowSeconds, toleranceSeconds } = delivery;
	const window =
		timestamp !== undefined && nowSeconds !== undefined && toleranceSeconds !== undefined
			? { timestamp, nowSeconds, toleranceSeconds }
			: undefined;
	if (delivery.checkSignatures) {
		const stale = window && checkTimestamp(window);
		if (stale) return stale;
		const verdict = delivery.checkSignatures(content, read.signatures);
		return { ...verdict, timestamp };
	}
	return verifyMac({
		algorithm: scheme.layout.kind === 'token' ? 'token' : 'sha256',
		secrets: delivery.secrets,
		signedContent: content,
		candidates: read.signatures,
		window,
	});
}
