import type { HeaderScheme } from '../shared/signature';

/**
 * Square: `x-square-hmacsha256-signature: <base64 HMAC-SHA256(signature key, notification URL + raw body)>`. The
 * URL must be byte-identical to the subscription's notification_url, which is n8n's URL for this node. No
 * timestamp; the legacy SHA-1 header (`x-square-signature`) is not read.
 */
export const squareSignature: HeaderScheme = {
	headers: ['x-square-hmacsha256-signature'],
	name: 'x-square-hmacsha256-signature',
	encoding: 'base64',
	bytes: 32,
	layout: { kind: 'single' },
	content: (rawBody, _timestamp, _headers, url) => [url, rawBody],
};
