import type { HeaderScheme } from '../shared/signature';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`. One signature per request and
 * no timestamp, so rotation means trying a previous secret too.
 */
export const gitHubSignature: HeaderScheme = {
	headers: ['x-hub-signature-256'],
	name: 'X-Hub-Signature-256',
	encoding: 'hex',
	bytes: 32,
	layout: { kind: 'single', prefix: 'sha256=' },
	content: (rawBody) => [rawBody],
};
