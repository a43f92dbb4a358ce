import { toleranceOption, dedupOptionFields } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { dedupStoreProperty } from '../shared/dedupStore';

export const standardWebhooksTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"Register this node's Production URL (shown above) as the endpoint in the sender's dashboard, and copy the endpoint's signing secret (whsec_…) into the credential. The sender must reach n8n over the internet (set WEBHOOK_URL when n8n is behind a tunnel or proxy).",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'string',
		default: '',
		placeholder: 'invoice.paid, user.created',
		description:
			'Comma-separated event types that start the workflow; empty accepts every type. Other types are acknowledged and dropped.',
	},
	dedupStoreProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...dedupOptionFields(
				"The specification's example retry schedule spans about 75 hours, so 76 hours covers it.",
				76,
			),
			{
				displayName: 'Event Type Path',
				name: 'eventTypePath',
				type: 'string',
				default: 'type',
				description: 'Where the event type is in the JSON body (dot notation)',
			},
			toleranceOption(
				'Deliveries signed longer ago, or further in the future, are refused (the specification uses 5 minutes).',
			),
		],
	},
];
