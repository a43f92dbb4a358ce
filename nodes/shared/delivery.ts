import { createHash } from 'crypto';
import {
	sleep,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkAndRecord, fingerprint, settle, type DedupOptions } from './dedup';
import { diagnosticItem, rejectedNotice, type Refusal } from './diagnostics';
import { redisStoreOf } from './dedupStore';
import type { RedisServer } from './redisClient';
import {
	CLAIM_PENDING_MS,
	claimKeys,
	claimPrefix,
	confirmClaims,
	releaseClaims,
} from './redisDedup';
import { forgottenFor, removeForgotten } from './forget';
import { cachedSecrets, mayRefreshSecrets, rememberSecrets } from './secretCache';
import type { VerificationResult } from './verdict';

type VerifiedDelivery = Extract<VerificationResult, { ok: true }>;

/** The node static-data field that holds the dedup record (the same for every trigger). */
export const DEDUP_FIELD = 'seenEvents';

/**
 * The webhook() pipeline every trigger shares: raw body → verify → parse → select → dedup → answer → emit.
 *
 * Every delivery that starts nothing (rejected, malformed, ignored, duplicate) is answered here, and
 * `noWebhookResponse: true` is returned. A delivery that starts an execution is answered by n8n, with
 * `webhookResponse`: n8n 2.x (responseMode `onReceived`) sends it only after it has created the execution,
 * so a 2xx means "recorded" — the provider retries anything n8n did not record (see README, "Acknowledged
 * means recorded"). n8n saves the static data in that same answer step, so the dedup record never holds an
 * id whose execution was not created. Two details make that true:
 * - 2.20+ resets the static-data change flag while it creates the execution, which would skip the save:
 *   until the answer has left, the record is re-assigned every millisecond (`keepMarkedUntilAnswered`);
 * - the ids stay "pending" in this process until the answer leaves with a 2xx (`settle`): a copy of the
 *   same event that arrives meanwhile gets 409 (try again), never a 2xx for an event not yet recorded.
 */

export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** The first of `names` sent once with a non-empty value (a repeated header counts as absent). */
export function headerText(headers: IncomingHeaders, ...names: string[]): string | undefined {
	for (const name of names) {
		const value = headers[name];
		if (typeof value === 'string' && value !== '') return value;
	}
	return undefined;
}

export interface ParsedEvent {
	id: string;
	type: string;
	/** What becomes the item's json (the provider's event). */
	payload: IDataObject;
	/** Extra delivery facts for `verifiedWebhook` (attempt, delivery id, …); never secrets. */
	details?: IDataObject;
}

/**
 * A request that needs a 2xx but no execution: GitHub's ping, Slack's url_verification (whose answer is the
 * challenge, given as `body`), WooCommerce's unsigned creation ping.
 */
export interface Acknowledgement {
	acknowledge: string;
	body?: IDataObject;
}

export interface DeliveryHandler {
	/** Lower-case provider name, used in logs and in the item metadata. */
	provider: string;
	/** Every secret that may have signed this delivery. Empty means none: the delivery is refused. */
	secrets(): Promise<string[]>;
	/**
	 * Changes whenever the stored registration changes (e.g. the sealed secret), so cached secrets are
	 * never used across a re-registration.
	 */
	secretsVersion: string;
	verify(
		rawBody: Buffer,
		headers: IncomingHeaders,
		secrets: string[],
		nowMs: number,
	): VerificationResult | Promise<VerificationResult>;
	/** Runs only after verification. A string is a reason for 400; an array is a batch, deduplicated per event. */
	parse(
		rawBody: Buffer,
		headers: IncomingHeaders,
	): ParsedEvent | ParsedEvent[] | Acknowledgement | string;
	/**
	 * Runs before verification, for handshakes a provider sends unsigned (WooCommerce's creation ping).
	 * Whatever it acknowledges starts nothing, so it cannot be abused to run the workflow.
	 */
	unsignedHandshake?(rawBody: Buffer, headers: IncomingHeaders): Acknowledgement | undefined;
	/** Status for rejected deliveries: 401 unless the provider treats it badly (never 410). */
	failureStatus?: number;
	/**
	 * The node's Rejected Deliveries Output option: a refused delivery also emits a metadata-only item on the
	 * second output (rate limited, see diagnostics.ts), and a test listen's diagnostic item goes there too.
	 */
	rejectedOutput?: boolean;
	/** Names the secrets that were tried, by position and source, for a test listen's diagnostic; never values. */
	describeSecrets?(secrets: string[]): Promise<string[]>;
	isSelected(event: ParsedEvent): boolean;
	dedup: DedupOptions;
	now?: () => number;
}

