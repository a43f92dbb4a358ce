import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { calendlyTriggerProperties } from './description';
import { calendly } from './provider';
import { CALENDLY_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(calendly);

export class CalendlyVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Calendly Verified Trigger',
		name: 'calendlyVerifiedTrigger',
		icon: {
			light: 'file:../../icons/calendly.svg',
			dark: 'file:../../icons/calendly.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Calendly events: registers its webhook subscription, verifies every signature, drops retried duplicates',
		defaults: { name: 'Calendly Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: CALENDLY_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: calendlyTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
