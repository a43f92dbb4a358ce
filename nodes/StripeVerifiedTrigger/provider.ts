import { splitSecrets } from '../shared/delivery';
import { jsonEvent } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import { stripeSignature } from './signature';
import { DEFAULT_STRIPE_API_BASE_URL, STRIPE_CREDENTIAL, StripeEndpointApi } from './transport';

interface StripeCredential {
	secretKey: string;
	signingSecrets?: string;
	baseUrl?: string;
}

/** Stripe: endpoints registered through the API, which issues the signing secret; retries for 3 days. */
export const stripe: TriggerDeclaration<StripeCredential> = {
	provider: 'stripe',
	credential: STRIPE_CREDENTIAL,
	dedupHours: 72,
	secretName: 'Stripe signing secret',
	events: { parameter: 'events', wildcard: true },
	configuredSecrets: ({ signingSecrets }) => splitSecrets(signingSecrets),
	secretProblem: (secret) =>
		secret.startsWith('whsec_')
			? undefined
			: 'does not start with whsec_, as every Stripe signing secret does (is it the Secret Key?)',
	sealingKey: ({ secretKey }) => secretKey,
	verify: (delivery) => verifySignedHeader(stripeSignature, delivery),
	parse(rawBody) {
		const event = jsonEvent(rawBody, { id: 'id', type: 'type' });
		if (typeof event === 'string') return event;
		return { ...event, details: { livemode: event.payload.livemode === true } };
	},
	endpoint(context, { baseUrl }) {
		const workflow = context.getWorkflow();
		const options = context.getNodeParameter('options', {}) as {
			apiVersion?: string;
			connect?: boolean;
		};
		const api = new StripeEndpointApi(context, baseUrl || DEFAULT_STRIPE_API_BASE_URL, {
			description: `n8n workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${context.getNode().name}"`,
			apiVersion: options.apiVersion || undefined,
			connect: options.connect === true,
			workflowId: workflow.id ?? '',
		});
		return { api };
	},
};
