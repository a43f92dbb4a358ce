import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { payPal } from './provider';

import events from './events.json';

export const payPalTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'PayPal',
	manualHint:
		"Add a webhook to your REST app in the PayPal Developer Dashboard (Apps & Credentials → your app → Webhooks) with this node's production URL, and put its Webhook ID into the credential's Webhook IDs.",
	parameters: [
		eventsParameter(
			'The event types that start the workflow. PayPal is asked to send only these ("All Events" is PayPal\'s wildcard).',
			events,
		),
	],
	retryWindow: 'PayPal retries a failed delivery for up to 3 days, so 73 hours covers every retry.',
	dedupHours: payPal.dedupHours,
});
