import type { HeaderScheme } from '../shared/signature';

/**
 * Lemon Squeezy: `X-Signature: <hex HMAC-SHA256(signing secret, raw body)>`. No timestamp and no prefix; one
 * signature per request, so rotation means trying a previous secret too.
 */
export const lemonSqueezySignature: HeaderScheme = {
	headers: ['x-signature'],
	name: 'X-Signature',
	encoding: 'hex',
	bytes: 32,
	layout: { kind: 'single' },
	content: (rawBody) => [rawBody],
};
