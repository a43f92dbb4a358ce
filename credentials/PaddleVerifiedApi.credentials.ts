import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class PaddleVerifiedApi implements ICredentialType {
	name = 'paddleVerifiedApi';

	displayName = 'Paddle Billing (Verified Webhooks) API';

	icon = { light: 'file:../icons/paddle.svg', dark: 'file:../icons/paddle.dark.svg' } as const;

	documentationUrl =
		'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#paddle-billing';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Paddle Billing API key with the "Notification settings: Write" permission. Also seals the endpoint secret key Paddle returns.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: 'https://sandbox-api.paddle.com' },
				{ name: 'Live', value: 'live', description: 'https://api.paddle.com' },
				{ name: 'Custom', value: 'custom', description: 'A proxy or a mock' },
			],
			default: 'sandbox',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:12113',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Endpoint Secret Keys',
			name: 'endpointSecretKeys',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Secret keys (pdl_ntfset_…) of notification destinations you created yourself, separated by commas or spaces. Destinations the trigger registers need nothing here.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.environment === "live" ? "https://api.paddle.com" : $credentials.environment === "custom" ? $credentials.baseUrl : "https://sandbox-api.paddle.com" }}',
			url: '/notification-settings',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Paddle rejected the API Key (401): check it belongs to the chosen environment (sandbox keys do not work live, and the other way round).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'This API key cannot read notification settings (403): give the key the Notification settings: Write permission.',
				},
			},
		],
	};
}
