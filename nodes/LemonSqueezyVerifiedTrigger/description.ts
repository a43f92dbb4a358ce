import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { lemonSqueezy } from './provider';

import events from './events.json';

export const lemonSqueezyTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Lemon Squeezy',
	manualHint:
		"Create the webhook in Lemon Squeezy (Settings → Webhooks) with this node's production URL and a signing secret, and put that secret into the credential's Signing Secrets.",
	parameters: [
		{
			displayName: 'Store ID',
			name: 'storeId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '12345',
			description:
				'The numeric ID of the store whose events start the workflow (Settings → Stores)',
			displayOptions: { show: { registration: ['automatic'] } },
		},
		eventsParameter(
			'The events that start the workflow. Lemon Squeezy is asked to send only these ("All Events" subscribes to every type listed).',
			events,
		),
	],
	options: [
		{
			displayName: 'Test Mode',
			name: 'testMode',
			type: 'boolean',
			default: false,
			description: 'Whether the registered webhook receives test-mode events instead of live ones',
		},
	],
	retryWindow:
		'Lemon Squeezy retries a failed delivery 3 times within about 3 minutes; 24 hours also covers a resend from the dashboard.',
	dedupHours: lemonSqueezy.dedupHours,
});
