import { dedupStoreRedisTest } from '../shared/dedupStore';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	dedupOptionsFrom,
	handleDelivery,
	type IncomingHeaders,
	type ParsedEvent,
} from '../shared/delivery';
import { registrationLifecycle, type Registration } from '../shared/registration';
import { shopifyTriggerProperties } from './description';
import { shopifyHeader, verifyShopifySignature } from './signature';
import topics from './topics.json';
import { DEFAULT_SHOPIFY_API_VERSION, SHOPIFY_CREDENTIAL, ShopifyWebhookApi } from './transport';

interface ShopifyCredential {
	shopDomain: string;
	accessToken: string;
	clientSecret: string;
	previousClientSecret?: string;
	apiBaseUrl?: string;
}

const KNOWN_TOPICS = topics.map((topic) => topic.value);

async function credential(context: IHookFunctions | IWebhookFunctions): Promise<ShopifyCredential> {
	return await context.getCredentials<ShopifyCredential>(SHOPIFY_CREDENTIAL);
}

function selectedTopics(context: IHookFunctions | IWebhookFunctions): string[] {
	return [...(context.getNodeParameter('topics', []) as string[])].sort();
}

async function registration(context: IHookFunctions): Promise<Registration | undefined> {
	if (context.getNodeParameter('registration', 'automatic') !== 'automatic') return undefined;
	const shopify = await credential(context);
	const options = context.getNodeParameter('options', {}) as { apiVersion?: string };
	const base = (
		shopify.apiBaseUrl ||
		`https://${shopify.shopDomain
			.trim()
			.replace(/^https?:\/\//, '')
			.replace(/\/+$/, '')}`
	).replace(/\/+$/, '');
	const version = encodeURIComponent(options.apiVersion || DEFAULT_SHOPIFY_API_VERSION);
	return {
		api: new ShopifyWebhookApi(context, `${base}/admin/api/${version}/graphql.json`, KNOWN_TOPICS),
		url: context.getNodeWebhookUrl('default') as string,
		events: selectedTopics(context),
		sealingKey: shopify.accessToken,
		// Deliveries are signed with the app's client secret, which is in the credential.
		needsStoredSecret: false,
	};
}

function single(headers: IncomingHeaders, name: string): string | undefined {
	const value = shopifyHeader(headers, name);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseShopifyDelivery(rawBody: Buffer, headers: IncomingHeaders): ParsedEvent | string {
	const topic = single(headers, 'topic');
	// The event id is the same for every retry of one event; the webhook id names one delivery.
	const id = single(headers, 'event-id') ?? single(headers, 'webhook-id');
	if (!topic) return 'the X-Shopify-Topic header is missing';
	if (!id) return 'neither X-Shopify-Event-Id nor X-Shopify-Webhook-Id is present';
	let payload: unknown;
	try {
		payload = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return 'the body is not JSON';
	}
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
		return 'the body is not a JSON object';
	return {
		id,
		type: topic,
		payload: payload as IDataObject,
		details: {
			shopDomain: single(headers, 'shop-domain') ?? null,
			webhookId: single(headers, 'webhook-id') ?? null,
			triggeredAt: single(headers, 'triggered-at') ?? null,
			apiVersion: single(headers, 'api-version') ?? null,
		},
	};
}

export class ShopifyVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shopify Verified Trigger',
		name: 'shopifyVerifiedTrigger',
		icon: { light: 'file:../../icons/shopify.svg', dark: 'file:../../icons/shopify.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["topics"].join(", ") }}',
		description:
			'Starts the workflow on Shopify webhook topics: subscribes them, verifies every HMAC, drops retried duplicates',
		defaults: { name: 'Shopify Verified Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: SHOPIFY_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: [
			// n8n answers a delivery that starts an execution once the execution exists; responseData '' makes the
			// answer's body the trigger's webhookResponse.
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'webhook',
			},
		],
		properties: shopifyTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = { default: registrationLifecycle(registration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const wanted = selectedTopics(this);
		return await handleDelivery(this, {
			provider: 'shopify',
			dedup: dedupOptionsFrom(this.getNodeParameter('options', {}) as IDataObject, 24),
			secretsVersion: '',
			secrets: async () => {
				const { clientSecret, previousClientSecret } = await credential(this);
				return [clientSecret, previousClientSecret].filter((secret): secret is string => !!secret);
			},
			verify: (rawBody: Buffer, headers: IncomingHeaders, secrets: string[]) =>
				verifyShopifySignature({ rawBody, headers, secrets }),
			parse: parseShopifyDelivery,
			isSelected: (event) => wanted.includes(event.type),
		});
	}
}
