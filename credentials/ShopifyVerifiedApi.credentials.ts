import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, previousSecretField, refusals, secretField } from './common';

export class ShopifyVerifiedApi implements ICredentialType {
	name = 'shopifyVerifiedApi';

	displayName = 'Shopify (Verified Webhooks) API';

	icon = { light: 'file:../icons/shopify.svg', dark: 'file:../icons/shopify.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#shopify';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domain',
			name: 'shopDomain',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'your-shop.myshopify.com',
		},
		secretField(
			'Admin API Access Token',
			'accessToken',
			"The app's Admin API access token for this shop, with read access to the chosen topics' resources",
			{ required: true, placeholder: 'shpat_…' },
		),
		secretField(
			'Client Secret',
			'clientSecret',
			"The app's client secret (API secret key): Shopify signs every webhook with it",
			{ required: true },
		),
		previousSecretField('Previous Client Secret', 'previousClientSecret'),
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-shop.myshopify.com',
			description:
				'Optional. Leave empty to use the shop domain; set it only for a proxy or a mock.',
		},
	];

	authenticate: IAuthenticateGeneric = headerAuthentication(
		'X-Shopify-Access-Token',
		'accessToken',
	);

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.apiBaseUrl || "https://" + $credentials.shopDomain }}',
			url: '/admin/api/2025-07/graphql.json',
			method: 'POST',
			body: { query: '{ shop { name } }' },
		},
		rules: refusals({
			401: 'Shopify rejected the Admin API access token (401): it is wrong, or the app was uninstalled from this shop.',
			403: "The app's token lacks a scope Shopify needs for this request (403).",
			404: "No shop answered at this Shop Domain (404): use the shop's myshopify.com domain, e.g. my-shop.myshopify.com.",
		}),
	};
}
