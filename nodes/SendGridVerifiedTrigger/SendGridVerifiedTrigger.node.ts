import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { sendGridTriggerProperties } from './description';
import { sendGrid } from './provider';
import { SENDGRID_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(sendGrid);

export class SendGridVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SendGrid Verified Trigger',
		name: 'sendGridVerifiedTrigger',
		icon: { light: 'file:../../icons/sendgrid.svg', dark: 'file:../../icons/sendgrid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on SendGrid email events: registers a signed Event Webhook, verifies every ECDSA signature, drops retried duplicates',
		defaults: { name: 'SendGrid Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: SENDGRID_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: sendGridTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
