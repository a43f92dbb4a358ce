import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class GitHubVerifiedApi implements ICredentialType {
	name = 'gitHubVerifiedApi';

	displayName = 'GitHub (Verified Webhooks) API';

	icon = { light: 'file:../icons/github.svg', dark: 'file:../icons/github.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#github';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A fine-grained token with "Webhooks: Read and write" on the repository (or organization), or a classic token with admin:repo_hook (admin:org_hook for organization hooks). Also seals the webhook secret the trigger generates.',
		},
		{
			displayName: 'Webhook Secrets',
			name: 'webhookSecrets',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Secrets of webhooks you created yourself in GitHub (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.github.com',
			description: 'For GitHub Enterprise Server: https://YOUR-HOST/api/v3',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/user',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'GitHub rejected the Access Token (401): it is wrong, expired or revoked. Create a new one.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'GitHub refused the Access Token (403): it may be rate limited or blocked by an organization policy (SSO authorization, token lifetime).',
				},
			},
		],
	};
}
