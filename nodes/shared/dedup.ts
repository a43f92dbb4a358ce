import { createHash, randomBytes } from 'crypto';

/**
 * Remembers the event ids a trigger has emitted, so a retried delivery starts no second execution.
 *
 * Two layers, because n8n's static data is not a database (see README, "How duplicates are dropped"):
 * - the static-data record: durable across restarts, read fresh from the database on every request and
 *   written back whole when n8n answers. Concurrent deliveries race and the last writer wins;
 * - a process-local record per workflow node. An id recorded by a delivery is *pending* until n8n saves the
 *   record (on n8n 2.x that is after the execution exists) or the delivery's answer leaves; a copy arriving
 *   meanwhile is "in progress", never a duplicate, and a pending id is never written by another delivery (its
 *   execution may never exist). Once saved, it is *seen*: decided synchronously here, and carried by every
 *   later write of this process — at decision time when the loaded record lacks it, and at save time
 *   (`toJSON`) when it was saved after the decision. A stale copy saved by someone else (another process, a
 *   downstream node) is repaired by this process's next write, so the record converges to the union.
 *
 * The static-data encoding keeps the JSON small and its cost flat: each id is stored as a 12-character
 * fingerprint (72 bits of SHA-256, base64url), concatenated without separators into time buckets. Age is
 * tracked per bucket, not per id, so expiry drops whole buckets. Each write carries a tag unique to the
 * process (a random prefix) and to the write (a counter): a loaded record that still has this process's last
 * tag is exactly what it wrote, and needs no merge check.
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
	/** The tag of the write that produced this record. */
	t?: string;
	/** Bucket start (unix seconds) → concatenated fingerprints, oldest first. */
	b: Record<string, string>;
}

export interface DedupDecision {
	/** Per key, in the order given: seen before within the window. */
	duplicates: boolean[];
	/**
	 * True when a key that is not a duplicate belongs to a delivery this process accepted but has not yet
	 * acknowledged (its execution is being created). Nothing was recorded; answer "try again later".
	 */
	inProgress: boolean;
	/** The fingerprints recorded now, pending until `settle()` says whether their delivery was acknowledged. */
	recorded: string[];
	/** Recorded now although on the forgotten list: the event runs again, its list entry can go. */
	unforgotten: string[];
	/** Set once per scope when this process's writes are not coming back from the database. */
	persistenceWarning?: string;
}

const FINGERPRINT_LENGTH = 12;
const MAX_BUCKETS = 48;
const MIN_BUCKET_SECONDS = 60;
/** How long a write may take to show up in a later load before we call it lost. */
export const LOST_WRITE_GRACE_MS = 10_000;

interface LocalRecord {
	/**
	 * fingerprint → unix seconds when this process recorded it, insertion-ordered (oldest first): ids that n8n
	 * has saved (or whose delivery was acknowledged). Only these are merged back into later writes.
	 */
	seen: Map<string, number>;
	/** fingerprint → unix seconds: recorded by a delivery whose record n8n has neither saved nor acknowledged. */
	pending: Map<string, number>;
	/** Counts ids entering `seen`; `recent` lists them while a pending write may still need to add them. */
	seq: number;
	recent: Array<{ seq: number; print: string; at: number; sinceMs: number }>;
	/** The tag of this process's last saved write (complete when it was saved). */
	lastTag?: string;
	warned: boolean;
}

const localRecords = new Map<string, LocalRecord>();

/** Write tags: random per process, counted per write — unique without a random draw per delivery. */
const PROCESS_TAG = randomBytes(6).toString('base64url');
let writeCount = 0;
function nextTag(): string {
	writeCount++;
	return `${PROCESS_TAG}${writeCount.toString(36)}`;
}

export function fingerprint(eventId: string): string {
	return createHash('sha256').update(eventId).digest('base64url').slice(0, FINGERPRINT_LENGTH);
}

