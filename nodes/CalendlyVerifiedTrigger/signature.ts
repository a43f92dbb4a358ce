import type { HeaderScheme } from '../shared/signature';

/**
 * Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, HMAC-SHA256 over `<t>.<raw body>` keyed with the
 * subscription's signing key (Stripe's layout).
 */
export const calendlySignature: HeaderScheme = {
	headers: ['calendly-webhook-signature'],
	name: 'Calendly-Webhook-Signature',
	encoding: 'hex',
	bytes: 32,
	layout: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v1' },
	content: (rawBody, timestamp) => [`${timestamp}.`, rawBody],
};
