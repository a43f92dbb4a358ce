import type { INodeProperties } from 'n8n-workflow';

import events from './events.json';

export const stripeTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'Stripe must be able to reach this n8n over the internet. If n8n runs on localhost, expose it through a tunnel and set the WEBHOOK_URL environment variable to the public URL before activating.',
		name: 'reachabilityNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					'Register the endpoint with Stripe on activation and remove it on deactivation (needs a key that can write webhook endpoints)',
			},
			{
				name: 'Manual',
				value: 'manual',
				description:
					'You create the endpoint in the Stripe dashboard with the production URL below and put its signing secret into the credential',
			},
		],
		default: 'automatic',
	},
	{
		displayName:
			'Create the endpoint in the Stripe dashboard with this node\'s production URL, and add its signing secret (whsec_…) to the credential\'s Signing Secrets. Deliveries are refused until a secret is there.',
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['*'],
		description:
			'The event types that start the workflow. Other events are acknowledged and dropped. With automatic registration, Stripe is asked to send only these.',
		options: events,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'string',
				default: '',
				placeholder: '2025-09-30.clover',
				description:
					'Stripe API version for the event payloads of a newly registered endpoint. Empty uses the account\'s default version.',
			},
			{
				displayName: 'Dedup Window (Events)',
				name: 'dedupMaxEntries',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description:
					'The most event IDs remembered (about 12 bytes each in the workflow\'s static data). The oldest are forgotten first.',
			},
			{
				displayName: 'Dedup Window (Hours)',
				name: 'dedupTtlHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 72,
				description:
					'How long an event ID is remembered. Stripe retries a failed delivery for up to 3 days, so 72 hours covers every retry.',
			},
			{
				displayName: 'Include Connected Accounts',
				name: 'connect',
				type: 'boolean',
				default: false,
				description:
					'Whether a newly registered endpoint receives events from your Connect accounts instead of your own account',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description:
					'Deliveries signed longer ago (or further in the future) than this are refused, which stops replays of captured requests. Stripe\'s own libraries use 300. 0 turns the check off.',
			},
		],
	},
];
