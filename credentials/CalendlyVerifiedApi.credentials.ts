import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class CalendlyVerifiedApi implements ICredentialType {
	name = 'calendlyVerifiedApi';

	displayName = 'Calendly (Verified Webhooks) API';

	icon = { light: 'file:../icons/calendly.svg', dark: 'file:../icons/calendly.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#calendly';

	properties: INodeProperties[] = [
		secretField(
			'Personal Access Token',
			'accessToken',
			'A personal access token (Integrations & apps → API and webhooks) of a user on a paid plan; for organization scope, an owner or admin. Also seals the signing key the trigger generates.',
			{ required: true },
		),
		secretField(
			'Signing Keys',
			'signingSecrets',
			'Optional. Signing keys of subscriptions you created yourself (current and previous, separated by commas or spaces). Subscriptions the trigger registers need nothing here.',
		),
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.calendly.com',
			description: 'Change only for a proxy or a mock',
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
			url: '/users/me',
		},
		rules: refusals({
			401: 'Calendly rejected the Personal Access Token (401): it is wrong or was revoked.',
			403: 'Calendly refused the token (403): webhook subscriptions need a paid plan (Standard or above).',
		}),
	};
}
