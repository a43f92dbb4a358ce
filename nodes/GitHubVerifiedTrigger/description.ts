import { eventsParameter, triggerProperties } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { gitHub } from './provider';

import events from './events.json';

export const gitHubTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'GitHub',
	manualHint:
		"Create the webhook in the repository's or organization's settings with this node's production URL, content type application/json and a secret, and put that secret into the credential's Webhook Secrets.",
	parameters: [
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			options: [
				{ name: 'Repository', value: 'repository', description: 'Events of one repository' },
				{
					name: 'Organization',
					value: 'organization',
					description: 'Events of every repository in an organization',
				},
			],
			default: 'repository',
		},
		{
			displayName: 'Owner',
			name: 'owner',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'n8n-io',
			description: 'The user or organization that owns the repository, or the organization itself',
		},
		{
			displayName: 'Repository Name',
			name: 'repository',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'n8n',
			displayOptions: { show: { scope: ['repository'] } },
		},
		eventsParameter(
			'The events that start the workflow. GitHub is asked to send only these; the ping GitHub sends when the webhook is created is answered without an execution.',
			events,
		),
	],
	retryWindow:
		'GitHub never redelivers by itself; redeliveries are manual (they keep the delivery ID), so 72 hours covers the usual ones.',
	dedupHours: gitHub.dedupHours,
	catchUp:
		"GitHub never retries by itself; the hook's failed deliveries (kept 3 days) are redelivered through its API, signed as ever.",
});
