import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { stripeTriggerProperties } from './description';
import { stripe } from './provider';
import { STRIPE_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(stripe);

export class StripeVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Verified Trigger',
		name: 'stripeVerifiedTrigger',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Stripe events: registers its endpoint, verifies every signature, drops retried duplicates',
		defaults: { name: 'Stripe Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: STRIPE_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: stripeTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
