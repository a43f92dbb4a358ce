import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IHookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { checkDedupStore } from './dedupStore';
import { claimRemoval, deferRemoval, REMOVAL_SCHEDULE_MS } from './pendingRemoval';
import { openSecret, sealSecret } from './sealedSecret';

/**
 * The registration lifecycle every auto-registering trigger shares. n8n calls checkExists, then create
 * when it returned false; create may run up to five times for one activation (activation retries) and
 * delete up to three times, also after a failed create. So: create adopts what an earlier attempt left,
 * ids are stored the moment the provider answers, and delete accepts "already gone".
 */

export interface RemoteEndpoint {
	id: string;
	url: string;
	events: string[];
	enabled: boolean;
	/** Created by this package (a marker the provider stores for us), so ours to remove. */
	ours: boolean;
}

export interface EndpointApi {
	get(id: string): Promise<RemoteEndpoint | undefined>;
	/** Every endpoint at the provider whose URL is `url`. */
	findByUrl(url: string): Promise<RemoteEndpoint[]>;
	/** Creates the endpoint; `secret` is the signing secret when the provider issues one. */
	create(url: string, events: string[]): Promise<{ endpoint: RemoteEndpoint; secret?: string }>;
	/**
	 * Brings an existing endpoint to the wanted events and re-enables it. Returns a new id when the
	 * provider's endpoint is a set of subscriptions (one per topic) whose identity changes with the events.
	 * `secret` is the endpoint's stored signing secret, for APIs whose update replaces the whole webhook (a PUT).
	 */
	repair(id: string, events: string[], secret: string | undefined): Promise<string | void>;
	/** 'gone' when the provider no longer knows the id (a 404). */
	remove(id: string): Promise<'deleted' | 'gone'>;
	/**
	 * Catch-up (see catchUp.ts): the events the provider holds as not delivered to endpoint `id` since
	 * `sinceSeconds` (unix), oldest first, as far as a few pages of the provider's list reach. Absent when the
	 * provider offers no way to get them back.
	 */
	missed?(id: string, sinceSeconds: number): Promise<MissedDelivery[]>;
}

/** An event the provider could not deliver to the endpoint, as catch-up gets it back. */
export interface MissedDelivery {
	/** The id its deliveries are deduplicated on: what the provider's parser calls the event id. */
	eventId: string;
	/** Asks the provider to send it again, signed as ever (GitHub, Paddle): it then runs as a delivery. */
	redeliver?(): Promise<void>;
	/** Or the event itself, read from the provider's API over the authenticated connection (Stripe). */
	event?: Buffer;
}

/** The static-data keys this module owns, in one place. */
export interface StoredRegistration {
	endpointId?: string;
	endpointUrl?: string;
	/** The provider-issued signing secret, sealed (see sealedSecret.ts). */
	sealedSecret?: string;
}

export interface Registration {
	api: EndpointApi;
	/** The URL n8n serves (the test URL during "Listen for test event"). */
	url: string;
	events: string[];
	/** Key material for sealing the secret, e.g. the credential's API key. */
	sealingKey: string;
	/** Whether the provider issues a secret we must hold (Stripe: yes). */
	needsStoredSecret: boolean;
}

const SECRET_CONTEXT = 'endpoint-signing-secret:';

function stored(context: IHookFunctions): StoredRegistration & IDataObject {
	return context.getWorkflowStaticData('node') as StoredRegistration & IDataObject;
}

function forget(data: StoredRegistration): void {
	delete data.endpointId;
	delete data.endpointUrl;
	delete data.sealedSecret;
}

function sameEvents(a: string[], b: string[]): boolean {
	if (a.length !== b.length) return false;
	const wanted = new Set(a);
	return b.every((event) => wanted.has(event));
}

/**
 * Secrets this process has opened, by their sealed value. When the credential's key is rotated, the stored
 * secret no longer opens under the new key; if this process opened it before, it is sealed again under the
 * new key (and n8n saves the static data), so verification goes on without a re-registration. Bounded; a
 * sealed value names one endpoint's secret under one key, so a stale entry can never be used for another.
 */
const opened = new Map<string, string>();
const MAX_OPENED = 1000;

function rememberOpened(sealed: string, secret: string): void {
	opened.delete(sealed);
	if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value as string);
	opened.set(sealed, secret);
}

/**
 * The stored signing secret for the stored endpoint, or undefined when there is none we can read. A secret
 * sealed under a key the credential no longer has is re-sealed under the current one when this process
 * still knows it (see `opened`); `data` then changes, which n8n saves.
 */
