import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { squareTriggerProperties } from './description';
import { square } from './provider';
import { SQUARE_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(square);

export class SquareVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Square Verified Trigger',
		name: 'squareVerifiedTrigger',
		icon: {
			light: 'file:../../icons/square.svg',
			dark: 'file:../../icons/square.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Square events: registers its webhook subscription, verifies every signature, drops retried duplicates',
		defaults: { name: 'Square Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: SQUARE_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: squareTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
