'use strict';
/**
 * n8n's queue mode, the way users scale out, for the end-to-end tests and the bench: PostgreSQL and Redis from
 * Debian (scripts/services.js), one main (`n8n start`, production webhooks off), `n8n webhook` processes (two by
 * default) and `n8n worker`s (one by default), each with its own user folder holding the packed package, its own
 * host name (n8n derives its host id from it; two webhook processes with one name ignore each other's pub/sub)
 * and its own task-runner port — and a round-robin proxy on 127.0.0.1 in front of the webhook processes, whose
 * address is n8n's webhook URL. Readiness comes from each process's log (main's readiness endpoint answers
 * ~18 s early).
 */
const http = require('node:http');
const { randomBytes } = require('node:crypto');

const { N8nInstance, freePort } = require('./n8n');
const { startPostgres, startRedis } = require('./services');

/** A round-robin HTTP proxy: request i goes to target i mod n. */
async function roundRobinProxy(targets) {
	let next = 0;
	const server = http.createServer((request, response) => {
		const target = targets[next++ % targets.length];
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: target,
				method: request.method,
				path: request.url,
				headers: request.headers,
			},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('error', () => {
			if (!response.headersSent) response.writeHead(502);
			response.end();
		});
		request.pipe(upstream);
	});
	const port = await freePort();
	await new Promise((done) => server.listen(port, '127.0.0.1', done));
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((done) => server.close(done)),
	};
}

/** @typedef {InstanceType<typeof N8nInstance>} N8n */

class QueueTopology {
	/** @param {{ version?: string, webhookProcesses?: number, workers?: number, workerConcurrency?: number }} [options] */
	constructor({ version, webhookProcesses = 2, workers = 1, workerConcurrency = 10 } = {}) {
		this.version = version;
		this.webhookCount = webhookProcesses;
		this.workerCount = workers;
		this.workerConcurrency = workerConcurrency;
		/** @type {N8n[]} */
		this.webhooks = [];
		/** @type {N8n} */
		this.main = /** @type {any} */ (undefined);
		/** @type {N8n[]} */
		this.workers = [];
		/** @type {{ port: number, stop(): Promise<void>, kill(): Promise<void> }} */
		this.redis = /** @type {any} */ (undefined);
		/** @type {{ port: number, database: string, user: string, password: string, stop(): Promise<void> }} */
		this.postgres = /** @type {any} */ (undefined);
		/** @type {{ port: number, url: string, close(): Promise<void> }} */
		this.proxy = /** @type {any} */ (undefined);
		this.startSeconds = 0;
	}

	/** Starts everything; ~1 min on 2 cores. */
	async start() {
		const begin = Date.now();
		[this.postgres, this.redis] = await Promise.all([startPostgres(), startRedis()]);
		const webhookPorts = await Promise.all(
			Array.from({ length: this.webhookCount }, () => freePort()),
		);
		this.proxy = await roundRobinProxy(webhookPorts);
		const tag = randomBytes(3).toString('hex');
		const shared = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: this.postgres.database,
			DB_POSTGRESDB_USER: this.postgres.user,
			DB_POSTGRESDB_PASSWORD: this.postgres.password,
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			QUEUE_BULL_PREFIX: `vwh-${tag}`,
			WEBHOOK_URL: `${this.proxy.url}/`,
			N8N_WEBHOOK_URL: `${this.proxy.url}/`,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		this.main = new N8nInstance({
			version: this.version,
			hostname: `vwh-main-${tag}`,
			readyPattern: /Editor is now accessible via/,
			env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		await this.main.prepare();
		// Main first: it runs the database migrations the others wait for.
		await this.main.start();
		const mainUrl = `${this.main.baseUrl}/`;
		for (let index = 0; index < this.webhookCount; index++) {
			const webhook = new N8nInstance({
				version: this.version,
				port: webhookPorts[index],
				command: 'webhook',
				hostname: `vwh-webhook${index + 1}-${tag}`,
				readyPattern: /Webhook listener waiting for requests/,
				env: { ...shared, N8N_EDITOR_BASE_URL: mainUrl },
			});
			await webhook.prepare();
			this.webhooks.push(webhook);
		}
		for (let index = 0; index < this.workerCount; index++) {
			const healthPort = await freePort();
			const worker = new N8nInstance({
				version: this.version,
				command: ['worker', `--concurrency=${this.workerConcurrency}`],
				hostname: `vwh-worker${index + 1}-${tag}`,
				readyPattern: /n8n worker is now ready/,
				env: {
					...shared,
					N8N_EDITOR_BASE_URL: mainUrl,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			});
			await worker.prepare();
			this.workers.push(worker);
		}
		await Promise.all([...this.webhooks, ...this.workers].map((each) => each.start()));
		this.startSeconds = Math.round((Date.now() - begin) / 1000);
		return this;
	}

	/** Every process's log tail, for a failure report. */
	logTails(lines = 15) {
		return [this.main, ...this.webhooks, ...this.workers]
			.filter(Boolean)
			.map((each) => `--- ${each.hostname} (${each.logFile})\n${each.logTail(lines)}`)
			.join('\n');
	}

	async stop() {
		await Promise.all(
			[this.main, ...this.webhooks, ...this.workers].filter(Boolean).map((each) => each.stop()),
		);
		for (const each of [this.main, ...this.webhooks, ...this.workers].filter(Boolean))
			each.cleanup();
		await this.proxy?.close();
		await Promise.all([this.redis?.stop(), this.postgres?.stop()]);
	}
}

module.exports = { QueueTopology, roundRobinProxy };
