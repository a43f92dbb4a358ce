import type { IncomingHeaders } from '../shared/delivery';
import {
	checkTimestamp,
	decodeSignature,
	reject,
	verifyHmac,
	whsecKey,
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

function single(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? undefined : value;
}

/**
 * The header family a delivery is verified under (`webhook-` first, else `svix-`) and its id, timestamp and
 * signature — all three from that one family. Whatever reads the id or timestamp after verification must read
 * them here, never from the other family, which the signature does not cover.
 */
export function standardHeaders(headers: IncomingHeaders): {
	prefix: string;
	id?: string;
	timestamp?: string;
	signature?: string;
} {
	const prefix =
		PREFIXES.find((candidate) => headers[`${candidate}signature`] !== undefined) ?? PREFIXES[0];
	return {
		prefix,
		id: single(headers[`${prefix}id`]),
		timestamp: single(headers[`${prefix}timestamp`]),
		signature: single(headers[`${prefix}signature`]),
	};
}

export function verifyStandardWebhook(input: StandardWebhookInput): VerificationResult {
	const {
		prefix,
		id,
		timestamp: timestampText,
		signature: signatureHeader,
	} = standardHeaders(input.headers);
	const keys = input.secrets.map(whsecKey).filter((key): key is Buffer => key !== undefined);
	if (keys.length === 0) return reject('no_secret', 'no valid whsec_ signing secret is configured');
	if (!signatureHeader)
		return reject('missing_signature', `the ${prefix}signature header is missing or repeated`);
	if (!id || id.includes('.'))
		return reject('malformed_signature', `the ${prefix}id header is missing or invalid`);
	if (!timestampText || !/^\d{1,12}$/.test(timestampText)) {
		return reject(
			'malformed_signature',
			`the ${prefix}timestamp header is missing or not unix seconds`,
		);
	}
	const timestamp = Number(timestampText);
	const stale = checkTimestamp({
		timestamp,
		nowSeconds: input.nowSeconds,
		toleranceSeconds: input.toleranceSeconds,
	});
	if (stale) return stale;
	const candidates: Buffer[] = [];
	for (const entry of signatureHeader.split(' ')) {
		const comma = entry.indexOf(',');
		if (comma <= 0 || entry.slice(0, comma) !== 'v1') continue;
		const decoded = decodeSignature(entry.slice(comma + 1), 'base64');
		if (decoded?.length === 32) candidates.push(decoded);
	}
	if (candidates.length === 0)
		return reject('malformed_signature', `no v1 signature in ${prefix}signature`);
	return verifyHmac({
		algorithm: 'sha256',
		secrets: keys,
		signedContent: [`${id}.${timestamp}.`, input.rawBody],
		candidates,
		timestamp,
	});
}
