import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { registrationLifecycle } from '../shared/registration';
import { signedWebhookProperties } from './description';
import { signedWebhook, signedWebhookSecretTest, validateScheme } from './provider';

export class SignedWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Signed Webhook Trigger',
		name: 'signedWebhookTrigger',
		icon: {
			light: 'file:../../icons/signed-webhook.svg',
			dark: 'file:../../icons/signed-webhook.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["preset"] }}',
		description:
			'Starts the workflow on webhooks signed with a shared secret (Slack, Linear, Square, Typeform, WooCommerce, Zoom, … or your own scheme): verifies every signature, drops retried duplicates',
		defaults: { name: 'Signed Webhook Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: 'signedWebhookVerifiedApi', required: true, testedBy: 'signedWebhookSecretTest' },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: signedWebhookProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest, signedWebhookSecretTest } };

	// Registration happens in the provider's settings: the lifecycle has nothing to create or remove, but an
	// unsafe or unusable scheme is refused when the workflow is activated or a test listen starts.
	webhookMethods = {
		default: registrationLifecycle(async () => undefined, { validate: validateScheme }),
	};

	webhook = signedWebhook;
}
