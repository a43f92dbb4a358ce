import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type ICredentialDataDecryptedObject,
	type IHookFunctions,
	type INodeProperties,
	type ITriggerFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { redisBatch, type RedisServer } from './redisClient';
import { SECRETS_CACHE_MS } from './secretCache';

/**
 * Where a trigger remembers event ids: the workflow's static data (default, one n8n process) or Redis (several
 * n8n processes, e.g. queue mode's webhook processes), chosen per node. Redis takes n8n's built-in Redis
 * credential (this package's own credential type, with
 * the fields of n8n's built-in one) — usually the Redis queue mode already runs.
 */

export const DEDUP_STORE_PARAMETER = 'dedupStore';
export const REDIS_STORE_CREDENTIAL = 'verifiedWebhooksRedisApi';

export const dedupStoreProperty: INodeProperties = {
	displayName: 'Dedup Store',
	name: DEDUP_STORE_PARAMETER,
	type: 'options',
	options: [
		{
			name: 'Workflow Static Data',
			value: 'staticData',
			description:
				'Remembers event IDs in the workflow. Exact for one n8n process; with several (queue mode) a retry that reaches two processes within about half a second can run twice.',
		},
		{
			name: 'Redis',
			value: 'redis',
			description:
				'Claims every event ID atomically in Redis (for example the one n8n queue mode runs): exactly once across every n8n process. If Redis cannot be reached, deliveries get 503 and the provider retries them later.',
		},
	],
	default: 'staticData',
};

function serverFrom(credential: ICredentialDataDecryptedObject): RedisServer {
	return {
		host: String(credential.host || 'localhost'),
		port: Number(credential.port) || 6379,
		user:
			typeof credential.user === 'string' && credential.user !== '' ? credential.user : undefined,
		password:
			typeof credential.password === 'string' && credential.password !== ''
				? credential.password
				: undefined,
		database: Number(credential.database) || 0,
		tls: credential.ssl === true,
		insecureTls: credential.disableTlsVerification === true,
	};
}

/**
 * Credential reads cost n8n a database read and a decryption per call; like the signing secrets, the store's
 * credential is kept 10 s per workflow, node and credential id (a changed credential applies within 10 s).
 */
const STORE_CACHE_MS = SECRETS_CACHE_MS;
const storeCache = new Map<string, { server: RedisServer; at: number }>();

/** The Redis server this node claims event ids in, or undefined when it uses workflow static data. */
export async function redisStoreOf(
	context: Pick<
		IWebhookFunctions | ITriggerFunctions,
		'getNodeParameter' | 'getNode' | 'getWorkflow' | 'getCredentials'
	>,
): Promise<RedisServer | undefined> {
	if (context.getNodeParameter(DEDUP_STORE_PARAMETER, 'staticData') !== 'redis') return undefined;
	const node = context.getNode();
	const key = JSON.stringify([
		context.getWorkflow().id,
		node.name,
		node.credentials?.[REDIS_STORE_CREDENTIAL]?.id ?? '',
	]);
	const now = Date.now();
	const cached = storeCache.get(key);
	if (cached && now - cached.at < STORE_CACHE_MS) return cached.server;
	const server = serverFrom(await context.getCredentials(REDIS_STORE_CREDENTIAL));
	storeCache.set(key, { server, at: now });
	return server;
}

/**
 * At activation: a node set to the Redis store must reach it with its credential, or the workflow does not
 * activate (every delivery would otherwise get 503 until someone reads the log).
 */
export async function checkDedupStore(context: IHookFunctions): Promise<void> {
	if (context.getNodeParameter(DEDUP_STORE_PARAMETER, 'staticData') !== 'redis') return;
	let server: RedisServer;
	try {
		server = serverFrom(await context.getCredentials(REDIS_STORE_CREDENTIAL));
	} catch {
		throw new NodeOperationError(
			context.getNode(),
			'Dedup Store is Redis, but the node has no Redis credential',
			{
				description:
					'Select a Redis credential on the node, or set Dedup Store to Workflow Static Data.',
			},
		);
	}
	try {
		const [reply] = await redisBatch(server, [['PING']]);
		if (reply !== 'PONG') throw new Error(`unexpected answer to PING: ${String(reply)}`);
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`Dedup Store is Redis, but Redis at ${server.host}:${server.port} cannot be used: ${(error as Error).message}`,
			{
				description:
					'Check the Redis credential (host, port, user, password, database, SSL) and that this n8n process can reach the server, or set Dedup Store to Workflow Static Data.',
			},
		);
	}
}

/** The credential's "Test" button (every trigger names it in `testedBy`): PING with the credential. */
export async function dedupStoreRedisTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const server = serverFrom(credential.data ?? {});
	try {
		const [reply] = await redisBatch(server, [['PING']]);
		if (reply !== 'PONG')
			return { status: 'Error', message: `Unexpected answer to PING: ${String(reply)}` };
		return { status: 'OK', message: `Redis at ${server.host}:${server.port} answers` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
