import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class GitLabVerifiedApi implements ICredentialType {
	name = 'gitLabVerifiedApi';

	displayName = 'GitLab (Verified Webhooks) API';

	icon = { light: 'file:../icons/gitlab.svg', dark: 'file:../icons/gitlab.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#gitlab';

	properties: INodeProperties[] = [
		secretField(
			'Access Token',
			'accessToken',
			'A personal, project or group access token with the api scope, of a Maintainer of the project (Owner of the group for group hooks). Also seals the secret token the trigger generates.',
			{ required: true },
		),
		secretField(
			'Secret Tokens',
			'secretTokens',
			'Optional. Secret tokens of webhooks you added yourself in GitLab (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		),
		{
			displayName: 'GitLab URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gitlab.com',
			description: 'For a self-managed instance: https://YOUR-HOST',
		},
	];

	authenticate: IAuthenticateGeneric = headerAuthentication('PRIVATE-TOKEN', 'accessToken');

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v4/user',
		},
		rules: refusals({
			401: 'GitLab rejected the Access Token (401): it is wrong, expired or revoked, or lacks the api scope.',
			403: 'GitLab refused the Access Token (403): give it the api scope.',
			404: "No GitLab API at the GitLab URL (404): use the instance's address, e.g. https://gitlab.com.",
		}),
	};
}
