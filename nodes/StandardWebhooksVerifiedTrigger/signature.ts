import type { IncomingHeaders } from '../shared/delivery';
import {
	decodeBytes,
	readSignatureHeader,
	reject,
	verifyHmac,
	type VerificationResult,
} from '../shared/signature';

/**
 * Standard Webhooks (standardwebhooks.com; Svix and the services built on it): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded part of `whsec_…`, sent as a
 * space-separated list of `v1,<base64>` (several during a secret rotation). Svix sends the same headers
 * with an `svix-` prefix.
 */

const PREFIXES = ['webhook-', 'svix-'] as const;

export interface StandardWebhookInput {
	rawBody: Buffer;
	headers: IncomingHeaders;
	/** `whsec_…` (or bare base64) secrets, current first. */
	secrets: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
}

/**
 * The header family a delivery is verified under (`webhook-` first, else `svix-`) and its id, timestamp and
 * signature — all three from that one family. Whatever reads the id or timestamp after verification must read
 * them here, never from the other family, which the signature does not cover.
 */
function single(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? undefined : value;
}

export function standardHeaders(headers: IncomingHeaders): {
	prefix: string;
	id?: string;
	timestamp?: string;
	/** As received: a repeated header is an array, which verification refuses as malformed. */
	signature?: string | string[];
} {
	const prefix =
		PREFIXES.find((candidate) => headers[`${candidate}signature`] !== undefined) ?? PREFIXES[0];
	return {
		prefix,
		id: single(headers[`${prefix}id`]),
		timestamp: single(headers[`${prefix}timestamp`]),
		signature: headers[`${prefix}signature`],
	};
}

export function verifyStandardWebhook(input: StandardWebhookInput): VerificationResult {
	const { prefix, id, timestamp, signature } = standardHeaders(input.headers);
	const keys = input.secrets.map((secret) => decodeBytes(secret, 'whsec'));
	const header = readSignatureHeader(signature, {
		name: `the ${prefix}signature header`,
		encoding: 'base64',
		bytes: 32,
		layout: { kind: 'list', version: 'v1' },
	});
	if ('ok' in header) return header;
	if (!id || id.includes('.'))
		return reject('malformed_signature', `the ${prefix}id header is missing or invalid`);
	if (!timestamp || !/^\d{1,12}$/.test(timestamp))
		return reject(
			'malformed_signature',
			`the ${prefix}timestamp header is missing or not unix seconds`,
		);
	return verifyHmac({
		algorithm: 'sha256',
		secrets: keys.filter((key): key is Buffer => key !== undefined),
		signedContent: [`${id}.${timestamp}.`, input.rawBody],
		candidates: header.signatures,
		window: {
			timestamp: Number(timestamp),
			nowSeconds: input.nowSeconds,
			toleranceSeconds: input.toleranceSeconds,
		},
	});
}
