/**
 * Signing secrets per workflow node, kept in process memory for a few seconds. Reading a credential costs
 * n8n a database read, a decryption and an expression pass, which would otherwise be paid on every delivery
 * (and on every forgery of a flood). A credential edit is
 * picked up within SECRETS_CACHE_MS; a delivery that fails verification against cached secrets is checked
 * once more against a fresh read, so a newly added secret works at once — but at most once per
 * SECRETS_REFRESH_MS per node, so a flood of forgeries cannot turn into a flood of credential reads.
 */

export const SECRETS_CACHE_MS = 10_000;
const MAX_CACHED = 1000;

const cache = new Map<string, { secrets: string[]; atMs: number }>();

export function cachedSecrets(key: string, nowMs: number): string[] | undefined {
	const entry = cache.get(key);
	if (!entry) return undefined;
	if (nowMs - entry.atMs >= SECRETS_CACHE_MS || nowMs < entry.atMs) {
		cache.delete(key);
		return undefined;
	}
	return entry.secrets;
}

export function rememberSecrets(key: string, secrets: string[], nowMs: number): void {
	cache.delete(key);
	if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
	cache.set(key, { secrets, atMs: nowMs });
}

export const SECRETS_REFRESH_MS = 1_000;
const lastRefresh = new Map<string, number>();

/** Whether a failed verification may read the credential afresh now (at most once a second per key). */
export function mayRefreshSecrets(key: string, nowMs: number): boolean {
	const last = lastRefresh.get(key);
	if (last !== undefined && nowMs - last < SECRETS_REFRESH_MS && nowMs >= last) return false;
	if (lastRefresh.size >= MAX_CACHED) lastRefresh.delete(lastRefresh.keys().next().value as string);
	lastRefresh.set(key, nowMs);
	return true;
}
