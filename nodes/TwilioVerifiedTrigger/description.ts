import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { twilio } from './provider';

import events from './events.json';

export const twilioTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Twilio',
	manualHint:
		"Create a webhook sink in the Twilio Console (Event Streams → Manage → Create new sink) with this node's production URL, subscribe it to the event types, and put the account's Auth Token into the credential.",
	parameters: [
		eventsParameter(
			'The Event Streams event types that start the workflow. Twilio is asked to send only these ("All Listed Events" subscribes to every type listed).',
			events,
		),
	],
	retryWindow:
		'Event Streams retries a failed delivery for up to 4 hours, so 5 hours covers every retry.',
	dedupHours: twilio.dedupHours,
});
