import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { gitLab } from './provider';

import events from './events.json';

export const gitLabTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'GitLab',
	manualHint:
		"Add a webhook in the project's or group's Settings → Webhooks with this node's production URL and a secret token, and put that token into the credential's Secret Tokens.",
	parameters: [
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			options: [
				{ name: 'Project', value: 'project', description: 'Events of one project' },
				{
					name: 'Group',
					value: 'group',
					description: 'Events of every project in a group (GitLab Premium)',
				},
			],
			default: 'project',
			displayOptions: { show: { registration: ['automatic'] } },
		},
		{
			displayName: 'Project',
			name: 'project',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'my-group/my-project',
			description: 'The numeric project ID or its full path',
			displayOptions: { show: { registration: ['automatic'], scope: ['project'] } },
		},
		{
			displayName: 'Group',
			name: 'group',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'my-group',
			description: 'The numeric group ID or its full path',
			displayOptions: { show: { registration: ['automatic'], scope: ['group'] } },
		},
		eventsParameter(
			'The events that start the workflow. GitLab is asked to send only these.',
			events,
		),
	],
	retryWindow:
		'GitLab does not retry by itself; redeliveries from the webhook log keep their Idempotency-Key, so 72 hours covers the usual ones.',
	dedupHours: gitLab.dedupHours,
});
