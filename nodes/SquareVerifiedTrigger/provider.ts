import { splitSecrets } from '../shared/delivery';
import { jsonEvent, textField, valueAtPath } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import events from './events.json';
import { squareSignature } from './signature';
import { SQUARE_API_BASE_URLS, SQUARE_CREDENTIAL, SquareSubscriptionApi } from './transport';

interface SquareCredential {
	accessToken: string;
	environment?: 'production' | 'sandbox' | 'custom';
	baseUrl?: string;
	signatureSecrets?: string;
}

function apiBaseUrl({ environment, baseUrl }: SquareCredential): string {
	if (environment === 'custom' && baseUrl) return baseUrl;
	return environment === 'production'
		? SQUARE_API_BASE_URLS.production
		: SQUARE_API_BASE_URLS.sandbox;
}

/** Square: webhook subscriptions of the application, registered through the API, which issues the signature key. */
export const square: TriggerDeclaration<SquareCredential> = {
	provider: 'square',
	credential: SQUARE_CREDENTIAL,
	dedupHours: 72,
	secretName: 'Square signature key',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ signatureSecrets }) => splitSecrets(signatureSecrets),
	sealingKey: ({ accessToken }) => accessToken,
	verify: ({ rawBody, headers, secrets, url }) =>
		verifySignedHeader(squareSignature, { rawBody, headers, secrets, url }),
	parse(rawBody) {
		const event = jsonEvent(rawBody, { id: 'event_id', type: 'type' });
		if (typeof event === 'string') return event;
		const objectId = valueAtPath(event.payload, 'data.id');
		return {
			...event,
			details: {
				merchantId: textField(event.payload, 'merchant_id') ?? null,
				objectId: typeof objectId === 'string' ? objectId : null,
			},
		};
	},
	endpoint(context, credential) {
		const workflow = context.getWorkflow();
		const api = new SquareSubscriptionApi(
			context,
			apiBaseUrl(credential),
			`workflow ${workflow.id ?? 'unsaved'}, node ${context.getNode().name}`,
		);
		return { api };
	},
};
