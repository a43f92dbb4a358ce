import type { HeaderScheme } from '../shared/signature';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`, HMAC-SHA256 over `<ts>:<raw body>`
 * keyed with the notification setting's endpoint secret key (the whole `pdl_ntfset_…` string). Any h1 may
 * match (Paddle sends several while a secret is rotated). Paddle's SDK allows 5 s of age, which a busy queue
 * or a skewed clock exceeds; the node's tolerance defaults to 300 s like the others.
 */
export const paddleSignature: HeaderScheme = {
	headers: ['paddle-signature'],
	name: 'Paddle-Signature',
	encoding: 'hex',
	bytes: 32,
	layout: { kind: 'pairs', separator: ';', timestampKey: 'ts', signatureKey: 'h1' },
	content: (rawBody, timestamp) => [`${timestamp}:`, rawBody],
};
