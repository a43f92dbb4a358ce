import { verifyPublicKey, type SigningCertificate } from '../shared/publicKey';
import { checkTimestamp, decodeBytes } from '../shared/signature';
import { reject, type VerificationResult } from '../shared/verdict';
import type { IncomingHeaders } from '../shared/delivery';

/**
 * PayPal's webhook signature (providers.md §2.7): `PAYPAL-TRANSMISSION-SIG` is the base64 of an RSA
 * SHA256withRSA signature over `<PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<webhook id>|<CRC32 of the
 * raw body, unsigned decimal>`, made with the key of the certificate `PAYPAL-CERT-URL` names. The webhook id is
 * what the trigger holds in place of a secret: PayPal issues it when the webhook is created.
 *
 * The body is signed only through its CRC32, which is no cryptographic hash: whoever holds a signed delivery can
 * make other bodies with the same CRC32. The signed message is therefore the replay fingerprint (dedup drops a
 * second body under the same transmission), and the transmission time is held to the tolerance window.
 */

const TABLE = (() => {
	const table = new Uint32Array(256);
	for (let byte = 0; byte < 256; byte++) {
		let value = byte;
		for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
		table[byte] = value >>> 0;
	}
	return table;
})();

/** CRC-32 (IEEE 802.3, the zlib one) of the bytes, as an unsigned integer. */
export function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (let index = 0; index < bytes.length; index++)
		crc = TABLE[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

export const PAYPAL_HEADERS = {
	id: 'paypal-transmission-id',
	time: 'paypal-transmission-time',
	signature: 'paypal-transmission-sig',
	certificate: 'paypal-cert-url',
	algorithm: 'paypal-auth-algo',
} as const;

/** Where PayPal's signing certificates may come from, per environment (origins), and the path they live under. */
export const PAYPAL_CERTIFICATE_ORIGINS = {
	production: ['https://api.paypal.com', 'https://api-m.paypal.com'],
	sandbox: ['https://api.sandbox.paypal.com', 'https://api-m.sandbox.paypal.com'],
} as const;
const CERTIFICATE_PATH = /^\/v1\/notifications\/certs\/CERT-[A-Za-z0-9-]{1,100}$/;
/** The subject PayPal's own SDK required of a signing certificate (messageverificationcerts[.sandbox].paypal.com). */
export const PAYPAL_CERTIFICATE_SUBJECT = /^messageverificationcerts(\.[a-z0-9-]+)*\.paypal\.com$/;

/**
 * The certificate URL as it will be fetched, or why it will not be: only PayPal's certificate path on one of the
 * allowed origins (the environment's PayPal hosts over https, or a custom API's own origin), with nothing else.
 */
export function certificateUrl(text: string, origins: readonly string[]): URL | string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return `${PAYPAL_HEADERS.certificate} is not a URL`;
	}
	if (!origins.includes(url.origin))
		return `${PAYPAL_HEADERS.certificate} names ${url.origin}, not one of PayPal's certificate hosts for this environment (${origins.join(', ')})`;
	if (
		url.username ||
		url.password ||
		url.search ||
		url.hash ||
		!CERTIFICATE_PATH.test(url.pathname)
	)
		return `${PAYPAL_HEADERS.certificate} is not a path under /v1/notifications/certs/`;
	return url;
}

export interface PayPalDelivery {
	rawBody: Buffer;
	headers: IncomingHeaders;
	/** Webhook ids that may have signed: the registered one, then the credential's. */
	webhookIds: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
	/** The allowed certificate origins (see certificateUrl). */
	origins: readonly string[];
	/** The signing certificate behind an allowed URL, read and checked (see certificates.ts), or why not. */
	certificate(url: URL): Promise<SigningCertificate | string>;
}

function header(headers: IncomingHeaders, name: string): string | undefined | false {
	const value = headers[name];
	if (Array.isArray(value)) return false;
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** ISO 8601 with a zone, as PayPal sends it (2025-06-01T10:00:00Z); anything else is malformed. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a PayPal delivery in this order, each step before anything costlier: the five headers are there once
 * each; the algorithm is SHA256withRSA; the transmission time is in the window; the signature is base64 of a
 * plausible RSA length; the certificate URL is allowed — and only then is the certificate fetched (or taken from
 * the cache) and the signature checked under each webhook id.
 */
export async function verifyPayPal(delivery: PayPalDelivery): Promise<VerificationResult> {
	const verdict = await check(delivery);
	return verdict.ok
		? verdict
		: {
				...verdict,
				header: 'PAYPAL-TRANSMISSION-SIG',
				expected:
					'<base64 SHA256withRSA signature> over <PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<webhook id>|<CRC32 of the body>, with PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO: SHA256withRSA',
			};
}

async function check(delivery: PayPalDelivery): Promise<VerificationResult> {
	const { headers } = delivery;
	const values: Partial<Record<keyof typeof PAYPAL_HEADERS, string>> = {};
	for (const [key, name] of Object.entries(PAYPAL_HEADERS) as Array<
		[keyof typeof PAYPAL_HEADERS, string]
	>) {
		const value = header(headers, name);
		if (value === false) return reject('malformed_signature', `${name} was sent more than once`);
		if (value === undefined) return reject('missing_signature', `${name} is missing`);
		values[key] = value;
	}
	const { id, time, signature, certificate, algorithm } = values as Record<
		keyof typeof PAYPAL_HEADERS,
		string
	>;
	if (algorithm !== 'SHA256withRSA')
		return reject('malformed_signature', `${PAYPAL_HEADERS.algorithm} is not SHA256withRSA`);
	if (id.includes('|') || !ISO_TIME.test(time))
		return reject(
			'malformed_signature',
			`${PAYPAL_HEADERS.id} or ${PAYPAL_HEADERS.time} is not in PayPal's form`,
		);
	const timestamp = Math.floor(Date.parse(time) / 1000);
	if (!Number.isFinite(timestamp))
		return reject('malformed_signature', `${PAYPAL_HEADERS.time} is not a date`);
	const stale = checkTimestamp({
		timestamp,
		nowSeconds: delivery.nowSeconds,
		toleranceSeconds: delivery.toleranceSeconds,
	});
	if (stale) return stale;
	const candidate = decodeBytes(signature.trim(), 'base64');
	if (!candidate || candidate.length < 256 || candidate.length > 1024)
		return {
			...reject(
				'malformed_signature',
				`${PAYPAL_HEADERS.signature} is not base64 of an RSA signature`,
			),
			timestamp,
		};
	const ids = delivery.webhookIds.filter((webhookId) => /^[A-Za-z0-9-]{1,64}$/.test(webhookId));
	if (ids.length === 0) return reject('no_secret', 'no usable PayPal webhook id');
	const url = certificateUrl(certificate, delivery.origins);
	if (typeof url === 'string') return { ...reject('malformed_signature', url), timestamp };
	const read = await delivery.certificate(url);
	if (typeof read === 'string')
		return { ...reject('signature_mismatch', `the signing certificate ${read}`), timestamp };
	const crc = crc32(delivery.rawBody);
	for (const webhookId of ids) {
		const verdict = verifyPublicKey({
			keys: [read.key],
			signedContent: [`${id}|${time}|${webhookId}|${crc}`],
			candidates: [candidate],
			algorithm: 'rsa-sha256',
		});
		if (verdict.ok)
			return { ...verdict, secretIndex: delivery.webhookIds.indexOf(webhookId), timestamp };
	}
	return {
		...reject(
			'signature_mismatch',
			`the signature does not verify under the certificate for any of ${ids.length} webhook id(s)`,
		),
		timestamp,
	};
}
