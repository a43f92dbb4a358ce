import { createHash } from 'crypto';

/**
 * Remembers the event ids a trigger has emitted, so a retried delivery starts no second execution.
 *
 * Two layers, because n8n's static data is not a database (see README, "How duplicates are dropped"):
 * - the static-data record: durable across restarts, read fresh from the database on every request and
 *   written back whole after the response. Concurrent deliveries race and the last writer wins;
 * - a process-local record per workflow node: identical deliveries that overlap in one n8n process are
 *   decided here synchronously, and every write merges back the ids this process wrote that have not yet
 *   been seen in a loaded record, so ids lost to a concurrent overwrite come back.
 *
 * The static-data encoding keeps the JSON small and its cost flat: each id is stored as a 12-character
 * fingerprint (72 bits of SHA-256, base64url), concatenated without separators into time buckets. Age is
 * tracked per bucket, not per id, so expiry drops whole buckets.
 */

export interface DedupOptions {
	/** The most ids remembered; the oldest go first. */
	maxEntries: number;
	/** How long an id is remembered at least (it may be kept up to one bucket longer). */
	ttlSeconds: number;
}

/** What is stored under the node's static data. Keys are short because n8n saves it on every delivery. */
export interface DedupRecord {
	v: 1;
	/** Write counter: how we notice that n8n is not saving what we write. */
	w: number;
	/** Bucket start (unix seconds) → concatenated fingerprints, oldest first. */
	b: Record<string, string>;
}

export interface DedupDecision {
	duplicate: boolean;
	/** Set once per scope when this process's writes are not coming back from the database. */
	persistenceWarning?: string;
}

const FINGERPRINT_LENGTH = 12;
const MAX_BUCKETS = 48;
const MIN_BUCKET_SECONDS = 60;
/** How long a write may take to show up in a later load before we call it lost. */
export const LOST_WRITE_GRACE_MS = 10_000;
/** Unconfirmed ids merged back per write; overwrite races only ever lose the most recent ones. */
const MAX_PENDING = 256;

interface LocalRecord {
	/** fingerprint → unix seconds, insertion-ordered (oldest first). */
	seen: Map<string, number>;
	/** Fingerprints this process wrote that no loaded record has shown yet. */
	pending: Map<string, number>;
	lastWrittenCounter: number;
	/** The oldest of our writes not yet seen in a loaded record. */
	unconfirmed?: { counter: number; atMs: number };
	warned: boolean;
}

const localRecords = new Map<string, LocalRecord>();

export function fingerprint(eventId: string): string {
	return createHash('sha256').update(eventId).digest('base64url').slice(0, FINGERPRINT_LENGTH);
}

export function bucketSeconds(ttlSeconds: number): number {
	return Math.max(MIN_BUCKET_SECONDS, Math.ceil(ttlSeconds / MAX_BUCKETS));
}

function localRecord(scope: string): LocalRecord {
	let record = localRecords.get(scope);
	if (!record) {
		record = { seen: new Map(), pending: new Map(), lastWrittenCounter: 0, warned: false };
		localRecords.set(scope, record);
	}
	return record;
}

/** Forgets this process's record for a scope (used when a test registration ends). */
export function forgetLocal(scope: string): void {
	localRecords.delete(scope);
}

function isRecord(value: unknown): value is DedupRecord {
	if (typeof value !== 'object' || value === null) return false;
	const candidate = value as Partial<DedupRecord>;
	return (
		candidate.v === 1 &&
		typeof candidate.w === 'number' &&
		typeof candidate.b === 'object' &&
		candidate.b !== null &&
		Object.values(candidate.b).every((ids) => typeof ids === 'string' && ids.length % FINGERPRINT_LENGTH === 0)
	);
}

/** Finds a fingerprint at a fingerprint boundary (a match straddling two entries does not count). */
function bucketHas(ids: string, print: string): boolean {
	let at = ids.indexOf(print);
	while (at !== -1) {
		if (at % FINGERPRINT_LENGTH === 0) return true;
		at = ids.indexOf(print, at + 1);
	}
	return false;
}

/** Newest bucket first: the ids looked up most often (this process's recent writes) are found at once. */
function recordHas(record: DedupRecord, print: string, newestFirst: string[]): boolean {
	for (const key of newestFirst) {
		if (bucketHas(record.b[key], print)) return true;
	}
	return false;
}

function countEntries(record: DedupRecord): number {
	let total = 0;
	for (const key in record.b) total += record.b[key].length / FINGERPRINT_LENGTH;
	return total;
}

