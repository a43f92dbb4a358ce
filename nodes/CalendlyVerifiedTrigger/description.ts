import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { calendly } from './provider';

import events from './events.json';

export const calendlyTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Calendly',
	manualHint:
		"Create the subscription through Calendly's API (POST /webhook_subscriptions) with this node's production URL and a signing_key, and put that key into the credential's Signing Keys.",
	parameters: [
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			options: [
				{ name: 'User', value: 'user', description: "Events of the token owner's own scheduling" },
				{
					name: 'Organization',
					value: 'organization',
					description:
						'Events of everyone in the organization (the token owner must be an owner or admin)',
				},
			],
			default: 'user',
			displayOptions: { show: { registration: ['automatic'] } },
		},
		eventsParameter(
			'The events that start the workflow. Calendly is asked to send only these ("All Events" subscribes to every type listed that the scope allows).',
			events,
		),
	],
	retryWindow:
		'Calendly retries a failed delivery for up to 24 hours; 48 hours covers every retry.',
	dedupHours: calendly.dedupHours,
	tolerance:
		'Deliveries signed longer ago (or further in the future) than this are refused. Calendly signs the time of each delivery attempt.',
});
