import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { square } from './provider';

import events from './events.json';

export const squareTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Square',
	manualHint:
		"Add a webhook subscription in the Square Developer Console (your application → Webhooks → Subscriptions) with this node's production URL, and put its Signature Key into the credential's Signature Keys.",
	parameters: [
		eventsParameter(
			'The event types that start the workflow. Square is asked to send only these ("All Events" subscribes to every type listed).',
			events,
		),
	],
	retryWindow:
		'Square retries a failed delivery for up to 72 hours, so 72 hours covers every retry.',
	dedupHours: square.dedupHours,
});
