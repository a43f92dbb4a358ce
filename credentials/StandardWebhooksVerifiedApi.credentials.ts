import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { previousSecretField, secretField } from './common';

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
		secretField(
			'Signing Secret',
			'signingSecret',
			"The endpoint's signing secret from the sender's dashboard (Svix, Resend, Clerk, …): whsec_… for v1 (HMAC) signatures, or the sender's public key whpk_… for v1a (Ed25519) signatures",
			{ required: true, placeholder: 'whsec_… or whpk_…' },
		),
		previousSecretField('Previous Signing Secret', 'previousSigningSecret'),
	];
}
