import type { IncomingHeaders } from '../shared/delivery';
import { readSignatureHeader, verifyHmac, type VerificationResult } from '../shared/signature';

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
	const header = readSignatureHeader(shopifyHeader(input.headers, 'hmac-sha256'), {
		name: 'X-Shopify-Hmac-Sha256',
		encoding: 'base64',
		bytes: 32,
		layout: { kind: 'single' },
	});
	if ('ok' in header) return header;
	return verifyHmac({
		algorithm: 'sha256',
		secrets: input.secrets,
		signedContent: [input.rawBody],
		candidates: header.signatures,
	});
}
