import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { environmentBaseUrl, environmentFields, refusals, secretField } from './common';

const PAYPAL_ENVIRONMENTS = [
	{ name: 'Sandbox', value: 'sandbox', url: 'https://api-m.sandbox.paypal.com' },
	{ name: 'Live', value: 'production', url: 'https://api-m.paypal.com' },
];

export class PayPalVerifiedApi implements ICredentialType {
	name = 'payPalVerifiedApi';

	displayName = 'PayPal (Verified Webhooks) API';

	icon = { light: 'file:../icons/paypal.svg', dark: 'file:../icons/paypal.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#paypal';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description:
				"The REST app's Client ID (Developer Dashboard → Apps & Credentials), of the chosen environment",
		},
		secretField(
			'Secret',
			'clientSecret',
			"The REST app's Secret. Webhooks are managed with an access token it obtains; it also seals the webhook ID PayPal issues.",
			{ required: true },
		),
		...environmentFields(PAYPAL_ENVIRONMENTS, 'http://127.0.0.1:12123'),
		{
			// Not a secret (PayPal shows it next to the webhook), so not masked.
			displayName: 'Webhook IDs',
			name: 'webhookIds',
			type: 'string',
			default: '',
			description:
				'Optional. IDs of webhooks you created yourself in the Developer Dashboard (separated by commas or spaces): every PayPal signature covers its webhook ID. Webhooks the trigger registers need nothing here.',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: environmentBaseUrl(PAYPAL_ENVIRONMENTS),
			url: '/v1/oauth2/token',
			method: 'POST',
			auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' },
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		},
		rules: refusals({
			401: "PayPal rejected the Client ID and Secret (401): check they are the REST app's, of the chosen environment (sandbox or live).",
		}),
	};
}
