import { createHash, createPublicKey, createVerify, type KeyObject } from 'crypto';

import { decodeBytes } from './signature';
import { reject, type VerificationResult } from './verdict';

/**
 * Public-key signature primitives (SendGrid's ECDSA P-256): the sender signs with a private key only it holds,
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
	/** DER-encoded ECDSA signatures from the request; any one may match. */
	candidates: readonly Buffer[];
}

/**
 * ECDSA P-256 with SHA-256 over the signed content, under every key. A malformed signature is a mismatch, never
 * an exception. The replay fingerprint is the SHA-256 of the signed content (nothing here is secret to key it
 * with): the same for every replay of the same signed bytes.
 */
export function verifyPublicKey(check: PublicKeyCheck): VerificationResult {
	if (check.keys.length === 0) return reject('no_secret', 'no usable public key is configured');
	if (check.candidates.length === 0) return reject('missing_signature', 'no signature to check');
	for (let index = 0; index < check.keys.length; index++) {
		for (const candidate of check.candidates) {
			const verifier = createVerify('sha256');
			for (const part of check.signedContent) verifier.update(part);
			let valid = false;
			try {
				valid = verifier.verify({ key: check.keys[index], dsaEncoding: 'der' }, candidate);
			} catch {
				valid = false; // an unreadable DER structure: not a signature of this content
			}
			if (valid) {
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