export function bucketSeconds(ttlSeconds: number): number {
	return Math.max(MIN_BUCKET_SECONDS, Math.ceil(ttlSeconds / MAX_BUCKETS));
}

function localRecord(scope: string): LocalRecord {
	let record = localRecords.get(scope);
	if (!record) {
		record = { seen: new Map(), pending: new Map(), seq: 0, recent: [], warned: false };
		localRecords.set(scope, record);
	}
	return record;
}

function isRecord(value: unknown): value is DedupRecord {
	if (typeof value !== 'object' || value === null) return false;
	const candidate = value as Partial<DedupRecord>;
	return (
		candidate.v === 1 &&
		typeof candidate.b === 'object' &&
		candidate.b !== null &&
		Object.values(candidate.b).every(
			(ids) => typeof ids === 'string' && ids.length % FINGERPRINT_LENGTH === 0,
		)
	);
}

/** Every fingerprint of a record, for membership tests in O(1). */
function fingerprintsOf(record: DedupRecord): Set<string> {
	const prints = new Set<string>();
	for (const key in record.b) {
		const ids = record.b[key];
		for (let at = 0; at < ids.length; at += FINGERPRINT_LENGTH)
			prints.add(ids.slice(at, at + FINGERPRINT_LENGTH));
	}
	return prints;
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
}

function addToRecord(record: DedupRecord, print: string, nowSeconds: number, width: number): void {
	const key = String(nowSeconds - (nowSeconds % width));
	record.b[key] = (record.b[key] ?? '') + print;
}

const ADVICE =
	`Duplicates are still dropped while this n8n process runs, but after a restart, or across several n8n ` +
	`processes, a retried event may start a second execution. Usual causes: a downstream node that changes ` +
	`workflow static data (its save overwrites ours), several n8n processes serving this webhook, or an n8n ` +
	`version that discards trigger static data. To be safe, add n8n's "Remove Duplicates" node after this ` +
	`trigger, keyed on {{ $json.verifiedWebhook.eventId }}.`;

/**
 * Looks for this process's own ids in the loaded record: the ids it recorded more than the grace period ago
 * should be there. Any that are not were lost to another save (this write puts them back); if none is there
 * at all, n8n is not saving what we write. Either is worth one warning per node and process.
 */
function persistenceWarning(
	local: LocalRecord,
	prints: Set<string>,
	nowMs: number,
): string | undefined {
	if (local.warned) return undefined;
	const settled = Math.floor((nowMs - LOST_WRITE_GRACE_MS) / 1000);
	let missing = 0;
	let present = 0;
	for (const [print, at] of local.seen) {
		if (at > settled) break;
		if (prints.has(print)) present++;
		else missing++;
	}
	if (missing === 0) return undefined;
	local.warned = true;
	const what =
		present === 0
			? `the event ids this trigger writes to workflow static data are not being saved by n8n (none of the ` +
				`ids it recorded more than ${LOST_WRITE_GRACE_MS / 1000} s ago came back from the database).`
			: `${missing} event id(s) this trigger wrote to workflow static data were overwritten by another save ` +
				`of the workflow's static data; they have been written back.`;
	return `${what} ${ADVICE}`;
}

/**
 * Decides for each of `keys` whether it was seen before and records the new ones in `staticData` (the node's
 * workflow static data object, whose change n8n saves) and in this process's record for `scope`, merging
 * back every id this process recorded that the loaded record lacks. Synchronous from the first read to the
 * last write, so overlapping deliveries in one process cannot both pass. A key repeated within `keys`
 * counts as new once.
 */
/** How long an unsettled entry may stay pending before it counts as not acknowledged. */
export const PENDING_LIMIT_SECONDS = 300;

/** Moves a pending id into `seen`: from now on every write of this process carries it. */
function makeMergeable(local: LocalRecord, print: string): boolean {
	const at = local.pending.get(print);
	if (at === undefined) return false;
	local.pending.delete(print);
	local.seen.delete(print);
	local.seen.set(print, at);
	local.recent.push({ seq: ++local.seq, print, at, sinceMs: Date.now() });
	return true;
}

