import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { refusals, secretField } from './common';

export class WooCommerceVerifiedApi implements ICredentialType {
	name = 'wooCommerceVerifiedApi';

	displayName = 'WooCommerce (Verified Webhooks) API';

	icon = {
		light: 'file:../icons/woocommerce.svg',
		dark: 'file:../icons/woocommerce.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#woocommerce';

	properties: INodeProperties[] = [
		{
			displayName: 'Store URL',
			name: 'url',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://shop.example.com',
			description:
				'The address of the WordPress site running WooCommerce, over HTTPS (the REST API keys are sent with HTTP Basic authentication)',
		},
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			required: true,
			default: '',
			description:
				'A REST API key with Read/Write permission (WooCommerce → Settings → Advanced → REST API), of a shop manager or administrator',
		},
		secretField(
			'Consumer Secret',
			'consumerSecret',
			"The key's consumer secret. Also seals the webhook secret the trigger generates.",
			{ required: true },
		),
		secretField(
			'Signing Secrets',
			'signingSecrets',
			'Optional. Secrets of webhooks you created yourself in WooCommerce (current and previous, separated by commas or spaces). Webhooks the trigger registers need nothing here.',
		),
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.consumerKey}}',
				password: '={{$credentials.consumerSecret}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}/wp-json/wc/v3',
			url: '/webhooks',
			qs: { per_page: 1 },
		},
		rules: refusals({
			401: 'WooCommerce rejected the Consumer Key and Secret (401): check both, and that the key has Read/Write permission. If they are right, the web server drops the Authorization header before WordPress sees it.',
			403: "The key's user cannot manage WooCommerce (403): create the key for a shop manager or administrator.",
			404: "No WooCommerce REST API at the Store URL (404): use the site's address without /wp-json, and check that WooCommerce is active and permalinks are not Plain.",
		}),
	};
}
