import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class TypeformVerifiedApi implements ICredentialType {
	name = 'typeformVerifiedApi';

	displayName = 'Typeform (Verified Webhooks) API';

	icon = { light: 'file:../icons/typeform.svg', dark: 'file:../icons/typeform.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#typeform';

	properties: INodeProperties[] = [
		secretField(
			'Access Token',
			'accessToken',
			'A personal access token (Account → Your settings → Personal tokens) with the webhooks:read and webhooks:write scopes (and accounts:read for the credential test). Also seals the webhook secret the trigger generates.',
			{ required: true },
		),
		secretField(
			'Webhook Secrets',
			'webhookSecrets',
			'Optional. Secrets of webhooks you added yourself in Typeform (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		),
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.typeform.com',
			description: "For an account in Typeform's EU data center: https://api.eu.typeform.com",
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
			url: '/me',
		},
		rules: refusals({
			401: 'Typeform rejected the Personal Access Token (401): it is wrong or was revoked.',
			403: 'Typeform refused the token (403): it needs the webhooks:read and webhooks:write scopes (and accounts:read for this test).',
		}),
	};
}
