import { triggerNode } from '../shared/node';
import { registrationLifecycle } from '../shared/registration';
import { signedWebhookProperties } from './description';
import { signedWebhook, signedWebhookSecretTest, validateScheme } from './provider';

export class SignedWebhookTrigger extends triggerNode({
	displayName: 'Signed Webhook Trigger',
	name: 'signedWebhookTrigger',
	icon: 'signed-webhook',
	subtitle: '={{ $parameter["preset"] }}',
	description:
		'Starts the workflow on webhooks signed with a shared secret (Slack, Linear, Square, Typeform, WooCommerce, Zoom, … or your own scheme): verifies every signature, drops retried duplicates',
	properties: signedWebhookProperties,
	credential: 'signedWebhookVerifiedApi',
	credentialTest: { name: 'signedWebhookSecretTest', test: signedWebhookSecretTest },
	// Registration happens in the provider's settings: the lifecycle has nothing to create or remove, but an
	// unsafe or unusable scheme is refused when the workflow is activated or a test listen starts.
	handlers: {
		webhookMethods: {
			default: registrationLifecycle(async () => undefined, { validate: validateScheme }),
		},
		webhook: signedWebhook,
	},
}) {}
