import { NodeOperationError } from 'n8n-workflow';

import { splitSecrets } from '../shared/delivery';
import { jsonEvent, valueAtPath } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import events from './events.json';
import { typeformSignature } from './signature';
import {
	DEFAULT_TYPEFORM_API_BASE_URL,
	TYPEFORM_CREDENTIAL,
	TypeformWebhookApi,
} from './transport';

interface TypeformCredential {
	accessToken: string;
	webhookSecrets?: string;
	baseUrl?: string;
}

/** Typeform: one webhook per form, registered through the Create API with a secret we generate. */
export const typeform: TriggerDeclaration<TypeformCredential> = {
	provider: 'typeform',
	credential: TYPEFORM_CREDENTIAL,
	// Typeform retries some failures for up to 10 hours; 24 hours covers them and a manual resend.
	dedupHours: 24,
	secretName: 'Typeform webhook secret',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ webhookSecrets }) => splitSecrets(webhookSecrets),
	sealingKey: ({ accessToken }) => accessToken,
	verify: ({ rawBody, headers, secrets }) =>
		verifySignedHeader(typeformSignature, { rawBody, headers, secrets }),
	parse(rawBody) {
		const event = jsonEvent(rawBody, { id: 'event_id', type: 'event_type' });
		if (typeof event === 'string') return event;
		const field = (path: string) => {
			const value = valueAtPath(event.payload, path);
			return typeof value === 'string' ? value : null;
		};
		return {
			...event,
			details: {
				formId: field('form_response.form_id'),
				responseToken: field('form_response.token'),
				submittedAt: field('form_response.submitted_at'),
			},
		};
	},
	endpoint(context, { baseUrl }) {
		const formId = String(context.getNodeParameter('formId', '')).trim();
		if (!/^[A-Za-z0-9]+$/.test(formId)) {
			throw new NodeOperationError(context.getNode(), 'Form ID must be the ID of a typeform', {
				description:
					"Set the Form ID parameter to the part after /to/ in the form's link (https://<account>.typeform.com/to/<Form ID>).",
			});
		}
		const api = new TypeformWebhookApi(context, baseUrl || DEFAULT_TYPEFORM_API_BASE_URL, formId);
		return { api };
	},
};
