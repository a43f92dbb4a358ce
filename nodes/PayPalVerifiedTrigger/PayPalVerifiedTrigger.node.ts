import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { payPalTriggerProperties } from './description';
import { payPal } from './provider';
import { PAYPAL_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(payPal);

export class PayPalVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PayPal Verified Trigger',
		name: 'payPalVerifiedTrigger',
		icon: {
			light: 'file:../../icons/paypal.svg',
			dark: 'file:../../icons/paypal.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			"Starts the workflow on PayPal events: registers its webhook, verifies every RSA signature against PayPal's certificate, drops retried duplicates",
		defaults: { name: 'PayPal Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: PAYPAL_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: payPalTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
