import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CalendlyVerifiedApi implements ICredentialType {
	name = 'calendlyVerifiedApi';

	displayName = 'Calendly (Verified Webhooks) API';

	icon = { light: 'file:../icons/calendly.svg', dark: 'file:../icons/calendly.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#calendly';

	properties: INodeProperties[] = [
		{
			displayName: 'Personal Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A personal access token (Integrations & apps → API and webhooks) of a user on a paid plan; for organization scope, an owner or admin. Also seals the signing key the trigger generates.',
		},
		{
			displayName: 'Signing Keys',
			name: 'signingSecrets',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Signing keys of subscriptions you created yourself (current and previous, separated by commas or spaces). Subscriptions the trigger registers need nothing here.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.calendly.com',
			description: 'Change only for a proxy or a mock',
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
			url: '/users/me',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Calendly rejected the Personal Access Token (401): it is wrong or was revoked.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Calendly refused the token (403): webhook subscriptions need a paid plan (Standard or above).',
				},
			},
		],
	};
}
