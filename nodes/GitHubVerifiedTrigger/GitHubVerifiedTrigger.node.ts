import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { gitHubTriggerProperties } from './description';
import { gitHub } from './provider';
import { GITHUB_CREDENTIAL } from './transport';

export class GitHubVerifiedTrigger extends triggerNode({
	displayName: 'GitHub Verified Trigger',
	name: 'gitHubVerifiedTrigger',
	icon: 'github',
	subtitle:
		'={{ ($parameter["scope"] === "organization" ? $parameter["owner"] : $parameter["owner"] + "/" + $parameter["repository"]) + ": " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on GitHub repository or organization events: registers its webhook, verifies every signature, drops redeliveries',
	properties: gitHubTriggerProperties,
	credential: GITHUB_CREDENTIAL,
	handlers: verifiedTrigger(gitHub),
}) {}
