/**
 * PayPal's pieces apart from the trigger: the CRC32 PayPal signs (against crc-32, the package PayPal's
 * documentation example uses, and the published CRC-32 check value), the
 * signing-certificate checks, and the certificate cache's limits on what an unsigned header can make it fetch.
 */
import { randomBytes } from 'crypto';
import CRC32 from 'crc-32';

import { crc32, PAYPAL_CERTIFICATE_SUBJECT } from '../../nodes/PayPalVerifiedTrigger/signature';
import { readSigningCertificate } from '../../nodes/shared/publicKey';
import { makeCertificate, rsaKeys, signingChain } from '../fakes/fakePayPal';

type Cache = typeof import('../../nodes/PayPalVerifiedTrigger/certificates');

/** certificates.ts with its process-wide cache empty. */
function freshCache(): Cache {
	let module: Cache | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		module = require('../../nodes/PayPalVerifiedTrigger/certificates') as Cache;
	});
	return module!;
}

const chain = signingChain();
const NOW = Date.now();
const url = (id: string) => new URL(`https://api.paypal.com/v1/notifications/certs/CERT-${id}`);

describe('crc32', () => {
	it('is the published CRC-32 check value for "123456789" (0xCBF43926)', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
	});

	it('agrees with crc-32 on 200 random bodies up to 64 KiB, as an unsigned integer', () => {
		for (let i = 0; i < 200; i++) {
			const body = randomBytes(Math.floor(Math.random() * 65_536));
			const ours = crc32(body);
			expect(ours).toBe(CRC32.buf(body) >>> 0);
			expect(ours).toBeGreaterThanOrEqual(0);
		}
	});
});

describe('readSigningCertificate', () => {
	const read = (pem: string, now = NOW) =>
		readSigningCertificate(pem, now, PAYPAL_CERTIFICATE_SUBJECT);

	it("reads the signing certificate's RSA key from the chain PayPal serves, valid until its notAfter", () => {
		const result = read(chain.pem);
		expect(typeof result).toBe('object');
		expect(result).toMatchObject({
			notAfterMs: Math.floor(chain.leaf.certificate.validity.notAfter.getTime() / 1000) * 1000,
		});
	});

	it('refuses what a forger or a broken server could serve', () => {
		const small = makeCertificate({
			commonName: 'messageverificationcerts.paypal.com',
			keys: rsaKeys(1024),
			issuer: chain.root,
		});
		const unrelated = signingChain();
		expect([
			read(''),
			read('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
			read(chain.pem.repeat(3)),
			read(chain.pem, chain.leaf.certificate.validity.notAfter.getTime() + 1000),
			read(chain.pem, chain.leaf.certificate.validity.notBefore.getTime() - 1000),
			read(small.pem + chain.root.pem),
			read(chain.leaf.pem + unrelated.root.pem),
			read(chain.root.pem),
			read(signingChain({ commonName: 'messageverificationcerts.paypal.com.evil.example' }).pem),
		]).toEqual([
			'holds no PEM certificate',
			'holds a certificate that cannot be read',
			'holds 6 certificates (at most 5)',
			expect.stringMatching(/^certificate 1 is not valid now/),
			expect.stringMatching(/^certificate 1 is not valid now/),
			'its first certificate does not hold an RSA key of at least 2048 bits',
			'certificate 1 is not issued by certificate 2',
			'its first certificate is for "Fake PayPal Test Root", not a signing certificate of the provider',
			expect.stringMatching(/evil\.example", not a signing certificate/),
		]);
	});

	it('accepts the sandbox name PayPal uses, and a certificate served without its issuer', () => {
		const sandbox = signingChain({ commonName: 'messageverificationcerts.sandbox.paypal.com' });
		expect(typeof read(sandbox.pem)).toBe('object');
		expect(typeof read(sandbox.leaf.pem)).toBe('object');
	});
});

describe('signingCertificate: the fetches an unsigned PAYPAL-CERT-URL can cause', () => {
	it('fetches a certificate once, for concurrent and later deliveries, until it expires', async () => {
		const { signingCertificate } = freshCache();
		const fetchText = jest.fn(async () => chain.pem);
		const results = await Promise.all(
			[1, 2, 3].map(async () => await signingCertificate(url('a'), fetchText, NOW)),
		);
		expect(results.every((result) => typeof result === 'object')).toBe(true);
		await signingCertificate(url('a'), fetchText, NOW + 3_600_000);
		expect(fetchText).toHaveBeenCalledTimes(1);
		const after = chain.leaf.certificate.validity.notAfter.getTime() + 1;
		expect(await signingCertificate(url('a'), fetchText, after)).toMatch(/not valid now/);
		expect(fetchText).toHaveBeenCalledTimes(2);
	});

	it('does not fetch a URL that failed again within a minute', async () => {
		const { signingCertificate } = freshCache();
		const fetchText = jest.fn(async () => {
			throw Object.assign(new Error('not found'), { httpCode: '404' });
		});
		expect(await signingCertificate(url('b'), fetchText, NOW)).toMatch(
			/could not be fetched .* \(HTTP 404\)/,
		);
		expect(await signingCertificate(url('b'), fetchText, NOW + 59_000)).toMatch(/HTTP 404/);
		expect(fetchText).toHaveBeenCalledTimes(1);
		await signingCertificate(url('b'), fetchText, NOW + 60_000);
		expect(fetchText).toHaveBeenCalledTimes(2);
	});

	it('after 10 failed fetches in a minute, fetches nothing unknown until the minute is over; known certificates still work', async () => {
		const { signingCertificate } = freshCache();
		const good = jest.fn(async () => chain.pem);
		expect(typeof (await signingCertificate(url('good'), good, NOW))).toBe('object');
		const bad = jest.fn(async () => 'not a certificate');
		for (let i = 0; i < 25; i++) await signingCertificate(url(`made-up-${i}`), bad, NOW + i);
		expect(bad).toHaveBeenCalledTimes(10);
		expect(await signingCertificate(url('made-up-99'), bad, NOW + 30_000)).toMatch(
			/not fetched: 10 certificate fetches failed/,
		);
		expect(typeof (await signingCertificate(url('good'), good, NOW + 30_000))).toBe('object');
		expect(good).toHaveBeenCalledTimes(1);
		await signingCertificate(url('made-up-100'), bad, NOW + 61_000);
		expect(bad).toHaveBeenCalledTimes(11);
	});

	it('runs at most 2 fetches at once', async () => {
		const { signingCertificate } = freshCache();
		const releases: Array<() => void> = [];
		const slow = jest.fn(
			async () => await new Promise<string>((resolve) => releases.push(() => resolve(chain.pem))),
		);
		const first = signingCertificate(url('c1'), slow, NOW);
		const second = signingCertificate(url('c2'), slow, NOW);
		expect(await signingCertificate(url('c3'), slow, NOW)).toBe(
			'not fetched: other certificates are being fetched',
		);
		expect(slow).toHaveBeenCalledTimes(2);
		releases.forEach((release) => release());
		expect(typeof (await first)).toBe('object');
		expect(typeof (await second)).toBe('object');
	});
});