/** Drops buckets whose every id is older than the TTL, then the oldest ids beyond maxEntries. */
function prune(record: DedupRecord, nowSeconds: number, options: DedupOptions): void {
	const width = bucketSeconds(options.ttlSeconds);
	const keys = Object.keys(record.b).sort((a, b) => Number(a) - Number(b));
	for (const key of keys) {
		if (Number(key) + width <= nowSeconds - options.ttlSeconds || record.b[key].length === 0) {
			delete record.b[key];
		}
	}
	let excess = countEntries(record) - options.maxEntries;
	for (const key of keys) {
		if (excess <= 0) break;
		const ids = record.b[key];
		if (ids === undefined) continue;
		const drop = Math.min(excess, ids.length / FINGERPRINT_LENGTH);
		if (drop * FINGERPRINT_LENGTH === ids.length) delete record.b[key];
		else record.b[key] = ids.slice(drop * FINGERPRINT_LENGTH);
		excess -= drop;
	}
}

function pruneLocal(local: LocalRecord, nowSeconds: number, options: DedupOptions): void {
	const oldest = nowSeconds - options.ttlSeconds;
	for (const [print, at] of local.seen) {
		if (at > oldest && local.seen.size <= options.maxEntries) break;
		local.seen.delete(print);
	}
	for (const [print, at] of local.pending) {
		if (at > oldest && local.pending.size <= MAX_PENDING) break;
		local.pending.delete(print);
	}
}

function addToRecord(record: DedupRecord, print: string, nowSeconds: number, width: number): void {
	const key = String(nowSeconds - (nowSeconds % width));
	record.b[key] = (record.b[key] ?? '') + print;
}

function persistenceWarning(local: LocalRecord, nowMs: number): string | undefined {
	if (local.warned || !local.unconfirmed || nowMs - local.unconfirmed.atMs < LOST_WRITE_GRACE_MS) {
		return undefined;
	}
	local.warned = true;
	const seconds = Math.round((nowMs - local.unconfirmed.atMs) / 1000);
	return (
		`the event ids this trigger writes to workflow static data are not being saved by n8n ` +
		`(write #${local.unconfirmed.counter}, ${seconds} s ago, never came back from the database). ` +
		`Duplicates are still dropped while this n8n process runs, but after a restart, or across several ` +
		`n8n processes, a retried event may start a second execution. Usual causes: a downstream node that ` +
		`changes workflow static data (its save overwrites ours), or an n8n version that discards trigger ` +
		`static data. To be safe, add n8n's "Remove Duplicates" node after this trigger, keyed on ` +
		`{{ $json.verifiedWebhook.eventId }}.`
	);
}

/**
 * Decides whether `eventId` was seen before and, when it was not, records it in `staticData` (the node's
 * workflow static data object, whose change n8n saves) and in this process's record for `scope`.
 * Synchronous from the first read to the last write, so overlapping deliveries in one process cannot both
 * pass.
 */
export function checkAndRecord(
	staticData: Record<string, unknown>,
	field: string,
	scope: string,
	eventId: string,
	options: DedupOptions,
	nowMs: number,
): DedupDecision {
	const nowSeconds = Math.floor(nowMs / 1000);
	const local = localRecord(scope);
	const stored = staticData[field];
	const record: DedupRecord = isRecord(stored) ? { v: 1, w: stored.w, b: { ...stored.b } } : { v: 1, w: 0, b: {} };

	const newestFirst = Object.keys(record.b).sort((a, b) => Number(b) - Number(a));
	if (local.unconfirmed && record.w >= local.unconfirmed.counter) local.unconfirmed = undefined;
	const lost: Array<[string, number]> = [];
	for (const [print, at] of local.pending) {
		if (recordHas(record, print, newestFirst)) local.pending.delete(print);
		else lost.push([print, at]);
	}

	const print = fingerprint(eventId);
	const seenAt = local.seen.get(print);
	const duplicate =
		(seenAt !== undefined && seenAt > nowSeconds - options.ttlSeconds) || recordHas(record, print, newestFirst);
	const warning = persistenceWarning(local, nowMs);
	if (duplicate && lost.length === 0) return { duplicate, persistenceWarning: warning };

	const width = bucketSeconds(options.ttlSeconds);
	for (const [missing, at] of lost) addToRecord(record, missing, at, width);
	if (!duplicate) {
		addToRecord(record, print, nowSeconds, width);
		local.seen.delete(print); // re-inserted at the end, so the map stays oldest-first
		local.seen.set(print, nowSeconds);
		local.pending.set(print, nowSeconds);
	}
	prune(record, nowSeconds, options);
	pruneLocal(local, nowSeconds, options);

	record.w = Math.max(record.w, local.lastWrittenCounter) + 1;
	local.lastWrittenCounter = record.w;
	local.unconfirmed ??= { counter: record.w, atMs: nowMs };
	// A fresh object: assigning it marks n8n's change-tracking proxy, so the save runs.
	staticData[field] = record;
	return { duplicate, persistenceWarning: warning };
}
