import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class TypeformVerifiedApi implements ICredentialType {
	name = 'typeformVerifiedApi';

	displayName = 'Typeform (Verified Webhooks) API';

	icon = { light: 'file:../icons/typeform.svg', dark: 'file:../icons/typeform.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#typeform';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A personal access token (Account → Your settings → Personal tokens) with the webhooks:read and webhooks:write scopes (and accounts:read for the credential test). Also seals the webhook secret the trigger generates.',
		},
		{
			displayName: 'Webhook Secrets',
			name: 'webhookSecrets',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Secrets of webhooks you added yourself in Typeform (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.typeform.com',
			description: "For an account in Typeform's EU data center: https://api.eu.typeform.com",
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
			url: '/me',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Typeform rejected the Personal Access Token (401): it is wrong or was revoked.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Typeform refused the token (403): it needs the webhooks:read and webhooks:write scopes (and accounts:read for this test).',
				},
			},
		],
	};
}
