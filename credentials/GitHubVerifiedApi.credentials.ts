import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class GitHubVerifiedApi implements ICredentialType {
	name = 'gitHubVerifiedApi';

	displayName = 'GitHub (Verified Webhooks) API';

	icon = { light: 'file:../icons/github.svg', dark: 'file:../icons/github.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#github';

	properties: INodeProperties[] = [
		secretField(
			'Access Token',
			'accessToken',
			'A fine-grained token with "Webhooks: Read and write" on the repository (or organization), or a classic token with admin:repo_hook (admin:org_hook for organization hooks). Also seals the webhook secret the trigger generates.',
			{ required: true },
		),
		secretField(
			'Webhook Secrets',
			'webhookSecrets',
			'Optional. Secrets of webhooks you created yourself in GitHub (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		),
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.github.com',
			description: 'For GitHub Enterprise Server: https://YOUR-HOST/api/v3',
		},
	];

	authenticate: IAuthenticateGeneric = headerAuthentication(
		'Authorization',
		'accessToken',
		'Bearer ',
	);

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/user',
		},
		rules: refusals({
			401: 'GitHub rejected the Access Token (401): it is wrong, expired or revoked. Create a new one.',
			403: 'GitHub refused the Access Token (403): it may be rate limited or blocked by an organization policy (SSO authorization, token lifetime).',
		}),
	};
}
