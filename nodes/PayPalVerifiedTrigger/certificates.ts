import { readSigningCertificate, type SigningCertificate } from '../shared/publicKey';
import { PAYPAL_CERTIFICATE_SUBJECT } from './signature';

/**
 * PayPal's signing certificates, fetched from the allow-listed URL a delivery names and kept in process memory
 * until they expire. The URL is an unsigned header: a flood of deliveries naming made-up certificates must not
 * become a flood of requests to PayPal. So: one fetch per URL at a time, at most MAX_CONCURRENT fetches at
 * once, a URL that failed is not fetched again for RETRY_AFTER_FAILURE_MS, and after MAX_FAILURES_PER_MINUTE
 * failed fetches no unknown URL is fetched until the minute is over. PayPal retries a refused delivery for days,
 * so a genuine one refused meanwhile arrives again.
 */

const MAX_PEM_CHARS = 64 * 1024;
const MAX_KNOWN = 32;
const MAX_CONCURRENT = 2;
const RETRY_AFTER_FAILURE_MS = 60_000;
const MAX_FAILURES_PER_MINUTE = 10;

type Entry = { certificate: SigningCertificate } | { problem: string; atMs: number };
const known = new Map<string, Entry>();
const pending = new Map<string, Promise<SigningCertificate | string>>();
let failures = { sinceMs: 0, count: 0 };

function remember(href: string, entry: Entry): void {
	known.delete(href);
	if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
	known.set(href, entry);
}

/** The key of the certificate at `url` (already allow-listed), or why there is none to use. */
export async function signingCertificate(
	url: URL,
	fetchText: ((url: string) => Promise<string>) | undefined,
	nowMs: number,
): Promise<SigningCertificate | string> {
	const href = url.href;
	const entry = known.get(href);
	if (entry && 'certificate' in entry) {
		if (nowMs <= entry.certificate.notAfterMs) return entry.certificate;
		known.delete(href);
	} else if (entry && nowMs >= entry.atMs && nowMs - entry.atMs < RETRY_AFTER_FAILURE_MS)
		return entry.problem;
	const running = pending.get(href);
	if (running) return await running;
	if (nowMs < failures.sinceMs || nowMs - failures.sinceMs >= 60_000)
		failures = { sinceMs: nowMs, count: 0 };
	if (failures.count >= MAX_FAILURES_PER_MINUTE)
		return `not fetched: ${failures.count} certificate fetches failed in the last minute`;
	if (pending.size >= MAX_CONCURRENT) return 'not fetched: other certificates are being fetched';
	if (!fetchText) return 'not fetched: no way to fetch it here';
	const fetch = (async () => {
		let problem: string;
		try {
			const pem = await fetchText(href);
			const read =
				pem.length > MAX_PEM_CHARS
					? 'is larger than 64 KiB'
					: readSigningCertificate(pem, nowMs, PAYPAL_CERTIFICATE_SUBJECT);
			if (typeof read !== 'string') {
				remember(href, { certificate: read });
				return read;
			}
			problem = `at ${href} ${read}`;
		} catch (error) {
			const status = (error as { httpCode?: string; code?: string }).httpCode;
			problem = `could not be fetched from ${href} (${status ? `HTTP ${status}` : ((error as { code?: string }).code ?? 'request failed')})`;
		}
		failures.count++;
		remember(href, { problem, atMs: nowMs });
		return problem;
	})();
	pending.set(href, fetch);
	try {
		return await fetch;
	} finally {
		pending.delete(href);
	}
}
