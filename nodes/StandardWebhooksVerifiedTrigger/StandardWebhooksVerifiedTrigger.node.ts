import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { standardWebhooksTriggerProperties } from './description';
import { standardWebhooks, standardWebhooksSecretTest } from './provider';

export class StandardWebhooksVerifiedTrigger extends triggerNode({
	displayName: 'Standard Webhooks Verified Trigger',
	name: 'standardWebhooksVerifiedTrigger',
	icon: 'standard-webhooks',
	subtitle:
		'={{ $parameter["eventTypes"] ? "types: " + $parameter["eventTypes"] : "all event types" }}',
	description:
		'Starts the workflow on deliveries signed with the Standard Webhooks scheme (Svix and the services built on it): verifies every signature, drops retried duplicates',
	properties: standardWebhooksTriggerProperties,
	credential: 'standardWebhooksVerifiedApi',
	credentialTest: { name: 'standardWebhooksSecretTest', test: standardWebhooksSecretTest },
	handlers: verifiedTrigger(standardWebhooks),
}) {}