/**
 * Ends the pending state of what one delivery recorded, when its answer has left (or the connection closed).
 * Acknowledged: the ids are ordinary seen ids (usually they already are: n8n saved them before answering).
 * Not acknowledged, and never saved: forgotten here, so the provider's retry is not taken for a duplicate
 * (n8n saves nothing when it fails to create the execution).
 */
export function settle(scope: string, recorded: readonly string[], acknowledged: boolean): void {
	const local = localRecords.get(scope);
	if (!local) return;
	for (const print of recorded) {
		if (acknowledged) {
			// Became mergeable without a save of ours: the last saved write no longer holds all of them.
			if (makeMergeable(local, print)) local.lastTag = undefined;
		} else local.pending.delete(print);
	}
}

/**
 * Gives `record` the view n8n saves. n8n serialises static data with JSON.stringify when it saves it, so
 * `toJSON` runs at the moment of the save — on n8n 2.x after n8n created the execution: the ids this delivery
 * recorded become mergeable then, and the saved copy also gets every id of this process that became
 * mergeable since the decision (other deliveries saved meanwhile). The last save to land therefore holds
 * every id saved before it, whatever order overlapping requests loaded the row in.
 */
function attachSnapshot(
	record: DedupRecord,
	local: LocalRecord,
	fresh: readonly string[],
	options: DedupOptions,
	decidedAt: number,
): void {
	const seqAtDecision = local.seq;
	Object.defineProperty(record, 'toJSON', {
		enumerable: false,
		value: (): DedupRecord => {
			for (const print of fresh) makeMergeable(local, print);
			const saved: DedupRecord = { v: 1, b: { ...record.b } };
			const width = bucketSeconds(options.ttlSeconds);
			const oldest = decidedAt - options.ttlSeconds;
			const newestFirst = Object.keys(saved.b).sort((a, b) => Number(b) - Number(a));
			// `recent` is in seq order: only its tail can have become mergeable since the decision.
			let first = local.recent.length;
			while (first > 0 && local.recent[first - 1].seq > seqAtDecision) first--;
			for (let index = first; index < local.recent.length; index++) {
				const entry = local.recent[index];
				if (entry.at <= oldest || fresh.includes(entry.print)) continue;
				if (!recordHas(saved, entry.print, newestFirst))
					addToRecord(saved, entry.print, entry.at, width);
			}
			prune(saved, decidedAt, options);
			saved.t = nextTag();
			local.lastTag = saved.t;
			return saved;
		},
	});
}

/**
 * Drops every listed fingerprint recorded before its forget time, from the record copy and from this
 * process's memory. Returns whether the record changed.
 */
function dropForgotten(
	record: DedupRecord,
	local: LocalRecord,
	forgotten: ReadonlyMap<string, number>,
): boolean {
	let changed = false;
	for (const [print, forgottenAtMs] of forgotten) {
		const before = forgottenAtMs / 1000;
		const seenAt = local.seen.get(print);
		if (seenAt !== undefined && seenAt <= before) local.seen.delete(print);
		for (const key in record.b) {
			if (Number(key) > before) continue;
			const ids = record.b[key];
			let kept = '';
			for (let at = 0; at < ids.length; at += FINGERPRINT_LENGTH) {
				const id = ids.slice(at, at + FINGERPRINT_LENGTH);
				if (id !== print) kept += id;
			}
			if (kept.length !== ids.length) {
				record.b[key] = kept;
				changed = true;
			}
		}
	}
	if (changed) local.lastTag = undefined;
	return changed;
}

