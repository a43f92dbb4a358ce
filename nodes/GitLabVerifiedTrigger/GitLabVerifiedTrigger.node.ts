import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { gitLabTriggerProperties } from './description';
import { gitLab } from './provider';
import { GITLAB_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(gitLab);

export class GitLabVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GitLab Verified Trigger',
		name: 'gitLabVerifiedTrigger',
		icon: {
			light: 'file:../../icons/gitlab.svg',
			dark: 'file:../../icons/gitlab.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on GitLab events: registers its webhook, checks every secret token, drops retried duplicates',
		defaults: { name: 'GitLab Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: GITLAB_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: gitLabTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