function respond(context: IWebhookFunctions, status: number, body: IDataObject): void {
	const response = context.getResponseObject();
	response.status(status).json(body);
}

/**
 * The bytes the provider signed, or undefined when they cannot be had: n8n reads the raw body for the content
 * types it parses; for the others (e.g. application/octet-stream or vendor +json types) it leaves the stream
 * unread, and for multipart bodies its parser has already consumed it. Never fall back to re-serialising
 * req.body.
 */
async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = context.getRequestObject();
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
	if (request.readable === false || typeof request.readRawBody !== 'function') return undefined;
	try {
		await request.readRawBody();
	} catch {
		return undefined;
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/** Scopes whose static data was not an object, already reported (one log line per node and process). */
const corruptedReported = new Set<string>();

/**
 * The node's static data as an object n8n saves. Anything else (a string or number written over it) cannot
 * hold a record: this delivery then works on a scratch object — deduplicated by this process alone — and the
 * problem is logged once.
 */
function nodeStaticData(context: IWebhookFunctions, scope: string): Record<string, unknown> {
	const data: unknown = context.getWorkflowStaticData('node');
	if (typeof data === 'object' && data !== null && !Array.isArray(data))
		return data as Record<string, unknown>;
	if (!corruptedReported.has(scope)) {
		corruptedReported.add(scope);
		context.logger.error(
			`Verified Webhooks: node "${context.getNode().name}": its workflow static data is a ${typeof data}, not an ` +
				`object, so the dedup record cannot be saved; duplicates are dropped by this n8n process only. ` +
				`Deactivate and activate the workflow to start a fresh record.`,
			{ workflowId: context.getWorkflow().id },
		);
	}
	return {};
}

function workflowGlobalData(context: IWebhookFunctions): Record<string, unknown> | undefined {
	const data: unknown = context.getWorkflowStaticData('global');
	return typeof data === 'object' && data !== null && !Array.isArray(data)
		? (data as Record<string, unknown>)
		: undefined;
}

/**
 * The dedup key of the signed bytes themselves: the digest the verifier computed, or a SHA-256 of the body
 * for schemes without one (a shared token). A captured delivery replayed under a fresh unsigned id header
 * has the same signed bytes, so it is dropped within the window like a retry.
 */
function signedBytesKey(fingerprint: Buffer | undefined, rawBody: Buffer): string {
	const digest = fingerprint ?? createHash('sha256').update(rawBody).digest();
	return `\u0000signed:${digest.toString('base64')}`;
}

function scopeOf(context: IWebhookFunctions): string {
	return dedupScope(context.getWorkflow().id, context.getNode().name, context.getMode());
}

/** The process-local dedup record's scope: production deliveries and catch-up share `webhook`'s. */
export function dedupScope(workflowId: string | undefined, node: string, mode = 'webhook'): string {
	return `${workflowId ?? 'unsaved'}\u0000${node}\u0000${mode}`;
}

export async function handleDelivery(
	context: IWebhookFunctions,
	handler: DeliveryHandler,
): Promise<IWebhookResponseData> {
	const nowMs = (handler.now ?? Date.now)();
	const node = context.getNode().name;
	const workflowId = context.getWorkflow().id;
	const rawBody = await rawBodyOf(context);
	const headers = context.getHeaderData() as IncomingHeaders;
	if (rawBody === undefined) {
		context.logger.warn(
			`Verified Webhooks: a ${handler.provider} delivery had no readable body (multipart?)`,
			{
				workflowId,
				node,
			},
		);
		const refusal = { status: 400, reason: 'unreadable_body', detail: 'n8n kept no raw body' };
		return await refuse(context, handler, refusal, { headers, nowMs, secrets: [] });
	}
	const handshake = handler.unsignedHandshake?.(rawBody, headers);
	if (handshake) {
		respond(context, 200, handshake.body ?? { received: true, ignored: handshake.acknowledge });
		return { noWebhookResponse: true };
	}
	const scope = scopeOf(context);
	const credentialIds = JSON.stringify(context.getNode().credentials ?? {});
	const cacheKey = `${scope}\u0000${credentialIds}\u0000${handler.secretsVersion}`;
	const cached = cachedSecrets(cacheKey, nowMs);
	let secrets = cached ?? (await handler.secrets());
	if (!cached) rememberSecrets(cacheKey, secrets, nowMs);
	let verdict = await handler.verify(rawBody, headers, secrets, nowMs);
	if (
		cached &&
		!verdict.ok &&
		(verdict.reason === 'signature_mismatch' || verdict.reason === 'no_secret') &&
		mayRefreshSecrets(cacheKey, nowMs)
	) {
		// The credential may have just gained a secret (a rotation): check once more against a fresh read —
		// at most once a second per node, so a flood of forgeries cannot turn into a flood of credential reads.
		secrets = await handler.secrets();
		rememberSecrets(cacheKey, secrets, nowMs);
		verdict = await handler.verify(rawBody, headers, secrets, nowMs);
	}
	if (!verdict.ok) {
		const log = verdict.reason === 'no_secret' ? context.logger.error : context.logger.warn;
		log.call(
			context.logger,
			`Verified Webhooks: rejected a ${handler.provider} delivery: ${verdict.detail}`,
			{
				reason: verdict.reason,
				workflowId,
				node,
			},
		);
		const { reason, detail, header, expected, timestamp } = verdict;
		const refusal = { reason, detail, header, expected, timestamp };
		const status = handler.failureStatus ?? 401;
		return await refuse(
			context,
			handler,
			{ ...refusal, status },
			{ rawBody, headers, nowMs, secrets },
		);
	}

	const event = handler.parse(rawBody, headers);
	if (typeof event === 'string') {
		context.logger.warn(
			`Verified Webhooks: a signed ${handler.provider} delivery could not be used: ${event}`,
			{
				workflowId,
				node,
			},
		);
		const refusal = { status: 400, reason: 'malformed_payload', detail: event };
		return await refuse(context, handler, refusal, { rawBody, headers, nowMs, secrets });
	}

	if (!Array.isArray(event) && 'acknowledge' in event) {
		respond(context, 200, event.body ?? { received: true, ignored: event.acknowledge });
		return { noWebhookResponse: true };
	}

	const events = (Array.isArray(event) ? event : [event]).filter((each) =>
		handler.isSelected(each),
	);
	if (events.length === 0) {
		respond(context, 200, { received: true, ignored: 'event type not selected' });
		return { noWebhookResponse: true };
	}

	// A test listen's static data is never saved (n8n discards it), so test deliveries are deduplicated by
	// this process alone and never written where a production delivery could read them.
	const testDelivery = context.getMode() === 'manual';
	const staticData = testDelivery ? {} : nodeStaticData(context, scope);
	const keys = [signedBytesKey(verdict.fingerprint, rawBody), ...events.map((each) => each.id)];
	// Events a "Forget Event" node of this workflow let through again (workflow-global static data).
	const global = testDelivery ? undefined : workflowGlobalData(context);
	const forgotten = global
		? forgottenFor(global, String(workflowId ?? 'unsaved'), nowMs)
		: undefined;
	const store = testDelivery ? undefined : await redisStoreOf(context);
	if (store) {
		return await claimInRedis(context, handler, store, {
			keys,
			events,
			forgotten,
			global,
			verdict,
			nowMs,
		});
	}
	const decision = checkAndRecord(
		staticData,
		DEDUP_FIELD,
		scope,
		keys,
		handler.dedup,
		nowMs,
		forgotten,
	);
	if (global && decision.unforgotten.length > 0)
		removeForgotten(global, String(workflowId ?? 'unsaved'), decision.unforgotten);
	if (decision.inProgress) {
		respond(context, 409, { received: false, reason: 'in_progress' });
		return { noWebhookResponse: true };
	}
	if (decision.persistenceWarning && !testDelivery) {
		context.logger.warn(`Verified Webhooks: node "${node}": ${decision.persistenceWarning}`, {
			workflowId,
			node,
		});
	}
	const [replayed, ...duplicates] = decision.duplicates;
	const fresh = replayed ? [] : events.filter((_, index) => !duplicates[index]);
	if (fresh.length === 0) {
		// Nothing runs: whatever this answer recorded (the signed bytes of a known event) is final now.
		settle(scope, decision.recorded, true);
		respond(context, 200, { received: true, duplicate: true });
		return { noWebhookResponse: true };
	}

	watchAnswer(context, (acknowledged) => settle(scope, decision.recorded, acknowledged));
	void keepMarkedUntilAnswered(staticData, DEDUP_FIELD, answeredFlag(context));
	return emit(handler, fresh, keys, verdict, nowMs, testDelivery);
}

/**
 * Answers a refused delivery (401/400: it starts nothing of the workflow's main path) and, in a test listen,
 * ends the listen with a diagnostic item; in production, with the Rejected output on, emits a rate-limited
 * metadata item there (see diagnostics.ts).
 */
async function refuse(
	context: IWebhookFunctions,
	handler: DeliveryHandler,
	refusal: Refusal,
	facts: { rawBody?: Buffer; headers: IncomingHeaders; nowMs: number; secrets: string[] },
): Promise<IWebhookResponseData> {
	respond(context, refusal.status, { received: false, reason: refusal.reason });
	const { rawBody, headers, nowMs, secrets } = facts;
	let item;
	if (context.getMode() === 'manual') {
		const tried = handler.describeSecrets
			? await handler.describeSecrets(secrets)
			: secrets.map((_, index) => `secret ${index + 1}`);
		item = diagnosticItem({
			provider: handler.provider,
			refusal,
			rawBody,
			headers,
			nowMs,
			secretsTried: tried,
		});
	} else if (handler.rejectedOutput) {
		item = rejectedNotice({
			scope: scopeOf(context),
			provider: handler.provider,
			refusal,
			headers,
			sourceIp: context.getRequestObject().ip,
			nowMs,
		});
	}
	if (!item) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: handler.rejectedOutput ? [[], [item]] : [[item]],
	};
}

