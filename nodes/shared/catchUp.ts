import { createHash } from 'crypto';
import type { CronExpression, IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { checkAndRecord, settle, wasSeen, type DedupOptions } from './dedup';
import { redisStoreOf } from './dedupStore';
import {
	DEDUP_FIELD,
	dedupScope,
	eventItem,
	type Acknowledgement,
	type ParsedEvent,
} from './delivery';
import { claimKeys, claimPrefix, confirmClaims, isClaimed } from './redisDedup';
import type { EndpointApi } from './registration';

/**
 * Catch-up (the node's Catch Up Missed Events option): events the provider could not deliver while n8n was
 * down, unreachable or without an endpoint are got back from the provider and run once.
 *
 * - When: from the node's trigger() (leader only; see endpointWatch.ts), a round as soon as the endpoint is
 *   known after activation or start-up, then every Endpoint Check interval (only at start-up when that is 0).
 * - What: the provider's endpoint API lists what it holds as undelivered since the start point (`missed`).
 *   GitHub and Paddle send such events again, signed as ever, so they arrive as deliveries and go through
 *   webhook(); Stripe has no redelivery API, so the event read from its API (authenticated by the secret key,
 *   not signed) is emitted here, marked `verifiedWebhook.via: "api"`.
 * - Once: every event is checked against the same dedup record (static data or Redis) the deliveries use, so
 *   one that did arrive is neither asked for again nor run twice; a redelivery asked for is not asked for again
 *   within REQUEST_AGAIN_MS by this process.
 * - Never history the workflow did not subscribe to: the start point is the moment the option was first active
 *   for this node (activation, or the publication that turned it on); a deactivation and activation start anew.
 *   Nothing older than the Catch Up Max Age, which never exceeds the dedup window (an older event could not be
 *   told from one already run).
 */

/** Node static data: unix seconds from which missed events are caught up. */
const FROM_FIELD = 'catchUpFrom';
/** The most events one round runs or asks for again; the rest wait for the next round. */
export const MAX_PER_ROUND = 100;
/** A redelivery this process asked for is asked for again only after this long (it may still be on its way). */
export const REQUEST_AGAIN_MS = 30 * 60_000;

export interface CatchUpSettings {
	enabled: boolean;
	/** The oldest event caught up, in seconds before now (at most the dedup window). */
	maxAgeSeconds: number;
}

export function catchUpSettings(
	options: { catchUp?: boolean; catchUpMaxAgeHours?: number },
	dedup: DedupOptions,
): CatchUpSettings {
	const hours = Number(options.catchUpMaxAgeHours ?? 72);
	const requested = Number.isFinite(hours) && hours > 0 ? Math.round(hours * 3600) : 0;
	return {
		enabled: options.catchUp === true,
		maxAgeSeconds: Math.min(requested, dedup.ttlSeconds),
	};
}

/**
 * Records the start point when trigger() starts: on a first activation (or when the option was just turned on)
 * and on every activation by a user; kept across n8n restarts, leader changes and publications of an edit.
 * Runs while n8n activates the workflow, which saves the static data afterwards.
 */
export function markStart(
	data: IDataObject,
	settings: CatchUpSettings,
	activation: string | undefined,
	nowMs: number,
): void {
	if (!settings.enabled) {
		delete data[FROM_FIELD];
		return;
	}
	if (typeof data[FROM_FIELD] !== 'number' || activation === 'activate' || activation === 'create')
		data[FROM_FIELD] = Math.floor(nowMs / 1000);
}

export interface CatchUpRound {
	provider: string;
	api: EndpointApi;
	endpointId: string;
	settings: CatchUpSettings;
	dedup: DedupOptions;
	/** The declaration's parser, for events read from the API. */
	parse(rawBody: Buffer): ParsedEvent | ParsedEvent[] | Acknowledgement | string;
	isSelected(event: ParsedEvent): boolean;
	nowMs: number;
}

export interface CatchUpResult {
	listed: number;
	emitted: number;
	redeliveries: number;
	/** Seen here already, or asked for recently. */
	skipped: number;
}

type Context = Pick<
	ITriggerFunctions,
	| 'getWorkflowStaticData'
	| 'getWorkflow'
	| 'getNode'
	| 'emit'
	| 'logger'
	| 'getNodeParameter'
	| 'getCredentials'
>;

/** Redelivery requests this process made, per node: event id → when. */
const requested = new Map<string, Map<string, number>>();

function requestsOf(scope: string): Map<string, number> {
	let map = requested.get(scope);
	if (!map) requested.set(scope, (map = new Map()));
	return map;
}

/** One catch-up round for one node (see above). Provider failures throw; nothing is recorded for them. */
export async function catchUpRound(context: Context, round: CatchUpRound): Promise<CatchUpResult> {
	const data = context.getWorkflowStaticData('node');
	const nowSeconds = Math.floor(round.nowMs / 1000);
	const from = typeof data[FROM_FIELD] === 'number' ? data[FROM_FIELD] : nowSeconds;
	const since = Math.max(from, nowSeconds - round.settings.maxAgeSeconds);
	const result: CatchUpResult = { listed: 0, emitted: 0, redeliveries: 0, skipped: 0 };
	if (!round.api.missed) return result;
	const missed = await round.api.missed(round.endpointId, since);
	result.listed = missed.length;
	const workflowId = context.getWorkflow().id;
	const node = context.getNode();
	const scope = dedupScope(workflowId, node.name);
	const store = await redisStoreOf(context);
	const prefix = claimPrefix(String(workflowId ?? 'unsaved'), node.id ?? node.name);
	const asked = requestsOf(scope);
	for (const [id, at] of asked) if (round.nowMs - at >= REQUEST_AGAIN_MS) asked.delete(id);

	for (const delivery of missed) {
		if (result.emitted + result.redeliveries >= MAX_PER_ROUND) break;
		if (delivery.event) {
			if (await emitRecovered(context, round, delivery.event, { store, prefix, scope, data }))
				result.emitted++;
			else result.skipped++;
			continue;
		}
		if (!delivery.redeliver) continue;
		const seen = store
			? await isClaimed(store, prefix, delivery.eventId)
			: wasSeen(data, DEDUP_FIELD, scope, delivery.eventId, round.dedup, round.nowMs);
		if (seen || asked.has(delivery.eventId)) {
			result.skipped++;
			continue;
		}
		await delivery.redeliver();
		asked.set(delivery.eventId, round.nowMs);
		result.redeliveries++;
	}
	return result;
}

/**
 * Runs one event read from the provider's API, unless it ran here already: claimed (Redis) or recorded (static
 * data, which n8n saves when the trigger emits) before it is emitted, like a delivery. Returns whether it ran.
 */
async function emitRecovered(
	context: Context,
	round: CatchUpRound,
	raw: Buffer,
	dedup: {
		store: Awaited<ReturnType<typeof redisStoreOf>>;
		prefix: string;
		scope: string;
		data: IDataObject;
	},
): Promise<boolean> {
	const parsed = round.parse(raw);
	if (typeof parsed === 'string' || Array.isArray(parsed) || 'acknowledge' in parsed) {
		context.logger.warn(
			`Verified Webhooks: catch-up read a ${round.provider} event it cannot use` +
				(typeof parsed === 'string' ? `: ${parsed}` : ''),
			{ workflowId: context.getWorkflow().id },
		);
		return false;
	}
	if (!round.isSelected(parsed)) return false;
	const item = eventItem(round.provider, parsed, {
		receivedAt: new Date(round.nowMs).toISOString(),
		signedAt: null,
		testDelivery: false,
		replayKey: null,
		via: 'api',
	});
	if (dedup.store) {
		const claims = await claimKeys(dedup.store, dedup.prefix, [parsed.id], round.dedup);
		if (claims.inProgress || claims.duplicates[0]) return false;
		context.emit([[item]]);
		await confirmClaims(dedup.store, claims.claimed, round.dedup.ttlSeconds);
		return true;
	}
	const decision = checkAndRecord(
		dedup.data,
		DEDUP_FIELD,
		dedup.scope,
		[parsed.id],
		round.dedup,
		round.nowMs,
	);
	if (decision.inProgress || decision.duplicates[0]) return false;
	// n8n saves the static data (with this record) as the trigger emits.
	context.emit([[item]]);
	settle(dedup.scope, decision.recorded, true);
	return true;
}

/** Rounds look whether one is due this often (a round itself runs every check interval). */
const TICK_SECONDS = 15;

/** The longest wait after failed catch-up rounds (the first retry waits 30 s, then twice as long each time). */
const MAX_BACK_OFF_MS = 30 * 60_000;

/**
 * When a failed round may run again: a provider that refuses (a revoked key, an outage) is asked again after
 * 30 s, 1 min, 2 min, … up to 30 min, not at every tick; each failure is logged once per attempt.
 */
function catchUpBackOff() {
	let failures = 0;
	let retryAt = 0;
	return {
		ready: (now: number) => now >= retryAt,
		record(outcome: CatchUpOutcome, now: number) {
			if (outcome === 'failed') {
				failures++;
				retryAt = now + Math.min(TICK_SECONDS * 1000 * 2 ** failures, MAX_BACK_OFF_MS);
			} else if (outcome === 'done') {
				failures = 0;
				retryAt = 0;
			}
		},
	};
}

/** `waiting`: the endpoint is not registered (yet), nothing was asked. */
export type CatchUpOutcome = 'done' | 'waiting' | 'failed';

/**
 * Runs `round` from the trigger: the first as soon as it can (`waiting` until the endpoint is registered, which
 * n8n does beside the trigger() call), then every `minutes` (never again when 0); a failed round again after the
 * back-off. One round at a time; `key` spreads the nodes' ticks over the 15 seconds.
 */
export function scheduleCatchUp(
	context: ITriggerFunctions,
	schedule: { key: string; minutes: number; round: () => Promise<CatchUpOutcome> },
): void {
	let last = 0;
	let running = false;
	const backOff = catchUpBackOff();
	const second = createHash('sha256').update(schedule.key).digest()[2] % TICK_SECONDS;
	const expression = `${second}/${TICK_SECONDS} * * * * *` as CronExpression;
	context.helpers.registerCron({ expression }, () => {
		const now = Date.now();
		const due = last === 0 || (schedule.minutes > 0 && now - last >= schedule.minutes * 60_000);
		if (running || !due || !backOff.ready(now)) return;
		running = true;
		schedule
			.round()
			.then((outcome) => {
				backOff.record(outcome, Date.now());
				if (outcome === 'done') last = Date.now();
			})
			.catch(() => undefined)
			.finally(() => {
				running = false;
			});
	});
}
