import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	environmentBaseUrl,
	environmentFields,
	headerAuthentication,
	refusals,
	secretField,
} from './common';

const PADDLE_ENVIRONMENTS = [
	{ name: 'Sandbox', value: 'sandbox', url: 'https://sandbox-api.paddle.com' },
	{ name: 'Live', value: 'live', url: 'https://api.paddle.com' },
];

export class PaddleVerifiedApi implements ICredentialType {
	name = 'paddleVerifiedApi';

	displayName = 'Paddle Billing (Verified Webhooks) API';

	icon = { light: 'file:../icons/paddle.svg', dark: 'file:../icons/paddle.dark.svg' } as const;

	documentationUrl =
		'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#paddle-billing';

	properties: INodeProperties[] = [
		secretField(
			'API Key',
			'apiKey',
			'A Paddle Billing API key with the "Notification settings: Write" permission. Also seals the endpoint secret key Paddle returns.',
			{ required: true },
		),
		...environmentFields(PADDLE_ENVIRONMENTS, 'http://127.0.0.1:12113'),
		secretField(
			'Endpoint Secret Keys',
			'endpointSecretKeys',
			'Optional. Secret keys (pdl_ntfset_…) of notification destinations you created yourself, separated by commas or spaces. Destinations the trigger registers need nothing here.',
		),
	];

	authenticate: IAuthenticateGeneric = headerAuthentication('Authorization', 'apiKey', 'Bearer ');

	test: ICredentialTestRequest = {
		request: {
			baseURL: environmentBaseUrl(PADDLE_ENVIRONMENTS),
			url: '/notification-settings',
		},
		rules: refusals({
			401: 'Paddle rejected the API Key (401): check it belongs to the chosen environment (sandbox keys do not work live, and the other way round).',
			403: 'This API key cannot read notification settings (403): give the key the Notification settings: Write permission.',
		}),
	};
}
