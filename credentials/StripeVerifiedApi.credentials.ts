import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class StripeVerifiedApi implements ICredentialType {
	name = 'stripeVerifiedApi';

	displayName = 'Stripe (Verified Webhooks) API';

	icon = { light: 'file:../icons/stripe.svg', dark: 'file:../icons/stripe.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#stripe';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk_live_… or rk_live_…',
			description:
				'A secret key, or a restricted key with the "Webhook Endpoints: Write" permission. Used to register and remove the webhook endpoint, and to seal the signing secret Stripe returns.',
		},
		{
			displayName: 'Signing Secrets',
			name: 'signingSecrets',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'Optional. Signing secrets (whsec_…) of endpoints you created yourself in the Stripe dashboard, separated by commas or spaces. Endpoints the trigger registers need nothing here.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.stripe.com',
			description: 'Change only to go through a proxy or a Stripe API mock',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.secretKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/webhook_endpoints',
			qs: { limit: 1 },
		},
	};
}
