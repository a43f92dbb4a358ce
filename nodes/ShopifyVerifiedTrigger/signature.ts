import type { HeaderScheme } from '../shared/signature';

/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body, keyed with the app's client
 * secret. The newer "events" deliveries send the same headers without the `x-` prefix. One signature per
 * request, so a rotation needs the previous client secret too.
 */
export const shopifySignature: HeaderScheme = {
	headers: ['x-shopify-hmac-sha256', 'shopify-hmac-sha256'],
	name: 'X-Shopify-Hmac-Sha256',
	encoding: 'base64',
	bytes: 32,
	layout: { kind: 'single' },
	content: (rawBody) => [rawBody],
};
