import { sleep, type IDataObject } from 'n8n-workflow';

/**
 * Removals at the provider that wait a short grace before they run.
 *
 * n8n calls a trigger's `delete` both when its workflow is deactivated and when an edit of the active trigger
 * is published (delete, then checkExists/create — with the same activation mode on 1.x and 2.x, so the hook
 * cannot tell the two apart). Removing at once throws the endpoint, its signing secret and the provider's
 * pending retries away on every edit. So `delete` only schedules the removal; a `checkExists`/`create` for the
 * same URL within the grace claims the endpoint and keeps it (events are then repaired in place), and only a
 * removal nobody claimed runs. A removal that fails is tried again later, and the endpoint stays recorded in
 * the workflow's static data, where the next activation adopts or removes it — also after a shutdown during
 * the grace.
 */
export interface Removal {
	/** The webhook URL the endpoint delivers to: n8n keeps it across edits (it holds the node's webhookId). */
	url: string;
	/** The deactivated node's static data: a renamed node takes it over when it claims the endpoint. */
	nodeData: IDataObject;
	/** The endpoint's signing secret when this process could open it, to re-seal for the node that claims it. */
	secret?: string;
	/** Removes at the provider; throws when that failed (and has logged why). */
	remove(): Promise<void>;
	/** Logs that the removal keeps failing and is given up (the endpoint stays recorded for the next activation). */
	giveUp(error: unknown): void;
}

/** When a waiting removal runs: after the grace, then again after each later delay while it keeps failing. */
export const REMOVAL_SCHEDULE_MS = [15_000, 60_000, 5 * 60_000, 30 * 60_000];
const TICK_MS = 250;

interface Waiting {
	removal: Removal;
	due: number;
	claimed: boolean;
	/** Set to run it before it is due (tests). */
	runNow?: () => void;
	/** Resolves when it ran, was claimed or was given up: with the error of a removal run early that failed. */
	done?: Promise<unknown>;
}

const waiting = new Map<string, Waiting>();

/** Schedules `removal`; one for the same URL that still waits is replaced (its endpoint is the same). */
export function deferRemoval(removal: Removal, schedule: number[] = REMOVAL_SCHEDULE_MS): void {
	const previous = waiting.get(removal.url);
	if (previous) previous.claimed = true;
	const entry: Waiting = { removal, due: 0, claimed: false };
	waiting.set(removal.url, entry);
	entry.done = run(entry, schedule);
}

async function run(entry: Waiting, schedule: number[]): Promise<unknown> {
	let lastError: unknown;
	for (const delay of schedule) {
		entry.due = Date.now() + delay;
		let early = false;
		entry.runNow = () => (early = true);
		// Short sleeps, so that a claimed removal stops holding the event loop at once.
		while (!entry.claimed && !early && Date.now() < entry.due) {
			await sleep(Math.min(TICK_MS, Math.max(1, entry.due - Date.now())));
		}
		if (entry.claimed) return;
		try {
			await entry.removal.remove();
			if (waiting.get(entry.removal.url) === entry) waiting.delete(entry.removal.url);
			return;
		} catch (error) {
			lastError = error;
			if (early) {
				if (waiting.get(entry.removal.url) === entry) waiting.delete(entry.removal.url);
				return error;
			}
		}
	}
	if (waiting.get(entry.removal.url) === entry) waiting.delete(entry.removal.url);
	entry.removal.giveUp(lastError);
	return undefined;
}

/**
 * Cancels the removal waiting for `url` and returns it: the caller keeps the endpoint. Undefined when none
 * waits (the usual activation).
 */
export function claimRemoval(url: string): Removal | undefined {
	const entry = waiting.get(url);
	if (!entry || entry.claimed) return undefined;
	entry.claimed = true;
	waiting.delete(url);
	return entry.removal;
}

/**
 * Runs the removal waiting for `url` now, as if its grace had passed; resolves with its error when it failed
 * (undefined when it succeeded or none waits). For tests; nothing in n8n's lifecycle needs it.
 */
export async function removeNow(url: string): Promise<unknown> {
	const entry = waiting.get(url);
	if (!entry || entry.claimed) return undefined;
	entry.runNow?.();
	return await entry.done;
}

/** URLs with a removal waiting (for diagnostics and tests). */
export function waitingRemovals(): string[] {
	return [...waiting.keys()];
}
