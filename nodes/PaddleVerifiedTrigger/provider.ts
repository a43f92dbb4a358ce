import { splitSecrets } from '../shared/delivery';
import { parseJsonObject, textField } from '../shared/json';
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
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		const id = textField(payload, 'event_id');
		const type = textField(payload, 'event_type');
		if (!id) return 'the notification has no event_id';
		if (!type) return 'the notification has no event_type';
		return {
			id,
			type,
			payload,
			details: {
				notificationId: payload.notification_id ?? null,
				occurredAt: payload.occurred_at ?? null,
			},
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