function emit(
	handler: DeliveryHandler,
	fresh: ParsedEvent[],
	keys: string[],
	verdict: VerifiedDelivery,
	nowMs: number,
	testDelivery: boolean,
): IWebhookResponseData {
	const receivedAt = new Date(nowMs).toISOString();
	const signedAt =
		verdict.timestamp === undefined ? null : new Date(verdict.timestamp * 1000).toISOString();
	const replayKey = fingerprint(keys[0]);
	const items = fresh.map((each) =>
		eventItem(handler.provider, each, {
			receivedAt,
			signedAt,
			testDelivery,
			replayKey,
			via: 'webhook',
		}),
	);
	return { workflowData: [items], webhookResponse: { received: true } };
}

/**
 * The item an event becomes: the provider's event, with `verifiedWebhook` saying where it came from — `via`
 * `webhook` (a signed delivery) or `api` (read back from the provider's authenticated API by catch-up).
 */
export function eventItem(
	provider: string,
	event: ParsedEvent,
	facts: {
		receivedAt: string;
		signedAt: string | null;
		testDelivery: boolean;
		replayKey: string | null;
		via: 'webhook' | 'api';
	},
): INodeExecutionData {
	return {
		json: {
			...event.payload,
			verifiedWebhook: {
				provider,
				eventId: event.id,
				eventType: event.type,
				...facts,
				...event.details,
			},
		} as IDataObject,
	};
}

