import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class StandardWebhooksVerifiedApi implements ICredentialType {
	name = 'standardWebhooksVerifiedApi';

	displayName = 'Standard Webhooks Signing Secret API';

	icon = {
		light: 'file:../icons/standard-webhooks.svg',
		dark: 'file:../icons/standard-webhooks.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#standard-webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'whsec_…',
			description:
				"The endpoint's signing secret from the sender's dashboard (Svix, Resend, Clerk, …)",
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. While the secret is rotated, deliveries signed with this one are accepted too.',
		},
	];
}
