import type { IncomingHeaders } from '../shared/delivery';
import {
	reject,
	signatureFromHeader,
	verifyHmac,
	type VerificationResult,
} from '../shared/signature';

/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body, keyed with the app's client
 * secret. The newer "events" deliveries send the same headers without the `x-` prefix. One signature per
 * request, so a rotation needs the previous client secret too.
 */
export function shopifyHeader(
	headers: IncomingHeaders,
	name: string,
): string | string[] | undefined {
	return headers[`x-shopify-${name}`] ?? headers[`shopify-${name}`];
}

export function verifyShopifySignature(input: {
	rawBody: Buffer;
	headers: IncomingHeaders;
	secrets: readonly string[];
}): VerificationResult {
	if (input.secrets.length === 0)
		return reject('no_secret', 'no Shopify client secret is configured');
	const signature = signatureFromHeader(
		shopifyHeader(input.headers, 'hmac-sha256'),
		'X-Shopify-Hmac-Sha256',
		'',
		'base64',
	);
	if (!Buffer.isBuffer(signature)) return signature;
	if (signature.length !== 32)
		return reject('malformed_signature', 'X-Shopify-Hmac-Sha256 is not a base64 SHA-256 HMAC');
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [input.rawBody],
		candidates: [signature],
	});
}
