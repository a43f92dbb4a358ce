import type { IncomingHeaders } from '../shared/delivery';
import type { HeaderScheme } from '../shared/signature';

/**
 * Standard Webhooks (standardwebhooks.com; Svix and the services built on it): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded part of `whsec_…`, sent as a
 * space-separated list of `v1,<base64>` (several during a secret rotation). Svix sends the same headers
 * with an `svix-` prefix.
 */

const PREFIXES = ['webhook-', 'svix-'] as const;

/**
 * The header family a delivery is verified under (`webhook-` first, else `svix-`): its id, timestamp and
 * signature all come from that one family. Whatever reads the id or timestamp after verification must read
 * them here, never from the other family, which the signature does not cover.
 */
export function standardPrefix(headers: IncomingHeaders): string {
	return PREFIXES.find((prefix) => headers[`${prefix}signature`] !== undefined) ?? PREFIXES[0];
}

/** The scheme for the header family the delivery uses. */
export function standardSignature(headers: IncomingHeaders): HeaderScheme {
	const prefix = standardPrefix(headers);
	return {
		headers: [`${prefix}signature`],
		name: `the ${prefix}signature header`,
		encoding: 'base64',
		bytes: 32,
		layout: { kind: 'list', version: 'v1' },
		timestampHeader: `${prefix}timestamp`,
		content(rawBody, timestamp, sent) {
			const id = sent[`${prefix}id`];
			if (typeof id !== 'string' || id === '' || id.includes('.'))
				return `the ${prefix}id header is missing or invalid`;
			return [`${id}.${timestamp}.`, rawBody];
		},
	};
}
