/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the opt-in Redis dedup store needs a TCP/TLS
   socket; no module on n8n's allowed list opens one. This is why the package is not eligible for n8n's
   verified-community-node programme (README, "Scaling out": "Why a built-in Redis client"). */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/**
 * The few Redis commands the dedup store needs, over one pipelined connection per server and process: RESP2
 * requests and replies, AUTH and SELECT on connect, a deadline per command batch. No dependency: the package
 * ships none (see README, "Why a built-in Redis client"). Not a general client: no pub/sub, no cluster
 * redirects, no RESP3.
 */

export interface RedisServer {
	host: string;
	port: number;
	user?: string;
	password?: string;
	database?: number;
	tls?: boolean;
	/** Accept a certificate that does not verify (the credential's "Disable TLS Verification"). */
	insecureTls?: boolean;
}

/** The server could not be reached or did not answer in time: nothing is known about the commands. */
export class RedisUnavailableError extends Error {}

/** The server answered a command with an error reply (wrong password, wrong type, …). */
export class RedisReplyError extends Error {}

export type RedisReply = string | number | null | RedisReply[] | RedisReplyError;

/** How long a batch of commands (or the connection and its AUTH/SELECT) may take. */
export const REDIS_DEADLINE_MS = 2000;

function encode(args: readonly (string | number)[]): Buffer {
	const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
	for (const arg of args) {
		const bytes = Buffer.from(String(arg), 'utf8');
		parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
	}
	return Buffer.concat(parts);
}

/**
 * Words for the usual socket failures. n8n rewrites any error message that contains a code such as
 * ECONNREFUSED into a generic one ("The service refused the connection"), which would hide the address.
 */
function describeSocketError(error: NodeJS.ErrnoException): string {
	const words: Record<string, string> = {
		ECONNREFUSED: 'connection refused (is Redis running on that host and port?)',
		ENOTFOUND: 'host name not found',
		EAI_AGAIN: 'host name lookup failed',
		ETIMEDOUT: 'connection timed out',
		ECONNRESET: 'connection reset',
		EHOSTUNREACH: 'host unreachable',
		ENETUNREACH: 'network unreachable',
		EPIPE: 'connection closed while sending',
	};
	if (error.code && words[error.code]) return words[error.code];
	return error.code
		? error.message.replace(error.code, '').replace(/\s+/g, ' ').trim()
		: error.message;
}

const INCOMPLETE = Symbol('incomplete');

/** Parses one reply at `offset`; returns it with the offset after it, or INCOMPLETE. */
function parseReply(buffer: Buffer, offset: number): [RedisReply, number] | typeof INCOMPLETE {
	const lineEnd = buffer.indexOf('\r\n', offset);
	if (lineEnd === -1) return INCOMPLETE;
	const type = String.fromCharCode(buffer[offset]);
	const line = buffer.toString('utf8', offset + 1, lineEnd);
	const next = lineEnd + 2;
	switch (type) {
		case '+':
			return [line, next];
		case '-':
			return [new RedisReplyError(line), next];
		case ':':
			return [Number(line), next];
		case '$': {
			const length = Number(line);
			if (length < 0) return [null, next];
			if (buffer.length < next + length + 2) return INCOMPLETE;
			return [buffer.toString('utf8', next, next + length), next + length + 2];
		}
		case '*': {
			const count = Number(line);
			if (count < 0) return [null, next];
			const items: RedisReply[] = [];
			let at = next;
			for (let index = 0; index < count; index++) {
				const item = parseReply(buffer, at);
				if (item === INCOMPLETE) return INCOMPLETE;
				items.push(item[0]);
				at = item[1];
			}
			return [items, at];
		}
		default:
			throw new RedisUnavailableError(`unexpected reply type "${type}" from the Redis server`);
	}
}

interface Waiting {
	count: number;
	replies: RedisReply[];
	resolve(replies: RedisReply[]): void;
	reject(error: Error): void;
}

class RedisConnection {
	private socket: Socket;
	private buffer: Buffer = Buffer.alloc(0);
	private waiting: Waiting[] = [];
	closed = false;
	readonly ready: Promise<void>;

