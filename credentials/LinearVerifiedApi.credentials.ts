import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class LinearVerifiedApi implements ICredentialType {
	name = 'linearVerifiedApi';

	displayName = 'Linear (Verified Webhooks) API';

	icon = { light: 'file:../icons/linear.svg', dark: 'file:../icons/linear.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#linear';

	properties: INodeProperties[] = [
		secretField(
			'API Key',
			'apiKey',
			'A personal API key (Settings → Security & access → Personal API keys) of a workspace admin, with the Admin permission (or full access). Also seals the signing secret the trigger generates.',
			{ required: true },
		),
		secretField(
			'Webhook Secrets',
			'webhookSecrets',
			'Optional. Signing secrets of webhooks you created yourself in Linear (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		),
		{
			displayName: 'GraphQL API URL',
			name: 'apiUrl',
			type: 'string',
			default: 'https://api.linear.app/graphql',
			description: 'Change only for a proxy or a mock',
		},
	];

	// Linear takes a personal API key as the whole Authorization header (no "Bearer").
	authenticate: IAuthenticateGeneric = headerAuthentication('Authorization', 'apiKey');

	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.apiUrl}}',
			method: 'POST',
			body: { query: '{ viewer { id } }' },
		},
		rules: refusals({
			400: "Linear rejected the API Key (400): paste a personal API key (lin_api_…) exactly as shown once in Linear's settings.",
			401: 'Linear rejected the API Key (401): it is wrong or was revoked.',
		}),
	};
}
