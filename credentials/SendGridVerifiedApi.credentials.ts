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

const SENDGRID_REGIONS = [
	{ name: 'Global', value: 'global', url: 'https://api.sendgrid.com' },
	{ name: 'EU', value: 'eu', url: 'https://api.eu.sendgrid.com' },
];

export class SendGridVerifiedApi implements ICredentialType {
	name = 'sendGridVerifiedApi';

	displayName = 'SendGrid (Verified Webhooks) API';

	icon = { light: 'file:../icons/sendgrid.svg', dark: 'file:../icons/sendgrid.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#sendgrid';

	properties: INodeProperties[] = [
		secretField(
			'API Key',
			'apiKey',
			'A SendGrid API key with full access to Mail Settings (it creates the Event Webhook and switches on its signing). Also seals the verification key SendGrid returns.',
			{ required: true },
		),
		...environmentFields(SENDGRID_REGIONS, 'http://127.0.0.1:12122'),
		{
			// Not masked: a public key can only verify, never sign.
			displayName: 'Verification Keys',
			name: 'verificationKeys',
			type: 'string',
			default: '',
			description:
				'Optional. The Verification Key of each Event Webhook you created yourself (a public key, base64 as SendGrid shows it), separated by commas or spaces. Webhooks the trigger registers need nothing here.',
		},
	];

	authenticate: IAuthenticateGeneric = headerAuthentication('Authorization', 'apiKey', 'Bearer ');

	test: ICredentialTestRequest = {
		request: {
			baseURL: environmentBaseUrl(SENDGRID_REGIONS),
			url: '/v3/user/webhooks/event/settings/all',
		},
		rules: refusals({
			401: 'SendGrid rejected the API Key (401): check it, and that it belongs to the chosen region.',
			403: 'This API key cannot read Event Webhook settings (403): give the key full access to Mail Settings.',
		}),
	};
}
