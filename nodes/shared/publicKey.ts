import {
	createHash,
	createPublicKey,
	createVerify,
	verify,
	X509Certificate,
	type KeyObject,
} from 'crypto';

import { decodeBytes } from './signature';
import { reject, type VerificationResult } from './verdict';

/**
 * Public-key signature primitives (SendGrid's ECDSA P-256, Standard Webhooks' Ed25519 `v1a`, PayPal's RSA): the sender signs with a private key only it holds,
 * and the receiver needs only the public key, which is not a secret: anyone may read it, nobody can sign with
 * it. Pure functions over the raw body, the signatures and the keys (the timestamp window is checked before).
 */

/**
 * A public key as providers show it: PEM, or the base64 of its DER SubjectPublicKeyInfo without the PEM
 * armour (SendGrid's "Verification Key"). A string is what is wrong with it, in words for an activation error.
 */
export function readPublicKey(text: string): KeyObject | string {
	const known = parsed.get(text);
	if (known !== undefined) return known;
	const read = parsePublicKey(text.trim());
	// Parsing a key costs ~0.3 ms, every request would pay it: the last few keys are kept (they are public).
	if (parsed.size >= PARSED_KEYS) parsed.delete(parsed.keys().next().value as string);
	parsed.set(text, read);
	return read;
}

const PARSED_KEYS = 32;
const parsed = new Map<string, KeyObject | string>();

function parsePublicKey(trimmed: string): KeyObject | string {
	let key: KeyObject;
	try {
		if (trimmed.startsWith('-----BEGIN')) key = createPublicKey(trimmed);
		else {
			const der = decodeBytes(trimmed.replace(/\s+/g, ''), 'base64');
			if (!der) return 'is not a public key: expected PEM, or base64 text';
			key = createPublicKey({ key: der, format: 'der', type: 'spki' });
		}
	} catch {
		return 'is not a public key (PEM, or the base64 SubjectPublicKeyInfo the provider shows)';
	}
	if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
		return 'is a public key, but not an ECDSA P-256 one';
	return key;
}

/** The DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), followed by the key's 32 raw bytes. */
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * A Standard Webhooks public key, `whpk_` + the base64 of the raw 32-byte Ed25519 key; a string is what is wrong
 * with it. Parsed keys are kept like readPublicKey's.
 */
export function readEd25519Key(text: string): KeyObject | string {
	const cacheKey = `ed25519:${text}`;
	const known = parsed.get(cacheKey);
	if (known !== undefined) return known;
	const trimmed = text.trim();
	let read: KeyObject | string;
	if (!trimmed.startsWith('whpk_')) read = 'is not whpk_ followed by base64';
	else {
		const raw = decodeBytes(trimmed.slice('whpk_'.length), 'base64');
		read = 'is not whpk_ followed by the base64 of a 32-byte Ed25519 key';
		try {
			if (raw?.length === 32)
				read = createPublicKey({
					key: Buffer.concat([ED25519_SPKI, raw]),
					format: 'der',
					type: 'spki',
				});
		} catch {
			// not a key OpenSSL can read: the message above
		}
	}
	if (parsed.size >= PARSED_KEYS) parsed.delete(parsed.keys().next().value as string);
	parsed.set(cacheKey, read);
	return read;
}

/**
 * Whether bytes have the structure of a DER ECDSA P-256 signature: SEQUENCE { INTEGER r, INTEGER s }, each of 1 to
 * 33 bytes, nothing before or after. Anything else is a malformed header, not a wrong signature.
 */
export function isEcdsaDerSignature(bytes: Buffer): boolean {
	if (bytes.length < 8 || bytes.length > 72 || bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2)
		return false;
	const rLength = bytes[3];
	const sAt = 4 + rLength;
	const sLength = bytes[sAt + 1];
	return (
		bytes[2] === 0x02 &&
		rLength >= 1 &&
		rLength <= 33 &&
		bytes[sAt] === 0x02 &&
		sLength >= 1 &&
		sLength <= 33 &&
		sAt + 2 + sLength === bytes.length
	);
}

