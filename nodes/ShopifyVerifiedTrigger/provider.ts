import { parseJsonObject } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import { shopifySignature } from './signature';
import topics from './topics.json';
import { DEFAULT_SHOPIFY_API_VERSION, SHOPIFY_CREDENTIAL, ShopifyWebhookApi } from './transport';
import { headerText, type IncomingHeaders } from '../shared/delivery';

interface ShopifyCredential {
	shopDomain: string;
	accessToken: string;
	clientSecret: string;
	previousClientSecret?: string;
	apiBaseUrl?: string;
}

const KNOWN_TOPICS = topics.map((topic) => topic.value);

/** A Shopify header, sent with or without the `x-` prefix ("events" deliveries). */
function single(headers: IncomingHeaders, name: string): string | undefined {
	return headerText(headers, `x-shopify-${name}`, `shopify-${name}`);
}

/** Shopify: topic subscriptions registered through the Admin GraphQL API, signed with the app's client secret. */
export const shopify: TriggerDeclaration<ShopifyCredential> = {
	provider: 'shopify',
	credential: SHOPIFY_CREDENTIAL,
	dedupHours: 24,
	secretName: 'Shopify client secret',
	events: { parameter: 'topics', wildcard: false },
	// Trimmed: a client secret has no spaces, and a copied line break must not break every signature.
	configuredSecrets: ({ clientSecret, previousClientSecret }) => [
		clientSecret?.trim(),
		previousClientSecret?.trim(),
	],
	verify: ({ rawBody, headers, secrets }) =>
		verifySignedHeader(shopifySignature, { rawBody, headers, secrets }),
	parse(rawBody, headers) {
		const topic = single(headers, 'topic');
		// The event id is the same for every retry of one event; the webhook id names one delivery.
		const id = single(headers, 'event-id') ?? single(headers, 'webhook-id');
		if (!topic) return 'the X-Shopify-Topic header is missing';
		if (!id) return 'neither X-Shopify-Event-Id nor X-Shopify-Webhook-Id is present';
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		const details = {
			shopDomain: single(headers, 'shop-domain') ?? null,
			webhookId: single(headers, 'webhook-id') ?? null,
			triggeredAt: single(headers, 'triggered-at') ?? null,
			apiVersion: single(headers, 'api-version') ?? null,
		};
		return { id, type: topic, payload, details };
	},
	endpoint(context, { shopDomain, apiBaseUrl }) {
		const options = context.getNodeParameter('options', {}) as { apiVersion?: string };
		const shop = shopDomain
			.trim()
			.replace(/^https?:\/\//, '')
			.replace(/\/+$/, '');
		const base = (apiBaseUrl || `https://${shop}`).replace(/\/+$/, '');
		const version = encodeURIComponent(options.apiVersion || DEFAULT_SHOPIFY_API_VERSION);
		const url = `${base}/admin/api/${version}/graphql.json`;
		return { api: new ShopifyWebhookApi(context, url, KNOWN_TOPICS) };
	},
};
