import { triggerProperties } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { standardWebhooks } from './provider';

export const standardWebhooksTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Standard Webhooks',
	notice: {
		displayName:
			"Register this node's Production URL (shown above) as the endpoint in the sender's dashboard, and copy the endpoint's signing secret (whsec_…) into the credential. The sender must reach n8n over the internet (set WEBHOOK_URL when n8n is behind a tunnel or proxy).",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	parameters: [
		{
			displayName: 'Event Types',
			name: 'eventTypes',
			type: 'string',
			default: '',
			placeholder: 'invoice.paid, user.created',
			description:
				'Comma-separated event types that start the workflow; empty accepts every type. Other types are acknowledged and dropped.',
		},
	],
	retryWindow:
		"The specification's example retry schedule spans about 75 hours, so 76 hours covers it.",
	dedupHours: standardWebhooks.dedupHours,
	options: [
		{
			displayName: 'Event Type Path',
			name: 'eventTypePath',
			type: 'string',
			default: 'type',
			description: 'Where the event type is in the JSON body (dot notation)',
		},
	],
	tolerance:
		'Deliveries signed longer ago, or further in the future, are refused (the specification uses 5 minutes).',
});
