import { triggerProperties } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { shopify } from './provider';

import { DEFAULT_SHOPIFY_API_VERSION } from './transport';

import topics from './topics.json';

export const shopifyTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Shopify',
	manualHint:
		"Subscribe this node's production URL to the topics in your app (or shop settings → Notifications → Webhooks), and make sure the credential's Client Secret is the key those webhooks are signed with.",
	parameters: [
		{
			displayName: 'Topics',
			name: 'topics',
			type: 'multiOptions',
			required: true,
			default: ['orders/create'],
			description:
				'The webhook topics that start the workflow; each becomes one subscription at Shopify',
			options: topics,
		},
	],
	retryWindow:
		'Shopify retries a failed delivery 8 times over 4 hours, so 24 hours covers every retry with room to spare.',
	dedupHours: shopify.dedupHours,
	options: [
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_SHOPIFY_API_VERSION,
			description:
				'The Admin API version used to register the subscriptions, and the payload version of the deliveries',
		},
	],
});