/** When each Redis store's unavailability was last logged (server address → ms): once a minute at most. */
const storeDownLogged = new Map<string, number>();
const STORE_DOWN_LOG_INTERVAL_MS = 60_000;

function logStoreTrouble(
	context: IWebhookFunctions,
	server: RedisServer,
	message: string,
	nowMs: number,
): void {
	const address = `${server.host}:${server.port}`;
	const last = storeDownLogged.get(address);
	if (last !== undefined && nowMs - last < STORE_DOWN_LOG_INTERVAL_MS) return;
	storeDownLogged.set(address, nowMs);
	context.logger.error(
		`Verified Webhooks: the Redis dedup store at ${address} failed: ${message}`,
		{
			workflowId: context.getWorkflow().id,
			node: context.getNode().name,
		},
	);
}

/**
 * The Redis path of dedup (Dedup Store: Redis): claims the delivery's keys atomically, answers what starts
 * nothing, and confirms the claims once n8n acknowledged the execution (or releases them). Redis not
 * answering means nothing is known: 503, so the provider retries later — never an unclaimed run.
 */
async function claimInRedis(
	context: IWebhookFunctions,
	handler: DeliveryHandler,
	server: RedisServer,
	delivery: {
		keys: string[];
		events: ParsedEvent[];
		forgotten?: ReadonlyMap<string, number>;
		global?: Record<string, unknown>;
		verdict: VerifiedDelivery;
		nowMs: number;
	},
): Promise<IWebhookResponseData> {
	const { keys, events, forgotten, global, verdict, nowMs } = delivery;
	const workflowId = String(context.getWorkflow().id ?? 'unsaved');
	const node = context.getNode();
	let claims;
	try {
		claims = await claimKeys(
			server,
			claimPrefix(workflowId, node.id ?? node.name),
			keys,
			handler.dedup,
			forgotten,
		);
	} catch (error) {
		logStoreTrouble(context, server, (error as Error).message, nowMs);
		respond(context, 503, { received: false, reason: 'dedup_store_unavailable' });
		return { noWebhookResponse: true };
	}
	if (claims.inProgress) {
		respond(context, 409, { received: false, reason: 'in_progress' });
		return { noWebhookResponse: true };
	}
	const confirm = (acknowledged: boolean) => {
		const settled = acknowledged
			? confirmClaims(server, claims.claimed, handler.dedup.ttlSeconds)
			: releaseClaims(server, claims.claimed);
		settled.catch((error: Error) =>
			logStoreTrouble(
				context,
				server,
				acknowledged
					? `confirming ${claims.claimed.length} claim(s) of an acknowledged delivery: ${error.message}. ` +
							`They stay pending and lapse within ${CLAIM_PENDING_MS / 1000} s; a provider retry after that ` +
							`runs the event again`
					: `releasing ${claims.claimed.length} claim(s) of an unacknowledged delivery: ${error.message}. ` +
							`The provider's retries get 409 until they lapse within ${CLAIM_PENDING_MS / 1000} s`,
				Date.now(),
			),
		);
	};
	if (global && forgotten) {
		const rerun = keys
			.map(fingerprint)
			.filter((print, index) => forgotten.has(print) && !claims.duplicates[index]);
		if (rerun.length > 0) removeForgotten(global, workflowId, rerun);
	}
	const [replayed, ...duplicates] = claims.duplicates;
	const fresh = replayed ? [] : events.filter((_, index) => !duplicates[index]);
	if (fresh.length === 0) {
		confirm(true);
		respond(context, 200, { received: true, duplicate: true });
		return { noWebhookResponse: true };
	}
	watchAnswer(context, confirm);
	return emit(handler, fresh, keys, verdict, nowMs, false);
}

