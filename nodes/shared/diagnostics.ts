import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * What a refused delivery tells the user, without ever telling an attacker anything:
 * - in a test listen (the editor waiting for a test event), one diagnostic item ends the listen: what was read,
 *   what was expected, the clock skew, which secrets were tried (by position), a SHA-256 of the body, and the
 *   likely fix;
 * - in production, with the node's Rejected Deliveries Output on, one metadata-only item (no body, no
 *   signature, no header value) per node at most every RATE_LIMIT_MS, counting the ones left out.
 * The answer to the sender (401/400) is the same with or without either.
 */

export interface Refusal {
	/** The status the sender got. */
	status: number;
	/** The reason code in the answer (signature_mismatch, malformed_payload, …). */
	reason: string;
	detail: string;
	/** The signature header as documented and the form it must have, when the verifier said. */
	header?: string;
	expected?: string;
	/** The signed unix time, when one was read. */
	timestamp?: number;
}

/** At most one item per node on the Rejected output in this window; the others are counted. */
export const RATE_LIMIT_MS = 10_000;
/** Header names listed in an item, at most (an attacker chooses them), each cut to NAME_LIMIT characters. */
const HEADER_LIMIT = 40;
const NAME_LIMIT = 64;

function headerNames(headers: Record<string, unknown>): string[] {
	return Object.keys(headers)
		.slice(0, HEADER_LIMIT)
		.map((name) => name.slice(0, NAME_LIMIT));
}

/** The likely fix, in the user's terms, for a refusal in a test listen. */
function likelyFix(provider: string, refusal: Refusal, skew?: number): string {
	const header = refusal.header ?? 'the signature header';
	switch (refusal.reason) {
		case 'no_secret':
			return 'No secret to verify with: put the webhook signing secret into the credential, or let the trigger register the webhook itself (Registration: Automatic) so that it stores the secret the provider issues.';
		case 'missing_signature':
			return `The request has no ${header}: it was not sent by ${provider}, or something on the way (a proxy, a forwarding or replay tool) removed the header. Look at headersReceived.`;
		case 'malformed_signature':
			return `${header} is not in the expected form${refusal.expected ? ` (${refusal.expected})` : ''}: the request was not signed by ${provider}, or a tool on the way rewrote the header.`;
		case 'timestamp_too_old':
			return `The signature was made ${skew ?? '?'} s ago, more than Timestamp Tolerance allows: an old delivery sent again (a replay, or a redelivery of an old event), or this server's clock is behind. Check the clock, or raise the tolerance.`;
		case 'timestamp_in_future':
			return `The signature was made ${skew === undefined ? '?' : -skew} s in the future: this server's clock is behind the sender's. Synchronise it (NTP).`;
		case 'signature_mismatch':
			return `None of the secrets tried made this signature. Either the secret is not the one of this webhook (copy it again from ${provider}; a webhook created again gets a new secret), or the body was changed on the way (a proxy that re-encodes JSON or changes line endings?), or the provider signs the URL it posts to and this delivery was signed for another one (the production URL instead of this test URL).`;
		case 'malformed_payload':
			return `The signature is valid, but the body is not a ${provider} event this trigger can read (see detail).`;
		case 'unreadable_body':
			return 'n8n did not keep the bytes of this body (a multipart form?), so its signature cannot be checked. Send it as JSON or form-urlencoded.';
		default:
			return refusal.detail;
	}
}

/** The item that ends a test listen on a refused delivery. `secretsTried` names the secrets by position. */
export function diagnosticItem(facts: {
	provider: string;
	refusal: Refusal;
	rawBody?: Buffer;
	headers: Record<string, unknown>;
	nowMs: number;
	secretsTried: string[];
}): INodeExecutionData {
	const { provider, refusal, rawBody, nowMs } = facts;
	const skew =
		refusal.timestamp === undefined ? undefined : Math.round(nowMs / 1000 - refusal.timestamp);
	const diagnostic: IDataObject = {
		provider,
		rejected: true,
		status: refusal.status,
		reason: refusal.reason,
		detail: refusal.detail,
		signatureHeader: refusal.header ?? null,
		expectedFormat: refusal.expected ?? null,
		timestampSkewSeconds: skew ?? null,
		secretsTried: facts.secretsTried,
		bodyBytes: rawBody?.length ?? null,
		bodySha256: rawBody ? createHash('sha256').update(rawBody).digest('hex') : null,
		headersReceived: headerNames(facts.headers),
		likelyFix: likelyFix(provider, refusal, skew),
		receivedAt: new Date(nowMs).toISOString(),
		testDelivery: true,
	};
	return { json: { verifiedWebhook: diagnostic } };
}

/** Per node (scope): when the last item left, and how many were left out since. */
const lastNotice = new Map<string, { at: number; suppressed: number }>();

/**
 * The Rejected output's item for this refusal, or undefined when one already left within RATE_LIMIT_MS (then
 * it is counted, and the next item says how many were left out). Per n8n process.
 */
export function rejectedNotice(facts: {
	scope: string;
	provider: string;
	refusal: Refusal;
	headers: Record<string, unknown>;
	sourceIp?: string;
	nowMs: number;
}): INodeExecutionData | undefined {
	const { scope, nowMs } = facts;
	const last = lastNotice.get(scope);
	// Concurrent refusals read the clock before they await the credential, so they arrive here out of
	// order: a time slightly before the last item's is inside its window too. Only a clock that went
	// back by more than the window opens a new one.
	if (last && Math.abs(nowMs - last.at) < RATE_LIMIT_MS) {
		last.suppressed++;
		return undefined;
	}
	if (lastNotice.size > 1000)
		for (const [key, entry] of lastNotice)
			if (Math.abs(nowMs - entry.at) >= RATE_LIMIT_MS) lastNotice.delete(key);
	lastNotice.set(scope, { at: nowMs, suppressed: 0 });
	const notice: IDataObject = {
		provider: facts.provider,
		rejected: true,
		status: facts.refusal.status,
		reason: facts.refusal.reason,
		headersReceived: headerNames(facts.headers),
		sourceIp: facts.sourceIp ?? null,
		receivedAt: new Date(nowMs).toISOString(),
		suppressedBefore: last?.suppressed ?? 0,
	};
	return { json: { verifiedWebhook: notice } };
}
