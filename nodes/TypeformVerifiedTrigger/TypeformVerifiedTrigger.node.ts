import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { typeformTriggerProperties } from './description';
import { typeform } from './provider';
import { TYPEFORM_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(typeform);

export class TypeformVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Typeform Verified Trigger',
		name: 'typeformVerifiedTrigger',
		icon: {
			light: 'file:../../icons/typeform.svg',
			dark: 'file:../../icons/typeform.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Typeform responses: registers its webhook on the form, verifies every signature, drops retried duplicates',
		defaults: { name: 'Typeform Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: TYPEFORM_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: typeformTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
