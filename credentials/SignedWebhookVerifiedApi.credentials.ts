import type { ICredentialType, INodeProperties } from 'n8n-workflow';

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
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The webhook's signing secret or token, as the provider shows it (the node's preset says how it is decoded)",
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. While the secret is rotated, deliveries signed with this one are accepted too.',
		},
	];
}
