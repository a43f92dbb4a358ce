import type { HeaderScheme } from '../shared/signature';

/**
 * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>` — GitHub's prefix, but base64.
 * No timestamp; one signature per request, so rotation means trying a previous secret too.
 */
export const typeformSignature: HeaderScheme = {
	headers: ['typeform-signature'],
	name: 'Typeform-Signature',
	encoding: 'base64',
	bytes: 32,
	layout: { kind: 'single', prefix: 'sha256=' },
	content: (rawBody) => [rawBody],
};
