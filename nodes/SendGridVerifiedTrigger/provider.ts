import type { IDataObject } from 'n8n-workflow';

import { splitSecrets, type ParsedEvent } from '../shared/delivery';
import { textField } from '../shared/json';
import { readPublicKey, verifyPublicKey } from '../shared/publicKey';
import { verifySignedHeader } from '../shared/signature';
import type { TriggerDeclaration } from '../shared/trigger';
import events from './events.json';
import { sendGridSignature } from './signature';
import { SENDGRID_API_BASE_URLS, SENDGRID_CREDENTIAL, SendGridEventWebhookApi } from './transport';

interface SendGridCredential {
	apiKey: string;
	environment?: 'global' | 'eu' | 'custom';
	baseUrl?: string;
	verificationKeys?: string;
}

function apiBaseUrl({ environment, baseUrl }: SendGridCredential): string {
	if (environment === 'custom' && baseUrl) return baseUrl;
	return environment === 'eu' ? SENDGRID_API_BASE_URLS.eu : SENDGRID_API_BASE_URLS.global;
}

/** One element of the batch as an event: its `sg_event_id` and `event`, or why it is not one. */
function toEvent(element: unknown, index: number): ParsedEvent | string {
	if (typeof element !== 'object' || element === null || Array.isArray(element))
		return `element ${index} of the batch is not an object`;
	const payload = element as IDataObject;
	const id = textField(payload, 'sg_event_id');
	const type = textField(payload, 'event');
	if (!id) return `element ${index} of the batch has no sg_event_id`;
	if (!type) return `element ${index} of the batch has no event`;
	return {
		id,
		type,
		payload,
		details: { messageId: textField(payload, 'sg_message_id') ?? null },
	};
}

/**
 * SendGrid's Signed Event Webhook: a webhook per workflow registered through the API, which switches on
 * signing and issues the webhook's ECDSA public key (not a secret, but stored sealed like the others, and
 * pinned to that webhook). A delivery is a batch of events, deduplicated one by one on `sg_event_id`.
 */
export const sendGrid: TriggerDeclaration<SendGridCredential> = {
	provider: 'sendgrid',
	credential: SENDGRID_CREDENTIAL,
	// SendGrid retries a failed batch for 24 hours.
	dedupHours: 25,
	secretName: 'SendGrid verification key (public key)',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ verificationKeys }) => splitSecrets(verificationKeys),
	secretProblem(secret) {
		const key = readPublicKey(secret);
		return typeof key === 'string' ? key : undefined;
	},
	sealingKey: ({ apiKey }) => apiKey,
	verify({ secrets, ...delivery }) {
		const keys = secrets
			.map(readPublicKey)
			.filter((key): key is Exclude<typeof key, string> => typeof key !== 'string');
		// No usable key (none parses) is verifyPublicKey's no_secret, with the header's diagnostics.
		return verifySignedHeader(sendGridSignature, {
			...delivery,
			secrets: [],
			checkSignatures: (signedContent, candidates) =>
				verifyPublicKey({ keys, signedContent, candidates }),
		});
	},
	parse(rawBody) {
		let batch: unknown;
		try {
			batch = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return 'the body is not JSON';
		}
		if (!Array.isArray(batch)) return 'the body is not a JSON array of events';
		if (batch.length === 0) return { acknowledge: 'empty batch' };
		const parsed = batch.map(toEvent);
		const problem = parsed.find((event): event is string => typeof event === 'string');
		return problem ?? (parsed as ParsedEvent[]);
	},
	endpoint(context, credential) {
		const workflow = context.getWorkflow();
		const api = new SendGridEventWebhookApi(
			context,
			apiBaseUrl(credential),
			`workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${context.getNode().name}"`,
		);
		return { api };
	},
};
