import forge from 'node-forge';
import CRC32 from 'crc-32';

import { payPalSignature, signingChain } from '../fakes/fakePayPal';

/**
 * PayPal for tests. PayPal publishes no signer, no verifier that works offline and no vector whose certificate
 * can be had without the network (its SDK samples name certificates on api.sandbox.paypal.com), so:
 * - deliveries are signed by the fake's key (node:crypto), under a certificate a test CA issued (node-forge);
 * - `forgeAccepts()` checks them with code nobody here wrote: node-forge's certificate-chain verification against
 *   the test CA, node-forge's RSA PKCS #1 v1.5 verification, and the `crc-32` package's CRC32 (the package
 *   PayPal's documentation example uses). A test uses a delivery only after it has passed there.
 */

export const CONTRACT_ORIGIN = 'https://api.sandbox.paypal.com';
export const CONTRACT_CERTIFICATE_URL = `${CONTRACT_ORIGIN}/v1/notifications/certs/CERT-360caa42-fca2a594-contract`;

let chain: ReturnType<typeof signingChain> | undefined;
/** One chain per test file (two RSA keys cost a few hundred ms). */
export function contractChain(): ReturnType<typeof signingChain> {
	chain ??= signingChain();
	return chain;
}

/** PayPal's ISO time with seconds precision, as it sends PAYPAL-TRANSMISSION-TIME. */
export function payPalTime(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The five headers of one transmission of `body` to `webhookId`, signed at `timestamp`. */
export function signPayPal(
	webhookId: string,
	body: Buffer,
	timestamp: number,
	options: { transmissionId?: string; certificateUrl?: string; privatePem?: string } = {},
): Record<string, string> {
	const transmissionId = options.transmissionId ?? '69cd13f0-d67a-11e5-baa3-778b53f4ae55';
	const time = payPalTime(timestamp);
	return {
		'paypal-transmission-id': transmissionId,
		'paypal-transmission-time': time,
		'paypal-cert-url': options.certificateUrl ?? CONTRACT_CERTIFICATE_URL,
		'paypal-auth-algo': 'SHA256withRSA',
		'paypal-transmission-sig': payPalSignature(
			options.privatePem ?? contractChain().leaf.keys.privatePem,
			{ transmissionId, time, webhookId, payload: body },
		),
	};
}

/**
 * node-forge's verdict on a delivery: the chain PEM verifies against `rootPem` as the only trusted CA, and the
 * signature verifies under the first certificate's key over PayPal's message, with crc-32's CRC32 of the body.
 */
export function forgeAccepts(
	chainPem: string,
	rootPem: string,
	headers: Record<string, string | string[]>,
	body: Buffer,
	webhookId: string,
): boolean {
	const certificates = (
		chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
	).map((pem) => forge.pki.certificateFromPem(pem));
	const store = forge.pki.createCaStore([rootPem]);
	try {
		if (!forge.pki.verifyCertificateChain(store, certificates)) return false;
	} catch {
		return false;
	}
	const message = [
		headers['paypal-transmission-id'],
		headers['paypal-transmission-time'],
		webhookId,
		CRC32.buf(body) >>> 0,
	].join('|');
	const digest = forge.md.sha256.create();
	digest.update(message, 'utf8');
	const signature = forge.util.decode64(String(headers['paypal-transmission-sig']));
	try {
		return (certificates[0].publicKey as forge.pki.rsa.PublicKey).verify(
			digest.digest().bytes(),
			signature,
		);
	} catch {
		return false;
	}
}

/** crc-32's own table (the zlib polynomial), as unsigned integers. */
const TABLE = Uint32Array.from(
	(CRC32 as unknown as { table: Int32Array }).table,
	(value) => value >>> 0,
);
/** The table index whose entry has a given top byte (unique for CRC-32's table). */
const BY_TOP = new Map([...TABLE].map((value, index) => [value >>> 24, index]));

/**
 * A body that is not `original` but has the same CRC-32: `edited` with 4 bytes at `at` chosen so. This is what
 * anyone holding a signed PayPal delivery can do (PayPal signs the CRC-32, not the body); the result is checked
 * with crc-32 by the caller. The classic forcing: run the register back from the wanted end state over the
 * suffix, then pick the 4 bytes that take the prefix's state there.
 */
export function sameCrc(original: Buffer, edited: Buffer, at: number): Buffer {
	const forward = (state: number, bytes: Buffer) => {
		for (const byte of bytes) state = (TABLE[(state ^ byte) & 0xff] ^ (state >>> 8)) >>> 0;
		return state;
	};
	const back = (state: number, byte: number | undefined) => {
		const index = BY_TOP.get(state >>> 24)!;
		const previous = ((state ^ TABLE[index]) << 8) >>> 0;
		return byte === undefined ? previous : (previous | (index ^ byte)) >>> 0;
	};
	const prefix = edited.subarray(0, at);
	const suffix = edited.subarray(at);
	let wanted = forward(0xffffffff, original);
	for (let index = suffix.length - 1; index >= 0; index--) wanted = back(wanted, suffix[index]);
	const indexes: number[] = [];
	for (let k = 3; k >= 0; k--) {
		indexes[k] = BY_TOP.get(wanted >>> 24)!;
		wanted = back(wanted, undefined);
	}
	let state = forward(0xffffffff, prefix);
	const patch = Buffer.alloc(4);
	for (let k = 0; k < 4; k++) {
		patch[k] = (indexes[k] ^ state) & 0xff;
		state = forward(state, patch.subarray(k, k + 1));
	}
	return Buffer.concat([prefix, patch, suffix]);
}
