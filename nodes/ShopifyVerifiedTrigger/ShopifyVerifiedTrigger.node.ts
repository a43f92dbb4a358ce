import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { shopifyTriggerProperties } from './description';
import { shopify } from './provider';
import { SHOPIFY_CREDENTIAL } from './transport';

export class ShopifyVerifiedTrigger extends triggerNode({
	displayName: 'Shopify Verified Trigger',
	name: 'shopifyVerifiedTrigger',
	icon: 'shopify',
	subtitle: '={{ $parameter["topics"].join(", ") }}',
	description:
		'Starts the workflow on Shopify webhook topics: subscribes them, verifies every HMAC, drops retried duplicates',
	properties: shopifyTriggerProperties,
	credential: SHOPIFY_CREDENTIAL,
	handlers: verifiedTrigger(shopify),
}) {}