export function checkAndRecord(
	staticData: Record<string, unknown>,
	field: string,
	scope: string,
	keys: readonly string[],
	options: DedupOptions,
	nowMs: number,
	forgotten?: ReadonlyMap<string, number>,
): DedupDecision {
	const nowSeconds = Math.floor(nowMs / 1000);
	const local = localRecord(scope);
	const stored = staticData[field];
	const record: DedupRecord = isRecord(stored)
		? { v: 1, t: stored.t, b: { ...stored.b } }
		: { v: 1, b: {} };
	const forgetChanged = forgotten ? dropForgotten(record, local, forgotten) : false;

	// A record that carries our last tag is our last write, as saved: nothing of ours can be missing.
	const ours = local.lastTag !== undefined && record.t === local.lastTag;
	const prints = ours ? undefined : fingerprintsOf(record);
	const warning = prints ? persistenceWarning(local, prints, nowMs) : undefined;
	const oldest = nowSeconds - options.ttlSeconds;
	const lost: Array<[string, number]> = [];
	if (prints) {
		for (const [print, at] of local.seen)
			if (at > oldest && !prints.has(print)) lost.push([print, at]);
	}

	for (const [print, at] of local.pending) {
		if (at > nowSeconds - PENDING_LIMIT_SECONDS) break;
		local.pending.delete(print);
	}
	// A write decided more than PENDING_LIMIT_SECONDS ago is never saved any more: nothing needs older entries.
	const keepSince = Date.now() - PENDING_LIMIT_SECONDS * 1000;
	let drop = 0;
	while (drop < local.recent.length && local.recent[drop].sinceMs < keepSince) drop++;
	if (drop > 0) local.recent.splice(0, drop);
	const newestFirst = ours ? Object.keys(record.b).sort((a, b) => Number(b) - Number(a)) : [];
	const fresh: string[] = [];
	let inProgress = false;
	const duplicates = keys.map((key) => {
		const print = fingerprint(key);
		const seenAt = local.seen.get(print);
		const duplicate =
			(seenAt !== undefined && seenAt > oldest) ||
			(prints ? prints.has(print) : recordHas(record, print, newestFirst)) ||
			fresh.includes(print);
		if (!duplicate) {
			if (local.pending.has(print)) inProgress = true;
			fresh.push(print);
		}
		return duplicate;
	});
	if (inProgress)
		return { duplicates, inProgress, recorded: [], unforgotten: [], persistenceWarning: warning };
	if (fresh.length === 0 && lost.length === 0 && !forgetChanged)
		return { duplicates, inProgress, recorded: [], unforgotten: [], persistenceWarning: warning };

	const width = bucketSeconds(options.ttlSeconds);
	for (const [missing, at] of lost) addToRecord(record, missing, at, width);
	for (const print of fresh) {
		addToRecord(record, print, nowSeconds, width);
		local.pending.set(print, nowSeconds);
	}
	prune(record, nowSeconds, options);
	pruneLocal(local, nowSeconds, options);

	record.t = nextTag();
	attachSnapshot(record, local, fresh, options, nowSeconds);
	// A fresh object: assigning it marks n8n's change-tracking proxy, so the save runs.
	staticData[field] = record;
	const unforgotten = forgotten ? fresh.filter((print) => forgotten.has(print)) : [];
	return { duplicates, inProgress, recorded: fresh, unforgotten, persistenceWarning: warning };
}

/**
 * Whether `key` was seen (or is being delivered right now) in `scope`, without recording anything: for
 * catch-up, which asks the provider to send an event again only when no delivery of it was taken here.
 */
export function wasSeen(
	staticData: Record<string, unknown>,
	field: string,
	scope: string,
	key: string,
	options: DedupOptions,
	nowMs: number,
): boolean {
	const print = fingerprint(key);
	const local = localRecord(scope);
	const seenAt = local.seen.get(print);
	if (seenAt !== undefined && seenAt > Math.floor(nowMs / 1000) - options.ttlSeconds) return true;
	if (local.pending.has(print)) return true;
	const stored = staticData[field];
	return isRecord(stored) && fingerprintsOf(stored).has(print);
}
