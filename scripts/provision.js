#!/usr/bin/env node
// Provisions the n8n versions we test against (scripts/n8n-versions.json), each with the Node that runs it,
// into a per-user cache outside the repository. Nothing is installed globally.
//
//   node scripts/provision.js            # the default version
//   node scripts/provision.js --all      # every pinned version
//   node scripts/provision.js 1.123.81   # one version
//
// Cache: $VERIFIED_WEBHOOKS_CACHE, else $XDG_CACHE_HOME/n8n-nodes-verified-webhooks, else ~/.cache/…
// Each install goes into a "*.partial" folder that is renamed only once it is complete and checked, so an
// interrupted run leaves nothing that a later run would trust.
'use strict';
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const {
	existsSync,
	mkdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} = require('node:fs');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');

const pins = JSON.parse(readFileSync(join(__dirname, 'n8n-versions.json'), 'utf8'));

function cacheRoot() {
	if (process.env.VERIFIED_WEBHOOKS_CACHE) return process.env.VERIFIED_WEBHOOKS_CACHE;
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-verified-webhooks');
}

const started = Date.now();
function progress(message) {
	const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
	process.stderr.write(`[provision ${seconds}s] ${message}\n`);
}

/**
 * npm settings that say *where* packages come from (registry, cache, proxy, certificates) pass through to the
 * nested npm calls; every other inherited `npm_*` variable is dropped. `npm test` and `npm start` run under npm,
 * which exports its whole configuration to children (`npm_config_ignore_scripts=true` from the repository's
 * .npmrc, for one): left in place, it silently changes what a nested install or rebuild does.
 */
const PASSED_NPM_SETTINGS = new Set([
	'registry',
	'cache',
	'cafile',
	'ca',
	'proxy',
	'https_proxy',
	'noproxy',
	'strict_ssl',
	'userconfig',
	'globalconfig',
]);

/** The environment for a nested npm call: the caller's, minus npm's own exported settings, plus `extra`. */
function npmEnvironment(extra = {}, from = process.env) {
	const env = {};
	for (const [name, value] of Object.entries(from)) {
		const lower = name.toLowerCase();
		if (lower.startsWith('npm_config_')) {
			if (PASSED_NPM_SETTINGS.has(lower.slice('npm_config_'.length).replace(/-/g, '_')))
				env[name] = value;
			continue;
		}
		if (lower.startsWith('npm_')) continue; // npm_lifecycle_*, npm_package_*, npm_execpath, npm_node_execpath…
		env[name] = value;
	}
	return { ...env, ...extra };
}

