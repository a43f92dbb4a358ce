'use strict';
/**
 * A real, local n8n for `npm start` and the end-to-end tests: provisioned from the cache
 * (scripts/provision.js), bound to 127.0.0.1, SQLite in a throwaway user folder, with this package
 * installed the way users get it (npm pack → <user folder>/.n8n/nodes/node_modules/<name>).
 */
const { spawn, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const {
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const { pins, provision } = require('./provision');
const { freePort } = require('./services');

const repoRoot = resolve(__dirname, '..');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const OWNER = {
	email: 'owner@example.com',
	password: 'Verified-Webhooks-1',
	firstName: 'Local',
	lastName: 'Owner',
};

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** n8n processes started by this process; killed if it exits without stopping them (a crashed test run). */
const running = new Set();
process.on('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

let packedTarball;
/** Builds the package and packs it once per process; returns the .tgz path. */
function packOnce() {
	if (packedTarball && existsSync(packedTarball)) return packedTarball;
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: repoRoot,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const destination = mkdtempSync(join(tmpdir(), 'verified-webhooks-pack-'));
	const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
		cwd: repoRoot,
		encoding: 'utf8',
	});
	packedTarball = join(destination, output.trim().split('\n').pop());
	return packedTarball;
}

/** Unpacks the tarball into the user folder's community-node folder (not `npm install`: that would add a second n8n-workflow). */
function installPackage(userFolder, tarball) {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', packageJson.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	return target;
}

class N8nInstance {
	/**
	 * @param {{ version?: string, port?: number, userFolder?: string, logFile?: string, env?: Record<string,string>, quiet?: boolean }} [options]
	 */
	constructor(options = {}) {
		this.version = options.version ?? pins.default;
		this.requestedPort = options.port;
		this.userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), `n8n-${this.version}-`));
		this.logFile = options.logFile ?? join(this.userFolder, 'n8n.log');
		this.extraEnv = options.env ?? {};
		this.quiet = options.quiet ?? true;
		/** `start` (main), `webhook` or `worker` (queue mode's other processes). */
		this.command = options.command ?? 'start';
		/** Ready when the log shows this (queue mode's processes; main's readiness endpoint answers too early there). */
		this.readyPattern = options.readyPattern;
		/** Runs n8n in its own UTS namespace with this host name (n8n derives its host id from it). */
		this.hostname = options.hostname;
		this.child = undefined;
		this.apiKey = undefined;
		this.cookie = undefined;
	}

	get major() {
		return Number(this.version.split('.')[0]);
	}

	/** Provisions n8n, installs the packed package, picks ports. Safe to call once per instance. */
	async prepare() {
		this.layout = await provision(this.version);
		this.port = this.requestedPort ?? (await freePort());
		this.brokerPort = await freePort();
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		this.installedPackage = installPackage(this.userFolder, packOnce());
		return this;
	}

	environment() {
		const env = {
			...process.env,
			N8N_USER_FOLDER: this.userFolder,
			DB_TYPE: 'sqlite',
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_ENCRYPTION_KEY: 'verified-webhooks-local-only-encryption-key',
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			...this.extraEnv,
		};
		// 2.41 looks up an outside host at start unless its MCP registry module is off (1.x has no such module).
		if (this.major >= 2) env.N8N_DISABLED_MODULES = 'mcp-registry';
		// 1.123's default expression engine needs isolated-vm, whose only prebuilt binary is for Node 24 (it
		// cannot be compiled here); 1.x runs on the machine's Node, so it uses n8n's legacy engine.
		if (this.major < 2) env.N8N_EXPRESSION_ENGINE = 'legacy';
		if (this.layout.nodeHome) env.PATH = `${join(this.layout.nodeHome, 'bin')}:${env.PATH}`;
		delete env.npm_config_nodedir;
		// Started from jest, NODE_ENV=test would put n8n into its own test mode; it must run as in production.
		delete env.NODE_ENV;
		for (const name of Object.keys(env)) if (name.startsWith('JEST_')) delete env[name];
		return env;
	}

	/** Starts n8n and waits until its REST API answers. */
	async start({ timeoutMs = 180_000 } = {}) {
		if (this.child) throw new Error('n8n is already running');
		const logStart = this.logText().length;
		const log = createWriteStream(this.logFile, { flags: 'a' });
		this.logStream = log;
		const args = [
			this.layout.n8nEntry,
			...(Array.isArray(this.command) ? this.command : [this.command]),
		];
		const [program, programArgs] = this.hostname
			? [
					'unshare',
					[
						'--uts',
						'sh',
						'-c',
						'hostname "$0" && exec "$@"',
						this.hostname,
						this.layout.nodeBin,
						...args,
					],
				]
			: [this.layout.nodeBin, args];
		const child = spawn(program, programArgs, {
			cwd: this.userFolder,
			env: this.environment(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		running.add(child);
		this.exited = new Promise((done) =>
			child.on('exit', (code, signal) => {
				running.delete(child);
				done({ code, signal });
			}),
		);
		for (const stream of [child.stdout, child.stderr]) {
			stream.on('data', (chunk) => {
				log.write(chunk);
				if (!this.quiet) process.stdout.write(chunk);
			});
		}
		const deadline = Date.now() + timeoutMs;
		let exitedEarly = false;
		this.exited.then(() => {
			exitedEarly = true;
		});
		while (Date.now() < deadline) {
			if (exitedEarly)
				throw new Error(
					`n8n ${this.version} exited during start; see ${this.logFile}\n${this.logTail()}`,
				);
			if (this.readyPattern) {
				if (this.readyPattern.test(this.logText().slice(logStart))) return this;
			} else if ((await this.ping('/healthz/readiness')) && (await this.ping('/rest/settings'))) {
				// 1.x answers readiness before its /rest routes exist, so wait for both.
				return this;
			}
			await sleep(250);
		}
		await this.stop();
		throw new Error(
			`n8n ${this.version} did not become ready in ${timeoutMs / 1000} s; see ${this.logFile}\n${this.logTail()}`,
		);
	}

	async ping(path) {
		try {
			const response = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(2000) });
			return response.status === 200;
		} catch {
			return false;
		}
	}

	logTail(lines = 40) {
		try {
			return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}

	logText() {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	/** Stops n8n (SIGTERM, then SIGKILL after 15 s). Never leaves the process behind. */
	async stop() {
		const child = this.child;
		if (!child) return;
		this.child = undefined;
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await this.exited;
			clearTimeout(timer);
		}
		await new Promise((done) => this.logStream.end(done));
	}

	/** `kill -9`: no shutdown, no flush; what a crash or an OOM kill does. */
	async crash() {
		const child = this.child;
		if (!child) return;
		this.child = undefined;
		child.kill('SIGKILL');
		await this.exited;
		await new Promise((done) => this.logStream.end(done));
	}

	async restart() {
		await this.stop();
		await this.start();
		if (this.ownerReady) await this.login();
		return this;
	}

	/** Removes the throwaway user folder (only after stop; KEEP_N8N=1 keeps it for a post-mortem). */
	cleanup() {
		if (process.env.KEEP_N8N) {
			process.stderr.write(`[n8n] kept ${this.userFolder} (log: ${this.logFile})\n`);
			return;
		}
		if (!this.child) rmSync(this.userFolder, { recursive: true, force: true });
	}

	/**
	 * Sends a request again while n8n answers 503 "Database is not ready!": n8n 2.x marks its database not ready
	 * when a `SELECT 1` ping takes over 5 s (DB_PING_TIMEOUT_MS), which a loaded 2-core machine can cause for a
	 * few seconds, and refuses every request before any handler runs until the next ping succeeds — so a retry
	 * repeats nothing. Each wait is reported, never hidden; after 60 s the 503 is the answer.
	 */
	async whenDatabaseReady(what, send) {
		const started = Date.now();
		for (;;) {
			const response = await send();
			const text = await response.text();
			const notReady = response.status === 503 && text.includes('Database is not ready');
			if (!notReady || Date.now() - started > 60_000) return { response, text };
			process.stderr.write(
				`[n8n ${this.version}] ${what}: 503 "Database is not ready!" (its DB ping timed out); retrying in 1 s\n`,
			);
			await new Promise((done) => setTimeout(done, 1000));
		}
	}

	async rest(method, path, body, { auth = true } = {}) {
		const headers = {
			'content-type': 'application/json',
			'browser-id': 'verified-webhooks-harness',
		};
		if (auth && this.cookie) headers.cookie = this.cookie;
		const { response, text } = await this.whenDatabaseReady(`REST ${method} ${path}`, () =>
			fetch(`${this.baseUrl}/rest${path}`, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
			}),
		);
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = text;
		}
		if (!response.ok)
			throw new Error(`n8n REST ${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
		return json;
	}

	async login() {
		await this.rest(
			'POST',
			'/login',
			{ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password },
			{ auth: false },
		);
	}

	/** Creates the owner (no human: the same REST call the setup screen makes) and an API key. */
	async setupOwner() {
		const settings = await this.rest('GET', '/settings', undefined, { auth: false });
		const needsSetup = settings?.data?.userManagement?.showSetupOnFirstLoad !== false;
		if (needsSetup) {
			await this.rest('POST', '/owner/setup', OWNER, { auth: false });
		}
		await this.login();
		this.ownerReady = true;
		if (!this.apiKey) {
			const scopes = await this.rest('GET', '/api-keys/scopes')
				.then((result) => result.data)
				.catch(() => undefined);
			const body = { label: `harness-${randomBytes(3).toString('hex')}`, expiresAt: null };
			if (Array.isArray(scopes)) body.scopes = scopes;
			const created = await this.rest('POST', '/api-keys', body);
			this.apiKey = created.data.rawApiKey ?? created.data.apiKey;
		}
		return { email: OWNER.email, password: OWNER.password };
	}

	/** n8n's public REST API (X-N8N-API-KEY). */
	async api(method, path, body) {
		const { response, text } = await this.whenDatabaseReady(`API ${method} ${path}`, () =>
			fetch(`${this.baseUrl}/api/v1${path}`, {
				method,
				headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey },
				body: body === undefined ? undefined : JSON.stringify(body),
			}),
		);
		if (!response.ok)
			throw new Error(`n8n API ${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : undefined;
	}

	async createCredential(name, type, data) {
		// 1.x's schema for credentials that make HTTP requests wrongly requires allowedDomains unless the
		// domain setting is given; credentials without requests have no such property.
		let body = data;
		if (this.major < 2) {
			const schema = await this.api('GET', `/credentials/schema/${encodeURIComponent(type)}`);
			if (schema?.properties?.allowedHttpRequestDomains)
				body = { allowedHttpRequestDomains: 'all', ...data };
		}
		return await this.api('POST', '/credentials', { name, type, data: body });
	}

	async createWorkflow(workflow) {
		return await this.api('POST', '/workflows', workflow);
	}

	async activate(workflowId) {
		return await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	async deactivate(workflowId) {
		return await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	/** What the editor's "Listen for test event" / "Execute workflow" button does for a trigger. */
	async listenForTestEvent(workflowId, triggerName) {
		const workflowData = await this.workflow(workflowId);
		// 2.x reads the workflow from its database and takes triggerToStartFrom; 1.x takes workflowData.
		const result = await this.rest('POST', `/workflows/${workflowId}/run`, {
			workflowData,
			triggerToStartFrom: { name: triggerName },
			startNodes: [],
		});
		return result.data;
	}

	async workflow(workflowId) {
		return await this.api('GET', `/workflows/${workflowId}`);
	}

	async executions(workflowId) {
		const result = await this.api(
			'GET',
			`/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=250`,
		);
		return result.data;
	}

	/**
	 * The executions of a workflow newer than execution id `afterId` (0: all), without their data, newest first
	 * (paged through the public API).
	 */
	async executionsAfter(workflowId, afterId = 0) {
		const rows = [];
		let cursor;
		do {
			const query = `workflowId=${encodeURIComponent(workflowId)}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const page = await this.api('GET', `/executions?${query}`);
			for (const execution of page.data) {
				if (Number(execution.id) <= afterId) return rows;
				rows.push(execution);
			}
			cursor = page.nextCursor;
		} while (cursor);
		return rows;
	}

	/** Every execution of a workflow, by status. */
	async executionCounts(workflowId) {
		/** @type {Record<string, number> & { total: number }} */
		const counts = { total: 0 };
		for (const execution of await this.executionsAfter(workflowId)) {
			counts.total++;
			counts[execution.status] = (counts[execution.status] ?? 0) + 1;
		}
		return counts;
	}

	/**
	 * For every execution of a workflow (paged, with data), the strings in it matching `pattern` (global
	 * regex), e.g. the event ids it ran for. A row whose run never started still holds its trigger's items.
	 */
	async executionMatches(workflowId, pattern) {
		/** @type {Array<{ id: string, status: string, matches: string[] }>} */
		const found = [];
		let cursor;
		do {
			const query = `workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const page = await this.api('GET', `/executions?${query}`);
			for (const execution of page.data) {
				const matches = [...new Set(JSON.stringify(execution.data ?? {}).match(pattern) ?? [])];
				found.push({ id: String(execution.id), status: execution.status, matches });
			}
			cursor = page.nextCursor;
		} while (cursor);
		return found;
	}

	/** Polls `probe` until it returns a truthy value. */
	async waitFor(probe, { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {}) {
		const deadline = Date.now() + timeoutMs;
		let last;
		while (Date.now() < deadline) {
			last = await probe();
			if (last) return last;
			await sleep(intervalMs);
		}
		throw new Error(
			`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 300)}`,
		);
	}
}

/** The n8n versions the end-to-end tests run on: E2E_N8N_VERSIONS (comma-separated) or every pinned one. */
function testedVersions() {
	const wanted = process.env.E2E_N8N_VERSIONS;
	return wanted
		? wanted
				.split(',')
				.map((version) => version.trim())
				.filter(Boolean)
		: Object.keys(pins.versions);
}

/** A folder under test-results/ for a suite's artifacts (screenshots), created if missing. */
function artifactDir(name) {
	const dir = join(repoRoot, 'test-results', name);
	mkdirSync(dir, { recursive: true });
	return dir;
}

module.exports = {
	N8nInstance,
	testedVersions,
	artifactDir,
	freePort,
	packOnce,
	OWNER,
	sleep,
	repoRoot,
	packageName: packageJson.name,
};
