'use strict';
/**
 * The servers n8n's queue mode needs, for the tests: Debian's `redis-server` and PostgreSQL (installed with
 * apt when missing — CI runs as root, like this machine's sessions), each started on a free 127.0.0.1 port
 * in a throwaway folder, and stopped by the caller (or killed when this process exits).
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const {
	existsSync,
	readFileSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	chmodSync,
	writeFileSync,
} = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const REDIS = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';

const started = new Set();
process.on('exit', () => {
	for (const child of started) child.kill('SIGKILL');
});

function progress(message) {
	process.stderr.write(`[services] ${message}\n`);
}

function postgresBin() {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

/**
 * apt-get installs those of `packages` whose files are missing (by default every package the tests use;
 * openssl makes the throwaway certificates of the Redis TLS test and the bench's intercepting proxy).
 */
function ensureDebianPackages(packages = ['redis-server', 'postgresql', 'openssl']) {
	const present = {
		'redis-server': () => existsSync(REDIS),
		postgresql: () => Boolean(postgresBin()),
		openssl: () => existsSync('/usr/bin/openssl'),
	};
	const missing = packages.filter((name) => !present[name]());
	if (missing.length === 0) return;
	progress(`installing Debian's ${missing.join(' and ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', '--no-install-recommends', ...missing],
	]) {
		const result = spawnSync('apt-get', args, { env, stdio: 'inherit' });
		if (result.status !== 0)
			throw new Error(
				`apt-get ${args[0]} failed; install the Debian packages ${missing.join(', ')} and run again`,
			);
	}
}

/**
 * A throwaway key and self-signed certificate for `hostName` (its subjectAltName too), made by Debian's openssl.
 * @returns {{ dir: string, key: string, cert: string }} file paths; the caller removes `dir`
 */
function selfSignedCertificate(hostName) {
	ensureDebianPackages(['openssl']);
	const dir = mkdtempSync(join(tmpdir(), 'verified-webhooks-tls-'));
	const key = join(dir, 'key.pem');
	const cert = join(dir, 'cert.pem');
	const altName = net.isIP(hostName) ? `IP:${hostName}` : `DNS:${hostName}`;
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-subj',
			`/CN=${hostName}`,
			'-addext',
			`subjectAltName=${altName}`,
			'-days',
			'1',
			'-keyout',
			key,
			'-out',
			cert,
		],
		{ stdio: 'ignore' },
	);
	return { dir, key, cert };
}

/**
 * An HTTPS proxy on 127.0.0.1 that answers CONNECTs to `hostName` itself: it terminates TLS with a throwaway
 * certificate for that name and hands the decrypted connection to `server` (a fake of the provider's API), so
 * a node whose API host is hard-coded (n8n's own Stripe Trigger calls api.stripe.com) can run here without any
 * outside traffic. Every other CONNECT is refused. n8n routes its outbound HTTPS through HTTPS_PROXY; point
 * NODE_EXTRA_CA_CERTS at `caFile` so the certificate is trusted, and keep NO_PROXY for 127.0.0.1.
 * @param {{ hostName: string, server: import('node:http').Server }} options
 * @returns {Promise<{ url: string, caFile: string, connects: string[], stop(): Promise<void> }>}
 */
async function startInterceptingProxy({ hostName, server }) {
	const tls = require('node:tls');
	const http = require('node:http');
	const certificate = selfSignedCertificate(hostName);
	const context = tls.createSecureContext({
		key: readFileSync(certificate.key),
		cert: readFileSync(certificate.cert),
	});
	const connects = [];
	const proxy = http.createServer((_request, response) => {
		response.writeHead(405).end();
	});
	proxy.on('connect', (request, socket, head) => {
		connects.push(request.url);
		if (request.url !== `${hostName}:443`) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head?.length) socket.unshift(head);
		const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
		secure.on('error', () => socket.destroy());
		server.emit('connection', secure);
	});
	await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${proxy.address().port}`,
		caFile: certificate.cert,
		connects,
		stop: async () => {
			proxy.closeAllConnections?.();
			await new Promise((resolve) => proxy.close(() => resolve()));
			rmSync(certificate.dir, { recursive: true, force: true });
		},
	};
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
	return new Promise((resolvePort, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolvePort(port));
		});
	});
}

