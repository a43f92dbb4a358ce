import { eventsParameter, triggerProperties } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { paddle } from './provider';

import events from './events.json';

export const paddleTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Paddle',
	manualHint:
		"Create a notification destination in Paddle (Developer Tools → Notifications) with this node's production URL, and put its secret key (pdl_ntfset_…) into the credential's Endpoint Secret Keys.",
	parameters: [
		eventsParameter(
			'The event types that start the workflow. Paddle is asked to send only these ("All Events" subscribes to every type listed).',
			events,
		),
	],
	retryWindow:
		'Paddle retries a failed delivery for up to 3 days in live mode, so 72 hours covers every retry.',
	dedupHours: paddle.dedupHours,
	catchUp:
		"The notification setting's failed notifications are replayed through Paddle's API, signed as ever.",
	tolerance:
		"Deliveries signed longer ago (or further in the future) than this are refused. Paddle's SDK allows only 5 seconds, which a busy queue or a skewed clock exceeds.",
});
