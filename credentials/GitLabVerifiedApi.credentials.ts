import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class GitLabVerifiedApi implements ICredentialType {
	name = 'gitLabVerifiedApi';

	displayName = 'GitLab (Verified Webhooks) API';

	icon = { light: 'file:../icons/gitlab.svg', dark: 'file:../icons/gitlab.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#gitlab';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A personal, project or group access token with the api scope, of a Maintainer of the project (Owner of the group for group hooks). Also seals the secret token the trigger generates.',
		},
		{
			displayName: 'Secret Tokens',
			name: 'secretTokens',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Secret tokens of webhooks you added yourself in GitLab (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		},
		{
			displayName: 'GitLab URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gitlab.com',
			description: 'For a self-managed instance: https://YOUR-HOST',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'PRIVATE-TOKEN': '={{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v4/user',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'GitLab rejected the Access Token (401): it is wrong, expired or revoked, or lacks the api scope.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'GitLab refused the Access Token (403): give it the api scope.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						"No GitLab API at the GitLab URL (404): use the instance's address, e.g. https://gitlab.com.",
				},
			},
		],
	};
}