function canConnect(port) {
	return new Promise((done) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			done(true);
		});
		socket.once('error', () => done(false));
	});
}

async function waitForPort(port, what, child, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`${what} exited with ${child.exitCode} during start`);
		if (await canConnect(port)) return;
		await new Promise((done) => setTimeout(done, 100));
	}
	throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}

function stopper(child, cleanup) {
	return async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((done) => child.once('exit', done));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		started.delete(child);
		cleanup?.();
	};
}

/**
 * A Redis server on a free port, in memory only. `password` turns on AUTH (requirepass); `tls` serves TLS only,
 * with a self-signed certificate made by Debian's openssl for this run.
 * @param {{ port?: number, password?: string, tls?: boolean }} [options]
 * @returns {Promise<{ port: number, stop(): Promise<void>, kill(): Promise<void> }>}
 */
async function startRedis({ port, password, tls } = {}) {
	ensureDebianPackages();
	const chosen = port ?? (await freePort());
	const args = [
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'no',
		'--loglevel',
		'warning',
	];
	let certificateDir, key, cert;
	if (tls) {
		({ dir: certificateDir, key, cert } = selfSignedCertificate('127.0.0.1'));
		args.push(
			'--port',
			'0',
			'--tls-port',
			String(chosen),
			'--tls-cert-file',
			cert,
			'--tls-key-file',
			key,
			'--tls-auth-clients',
			'no',
		);
	} else {
		args.push('--port', String(chosen));
	}
	if (password) args.push('--requirepass', password);
	const child = spawn(REDIS, args, { stdio: 'ignore' });
	started.add(child);
	await waitForPort(chosen, 'redis-server', child);
	const stop = stopper(child, () => {
		if (certificateDir) rmSync(certificateDir, { recursive: true, force: true });
	});
	return {
		port: chosen,
		stop,
		/** `kill -9`: what a crashed Redis looks like to its clients. */
		kill: async () => {
			child.kill('SIGKILL');
			await stop();
		},
	};
}

/**
 * A PostgreSQL cluster on a free port in a throwaway folder, with database `n8n` owned by user `n8n`
 * (password `n8n`). PostgreSQL refuses to run as root, so it runs as Debian's `postgres` user.
 * @returns {Promise<{ port: number, database: string, user: string, password: string, stop(): Promise<void> }>}
 */
async function startPostgres() {
	ensureDebianPackages();
	const bin = postgresBin();
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'verified-webhooks-pg-'));
	chmodSync(dir, 0o777);
	const data = join(dir, 'data');
	// setpriv execs the server itself (no wrapper process), so signals reach postgres directly.
	const asPostgres = (command, args) =>
		process.getuid?.() === 0
			? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]]
			: [command, args];
	const run = (command, args) => {
		const [cmd, cmdArgs] = asPostgres(command, args);
		execFileSync(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
	};
	run(join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C.UTF-8',
	]);
	writeFileSync(
		join(dir, 'README'),
		'throwaway PostgreSQL cluster of the verified-webhooks tests\n',
	);
	const [cmd, args] = asPostgres(join(bin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-h',
		'127.0.0.1',
		'-k',
		dir,
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'max_connections=100',
	]);
	const child = spawn(cmd, args, { stdio: 'ignore' });
	started.add(child);
	await waitForPort(port, 'postgres', child);
	const psql = (sql) => {
		// The server accepts connections a moment after it listens; retry briefly.
		for (let attempt = 0; ; attempt++) {
			const result = spawnSync(
				join(bin, 'psql'),
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(port),
					'-U',
					'postgres',
					'-v',
					'ON_ERROR_STOP=1',
					'-c',
					sql,
				],
				{ encoding: 'utf8' },
			);
			if (result.status === 0) return;
			if (attempt > 50) throw new Error(`psql failed: ${result.stderr}`);
			spawnSync('sleep', ['0.2']);
		}
	};
	psql("CREATE USER n8n WITH PASSWORD 'n8n'");
	psql('CREATE DATABASE n8n OWNER n8n');
	return {
		port,
		database: 'n8n',
		user: 'n8n',
		password: 'n8n',
		stop: stopper(child, () => rmSync(dir, { recursive: true, force: true })),
	};
}

module.exports = {
	ensureDebianPackages,
	startRedis,
	startPostgres,
	startInterceptingProxy,
	freePort,
};
