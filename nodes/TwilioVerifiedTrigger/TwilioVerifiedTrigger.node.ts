import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { twilioTriggerProperties } from './description';
import { twilio } from './provider';
import { TWILIO_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(twilio);

export class TwilioVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Twilio Verified Trigger',
		name: 'twilioVerifiedTrigger',
		icon: {
			light: 'file:../../icons/twilio.svg',
			dark: 'file:../../icons/twilio.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Twilio Event Streams events: registers its sink and subscription, verifies every signature, drops retried duplicates',
		defaults: { name: 'Twilio Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: TWILIO_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: twilioTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
