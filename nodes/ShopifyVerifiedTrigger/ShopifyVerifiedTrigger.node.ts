import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { shopifyTriggerProperties } from './description';
import { shopify } from './provider';
import { SHOPIFY_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(shopify);

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
		outputs: deliveryOutputs,
		credentials: [
			{ name: SHOPIFY_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: shopifyTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
