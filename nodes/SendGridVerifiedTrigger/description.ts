import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { sendGrid } from './provider';

import events from './events.json';

export const sendGridTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'SendGrid',
	manualHint:
		"Create an Event Webhook in SendGrid (Settings → Mail Settings → Event Webhooks) with this node's production URL, switch on Signed Event Webhook, and put its Verification Key into the credential's Verification Keys.",
	parameters: [
		eventsParameter(
			'The events that start the workflow. SendGrid is asked to send only these ("All Events" switches on every type listed).',
			events,
		),
	],
	retryWindow: 'SendGrid retries a failed batch for up to 24 hours; 25 hours covers every retry.',
	dedupHours: sendGrid.dedupHours,
	tolerance:
		'Deliveries signed longer ago (or further in the future) than this are refused. SendGrid signs the time each batch is sent.',
});
