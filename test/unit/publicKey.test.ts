import { generateKeyPairSync, sign } from 'crypto';

import { isEcdsaDerSignature, readPublicKey, verifyPublicKey } from '../../nodes/shared/publicKey';
import { SENDGRID_VECTORS, sendGridSdkAccepts } from '../support/sendgrid';

/**
 * The public-key primitives on their own. Genuine signatures: SendGrid's published vectors (the test vectors of
 * @sendgrid/eventwebhook) and node:crypto signatures that SendGrid's verifier accepts.
 */

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

describe('readPublicKey', () => {
	it('reads the base64 SubjectPublicKeyInfo SendGrid shows, and the same key as PEM', () => {
		const [vector] = SENDGRID_VECTORS;
		const key = readPublicKey(vector.spki);
		if (typeof key === 'string') throw new Error(key);
		const pem = key.export({ format: 'pem', type: 'spki' }).toString();
		const again = readPublicKey(`\n${pem}\n`);
		if (typeof again === 'string') throw new Error(again);
		expect(again.equals(key)).toBe(true);
	});

	it('parses a key once (a request does not pay ~0.3 ms for it), keeping the last 32 keys', () => {
		const [vector] = SENDGRID_VECTORS;
		const first = readPublicKey(vector.spki);
		expect(readPublicKey(vector.spki)).toBe(first);
		for (let index = 0; index < 32; index++)
			readPublicKey(p256().publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
		const again = readPublicKey(vector.spki);
		expect(again).not.toBe(first);
		if (typeof again === 'string' || typeof first === 'string') throw new Error('expected keys');
		expect(again.equals(first)).toBe(true);
	});

	it.each([
		['text that is not base64', 'not a key!', /not a public key/],
		['base64 that is not a key', Buffer.from('hello world').toString('base64'), /not a public key/],
		[
			'an Ed25519 key',
			generateKeyPairSync('ed25519')
				.publicKey.export({ format: 'der', type: 'spki' })
				.toString('base64'),
			/not an ECDSA P-256/,
		],
		[
			'a P-384 key',
			generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
				.publicKey.export({ format: 'der', type: 'spki' })
				.toString('base64'),
			/not an ECDSA P-256/,
		],
	])('refuses %s, saying what is wrong', (_name, text, message) => {
		expect(readPublicKey(text)).toMatch(message);
	});
});

describe('isEcdsaDerSignature', () => {
	const der = sign('sha256', Buffer.from('x'), p256().privateKey);

	it('accepts a DER signature node:crypto made, and each published SendGrid signature', () => {
		expect(isEcdsaDerSignature(der)).toBe(true);
		for (const vector of SENDGRID_VECTORS)
			expect(isEcdsaDerSignature(Buffer.from(vector.signature, 'base64'))).toBe(true);
	});

	it.each([
		['one byte cut off', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1)],
		['one byte appended', (bytes: Buffer) => Buffer.concat([bytes, Buffer.from([0])])],
		['another outer tag', (bytes: Buffer) => Buffer.from([0x31, ...bytes.subarray(1)])],
		[
			'another first INTEGER tag',
			(bytes: Buffer) => Buffer.from([0x30, bytes[1], 0x03, ...bytes.subarray(3)]),
		],
		['the raw 64-byte r||s form', () => Buffer.alloc(64, 1)],
		['73 bytes', () => Buffer.concat([Buffer.from([0x30, 71]), Buffer.alloc(71, 2)])],
	])('refuses %s', (_name, change) => {
		expect(isEcdsaDerSignature(change(der))).toBe(false);
	});
});

describe('verifyPublicKey', () => {
	const content = ['1700000000', Buffer.from('[{"sg_event_id":"e"}]\r\n')];
	const current = p256();
	const previous = p256();
	const signed = (key: typeof current) =>
		sign('sha256', Buffer.concat([Buffer.from(content[0]), content[1] as Buffer]), key.privateKey);

	it("accepts what SendGrid's verifier accepts, under the key that signed (secretIndex)", () => {
		const signature = signed(previous);
		const spki = previous.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
		expect(
			sendGridSdkAccepts(spki, content[1], signature.toString('base64'), content[0] as string),
		).toBe(true);
		expect(
			verifyPublicKey({
				keys: [current.publicKey, previous.publicKey],
				signedContent: content,
				candidates: [signature],
			}),
		).toMatchObject({ ok: true, secretIndex: 1 });
	});

	it('refuses another key, another content, and a corrupt signature without throwing', () => {
		const signature = signed(current);
		const check = (keys = [current.publicKey], signedContent = content, candidates = [signature]) =>
			verifyPublicKey({ keys, signedContent, candidates });
		expect(check([previous.publicKey])).toMatchObject({ reason: 'signature_mismatch' });
		expect(check(undefined, ['1700000001', content[1]])).toMatchObject({
			reason: 'signature_mismatch',
		});
		const corrupt = Buffer.from(signature);
		corrupt[6] ^= 0xff;
		expect(check(undefined, undefined, [corrupt])).toMatchObject({ reason: 'signature_mismatch' });
		expect(check([])).toMatchObject({ reason: 'no_secret' });
		expect(check(undefined, undefined, [])).toMatchObject({ reason: 'missing_signature' });
	});

	it('gives the same fingerprint for the same signed bytes, whatever signature carried them', () => {
		const first = verifyPublicKey({
			keys: [current.publicKey],
			signedContent: content,
			candidates: [signed(current)],
		});
		const second = verifyPublicKey({
			keys: [current.publicKey],
			signedContent: content,
			candidates: [signed(current)], // ECDSA signatures differ each time
		});
		if (!first.ok || !second.ok) throw new Error('expected both accepted');
		expect(first.fingerprint).toEqual(second.fingerprint);
	});
});
