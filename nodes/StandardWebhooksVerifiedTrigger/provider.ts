import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { parseJsonObject, valueAtPath } from '../shared/json';
import { decodeBytes, isUsableKey } from '../shared/signature';
import type { TriggerDeclaration } from '../shared/trigger';
import { standardHeaders, verifyStandardWebhook } from './signature';

interface StandardWebhooksCredential {
	signingSecret?: string;
	previousSigningSecret?: string;
}

function secretsOf(credential: StandardWebhooksCredential): string[] {
	return [credential.signingSecret, credential.previousSigningSecret]
		.filter((secret): secret is string => typeof secret === 'string')
		.map((secret) => secret.trim())
		.filter((secret) => secret !== '');
}

/** Standard Webhooks (Svix and the services built on it): the endpoint is created in the sender's dashboard. */
export const standardWebhooks: TriggerDeclaration<StandardWebhooksCredential> = {
	provider: 'standard-webhooks',
	credential: 'standardWebhooksVerifiedApi',
	// The specification's example retry schedule spans about 75 hours.
	dedupHours: 76,
	secretName: 'Standard Webhooks signing secret (whsec_…)',
	events(context) {
		const wanted = (context.getNodeParameter('eventTypes', '') as string)
			.split(',')
			.map((type) => type.trim())
			.filter(Boolean);
		return wanted.length ? wanted : ['*'];
	},
	configuredSecrets: secretsOf,
	verify: (delivery) => verifyStandardWebhook(delivery),
	parse(rawBody, headers, options) {
		// The id and timestamp of the header family that was verified, never the other one.
		const { id, timestamp } = standardHeaders(headers);
		if (!id) return 'the webhook-id header is missing';
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		const path = typeof options.eventTypePath === 'string' ? options.eventTypePath : '';
		const type = valueAtPath(payload, path || 'type');
		return {
			id,
			type: typeof type === 'string' ? type : '',
			payload,
			details: { timestamp: timestamp ?? null },
		};
	},
};

export async function standardWebhooksSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	for (const secret of secretsOf((credential.data ?? {}) as StandardWebhooksCredential)) {
		const key = decodeBytes(secret, 'whsec');
		if (!key || key.length < 16 || !isUsableKey(key)) {
			return {
				status: 'Error',
				message:
					'A signing secret is not a whsec_ value with a base64 key of at least 16 bytes. Copy it again from the sender.',
			};
		}
	}
	return { status: 'OK', message: 'The signing secret is well formed' };
}
