import { type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreRedisTest } from '../shared/dedupStore';
import { deliveryOutputs, deliveryWebhooks } from '../shared/descriptions';
import { verifiedTrigger } from '../shared/trigger';
import { gitHubTriggerProperties } from './description';
import { gitHub } from './provider';
import { GITHUB_CREDENTIAL } from './transport';

const trigger = verifiedTrigger(gitHub);

export class GitHubVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GitHub Verified Trigger',
		name: 'gitHubVerifiedTrigger',
		icon: { light: 'file:../../icons/github.svg', dark: 'file:../../icons/github.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["scope"] === "organization" ? $parameter["owner"] : $parameter["owner"] + "/" + $parameter["repository"]) + ": " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on GitHub repository or organization events: registers its webhook, verifies every signature, drops redeliveries',
		defaults: { name: 'GitHub Verified Trigger' },
		inputs: [],
		outputs: deliveryOutputs,
		credentials: [
			{ name: GITHUB_CREDENTIAL, required: true },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: gitHubTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Start-up and periodic endpoint checks (see shared/endpointWatch.ts). */
	trigger = trigger.trigger;
}
