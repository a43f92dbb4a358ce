import type { IDataObject } from 'n8n-workflow';

import type { ParsedEvent } from '../shared/delivery';
import { textField } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { PRESETS } from '../SignedWebhookTrigger/presets';
import { bodyValue, signatureForm, verifyScheme } from '../SignedWebhookTrigger/scheme';
import events from './events.json';
import { TWILIO_CREDENTIAL, TWILIO_EVENTS_BASE_URL, TwilioEventStreamsApi } from './transport';

interface TwilioCredential {
	accountSid: string;
	authToken: string;
	previousAuthToken?: string;
	environment?: 'twilio' | 'custom';
	baseUrl?: string;
}

/**
 * Twilio's request signature, as the Signed Webhook trigger's Twilio preset checks it: `X-Twilio-Signature` is the
 * base64 HMAC-SHA1 of the URL Twilio called under the account's Auth Token; Event Streams post JSON and put
 * `?bodySHA256=<hex SHA-256 of the body>` into that URL, so the body is bound through it.
 */
const TWILIO_SCHEME = PRESETS.twilio.config;

/** One CloudEvent of an Event Streams delivery, or why it is not one. */
function toEvent(element: unknown, index: number): ParsedEvent | string {
	if (typeof element !== 'object' || element === null || Array.isArray(element))
		return `element ${index} of the delivery is not a CloudEvent object`;
	const payload = element as IDataObject;
	const id = textField(payload, 'id');
	const type = textField(payload, 'type');
	if (!id || !type) return `element ${index} of the delivery has no CloudEvent id or type`;
	return {
		id,
		type,
		payload,
		details: {
			source: textField(payload, 'source') ?? null,
			time: textField(payload, 'time') ?? null,
		},
	};
}

/**
 * Twilio Event Streams: a webhook sink for n8n's URL and a subscription of it to the selected event types,
 * registered through the Events API with the account's credentials. Deliveries are signed with the Auth Token
 * (the credential's, not one Twilio issues per sink); each CloudEvent is deduplicated on its `id`.
 */
export const twilio: TriggerDeclaration<TwilioCredential> = {
	provider: 'twilio',
	credential: TWILIO_CREDENTIAL,
	// Event Streams retries a failed delivery for up to 4 hours.
	dedupHours: 5,
	secretName: 'Twilio Auth Token',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ authToken, previousAuthToken }) => [authToken, previousAuthToken],
	verify({ rawBody, headers, secrets, calledUrl, query, nowSeconds }) {
		const verdict = verifyScheme(
			TWILIO_SCHEME,
			{
				rawBody,
				headers,
				query: query ?? {},
				method: 'POST',
				url: calledUrl ?? '',
				json: () => bodyValue(TWILIO_SCHEME, { rawBody, query: query ?? {} }),
			},
			secrets,
			nowSeconds,
		);
		return verdict.ok ? verdict : { ...signatureForm(TWILIO_SCHEME), ...verdict };
	},
	parse(rawBody) {
		let body: unknown;
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return 'the body is not JSON (Event Streams sends CloudEvents as JSON)';
		}
		if (!Array.isArray(body)) return toEvent(body, 0);
		if (body.length === 0) return 'the delivery holds no CloudEvent';
		const parsed = body.map(toEvent);
		const problem = parsed.find((event): event is string => typeof event === 'string');
		return problem ?? (parsed as ParsedEvent[]);
	},
	endpoint(context, credential) {
		const workflow = context.getWorkflow();
		const base =
			credential.environment === 'custom' && credential.baseUrl
				? credential.baseUrl
				: TWILIO_EVENTS_BASE_URL;
		return {
			api: new TwilioEventStreamsApi(
				context,
				base,
				`workflow ${workflow.id ?? 'unsaved'}, node ${context.getNode().name}`,
			),
		};
	},
};
