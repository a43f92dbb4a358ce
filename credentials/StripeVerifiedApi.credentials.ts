import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, refusals, secretField } from './common';

export class StripeVerifiedApi implements ICredentialType {
	name = 'stripeVerifiedApi';

	displayName = 'Stripe (Verified Webhooks) API';

	icon = { light: 'file:../icons/stripe.svg', dark: 'file:../icons/stripe.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#stripe';

	properties: INodeProperties[] = [
		secretField(
			'Secret Key',
			'secretKey',
			'A secret key, or a restricted key with the "Webhook Endpoints: Write" permission. Used to register and remove the webhook endpoint, and to seal the signing secret Stripe returns.',
			{ required: true, placeholder: 'sk_live_… or rk_live_…' },
		),
		secretField(
			'Signing Secrets',
			'signingSecrets',
			'Optional. Signing secrets (whsec_…) of endpoints you created yourself in the Stripe dashboard, separated by commas or spaces. Endpoints the trigger registers need nothing here.',
			{ placeholder: 'whsec_…' },
		),
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.stripe.com',
			description: 'Change only to go through a proxy or a Stripe API mock',
		},
	];

	authenticate: IAuthenticateGeneric = headerAuthentication(
		'Authorization',
		'secretKey',
		'Bearer ',
	);

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/webhook_endpoints',
			qs: { limit: 1 },
		},
		rules: refusals({
			401: 'Stripe rejected the Secret Key (401): use a secret key (sk_…) or restricted key (rk_…) of the mode you want (test or live), not a publishable key, and check it was not rolled.',
			403: 'This key cannot read webhook endpoints (403): give the restricted key the Webhook Endpoints: Write permission.',
			404: 'No Stripe API at the API Base URL (404): leave it at https://api.stripe.com unless you use a proxy.',
		}),
	};
}
