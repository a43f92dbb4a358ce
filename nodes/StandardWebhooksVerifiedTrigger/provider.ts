import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { parseJsonObject, valueAtPath } from '../shared/json';
import { headerText } from '../shared/delivery';
import { readEd25519Key, verifyPublicKey } from '../shared/publicKey';
import { decodeBytes, isUsableKey, verifySignedHeader } from '../shared/signature';
import type { TriggerDeclaration } from '../shared/trigger';
import type { VerificationResult } from '../shared/verdict';
import { standardPrefix, standardSignature } from './signature';

interface StandardWebhooksCredential {
	signingSecret?: string;
	previousSigningSecret?: string;
}

/**
 * Why a typed secret cannot be a Standard Webhooks key of at least `minBytes`, in words that follow "the secret"
 * (activation and the credential test both ask this); undefined when it can.
 */
function keyProblem(secret: string, minBytes: number): string | undefined {
	if (secret.trim().startsWith('whpk_')) {
		const key = readEd25519Key(secret);
		return typeof key === 'string' ? key : undefined;
	}
	const key = decodeBytes(secret, 'whsec');
	if (!key) return 'is not whsec_ followed by base64';
	if (!isUsableKey(key)) return 'decodes to zero bytes only, which verifies nothing';
	return key.length < minBytes
		? `has a key of ${key.length} bytes, fewer than ${minBytes}`
		: undefined;
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
	secretName: 'Standard Webhooks signing secret (whsec_…) or public key (whpk_…)',
	events(context) {
		const wanted = (context.getNodeParameter('eventTypes', '') as string)
			.split(',')
			.map((type) => type.trim())
			.filter(Boolean);
		return wanted.length ? wanted : ['*'];
	},
	configuredSecrets: secretsOf,
	secretProblem: (secret) => keyProblem(secret, 1),
	verify: ({ secrets, ...delivery }): VerificationResult => {
		// whsec_<base64>: an HMAC key, the decoded part (v1); whpk_<base64>: an Ed25519 public key (v1a).
		const hmacKeys = secrets
			.filter((secret) => !secret.startsWith('whpk_'))
			.map((secret) => decodeBytes(secret, 'whsec'))
			.filter((key): key is Buffer => key !== undefined);
		const publicKeys = secrets
			.filter((secret) => secret.startsWith('whpk_'))
			.map(readEd25519Key)
			.filter((key): key is Exclude<typeof key, string> => typeof key !== 'string');
		const scheme = standardSignature(delivery.headers);
		// Without any usable key, verifyMac's no_secret (after the header is read), with the header's diagnostics.
		const symmetric =
			hmacKeys.length > 0 || publicKeys.length === 0
				? verifySignedHeader(scheme, { ...delivery, secrets: hmacKeys })
				: undefined;
		if (symmetric && (symmetric.ok || publicKeys.length === 0)) return symmetric;
		const asymmetric = verifySignedHeader(
			{ ...scheme, bytes: 64, layout: { kind: 'list', version: 'v1a' } },
			{
				...delivery,
				secrets: [],
				checkSignatures: (signedContent, candidates) =>
					verifyPublicKey({ keys: publicKeys, signedContent, candidates, algorithm: 'ed25519' }),
			},
		);
		// With both kinds of key (a migration), the answer about the entries the delivery carries.
		return asymmetric.ok || !symmetric || asymmetric.reason !== 'missing_signature'
			? asymmetric
			: symmetric;
	},
	parse(rawBody, headers, options) {
		// The id and timestamp of the header family that was verified, never the other one.
		const prefix = standardPrefix(headers);
		const id = headerText(headers, `${prefix}id`);
		const timestamp = headerText(headers, `${prefix}timestamp`);
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
	for (const [index, secret] of secretsOf(
		(credential.data ?? {}) as StandardWebhooksCredential,
	).entries()) {
		// The spec wants 24 to 64 key bytes; the test asks for 16, activation only for a usable key.
		const problem = keyProblem(secret, 16);
		if (problem)
			return {
				status: 'Error',
				message: `The ${index === 0 ? 'signing secret' : 'previous signing secret'} ${problem}. Copy it again from the sender.`,
			};
	}
	return { status: 'OK', message: 'The signing secret is well formed' };
}
