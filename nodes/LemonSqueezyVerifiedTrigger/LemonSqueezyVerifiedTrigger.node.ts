import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { lemonSqueezyTriggerProperties } from './description';
import { lemonSqueezy } from './provider';
import { LEMON_SQUEEZY_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(lemonSqueezy);

export class LemonSqueezyVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lemon Squeezy Verified Trigger',
		name: 'lemonSqueezyVerifiedTrigger',
		icon: {
			light: 'file:../../icons/lemonsqueezy.svg',
			dark: 'file:../../icons/lemonsqueezy.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Lemon Squeezy events: registers its webhook, verifies every signature, drops retried duplicates',
		defaults: { name: 'Lemon Squeezy Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: LEMON_SQUEEZY_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: lemonSqueezyTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
