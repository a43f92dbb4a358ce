import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { standardWebhooksTriggerProperties } from './description';
import { standardWebhooks, standardWebhooksSecretTest } from './provider';

const trigger = verifiedTrigger(standardWebhooks);

export class StandardWebhooksVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Standard Webhooks Verified Trigger',
		name: 'standardWebhooksVerifiedTrigger',
		icon: {
			light: 'file:../../icons/standard-webhooks.svg',
			dark: 'file:../../icons/standard-webhooks.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["eventTypes"] ? "types: " + $parameter["eventTypes"] : "all event types" }}',
		description:
			'Starts the workflow on deliveries signed with the Standard Webhooks scheme (Svix and the services built on it): verifies every signature, drops retried duplicates',
		defaults: { name: 'Standard Webhooks Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{
				name: 'standardWebhooksVerifiedApi',
				required: true,
				testedBy: 'standardWebhooksSecretTest',
			},
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: standardWebhooksTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest, standardWebhooksSecretTest } };

	// Registration happens in the sender's dashboard: the lifecycle has nothing to create or remove.
	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;
}
