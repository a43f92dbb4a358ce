/**
 * "Forget Event": the list through which a node of a workflow lets an event that this workflow's verified
 * triggers already received run again (a provider's "Resend" after a failed run). It lives in the workflow's
 * global static data — the one place a regular node and a trigger of the same workflow share — as
 * fingerprint → unix ms of the forget. A trigger drops each listed id recorded before that moment (from the
 * saved record and from its process's memory), and removes the entry once the event has run again.
 *
 * Static data is saved as a whole blob, so a delivery that loaded the workflow's static data before the
 * Forget node's execution saved it can overwrite the list. The list is therefore also kept in process memory
 * (the Forget node and the triggers share this module in one n8n process) and written back by the next
 * delivery that finds it missing — in one process; across queue-mode processes only the saved list counts.
 */

export const FORGOTTEN_FIELD = 'verifiedWebhooksForgotten';
const MAX_ENTRIES = 1000;
const KEEP_MS = 31 * 24 * 3600 * 1000;

export type ForgottenList = ReadonlyMap<string, number>;

/** workflow id → fingerprint → unix ms: the entries this process wrote or saw and has not seen consumed. */
const known = new Map<string, Map<string, number>>();

/** Remembers entries in this process (the Forget node after writing them; a trigger after reading them). */
export function noteForgotten(workflowId: string, entries: Iterable<[string, number]>): void {
	let list = known.get(workflowId);
	if (!list) {
		list = new Map();
		known.set(workflowId, list);
	}
	for (const [print, at] of entries) if ((list.get(print) ?? 0) < at) list.set(print, at);
}

/**
 * The forget list a delivery applies: the saved entries plus the ones this process knows that the loaded copy
 * lacks — those are written back into `global`, so the next save keeps them.
 */
export function forgottenFor(
	global: Record<string, unknown>,
	workflowId: string,
	nowMs: number,
): ForgottenList | undefined {
	const saved = forgottenIn(global, nowMs);
	if (saved) noteForgotten(workflowId, saved);
	const local = known.get(workflowId);
	if (!local) return saved;
	const missing: Array<[string, number]> = [];
	for (const [print, at] of local) {
		if (at <= nowMs - KEEP_MS) local.delete(print);
		else if (saved?.get(print) !== at) missing.push([print, at]);
	}
	if (missing.length === 0) return saved;
	const merged = new Map([...(saved ?? []), ...missing]);
	global[FORGOTTEN_FIELD] = Object.fromEntries(merged);
	return merged;
}

/** The live entries of the list, or undefined when there are none (the common case: nothing to do). */
export function forgottenIn(
	global: Record<string, unknown>,
	nowMs: number,
): ForgottenList | undefined {
	const stored = global[FORGOTTEN_FIELD];
	if (typeof stored !== 'object' || stored === null) return undefined;
	const live = new Map<string, number>();
	for (const [print, at] of Object.entries(stored as Record<string, unknown>)) {
		if (typeof at === 'number' && at > nowMs - KEEP_MS) live.set(print, at);
	}
	return live.size > 0 ? live : undefined;
}

/** Adds fingerprints to the list (written as a new object, so n8n's change tracking sees it). */
export function addForgotten(
	global: Record<string, unknown>,
	workflowId: string | undefined,
	prints: readonly string[],
	nowMs: number,
): void {
	if (workflowId)
		noteForgotten(
			workflowId,
			prints.map((print) => [print, nowMs]),
		);
	const list = new Map(forgottenIn(global, nowMs) ?? []);
	for (const print of prints) {
		list.delete(print);
		list.set(print, nowMs);
	}
	const kept = [...list.entries()].sort((a, b) => a[1] - b[1]).slice(-MAX_ENTRIES);
	global[FORGOTTEN_FIELD] = Object.fromEntries(kept);
}

/** Removes entries whose event has run again (saved and in this process). */
export function removeForgotten(
	global: Record<string, unknown>,
	workflowId: string,
	prints: readonly string[],
): void {
	const local = known.get(workflowId);
	if (local) for (const print of prints) local.delete(print);
	const stored = global[FORGOTTEN_FIELD];
	if (typeof stored !== 'object' || stored === null || prints.length === 0) return;
	const next = { ...(stored as Record<string, number>) };
	for (const print of prints) delete next[print];
	if (Object.keys(next).length === 0) delete global[FORGOTTEN_FIELD];
	else global[FORGOTTEN_FIELD] = next;
}
