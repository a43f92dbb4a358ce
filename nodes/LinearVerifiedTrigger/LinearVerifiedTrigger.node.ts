import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { linearTriggerProperties } from './description';
import { linear } from './provider';
import { LINEAR_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(linear);

export class LinearVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Linear Verified Trigger',
		name: 'linearVerifiedTrigger',
		icon: {
			light: 'file:../../icons/linear.svg',
			dark: 'file:../../icons/linear.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "resources: " + $parameter["resourceTypes"].join(", ") }}',
		description:
			'Starts the workflow on Linear events: registers its webhook, verifies every signature, drops retried duplicates',
		defaults: { name: 'Linear Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: LINEAR_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: linearTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
