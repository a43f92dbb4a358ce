import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { paddleTriggerProperties } from './description';
import { paddle } from './provider';
import { PADDLE_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(paddle);

export class PaddleVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paddle Billing Verified Trigger',
		name: 'paddleVerifiedTrigger',
		icon: { light: 'file:../../icons/paddle.svg', dark: 'file:../../icons/paddle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Paddle Billing events: registers its notification destination, verifies every signature, drops retried duplicates',
		defaults: { name: 'Paddle Billing Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: PADDLE_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: paddleTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
