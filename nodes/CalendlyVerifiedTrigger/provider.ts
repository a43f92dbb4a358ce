import { splitSecrets } from '../shared/delivery';
import { parseJsonObject, textField, valueAtPath } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import events from './events.json';
import { calendlySignature } from './signature';
import {
	CALENDLY_CREDENTIAL,
	CalendlySubscriptionApi,
	DEFAULT_CALENDLY_API_BASE_URL,
} from './transport';

interface CalendlyCredential {
	accessToken: string;
	signingSecrets?: string;
	baseUrl?: string;
}

const ALL_EVENTS = events
	.map((event) => event.value)
	.filter((value) => value !== '*')
	.sort();

/**
 * Calendly: webhook subscriptions registered through API v2 with a signing key we generate. No event id is sent:
 * the id is the event, the resource it is about and its creation time, which a retry repeats byte for byte.
 */
export const calendly: TriggerDeclaration<CalendlyCredential> = {
	provider: 'calendly',
	credential: CALENDLY_CREDENTIAL,
	// Calendly retries a failed delivery for up to 24 hours.
	dedupHours: 48,
	secretName: 'Calendly webhook signing key',
	events: { parameter: 'events', wildcard: true },
	configuredSecrets: ({ signingSecrets }) => splitSecrets(signingSecrets),
	sealingKey: ({ accessToken }) => accessToken,
	verify: (delivery) => verifySignedHeader(calendlySignature, delivery),
	parse(rawBody) {
		const body = parseJsonObject(rawBody);
		if (typeof body === 'string') return body;
		const type = textField(body, 'event');
		const resource = valueAtPath(body, 'payload.uri');
		if (!type) return 'the event has no event name';
		if (typeof resource !== 'string' || !resource) return 'the event has no payload.uri';
		const createdAt = textField(body, 'created_at') ?? '';
		const scheduledEvent = valueAtPath(body, 'payload.scheduled_event.uri');
		return {
			id: `${type}:${resource}:${createdAt}`,
			type,
			payload: body,
			details: {
				resource,
				scheduledEvent: typeof scheduledEvent === 'string' ? scheduledEvent : null,
			},
		};
	},
	endpoint(context, { baseUrl }, selected) {
		const scope =
			context.getNodeParameter('scope', 'user') === 'organization' ? 'organization' : 'user';
		const api = new CalendlySubscriptionApi(
			context,
			baseUrl || DEFAULT_CALENDLY_API_BASE_URL,
			scope,
		);
		// Calendly has no wildcard; routing form submissions exist only in organization scope.
		const all =
			scope === 'organization'
				? ALL_EVENTS
				: ALL_EVENTS.filter((event) => !event.startsWith('routing_form'));
		return { api, events: selected[0] === '*' ? all : selected };
	},
};
