import type { HeaderScheme } from '../shared/signature';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`, HMAC-SHA256 over `<t>.<raw body>`, keyed
 * with the whole `whsec_…` string as UTF-8. Any v1 may match any secret (secret rolls send several); v0 and
 * future schemes are ignored, as Stripe's SDK does.
 */
export const stripeSignature: HeaderScheme = {
	headers: ['stripe-signature'],
	name: 'Stripe-Signature',
	encoding: 'hex',
	bytes: 32,
	layout: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v1' },
	content: (rawBody, timestamp) => [`${timestamp}.`, rawBody],
};
