import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { splitSecrets } from '../shared/delivery';
import { parseJsonObject, valueAtPath } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import events from './events.json';
import { lemonSqueezySignature } from './signature';
import {
	DEFAULT_LEMON_SQUEEZY_API_BASE_URL,
	LEMON_SQUEEZY_CREDENTIAL,
	LemonSqueezyWebhookApi,
} from './transport';

interface LemonSqueezyCredential {
	apiKey: string;
	signingSecrets?: string;
	baseUrl?: string;
}

const text = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * Lemon Squeezy: store webhooks registered through the API with a secret we generate. No event id is sent:
 * the id is the event name, the resource and its last change, which a retry repeats byte for byte.
 */
export const lemonSqueezy: TriggerDeclaration<LemonSqueezyCredential> = {
	provider: 'lemonSqueezy',
	credential: LEMON_SQUEEZY_CREDENTIAL,
	// Lemon Squeezy retries 3 times within about 3 minutes; 24 hours also covers a resend from the dashboard.
	dedupHours: 24,
	secretName: 'Lemon Squeezy signing secret',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ signingSecrets }) => splitSecrets(signingSecrets),
	sealingKey: ({ apiKey }) => apiKey,
	verify: ({ rawBody, headers, secrets }) =>
		verifySignedHeader(lemonSqueezySignature, { rawBody, headers, secrets }),
	parse(rawBody) {
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		// The event name is read from the signed body: the X-Event-Name header is not signed.
		const type = text(valueAtPath(payload, 'meta.event_name'));
		const resource = text(valueAtPath(payload, 'data.type'));
		const resourceId = text(valueAtPath(payload, 'data.id'));
		if (!type) return 'the event has no meta.event_name';
		if (!resource || !resourceId) return 'the event has no data.type or data.id';
		const changed =
			text(valueAtPath(payload, 'data.attributes.updated_at')) ??
			text(valueAtPath(payload, 'data.attributes.created_at')) ??
			'';
		const meta = (payload.meta ?? {}) as IDataObject;
		return {
			id: `${type}:${resource}:${resourceId}:${changed}`,
			type,
			payload,
			details: {
				resource,
				resourceId,
				testMode: meta.test_mode === true,
				webhookId: text(meta.webhook_id) ?? null,
			},
		};
	},
	endpoint(context, { baseUrl }) {
		const storeId = String(context.getNodeParameter('storeId', '')).trim();
		if (!/^\d+$/.test(storeId)) {
			throw new NodeOperationError(
				context.getNode(),
				'Store ID must be the numeric ID of a store',
				{
					description:
						'Set the Store ID parameter to the number shown in Lemon Squeezy under Settings → Stores (e.g. 12345).',
				},
			);
		}
		const options = context.getNodeParameter('options', {}) as { testMode?: boolean };
		const api = new LemonSqueezyWebhookApi(context, baseUrl || DEFAULT_LEMON_SQUEEZY_API_BASE_URL, {
			storeId,
			testMode: options.testMode === true,
		});
		return { api };
	},
};
