import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { gitLabTriggerProperties } from './description';
import { gitLab } from './provider';
import { GITLAB_CREDENTIAL } from './transport';

export class GitLabVerifiedTrigger extends triggerNode({
	displayName: 'GitLab Verified Trigger',
	name: 'gitLabVerifiedTrigger',
	icon: 'gitlab',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on GitLab events: registers its webhook, checks every secret token, drops retried duplicates',
	properties: gitLabTriggerProperties,
	credential: GITLAB_CREDENTIAL,
	handlers: verifiedTrigger(gitLab),
}) {}
