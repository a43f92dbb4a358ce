import { NodeOperationError } from 'n8n-workflow';

import { headerText, splitSecrets } from '../shared/delivery';
import { parseJsonObject, textField, valueAtPath } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { checkTimestamp, verifySignedHeader } from '../shared/signature';
import { reject } from '../shared/verdict';
import events from './events.json';
import { linearSignature } from './signature';
import { DEFAULT_LINEAR_API_URL, LINEAR_CREDENTIAL, LinearWebhookApi } from './transport';

interface LinearCredential {
	apiKey: string;
	webhookSecrets?: string;
	apiUrl?: string;
}

/**
 * Linear: workspace or team webhooks registered through the GraphQL API with a secret we generate. The signed
 * body's `webhookTimestamp` (ms) is checked only after the signature matched: nothing of an unverified body is read.
 */
export const linear: TriggerDeclaration<LinearCredential> = {
	provider: 'linear',
	credential: LINEAR_CREDENTIAL,
	// Linear retries a failed delivery 3 times within about 7 hours; 24 hours covers them.
	dedupHours: 24,
	secretName: 'Linear webhook signing secret',
	events: { parameter: 'resourceTypes', wildcard: true, catalogue: events },
	configuredSecrets: ({ webhookSecrets }) => splitSecrets(webhookSecrets),
	sealingKey: ({ apiKey }) => apiKey,
	verify(delivery) {
		const verdict = verifySignedHeader(linearSignature, delivery);
		if (!verdict.ok) return verdict;
		const body = parseJsonObject(delivery.rawBody);
		const sent = typeof body === 'string' ? undefined : body.webhookTimestamp;
		if (typeof sent !== 'number' || !Number.isFinite(sent))
			return reject(
				'malformed_signature',
				'the signed body has no webhookTimestamp (milliseconds)',
			);
		const stale = checkTimestamp({
			timestamp: Math.floor(sent / 1000),
			nowSeconds: delivery.nowSeconds,
			toleranceSeconds: delivery.toleranceSeconds,
		});
		return stale ?? { ...verdict, timestamp: Math.floor(sent / 1000) };
	},
	parse(rawBody, headers) {
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		const type = textField(payload, 'type');
		const action = textField(payload, 'action');
		if (!type || !action) return 'the event has no type or action';
		const objectId = valueAtPath(payload, 'data.id');
		// Linear-Delivery stays the same across Linear's retries (the signed bytes may not: webhookTimestamp).
		const id =
			headerText(headers, 'linear-delivery') ??
			`${textField(payload, 'webhookId') ?? ''}:${type}:${action}:${String(objectId ?? '')}:${textField(payload, 'createdAt') ?? ''}`;
		return {
			id,
			type,
			payload,
			details: {
				action,
				objectId: typeof objectId === 'string' ? objectId : null,
				organizationId: textField(payload, 'organizationId') ?? null,
			},
		};
	},
	endpoint(context, { apiUrl }) {
		const teamId = String(context.getNodeParameter('teamId', '')).trim();
		if (teamId && !/^[0-9a-f-]{36}$/i.test(teamId)) {
			throw new NodeOperationError(
				context.getNode(),
				'Team ID must be the UUID of a team, or empty',
				{
					description:
						'Leave Team ID empty for every public team, or set the team UUID (in Linear: Cmd/Ctrl+K → "Copy model UUID" on the team).',
				},
			);
		}
		const workflow = context.getWorkflow();
		const api = new LinearWebhookApi(context, apiUrl || DEFAULT_LINEAR_API_URL, {
			teamId: teamId || undefined,
			label: `workflow ${workflow.id ?? 'unsaved'}, node ${context.getNode().name}`,
		});
		return { api };
	},
};
