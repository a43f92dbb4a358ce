import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { linear } from './provider';

import events from './events.json';

export const linearTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Linear',
	manualHint:
		"Create the webhook in Linear (Settings → API → Webhooks) with this node's production URL, and put its signing secret into the credential's Webhook Secrets.",
	parameters: [
		{
			displayName: 'Team ID',
			name: 'teamId',
			type: 'string',
			default: '',
			placeholder: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
			description: 'The team whose events start the workflow (its UUID). Empty: every public team.',
			displayOptions: { show: { registration: ['automatic'] } },
		},
		{
			...eventsParameter(
				'The resource types whose changes start the workflow. Linear is asked to send only these.',
				events,
			),
			displayName: 'Resource Types',
			name: 'resourceTypes',
			default: ['Issue'],
		},
	],
	retryWindow:
		'Linear retries a failed delivery 3 times within about 7 hours; 24 hours covers them.',
	dedupHours: linear.dedupHours,
	tolerance:
		"Deliveries whose signed webhookTimestamp is older (or further in the future) than this are refused. Linear's SDK allows 60 seconds.",
});
