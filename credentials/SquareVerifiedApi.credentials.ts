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

const SQUARE_ENVIRONMENTS = [
	{ name: 'Sandbox', value: 'sandbox', url: 'https://connect.squareupsandbox.com' },
	{ name: 'Production', value: 'production', url: 'https://connect.squareup.com' },
];

export class SquareVerifiedApi implements ICredentialType {
	name = 'squareVerifiedApi';

	displayName = 'Square (Verified Webhooks) API';

	icon = { light: 'file:../icons/square.svg', dark: 'file:../icons/square.dark.svg' } as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#square';

	properties: INodeProperties[] = [
		secretField(
			'Access Token',
			'accessToken',
			"The application's personal access token (Developer Console → Credentials), of the chosen environment. Webhook subscriptions cannot be managed with a seller's OAuth token. Also seals the signature key Square returns.",
			{ required: true },
		),
		...environmentFields(SQUARE_ENVIRONMENTS, 'http://127.0.0.1:12117'),
		secretField(
			'Signature Keys',
			'signatureSecrets',
			'Optional. Signature keys of subscriptions you created yourself (current and previous, separated by commas or spaces). Subscriptions the trigger registers need nothing here.',
		),
	];

	authenticate: IAuthenticateGeneric = headerAuthentication(
		'Authorization',
		'accessToken',
		'Bearer ',
	);

	test: ICredentialTestRequest = {
		request: {
			baseURL: environmentBaseUrl(SQUARE_ENVIRONMENTS),
			url: '/v2/webhooks/subscriptions',
		},
		rules: refusals({
			401: 'Square rejected the Access Token (401): check it belongs to the chosen environment (sandbox or production).',
			403: "This access token cannot manage webhook subscriptions (403): use the application's personal access token (Developer Console → Credentials); a seller's OAuth token cannot manage them.",
		}),
	};
}