export function readStoredSecret(data: StoredRegistration, sealingKey: string): string | undefined {
	if (!data.endpointId || !data.sealedSecret) return undefined;
	const context = SECRET_CONTEXT + data.endpointId;
	const secret = openSecret(data.sealedSecret, sealingKey, context);
	if (secret !== undefined) {
		rememberOpened(data.sealedSecret, secret);
		return secret;
	}
	const known = opened.get(data.sealedSecret);
	if (known === undefined || !sealingKey) return undefined;
	data.sealedSecret = sealSecret(known, sealingKey, context);
	rememberOpened(data.sealedSecret, known);
	return known;
}

function usable(
	endpoint: RemoteEndpoint | undefined,
	data: StoredRegistration,
	registration: Registration,
) {
	return (
		endpoint !== undefined &&
		endpoint.url === registration.url &&
		(!registration.needsStoredSecret ||
			readStoredSecret(data, registration.sealingKey) !== undefined)
	);
}

async function repairIfNeeded(
	context: IHookFunctions,
	endpoint: RemoteEndpoint,
	registration: Registration,
) {
	if (endpoint.enabled && sameEvents(endpoint.events, registration.events)) return;
	context.logger.info(
		`Verified Webhooks: updating endpoint ${endpoint.id} to the selected events`,
		{
			workflowId: context.getWorkflow().id,
		},
	);
	const data = stored(context);
	const secret = registration.needsStoredSecret
		? readStoredSecret(data, registration.sealingKey)
		: undefined;
	const newId = await registration.api.repair(endpoint.id, registration.events, secret);
	if (typeof newId !== 'string' || newId === endpoint.id) return;
	data.endpointId = newId;
	if (secret !== undefined)
		data.sealedSecret = sealSecret(secret, registration.sealingKey, SECRET_CONTEXT + newId);
}

/** True when the stored endpoint exists at the provider with our URL, our events and a usable secret. */
export async function checkEndpoint(
	context: IHookFunctions,
	registration: Registration,
): Promise<boolean> {
	const data = stored(context);
	if (!data.endpointId) return false;
	const endpoint = await registration.api.get(data.endpointId);
	if (!endpoint) {
		context.logger.info(
			`Verified Webhooks: endpoint ${data.endpointId} no longer exists; registering anew`,
		);
		forget(data);
		return false;
	}
	if (!usable(endpoint, data, registration)) return false;
	await repairIfNeeded(context, endpoint, registration);
	return true;
}

/**
 * For a check while the trigger is active (see endpointWatch.ts), by URL: the static data a trigger holds in
 * memory may be older than what n8n saved since. An endpoint of ours the provider disabled, or whose events
 * drifted, is repaired in place — only when it is the stored one, whose stored secret is then the right one
 * ('stale' otherwise). One that is gone is 'missing': nothing here re-creates, since n8n saves no static data a
 * periodic check changes (endpointWatch.ts has n8n restart the trigger, which registers it where n8n saves).
 */
export async function inspectEndpoint(
	context: IHookFunctions,
	registration: Registration,
): Promise<'ok' | 'repaired' | 'missing' | 'stale'> {
	const data = stored(context);
	const [endpoint] = (await registration.api.findByUrl(registration.url)).filter(
		(candidate) => candidate.ours,
	);
	if (!endpoint) return 'missing';
	if (endpoint.enabled && sameEvents(endpoint.events, registration.events)) return 'ok';
	const idParts = (id: string) => id.split(' ').filter(Boolean).sort().join(' ');
	if (!data.endpointId || idParts(data.endpointId) !== idParts(endpoint.id)) return 'stale';
	await repairIfNeeded(context, endpoint, registration);
	return 'repaired';
}

