import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { previousSecretField, secretField } from './common';

export class SignedWebhookVerifiedApi implements ICredentialType {
	name = 'signedWebhookVerifiedApi';

	displayName = 'Signed Webhook Secret API';

	icon = {
		light: 'file:../icons/signed-webhook.svg',
		dark: 'file:../icons/signed-webhook.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#signed-webhook';

	properties: INodeProperties[] = [
		secretField(
			'Secret',
			'secret',
			"The webhook's signing secret or token, as the provider shows it (the node's preset says how it is decoded)",
			{ required: true },
		),
		previousSecretField('Previous Secret', 'previousSecret'),
	];
}
