import { openSecret, sealSecret } from '../../nodes/shared/sealedSecret';

const KEY_MATERIAL = 'sk_test_example_material';
const PLAINTEXT = 'whsec_abcdefghijklmnopqrstuvwxyz012345';

describe('sealSecret / openSecret', () => {
	it('round-trips a secret under the same key and context', () => {
		const sealed = sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx:we_1');
		expect(openSecret(sealed, KEY_MATERIAL, 'ctx:we_1')).toBe(PLAINTEXT);
	});

	it('never contains the secret or its base64 in the sealed value', () => {
		const sealed = sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx:we_1');
		expect(sealed).not.toContain(PLAINTEXT);
		expect(sealed).not.toContain('abcdefghijklmnop');
		expect(sealed).not.toContain(Buffer.from(PLAINTEXT).toString('base64').slice(0, 16));
		expect(sealed).toMatch(/^s1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
	});

	it('gives a different sealed value each time (random IV)', () => {
		expect(sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx')).not.toBe(
			sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx'),
		);
	});

	it('returns undefined under another key (the API key was changed)', () => {
		expect(
			openSecret(sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx'), 'sk_test_other', 'ctx'),
		).toBeUndefined();
	});

	it('returns undefined under another context (a secret moved to another endpoint id)', () => {
		expect(
			openSecret(sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx:we_1'), KEY_MATERIAL, 'ctx:we_2'),
		).toBeUndefined();
	});

	it('returns undefined for a tampered value', () => {
		const sealed = sealSecret(PLAINTEXT, KEY_MATERIAL, 'ctx');
		const last = sealed[sealed.length - 2] === 'A' ? 'B' : 'A';
		expect(
			openSecret(`${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`, KEY_MATERIAL, 'ctx'),
		).toBeUndefined();
	});

	it('returns undefined for values that are not sealed secrets', () => {
		for (const value of [
			undefined,
			null,
			42,
			'',
			'whsec_plain',
			's1.x.y',
			's2.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
		]) {
			expect(openSecret(value, KEY_MATERIAL, 'ctx')).toBeUndefined();
		}
	});

	it('throws a prefixed TypeError when sealing without key material', () => {
		expect(() => sealSecret(PLAINTEXT, '', 'ctx')).toThrow(/\[verified-webhooks\]/);
	});
});
