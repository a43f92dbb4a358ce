import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SquareVerifiedApi implements ICredentialType {
	name = 'squareVerifiedApi';

	displayName = 'Square (Verified Webhooks) API';

	icon = { light: 'file:../icons/square.svg', dark: 'file:../icons/square.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#square';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The application's personal access token (Developer Console → Credentials), of the chosen environment. Webhook subscriptions cannot be managed with a seller's OAuth token. Also seals the signature key Square returns.",
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: 'https://connect.squareupsandbox.com' },
				{ name: 'Production', value: 'production', description: 'https://connect.squareup.com' },
				{ name: 'Custom', value: 'custom', description: 'A proxy or a mock' },
			],
			default: 'sandbox',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:12117',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Signature Keys',
			name: 'signatureSecrets',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Signature keys of subscriptions you created yourself (current and previous, separated by commas or spaces). Subscriptions the trigger registers need nothing here.',
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
			baseURL:
				'={{ $credentials.environment === "production" ? "https://connect.squareup.com" : $credentials.environment === "custom" ? $credentials.baseUrl : "https://connect.squareupsandbox.com" }}',
			url: '/v2/webhooks/subscriptions',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Square rejected the Access Token (401): check it belongs to the chosen environment (sandbox or production).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"This access token cannot manage webhook subscriptions (403): use the application's personal access token (Developer Console → Credentials); a seller's OAuth token cannot manage them.",
				},
			},
		],
	};
}
