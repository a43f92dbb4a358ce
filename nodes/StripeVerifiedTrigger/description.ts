import { eventsParameter, triggerProperties } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { stripe } from './provider';

import events from './events.json';

export const stripeTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Stripe',
	manualHint:
		"Create the endpoint in the Stripe dashboard with this node's production URL, and add its signing secret (whsec_…) to the credential's Signing Secrets. Deliveries are refused until a secret is there.",
	parameters: [
		eventsParameter(
			'The event types that start the workflow. Other events are acknowledged and dropped. With automatic registration, Stripe is asked to send only these.',
			events,
		),
	],
	retryWindow: 'Stripe retries a failed delivery for up to 3 days, so 72 hours covers every retry.',
	dedupHours: stripe.dedupHours,
	catchUp:
		'Stripe keeps no redelivery API, so the events its API lists as not delivered are read from it with the Secret Key and run with verifiedWebhook.via "api" (the key needs Events: Read). Not for Connect endpoints.',
	options: [
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '',
			placeholder: '2025-09-30.clover',
			description:
				"Stripe API version for the event payloads of a newly registered endpoint. Empty uses the account's default version.",
		},
		{
			displayName: 'Include Connected Accounts',
			name: 'connect',
			type: 'boolean',
			default: false,
			description:
				'Whether a newly registered endpoint receives events from your Connect accounts instead of your own account',
		},
	],
	tolerance:
		"Deliveries signed longer ago (or further in the future) than this are refused, which stops replays of captured requests. Stripe's own libraries use 300.",
});
