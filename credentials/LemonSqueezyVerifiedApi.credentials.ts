import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class LemonSqueezyVerifiedApi implements ICredentialType {
	name = 'lemonSqueezyVerifiedApi';

	displayName = 'Lemon Squeezy (Verified Webhooks) API';

	icon = {
		light: 'file:../icons/lemonsqueezy.svg',
		dark: 'file:../icons/lemonsqueezy.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#lemon-squeezy';

	properties: INodeProperties[] = [
		secretField(
			'API Key',
			'apiKey',
			'An API key (Settings → API) of a user of the store; a test-mode key manages test-mode webhooks. Also seals the signing secret the trigger generates.',
			{ required: true },
		),
		secretField(
			'Signing Secrets',
			'signingSecrets',
			'Optional. Signing secrets of webhooks you created yourself in Lemon Squeezy (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		),
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.lemonsqueezy.com',
			description: 'Change only for a proxy or a mock',
		},
	];

	authenticate: IAuthenticateGeneric = headerAuthentication('Authorization', 'apiKey', 'Bearer ');

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/users/me',
			headers: { Accept: 'application/vnd.api+json' },
		},
		rules: refusals({
			401: 'Lemon Squeezy rejected the API Key (401): it is wrong or was deleted; test-mode and live-mode keys are separate.',
		}),
	};
}
