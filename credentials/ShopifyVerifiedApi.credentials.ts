import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'shpat_…',
			description:
				"The app's Admin API access token for this shop, with read access to the chosen topics' resources",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: "The app's client secret (API secret key): Shopify signs every webhook with it",
		},
		{
			displayName: 'Previous Client Secret',
			name: 'previousClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. While rotating the client secret, deliveries signed with this one are accepted too.',
		},
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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Shopify-Access-Token': '={{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.apiBaseUrl || "https://" + $credentials.shopDomain }}',
			url: '/admin/api/2025-07/graphql.json',
			method: 'POST',
			body: { query: '{ shop { name } }' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Shopify rejected the Admin API access token (401): it is wrong, or the app was uninstalled from this shop.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: "The app's token lacks a scope Shopify needs for this request (403).",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						"No shop answered at this Shop Domain (404): use the shop's myshopify.com domain, e.g. my-shop.myshopify.com.",
				},
			},
		],
	};
}
