import type { INodeProperties } from 'n8n-workflow';

import {
	dedupOptionFields,
	reachabilityNotice,
	registrationParameters,
} from '../shared/descriptions';
import { dedupStoreProperty } from '../shared/dedupStore';

import events from './events.json';

export const gitHubTriggerProperties: INodeProperties[] = [
	reachabilityNotice('GitHub'),
	...registrationParameters(
		'GitHub',
		"Create the webhook in the repository's or organization's settings with this node's production URL, content type application/json and a secret, and put that secret into the credential's Webhook Secrets.",
	),
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
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['*'],
		description:
			'The events that start the workflow. GitHub is asked to send only these; the ping GitHub sends when the webhook is created is answered without an execution.',
		options: events,
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
				'GitHub never redelivers by itself; redeliveries are manual (they keep the delivery ID), so 72 hours covers the usual ones.',
				72,
			),
		],
	},
];
