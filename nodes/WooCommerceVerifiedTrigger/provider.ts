import { createHash } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';

import { splitSecrets } from '../shared/delivery';
import { parseJsonObject } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import events from './events.json';
import { topicOf, topicSecret, wooCommercePing, wooCommerceSignature } from './signature';
import { WOOCOMMERCE_CREDENTIAL, WooCommerceWebhookApi } from './transport';

interface WooCommerceCredential {
	url: string;
	consumerKey: string;
	consumerSecret: string;
	signingSecrets?: string;
}

const text = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * WooCommerce: one store webhook per topic, registered through the REST API, each signed with its own secret
 * derived from one generated secret (so the unsigned topic header cannot be swapped). No event id is sent: a
 * change is the topic, the resource's id and its modification time.
 */
export const wooCommerce: TriggerDeclaration<WooCommerceCredential> = {
	provider: 'wooCommerce',
	credential: WOOCOMMERCE_CREDENTIAL,
	// WooCommerce never retries; 24 hours drops replays and the same change sent twice.
	dedupHours: 24,
	secretName: 'WooCommerce webhook secret',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ signingSecrets }) => splitSecrets(signingSecrets),
	sealingKey: ({ consumerSecret }) => consumerSecret,
	unsignedHandshake: wooCommercePing,
	verify({ rawBody, headers, secrets }) {
		// A registered webhook is signed with its topic's secret; a webhook made by hand with the secret itself.
		const topic = topicOf(headers);
		const candidates = topic
			? secrets.flatMap((secret) => [topicSecret(secret, topic), secret])
			: secrets;
		return verifySignedHeader(wooCommerceSignature, { rawBody, headers, secrets: candidates });
	},
	parse(rawBody, headers) {
		const topic = topicOf(headers);
		if (!topic) return 'the delivery has no X-WC-Webhook-Topic';
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		const [resource, event] = topic.split('.');
		const resourceId = text(payload.id);
		// Action topics send { action, arg } and no id: the body itself identifies the call.
		const subject =
			resourceId ?? `body:${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;
		const changed = text(payload.date_modified_gmt) ?? text(payload.date_modified) ?? '';
		return {
			id: `${topic}:${subject}:${changed}`,
			type: topic,
			payload,
			details: { resource, event, resourceId: resourceId ?? null },
		};
	},
	endpoint(context, { url }) {
		let storeUrl: URL | undefined;
		try {
			storeUrl = new URL(String(url ?? '').trim());
		} catch {
			storeUrl = undefined;
		}
		if (!storeUrl || !/^https?:$/.test(storeUrl.protocol)) {
			throw new NodeOperationError(
				context.getNode(),
				"The WooCommerce credential's Store URL is not a web address",
				{
					description:
						'Set Store URL in the credential to the address of the WordPress site, e.g. https://shop.example.com.',
				},
			);
		}
		return { api: new WooCommerceWebhookApi(context, storeUrl.href) };
	},
};