/** Idempotent: adopts the stored endpoint when usable, removes our unusable leftovers, then creates one. */
export async function createEndpoint(
	context: IHookFunctions,
	registration: Registration,
): Promise<boolean> {
	const data = stored(context);
	const { api } = registration;
	if (data.endpointId) {
		const endpoint = await api.get(data.endpointId);
		if (endpoint && usable(endpoint, data, registration)) {
			await repairIfNeeded(context, endpoint, registration);
			return true;
		}
		if (endpoint && endpoint.ours) await api.remove(endpoint.id);
		forget(data);
	}
	// An earlier attempt may have created an endpoint and failed before its id was stored. Its secret is
	// lost with it, so it cannot be adopted: remove it rather than leave a second endpoint delivering.
	for (const leftover of await api.findByUrl(registration.url)) {
		if (leftover.ours) {
			context.logger.info(
				`Verified Webhooks: removing leftover endpoint ${leftover.id} for ${registration.url}`,
			);
			await api.remove(leftover.id);
		} else {
			context.logger.warn(
				`Verified Webhooks: endpoint ${leftover.id} with this workflow's URL was not created by this node ` +
					`and is left alone; events it delivers are verified with the credential's signing secrets.`,
			);
		}
	}
	const { endpoint, secret } = await api.create(registration.url, registration.events);
	data.endpointId = endpoint.id;
	data.endpointUrl = endpoint.url;
	if (secret !== undefined) {
		data.sealedSecret = sealSecret(secret, registration.sealingKey, SECRET_CONTEXT + endpoint.id);
	}
	return true;
}

/**
 * Removes the stored endpoint, then every endpoint of ours still registered for the URL: what an attempt
 * that created one at the provider but never saw the answer left behind (no id was stored for it). A
 * provider 404 counts as done; other failures keep what is stored and throw.
 */
export async function deleteEndpoint(
	context: IHookFunctions,
	registration: Pick<Registration, 'api' | 'url'>,
): Promise<boolean> {
	const data = stored(context);
	const { api } = registration;
	// The URL this registration was made for (a test listen's own, when it ends), else the one n8n serves now.
	const url = data.endpointUrl ?? registration.url;
	const removeAll = async () => {
		if (data.endpointId && (await api.remove(data.endpointId))) forget(data);
		for (const leftover of await api.findByUrl(url)) {
			if (!leftover.ours) continue;
			context.logger.info(
				`Verified Webhooks: removing leftover endpoint ${leftover.id} for ${url}`,
			);
			await api.remove(leftover.id);
		}
	};
	for (let attempt = 1; ; attempt++) {
		try {
			await removeAll();
			forget(data);
			return true;
		} catch (error) {
			// A deactivation is often the last chance to remove the endpoint: transient failures (rate limits,
			// 5xx, network, an unreadable answer) are retried here, on top of n8n's own retries.
			if (attempt < DELETE_ATTEMPTS && isTransient(error)) {
				await sleep(DELETE_RETRY_MS * attempt);
				continue;
			}
			const which = data.endpointId ? `Endpoint ${data.endpointId}` : `An endpoint for ${url}`;
			const hint =
				`${which} could not be removed at the provider. It stays recorded in the workflow ` +
				`and is reused or removed on the next activation; or delete it in the provider's dashboard.`;
			context.logger.error(`Verified Webhooks: ${hint} (${(error as Error).message})`, {
				workflowId: context.getWorkflow().id,
			});
			throw new NodeApiError(context.getNode(), error as JsonObject, {
				message: (error as Error).message,
				description: hint,
				httpCode: (error as NodeApiError).httpCode ?? undefined,
			});
		}
	}
}

const DELETE_ATTEMPTS = 3;
const DELETE_RETRY_MS = 150;

/** Worth another try: no HTTP status (network, unreadable answer), a rate limit or a server error. */
function isTransient(error: unknown): boolean {
	const status = Number((error as { httpCode?: unknown }).httpCode);
	return !Number.isFinite(status) || status === 429 || status >= 500;
}

/**
 * Takes over an endpoint whose removal is waiting for `registration.url` (an edit of the active trigger being
 * published: n8n called delete just before). A renamed node takes over what the old node stored; a secret
 * sealed under a rotated key is sealed again. When the endpoint is not usable with the node's current settings
 * (another account in the credential, another URL), the old one is removed now, before anything is created.
 */
