import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { wooCommerceTriggerProperties } from './description';
import { wooCommerce } from './provider';
import { WOOCOMMERCE_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(wooCommerce);

export class WooCommerceVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WooCommerce Verified Trigger',
		name: 'wooCommerceVerifiedTrigger',
		icon: {
			light: 'file:../../icons/woocommerce.svg',
			dark: 'file:../../icons/woocommerce.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "topics: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on WooCommerce store events: registers its webhooks, verifies every signature, drops duplicates and replays',
		defaults: { name: 'WooCommerce Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: WOOCOMMERCE_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: wooCommerceTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
