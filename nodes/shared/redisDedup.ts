import { createHash } from 'crypto';

import { fingerprint } from './dedup';
import { redisBatch, RedisReplyError, type RedisServer } from './redisClient';

/**
 * The opt-in dedup store for several n8n processes: every event id is claimed in Redis with one atomic
 * `SET key NX PX`, so of two processes receiving the same event at the same instant exactly one wins.
 *
 * A claim goes through two states, like the static-data record's pending/seen:
 * - `p` (pending) for CLAIM_PENDING_MS: the delivery was accepted and n8n is creating its execution. A copy
 *   arriving meanwhile is "in progress" (409, the provider retries), never a duplicate. If the process dies
 *   before answering, the claim expires by itself and the provider's retry runs the event.
 * - `d` (done) for the dedup window, once n8n answered the delivery with a 2xx. A copy is then a duplicate.
 * A delivery n8n did not acknowledge releases its claims (DEL), so the retry is not taken for a duplicate.
 *
 * Keys: `vwh:<24 hex of sha256(workflow id, node id)>:<12-character id fingerprint>`; an event forgotten by
 * a "Forget Event" node is claimed under a key that also names the forget time, so it runs once more.
 */

/** How long an accepted delivery's claim waits for n8n's answer before it lapses by itself. */
export const CLAIM_PENDING_MS = 120_000;

export interface RedisClaims {
	/** Per key, in the order given: claimed (done) earlier within the window. */
	duplicates: boolean[];
	/** A key is claimed by a delivery that has not been answered yet; nothing is held by this call. */
	inProgress: boolean;
	/** The Redis keys this call claimed (pending until `settleClaims`). */
	claimed: string[];
}

export function claimPrefix(workflowId: string, nodeId: string): string {
	return `vwh:${createHash('sha256').update(`${workflowId}\u0000${nodeId}`).digest('hex').slice(0, 24)}:`;
}

/**
 * Claims every key not claimed yet. `forgotten` maps a fingerprint to the time a "Forget Event" node let it
 * through again. Throws RedisUnavailableError / RedisReplyError when the store cannot answer: nothing is
 * known then, and the delivery must not be accepted.
 */
export async function claimKeys(
	server: RedisServer,
	prefix: string,
	keys: readonly string[],
	options: { ttlSeconds: number },
	forgotten?: ReadonlyMap<string, number>,
): Promise<RedisClaims> {
	const redisKeys = keys.map((key) => {
		const print = fingerprint(key);
		const forgottenAt = forgotten?.get(print);
		return forgottenAt === undefined ? `${prefix}${print}` : `${prefix}${print}:f${forgottenAt}`;
	});
	const unique = [...new Set(redisKeys)];
	const commands: Array<Array<string | number>> = [];
	for (const key of unique) {
		commands.push(['SET', key, 'p', 'NX', 'PX', CLAIM_PENDING_MS]);
		commands.push(['GET', key]);
	}
	const replies = await redisBatch(server, commands);
	const failed = replies.find((reply) => reply instanceof RedisReplyError);
	if (failed) throw failed;
	const state = new Map<string, 'claimed' | 'done' | 'pending'>();
	unique.forEach((key, index) => {
		const set = replies[index * 2];
		const value = replies[index * 2 + 1];
		// A key that vanished between SET and GET (expired, released) counts as pending: try again later.
		state.set(key, set === 'OK' ? 'claimed' : value === 'd' ? 'done' : 'pending');
	});
	const claimed = unique.filter((key) => state.get(key) === 'claimed');
	const inProgress = unique.some((key) => state.get(key) === 'pending');
	if (inProgress) {
		await releaseClaims(server, claimed);
		return { duplicates: redisKeys.map(() => false), inProgress, claimed: [] };
	}
	const firstIndex = new Map<string, number>();
	const duplicates = redisKeys.map((key, index) => {
		if (!firstIndex.has(key)) firstIndex.set(key, index);
		// A key repeated within one delivery counts as new once, like the static-data record.
		return state.get(key) === 'done' || firstIndex.get(key) !== index;
	});
	return { duplicates, inProgress: false, claimed };
}

/** n8n answered with a 2xx: the claims are final for the dedup window. */
export async function confirmClaims(
	server: RedisServer,
	keys: readonly string[],
	ttlSeconds: number,
): Promise<void> {
	if (keys.length === 0) return;
	const replies = await redisBatch(
		server,
		keys.map((key) => ['SET', key, 'd', 'PX', ttlSeconds * 1000]),
	);
	const failed = replies.find((reply) => reply instanceof RedisReplyError);
	if (failed) throw failed;
}

/** The delivery was not acknowledged (or was refused as in progress): the provider's retry may claim again. */
export async function releaseClaims(server: RedisServer, keys: readonly string[]): Promise<void> {
	if (keys.length === 0) return;
	await redisBatch(server, [['DEL', ...keys]]);
}

/** Whether `key` is claimed (done or pending) in Redis, without claiming it: see dedup.ts's wasSeen. */
export async function isClaimed(
	server: RedisServer,
	prefix: string,
	key: string,
): Promise<boolean> {
	const [reply] = await redisBatch(server, [['EXISTS', `${prefix}${fingerprint(key)}`]]);
	if (reply instanceof RedisReplyError) throw reply;
	return reply === 1;
}
