import { splitSecrets } from '../shared/delivery';
import { jsonEvent } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import events from './events.json';
import { verifySignedHeader } from '../shared/signature';
import { paddleSignature } from './signature';
import { PADDLE_API_BASE_URLS, PADDLE_CREDENTIAL, PaddleNotificationApi } from './transport';

interface PaddleCredential {
	apiKey: string;
	environment?: 'live' | 'sandbox' | 'custom';
	baseUrl?: string;
	endpointSecretKeys?: string;
}

function apiBaseUrl({ environment, baseUrl }: PaddleCredential): string {
	if (environment === 'custom' && baseUrl) return baseUrl;
	return environment === 'live' ? PADDLE_API_BASE_URLS.live : PADDLE_API_BASE_URLS.sandbox;
}

/** Paddle Billing: notification destinations registered through the API, which issues the endpoint secret key. */
export const paddle: TriggerDeclaration<PaddleCredential> = {
	provider: 'paddle',
	credential: PADDLE_CREDENTIAL,
	dedupHours: 72,
	secretName: 'Paddle endpoint secret key',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ endpointSecretKeys }) => splitSecrets(endpointSecretKeys),
	sealingKey: ({ apiKey }) => apiKey,
	verify: (delivery) => verifySignedHeader(paddleSignature, delivery),
	parse(rawBody) {
		const event = jsonEvent(rawBody, { id: 'event_id', type: 'event_type', what: 'notification' });
		if (typeof event === 'string') return event;
		const { notification_id: notificationId, occurred_at: occurredAt } = event.payload;
		return {
			...event,
			details: { notificationId: notificationId ?? null, occurredAt: occurredAt ?? null },
		};
	},
	endpoint(context, credential) {
		const workflow = context.getWorkflow();
		const api = new PaddleNotificationApi(
			context,
			apiBaseUrl(credential),
			`workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${context.getNode().name}"`,
		);
		return { api };
	},
};