/** The folder whose include/node/node.h matches the Node at `nodeBin`, or undefined when it has none. */
function headersFor(nodeBin) {
	const prefix = dirname(dirname(nodeBin));
	return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/**
 * Installs `prefix`'s package.json with install scripts off. They are off explicitly on the command line (which
 * beats every .npmrc and environment): optional native modules' scripts download binaries from outside hosts,
 * which fails here and makes npm roll the whole install back.
 */
function npmInstall(prefix, { nodeHome } = {}) {
	return run('npm', ['install', '--ignore-scripts=true', ...NPM_QUIET], {
		cwd: prefix,
		env: npmToolEnv(nodeHome),
	});
}

/**
 * Rebuilds native `packages` in `prefix` from source with install scripts explicitly **on**, against the headers
 * of the Node that will load them. Resolves with the build's own output, so a caller whose probe fails can show
 * why the build did not produce what it should.
 */
function npmRebuild(prefix, packages, { nodeHome, nodeBin = process.execPath } = {}) {
	const nodedir = nodeHome ?? headersFor(nodeBin);
	const args = [
		'rebuild',
		...packages,
		'--ignore-scripts=false',
		'--foreground-scripts',
		...NPM_QUIET,
	];
	if (nodedir) args.push(`--nodedir=${nodedir}`);
	return run('npm', args, { cwd: prefix, env: npmToolEnv(nodeHome) });
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

/** npm must run under the Node that will run the result, so engine checks and node-gyp see that version. */
function npmToolEnv(nodeHome) {
	const extra = { npm_config_update_notifier: 'false' };
	if (nodeHome) extra.PATH = `${join(nodeHome, 'bin')}:${process.env.PATH}`;
	return npmEnvironment(extra);
}

function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-4000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		// A heartbeat so a human watching a multi-minute install knows it is alive.
		const beat = setInterval(() => progress(`  … still running: ${command} ${args[0]}`), 30_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(beat);
			if (code === 0) resolve(tail);
			else reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${tail}`));
		});
	});
}

function specHash(spec) {
	return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

function nodePackageName() {
	return `node-${process.platform}-${process.arch}`;
}

/** Ensures a Node of the given version exists in the cache; returns its install folder (bin/node, include/node). */
async function provisionNode(version) {
	const dir = join(cacheRoot(), `node-${version}`);
	const home = join(dir, 'node_modules', nodePackageName());
	const marker = join(dir, '.complete');
	const bin = join(home, 'bin', 'node');
	if (
		existsSync(marker) &&
		existsSync(bin) &&
		existsSync(join(home, 'include', 'node', 'node.h'))
	) {
		return home;
	}
	progress(`installing Node ${version} (${nodePackageName()} from the npm registry, ~190 MB)`);
	const partial = `${dir}.partial`;
	rmSync(partial, { recursive: true, force: true });
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(partial, { recursive: true });
	writeFileSync(
		join(partial, 'package.json'),
		JSON.stringify({ name: 'node-runtime', private: true }),
	);
	await run(
		'npm',
		['install', '--ignore-scripts=true', ...NPM_QUIET, `${nodePackageName()}@${version}`],
		{
			cwd: partial,
			env: npmEnvironment(),
		},
	);
	const got = (
		await run(join(partial, 'node_modules', nodePackageName(), 'bin', 'node'), ['--version'])
	).trim();
	if (got !== `v${version}`)
		throw new Error(`Node in ${partial} reports ${got}, expected v${version}`);
	writeFileSync(join(partial, '.complete'), `${version}\n`);
	renameSync(partial, dir);
	progress(`Node ${version} ready`);
	return home;
}

/** Where a provisioned n8n lives and how to run it. Does not install anything. */
function n8nLayout(version) {
	const pin = pins.versions[version];
	if (!pin) throw new Error(`n8n ${version} is not pinned in scripts/n8n-versions.json`);
	const dir = join(cacheRoot(), `n8n-${version}`);
	const nodeHome =
		pin.node === 'system'
			? null
			: join(cacheRoot(), `node-${pin.node}`, 'node_modules', nodePackageName());
	return {
		version,
		dir,
		n8nEntry: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: nodeHome ? join(nodeHome, 'bin', 'node') : process.execPath,
		nodeHome,
		pin,
	};
}

function isComplete(layout, hash) {
	const marker = join(layout.dir, '.complete');
	if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== hash) return false;
	// The marker alone is not trusted: the pieces that a half-deleted cache would miss are checked too.
	return (
		existsSync(layout.n8nEntry) &&
		existsSync(join(layout.dir, 'node_modules', 'n8n', 'package.json')) &&
		JSON.parse(readFileSync(join(layout.dir, 'node_modules', 'n8n', 'package.json'), 'utf8'))
			.version === layout.version &&
		existsSync(join(layout.dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))
	);
}

/** Ensures n8n `version` and its Node are in the cache; returns the layout. */
async function provision(version = pins.default) {
	const layout = n8nLayout(version);
	const spec = {
		n8n: version,
		node: layout.pin.node,
		overrides: layout.pin.overrides,
		platform: nodePackageName(),
	};
	const hash = specHash(spec);
	if (layout.nodeHome) await provisionNode(layout.pin.node);
	if (isComplete(layout, hash)) return layout;

	const nodeHome = layout.nodeHome;
	const nodeVersion = (await run(layout.nodeBin, ['--version'])).trim();
	progress(
		`installing n8n ${version} on Node ${nodeVersion} into ${layout.dir} (first run only: ~4–6 minutes)`,
	);
	const partial = `${layout.dir}.partial`;
	rmSync(partial, { recursive: true, force: true });
	rmSync(layout.dir, { recursive: true, force: true });
	mkdirSync(partial, { recursive: true });
	const manifest = {
		name: `n8n-runtime-${version}`,
		private: true,
		dependencies: { n8n: version },
	};
	if (Object.keys(layout.pin.overrides).length > 0) manifest.overrides = layout.pin.overrides;
	writeFileSync(join(partial, 'package.json'), JSON.stringify(manifest, null, 2));

	progress(`npm install --ignore-scripts n8n@${version} (~2,400 packages)`);
	await npmInstall(partial, { nodeHome });
	progress('rebuilding sqlite3 from source (its prebuilt download is unreachable; ~90 s)');
	const buildOutput = await npmRebuild(partial, ['sqlite3'], { nodeHome, nodeBin: layout.nodeBin });
	const probe = await run(layout.nodeBin, ['-e', "require('sqlite3'); console.log('sqlite3 ok')"], {
		cwd: partial,
	}).catch((error) => error.message);
	if (!probe.includes('sqlite3 ok')) {
		throw new Error(
			`sqlite3 does not load under ${layout.nodeBin} after its rebuild.\n--- npm rebuild sqlite3 (last lines) ---\n` +
				`${buildOutput.trim() || '(no output: the build did not run)'}\n--- loading it ---\n${probe}`,
		);
	}
	writeFileSync(join(partial, '.complete'), `${hash}\n`);
	renameSync(partial, layout.dir);
	const final = n8nLayout(version);
	if (!isComplete(final, hash))
		throw new Error(`n8n ${version} installed but its check failed in ${final.dir}`);
	progress(`n8n ${version} ready`);
	return final;
}

async function main() {
	const args = process.argv.slice(2);
	const versions = args.includes('--all')
		? Object.keys(pins.versions)
		: args.length
			? args
			: [pins.default];
	progress(`cache: ${cacheRoot()}`);
	for (const version of versions) {
		const layout = await provision(version);
		progress(`n8n ${version}: ${layout.n8nEntry} on ${layout.nodeBin}`);
	}
}

module.exports = {
	pins,
	cacheRoot,
	n8nLayout,
	provision,
	run,
	progress,
	npmEnvironment,
	npmInstall,
	npmRebuild,
};

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`provision failed: ${error.message}\n`);
		process.exit(1);
	});
}
