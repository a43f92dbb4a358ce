import { generateKeyPairSync, sign } from 'crypto';

import {
	isEcdsaDerSignature,
	readEd25519Key,
	readPublicKey,
	verifyPublicKey,
} from '../../nodes/shared/publicKey';
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

/**
 * Ed25519 (Standard Webhooks v1a): RFC 8032 §7.1's published test vectors (TEST 1–3: the encoded public key, the
 * message, the signature), with the public key written as Standard Webhooks shows it, `whpk_` + base64.
 */
describe('Ed25519: readEd25519Key and verifyPublicKey against RFC 8032 §7.1', () => {
	const RFC8032 = [
		{
			point: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
			message: '',
			signature:
				'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
		},
		{
			point: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
			message: '72',
			signature:
				'92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
		},
		{
			point: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
			message: 'af82',
			signature:
				'6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
		},
	];
	const whpk = (hex: string) => `whpk_${Buffer.from(hex, 'hex').toString('base64')}`;
	const check = (point: string, message: Buffer, signature: Buffer) => {
		const key = readEd25519Key(whpk(point));
		if (typeof key === 'string') throw new Error(key);
		return verifyPublicKey({
			keys: [key],
			// Split in two parts, as the Standard Webhooks content is (prefix, raw body).
			signedContent: [message.subarray(0, 1), message.subarray(1)],
			candidates: [signature],
			algorithm: 'ed25519',
		});
	};

	it.each(RFC8032.map((vector, index) => [index + 1, vector] as const))(
		'TEST %i verifies; a flipped bit of the signature or the message does not',
		(_, vector) => {
			const message = Buffer.from(vector.message, 'hex');
			const signature = Buffer.from(vector.signature, 'hex');
			expect(check(vector.point, message, signature)).toMatchObject({ ok: true, secretIndex: 0 });
			const flipped = Buffer.from(signature);
			flipped[10] ^= 1;
			expect(check(vector.point, message, flipped)).toMatchObject({
				ok: false,
				reason: 'signature_mismatch',
			});
			expect(
				check(vector.point, Buffer.concat([message, Buffer.from('!')]), signature),
			).toMatchObject({
				ok: false,
			});
		},
	);

	it('refuses text that is not whpk_ + 32 bytes, and an ECDSA key never verifies an Ed25519 signature', () => {
		expect(readEd25519Key('whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3')).toMatch(/not whpk_/);
		expect(readEd25519Key(`whpk_${Buffer.alloc(31, 1).toString('base64')}`)).toMatch(/32-byte/);
		const ecdsa = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
		const vector = RFC8032[1];
		expect(
			verifyPublicKey({
				keys: [ecdsa],
				signedContent: [Buffer.from(vector.message, 'hex')],
				candidates: [Buffer.from(vector.signature, 'hex')],
				algorithm: 'ed25519',
			}),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});
});