	constructor(private readonly server: RedisServer) {
		const options = { host: server.host, port: server.port };
		this.socket = server.tls
			? connectTls({ ...options, servername: server.host, rejectUnauthorized: !server.insecureTls })
			: connectTcp(options);
		this.socket.setNoDelay(true);
		this.socket.setTimeout(REDIS_DEADLINE_MS);
		this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
		this.socket.on('timeout', () =>
			this.fail(
				new RedisUnavailableError(
					`no answer from Redis at ${this.address} within ${REDIS_DEADLINE_MS} ms`,
				),
			),
		);
		this.socket.on('error', (error: NodeJS.ErrnoException) =>
			this.fail(
				new RedisUnavailableError(
					`cannot reach Redis at ${this.address}: ${describeSocketError(error)}`,
				),
			),
		);
		this.socket.on('close', () =>
			this.fail(new RedisUnavailableError(`Redis at ${this.address} closed the connection`)),
		);
		const handshake: Array<Array<string | number>> = [];
		if (server.password)
			handshake.push(
				server.user ? ['AUTH', server.user, server.password] : ['AUTH', server.password],
			);
		if (server.database) handshake.push(['SELECT', server.database]);
		this.ready =
			handshake.length === 0
				? Promise.resolve()
				: this.send(handshake).then((replies) => {
						const refused = replies.find((reply) => reply instanceof RedisReplyError);
						if (refused) {
							this.close();
							throw new RedisReplyError(
								`Redis at ${this.address} refused the credential: ${(refused as Error).message}`,
							);
						}
					});
		// A refused handshake is reported to whoever waits on `ready`; never an unhandled rejection.
		this.ready.catch(() => undefined);
	}

	get address(): string {
		return `${this.server.host}:${this.server.port}`;
	}

	/** Sends the commands in one write; resolves with one reply per command, in order. */
	send(commands: Array<Array<string | number>>): Promise<RedisReply[]> {
		if (this.closed)
			return Promise.reject(
				new RedisUnavailableError(`Redis at ${this.address} closed the connection`),
			);
		return new Promise((resolve, reject) => {
			this.waiting.push({ count: commands.length, replies: [], resolve, reject });
			this.socket.setTimeout(REDIS_DEADLINE_MS);
			this.socket.write(Buffer.concat(commands.map(encode)));
		});
	}

	private receive(chunk: Buffer): void {
		this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
		let offset = 0;
		try {
			while (offset < this.buffer.length && this.waiting.length > 0) {
				const parsed = parseReply(this.buffer, offset);
				if (parsed === INCOMPLETE) break;
				offset = parsed[1];
				const head = this.waiting[0];
				head.replies.push(parsed[0]);
				if (head.replies.length === head.count) {
					this.waiting.shift();
					head.resolve(head.replies);
				}
			}
		} catch (error) {
			this.fail(error as Error);
			return;
		}
		this.buffer = this.buffer.subarray(offset);
		// Idle connections stay open without a deadline; one waits for answers only while commands are out.
		if (this.waiting.length === 0) this.socket.setTimeout(0);
	}

	private fail(error: Error): void {
		if (!this.closed) {
			this.closed = true;
			this.socket.destroy();
		}
		const waiting = this.waiting;
		this.waiting = [];
		for (const each of waiting) each.reject(error);
	}

	close(): void {
		this.fail(new RedisUnavailableError(`Redis connection to ${this.address} closed`));
	}
}

/** One connection per server (address, user, password, database, TLS) and process. */
const connections = new Map<string, RedisConnection>();

function serverKey(server: RedisServer): string {
	return JSON.stringify([
		server.host,
		server.port,
		server.user ?? '',
		server.password ?? '',
		server.database ?? 0,
		!!server.tls,
		!!server.insecureTls,
	]);
}

/**
 * Runs the commands as one pipelined batch on this process's connection to `server` (opened, authenticated
 * and reopened after a failure as needed). Rejects with RedisUnavailableError when the server cannot be
 * reached or does not answer within REDIS_DEADLINE_MS, and RedisReplyError when it refuses the credential.
 * Error replies to the commands themselves are returned in place.
 */
export async function redisBatch(
	server: RedisServer,
	commands: Array<Array<string | number>>,
): Promise<RedisReply[]> {
	const key = serverKey(server);
	let connection = connections.get(key);
	if (!connection || connection.closed) {
		connection = new RedisConnection(server);
		connections.set(key, connection);
	}
	await connection.ready;
	return await connection.send(commands);
}

/** Closes every connection of this process (tests; a connection otherwise lives as long as n8n). */
export function closeRedisConnections(): void {
	for (const connection of connections.values()) connection.close();
	connections.clear();
}