async function claimWaitingRemoval(
	context: IHookFunctions,
	registration: Registration,
): Promise<void> {
	const removal = claimRemoval(registration.url);
	if (!removal) return;
	const data = stored(context);
	if (removal.nodeData !== data && !data.endpointId) {
		const previous = JSON.parse(JSON.stringify(removal.nodeData)) as IDataObject;
		for (const [key, value] of Object.entries(previous)) if (!(key in data)) data[key] = value;
	}
	if (
		removal.secret !== undefined &&
		data.endpointId &&
		readStoredSecret(data, registration.sealingKey) === undefined &&
		registration.sealingKey
	) {
		data.sealedSecret = sealSecret(
			removal.secret,
			registration.sealingKey,
			SECRET_CONTEXT + data.endpointId,
		);
	}
	let endpoint: RemoteEndpoint | undefined;
	try {
		endpoint = data.endpointId ? await registration.api.get(data.endpointId) : undefined;
	} catch (error) {
		// Unknown whether it can be kept: the removal waits again, and n8n's next activation attempt claims it.
		deferRemoval(removal);
		throw new NodeApiError(context.getNode(), error as JsonObject, {
			message: (error as Error).message,
			description: (error as NodeApiError).description ?? undefined,
			httpCode: (error as NodeApiError).httpCode ?? undefined,
		});
	}
	if (endpoint && usable(endpoint, data, registration)) {
		context.logger.info(
			`Verified Webhooks: kept endpoint ${endpoint.id} across the edit of the active trigger`,
			{ workflowId: context.getWorkflow().id },
		);
		return;
	}
	try {
		await removal.remove();
	} catch {
		// Logged by the removal; the endpoint stays recorded in the old node's data and is retried no further.
	}
}

/**
 * The three webhookMethods of an auto-registering trigger. `build` returns undefined when the user chose
 * manual registration, which makes every method a no-op.
 *
 * `delete` does not remove at once: n8n calls it for an edit being published too, right before create (see
 * pendingRemoval.ts). The removal runs after a grace unless checkExists/create claims the endpoint first.
 */
export function registrationLifecycle(
	build: (context: IHookFunctions) => Promise<Registration | undefined>,
	checks: {
		/** Throws an n8n error that says what to change when the node cannot work as configured. Not run on delete. */
		validate?: (this: IHookFunctions) => Promise<void>;
	} = {},
) {
	return {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			await checks.validate?.call(this);
			await checkDedupStore(this);
			const wanted = await build(this);
			if (!wanted) return true;
			await claimWaitingRemoval(this, wanted);
			return await checkEndpoint(this, wanted);
		},
		async create(this: IHookFunctions): Promise<boolean> {
			await checks.validate?.call(this);
			const wanted = await build(this);
			if (!wanted) return true;
			await claimWaitingRemoval(this, wanted);
			return await createEndpoint(this, wanted);
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			const wanted = await build(this);
			if (wanted) scheduleRemoval(this, wanted);
			return true;
		},
	};
}

/** What `delete` does: the removal waits for the grace (see pendingRemoval.ts). */
function scheduleRemoval(context: IHookFunctions, wanted: Registration): void {
	const data = stored(context);
	const workflowId = context.getWorkflow().id;
	deferRemoval({
		url: wanted.url,
		nodeData: data,
		secret: wanted.needsStoredSecret ? readStoredSecret(data, wanted.sealingKey) : undefined,
		remove: async () => {
			await outsideTheHook(context, async () => await deleteEndpoint(context, wanted));
		},
		giveUp: (error: unknown) =>
			context.logger.error(
				`Verified Webhooks: gave up removing the endpoint for ${wanted.url} after repeated failures ` +
					`(last: ${error instanceof Error ? error.message : String(error)}). ` +
					`It stays recorded in the workflow and is reused or removed on the next activation; or delete ` +
					`it in the provider's dashboard.`,
				{ workflowId },
			),
	});
	context.logger.info(
		`Verified Webhooks: the endpoint for ${wanted.url} is removed in ${REMOVAL_GRACE_SECONDS} s unless ` +
			`the trigger is activated again first (publishing an edit keeps it)`,
		{ workflowId },
	);
}

const REMOVAL_GRACE_SECONDS = REMOVAL_SCHEDULE_MS[0] / 1000;

/**
 * Runs `fn` with `context` after its hook returned. n8n (2.41.1 and 1.123.81 alike) resolves credentials
 * through the workflow's expression isolate, which it releases when the hook ends ("No bridge acquired for this
 * context"); the context's workflow (public on n8n-core's contexts, not part of IHookFunctions) takes it again
 * for the call. An n8n without `withIsolate` runs `fn` as it is.
 */
export async function outsideTheHook<T>(context: IHookFunctions, fn: () => Promise<T>): Promise<T> {
	const workflow: unknown = Reflect.get(context, 'workflow');
	const expression = (workflow as { expression?: { withIsolate?: unknown } } | undefined)
		?.expression;
	if (expression && typeof expression.withIsolate === 'function') {
		return await (expression.withIsolate as (run: () => Promise<T>) => Promise<T>).call(
			expression,
			fn,
		);
	}
	return await fn();
}
