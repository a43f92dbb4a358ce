import type { HeaderScheme } from '../shared/signature';

/**
 * Linear: `Linear-Signature: <hex HMAC-SHA256(secret, raw body)>`. The signed body carries `webhookTimestamp`
 * (milliseconds), checked after the signature matched (see provider.ts).
 */
export const linearSignature: HeaderScheme = {
	headers: ['linear-signature'],
	name: 'Linear-Signature',
	encoding: 'hex',
	bytes: 32,
	layout: { kind: 'single' },
	content: (rawBody) => [rawBody],
};
