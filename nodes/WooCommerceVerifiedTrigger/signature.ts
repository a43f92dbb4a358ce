import { createHmac } from 'crypto';

import type { Acknowledgement, IncomingHeaders } from '../shared/delivery';
import type { HeaderScheme } from '../shared/signature';

/**
 * WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256(secret, raw body)>`. No timestamp, and only the
 * body is signed: the topic travels in the unsigned X-WC-Webhook-Topic header.
 */
export const wooCommerceSignature: HeaderScheme = {
	headers: ['x-wc-webhook-signature'],
	name: 'X-WC-Webhook-Signature',
	encoding: 'base64',
	bytes: 32,
	layout: { kind: 'single' },
	content: (rawBody) => [rawBody],
};

/** The delivery's topic (`order.created`), lower case; undefined when absent, repeated or not a topic. */
export function topicOf(headers: IncomingHeaders): string | undefined {
	const value = headers['x-wc-webhook-topic'];
	if (typeof value !== 'string' || value.length > 100) return undefined;
	const topic = value.trim().toLowerCase();
	return /^[a-z0-9_]+\.[a-z0-9_.-]+$/.test(topic) ? topic : undefined;
}

/**
 * The secret of the webhook for one topic, derived from the registration's secret. WooCommerce has one webhook
 * per topic and signs only the body; with one secret per topic, a captured delivery replayed under another
 * topic's header no longer verifies. Hex, so WooCommerce's HTML-entity decoding of secrets cannot alter it.
 */
export function topicSecret(secret: string, topic: string): string {
	return createHmac('sha256', secret).update(`woocommerce-topic:${topic}`).digest('hex');
}

/**
 * WooCommerce pings a webhook it has just created with the unsigned form body `webhook_id=<n>` and counts
 * anything but a 200 as a failed ping. Recognised by its shape alone (at most 64 bytes, no signature header);
 * the answer starts nothing.
 */
export function wooCommercePing(
	rawBody: Buffer,
	headers: IncomingHeaders,
): Acknowledgement | undefined {
	if (headers['x-wc-webhook-signature'] !== undefined || rawBody.length > 64) return undefined;
	return /^webhook_id=\d+$/.test(rawBody.toString('utf8').trim())
		? { acknowledge: 'woocommerce ping' }
		: undefined;
}