interface PublicKeyCheck {
	/** Every key that may have signed (current first, then the previous one during a rotation). */
	keys: readonly KeyObject[];
	/** The exact signed content in order; the raw body stays a Buffer. */
	signedContent: ReadonlyArray<Buffer | string>;
	/** Signatures from the request (ECDSA: DER; Ed25519: 64 bytes); any one may match. */
	candidates: readonly Buffer[];
	/**
	 * ECDSA P-256 with SHA-256 (the default), Ed25519 (which hashes the content itself), or RSA PKCS #1 v1.5 with
	 * SHA-256 (PayPal's SHA256withRSA).
	 */
	algorithm?: 'ecdsa-p256' | 'ed25519' | 'rsa-sha256';
}

function signatureVerifies(check: PublicKeyCheck, key: KeyObject, candidate: Buffer): boolean {
	try {
		if (check.algorithm === 'ed25519') {
			// Ed25519 signs the whole message at once: the parts are joined (one copy of the body).
			const message = Buffer.concat(
				check.signedContent.map((part) => (Buffer.isBuffer(part) ? part : Buffer.from(part))),
			);
			return verify(null, message, key, candidate);
		}
		const verifier = createVerify('sha256');
		for (const part of check.signedContent) verifier.update(part);
		if (check.algorithm === 'rsa-sha256')
			return key.asymmetricKeyType === 'rsa' && verifier.verify(key, candidate);
		return verifier.verify({ key, dsaEncoding: 'der' }, candidate);
	} catch {
		return false; // an unreadable signature or a key of another type: not a signature of this content
	}
}

/**
 * ECDSA P-256 with SHA-256 (or Ed25519) over the signed content, under every key. A malformed signature is a mismatch, never
 * an exception. The replay fingerprint is the SHA-256 of the signed content (nothing here is secret to key it
 * with): the same for every replay of the same signed bytes.
 */
export function verifyPublicKey(check: PublicKeyCheck): VerificationResult {
	if (check.keys.length === 0) return reject('no_secret', 'no usable public key is configured');
	if (check.candidates.length === 0) return reject('missing_signature', 'no signature to check');
	for (let index = 0; index < check.keys.length; index++) {
		for (const candidate of check.candidates) {
			if (signatureVerifies(check, check.keys[index], candidate)) {
				const fingerprint = createHash('sha256');
				for (const part of check.signedContent) fingerprint.update(part);
				return {
					ok: true,
					secretIndex: index,
					fingerprint: fingerprint.digest(),
				};
			}
		}
	}
	return reject(
		'signature_mismatch',
		`none of ${check.candidates.length} signature(s) verifies under any of ${check.keys.length} public key(s)`,
	);
}

/** A signing certificate's key, read and checked by readSigningCertificate, and until when it may be used. */
export interface SigningCertificate {
	key: KeyObject;
	notAfterMs: number;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;
const MAX_CHAIN = 5;

/**
 * The RSA key of a signing certificate served as a PEM chain (the signing certificate first, then its issuers),
 * or what is wrong with it in words. Checked: every certificate is valid at `nowMs`; each is issued and signed by
 * the next one; the first one's subject common name matches `subject`; its key is RSA of at least 2048 bits. The
 * chain is not anchored here (no trust store is readable from a community node): where it came from is — see
 * the caller's URL allow-list.
 */
export function readSigningCertificate(
	pem: string,
	nowMs: number,
	subject: RegExp,
): SigningCertificate | string {
	const blocks = pem.match(PEM_CERTIFICATE) ?? [];
	if (blocks.length === 0) return 'holds no PEM certificate';
	if (blocks.length > MAX_CHAIN)
		return `holds ${blocks.length} certificates (at most ${MAX_CHAIN})`;
	let chain: X509Certificate[];
	try {
		chain = blocks.map((block) => new X509Certificate(block));
	} catch {
		return 'holds a certificate that cannot be read';
	}
	for (const [index, certificate] of chain.entries()) {
		const from = Date.parse(certificate.validFrom);
		const to = Date.parse(certificate.validTo);
		if (!(from <= nowMs && nowMs <= to))
			return `certificate ${index + 1} is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})`;
		const issuer = chain[index + 1];
		if (issuer && !(certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey)))
			return `certificate ${index + 1} is not issued by certificate ${index + 2}`;
	}
	const [leaf] = chain;
	const commonName = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1] ?? '';
	if (!subject.test(commonName))
		return `its first certificate is for "${commonName}", not a signing certificate of the provider`;
	const key = leaf.publicKey;
	if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
		return 'its first certificate does not hold an RSA key of at least 2048 bits';
	return { key, notAfterMs: Date.parse(leaf.validTo) };
}
