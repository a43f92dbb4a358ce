import { openSecret, sealSecret } from '../../nodes/shared/sealedSecret';

const KEY = 'sk_test_key_material';
const SECRET = 'whsec_abcdefghijklmnopqrstuvwxyz012345';

describe('sealSecret / openSecret', () => {
	it('round-trips a secret under the same key and context', () => {
		const sealed = sealSecret(SECRET, KEY, 'ctx:we_1');
		expect(openSecret(sealed, KEY, 'ctx:we_1')).toBe(SECRET);
	});

	it('never contains the secret or its base64 in the sealed value', () => {
		const sealed = sealSecret(SECRET, KEY, 'ctx:we_1');
		expect(sealed).not.toContain(SECRET);
		expect(sealed).not.toContain('abcdefghijklmnop');
		expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
		expect(sealed).toMatch(/^s1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
	});

	it('gives a different sealed value each time (random IV)', () => {
		expect(sealSecret(SECRET, KEY, 'ctx')).not.toBe(sealSecret(SECRET, KEY, 'ctx'));
	});

	it('returns undefined under another key (the API key was changed)', () => {
		expect(openSecret(sealSecret(SECRET, KEY, 'ctx'), 'sk_test_other', 'ctx')).toBeUndefined();
	});

	it('returns undefined under another context (a secret moved to another endpoint id)', () => {
		expect(openSecret(sealSecret(SECRET, KEY, 'ctx:we_1'), KEY, 'ctx:we_2')).toBeUndefined();
	});

	it('returns undefined for a tampered value', () => {
		const sealed = sealSecret(SECRET, KEY, 'ctx');
		const last = sealed[sealed.length - 2] === 'A' ? 'B' : 'A';
		expect(openSecret(`${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`, KEY, 'ctx')).toBeUndefined();
	});

	it('returns undefined for values that are not sealed secrets', () => {
		for (const value of [undefined, null, 42, '', 'whsec_plain', 's1.x.y', 's2.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbb']) {
			expect(openSecret(value, KEY, 'ctx')).toBeUndefined();
		}
	});

	it('throws a prefixed TypeError when sealing without key material', () => {
		expect(() => sealSecret(SECRET, '', 'ctx')).toThrow(/\[verified-webhooks\]/);
	});
});