/** What this code needs of Express's response to follow n8n's answer. */
interface WatchedResponse {
	statusCode: number;
	writableFinished?: boolean;
	once(event: 'finish' | 'close', listener: () => void): unknown;
}

const ANSWER_WATCH_LIMIT_MS = 120_000;

/** Responses whose answer has left (or whose connection closed). */
const answeredResponses = new WeakSet<object>();

function answeredFlag(context: IWebhookFunctions): () => boolean {
	const response = context.getResponseObject();
	return () => answeredResponses.has(response);
}

/**
 * Follows n8n's answer to an accepted delivery and calls `done` once: acknowledged only by a 2xx that
 * finished. Until then the static-data path keeps its record marked as changed (keepMarkedUntilAnswered),
 * so n8n's save in its answer step runs although 2.20+ cleared the change flag while creating the execution.
 */
function watchAnswer(context: IWebhookFunctions, done: (acknowledged: boolean) => void): void {
	const response: WatchedResponse = context.getResponseObject();
	const finish = (acknowledged: boolean) => {
		if (answeredResponses.has(response)) return;
		answeredResponses.add(response);
		done(acknowledged);
	};
	response.once('finish', () => finish(response.statusCode >= 200 && response.statusCode < 300));
	response.once('close', () =>
		finish(response.writableFinished === true && response.statusCode < 300),
	);
}

async function keepMarkedUntilAnswered(
	staticData: Record<string, unknown>,
	field: string,
	answered: () => boolean,
): Promise<void> {
	const started = Date.now();
	while (!answered() && Date.now() - started < ANSWER_WATCH_LIMIT_MS) {
		// The same value again: only the change-tracking proxy notices (it marks the static data changed).
		// eslint-disable-next-line no-self-assign
		staticData[field] = staticData[field];
		await sleep(1);
	}
}

/** The dedup options every trigger exposes, with the provider's retry window as the default age. */
export function dedupOptionsFrom(
	settings: { dedupTtlHours?: number; dedupMaxEntries?: number },
	defaultTtlHours: number,
): DedupOptions {
	return {
		ttlSeconds: Math.round((settings.dedupTtlHours ?? defaultTtlHours) * 3600),
		maxEntries: Math.max(1, Math.round(settings.dedupMaxEntries ?? 10000)),
	};
}

/** Secrets typed into a credential field, separated by commas, spaces or new lines. */
export function splitSecrets(text: string | undefined): string[] {
	return (text ?? '').split(/[\s,]+/).filter((secret) => secret !== '');
}
