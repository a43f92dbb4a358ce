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
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

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
	if (existsSync(marker) && existsSync(bin) && existsSync(join(home, 'include', 'node', 'node.h'))) {
		return home;
	}
	progress(`installing Node ${version} (${nodePackageName()} from the npm registry, ~190 MB)`);
	const partial = `${dir}.partial`;
	rmSync(partial, { recursive: true, force: true });
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(partial, { recursive: true });
	writeFileSync(join(partial, 'package.json'), JSON.stringify({ name: 'node-runtime', private: true }));
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${nodePackageName()}@${version}`], {
		cwd: partial,
	});
	const got = (await run(join(partial, 'node_modules', nodePackageName(), 'bin', 'node'), ['--version'])).trim();
	if (got !== `v${version}`) throw new Error(`Node in ${partial} reports ${got}, expected v${version}`);
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
	const nodeHome = pin.node === 'system' ? null : join(cacheRoot(), `node-${pin.node}`, 'node_modules', nodePackageName());
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
		JSON.parse(readFileSync(join(layout.dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version === layout.version &&
		existsSync(join(layout.dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))
	);
}

/** Ensures n8n `version` and its Node are in the cache; returns the layout. */
async function provision(version = pins.default) {
	const layout = n8nLayout(version);
	const spec = { n8n: version, node: layout.pin.node, overrides: layout.pin.overrides, platform: nodePackageName() };
	const hash = specHash(spec);
	if (layout.nodeHome) await provisionNode(layout.pin.node);
	if (isComplete(layout, hash)) return layout;

	const nodeHome = layout.nodeHome;
	const nodeVersion = (await run(layout.nodeBin, ['--version'])).trim();
	progress(`installing n8n ${version} on Node ${nodeVersion} into ${layout.dir} (first run only: ~4–6 minutes)`);
	const partial = `${layout.dir}.partial`;
	rmSync(partial, { recursive: true, force: true });
	rmSync(layout.dir, { recursive: true, force: true });
	mkdirSync(partial, { recursive: true });
	const manifest = { name: `n8n-runtime-${version}`, private: true, dependencies: { n8n: version } };
	if (Object.keys(layout.pin.overrides).length > 0) manifest.overrides = layout.pin.overrides;
	writeFileSync(join(partial, 'package.json'), JSON.stringify(manifest, null, 2));

	// Native modules must be built against the headers of the Node that will run n8n, and npm itself must
	// run under that Node so engine checks and node-gyp see the right version.
	const env = { ...process.env };
	if (nodeHome) {
		env.PATH = `${join(nodeHome, 'bin')}:${env.PATH}`;
		env.npm_config_nodedir = nodeHome;
	} else {
		delete env.npm_config_nodedir;
	}
	const npmArgs = ['--no-audit', '--no-fund', '--loglevel=error'];
	// --ignore-scripts: install scripts of optional native modules try to download binaries from outside
	// hosts, which fails here and makes npm roll the whole install back.
	progress(`npm install --ignore-scripts n8n@${version} (~2,400 packages)`);
	await run('npm', ['install', '--ignore-scripts', ...npmArgs], { cwd: partial, env });
	progress('rebuilding sqlite3 from source (its prebuilt download is unreachable; ~90 s)');
	await run('npm', ['rebuild', 'sqlite3', ...npmArgs], { cwd: partial, env });
	const probe = await run(layout.nodeBin, ['-e', "require('sqlite3'); console.log('sqlite3 ok')"], { cwd: partial, env });
	if (!probe.includes('sqlite3 ok')) throw new Error(`sqlite3 does not load under ${layout.nodeBin}`);
	writeFileSync(join(partial, '.complete'), `${hash}\n`);
	renameSync(partial, layout.dir);
	const final = n8nLayout(version);
	if (!isComplete(final, hash)) throw new Error(`n8n ${version} installed but its check failed in ${final.dir}`);
	progress(`n8n ${version} ready`);
	return final;
}

async function main() {
	const args = process.argv.slice(2);
	const versions = args.includes('--all') ? Object.keys(pins.versions) : args.length ? args : [pins.default];
	progress(`cache: ${cacheRoot()}`);
	for (const version of versions) {
		const layout = await provision(version);
		progress(`n8n ${version}: ${layout.n8nEntry} on ${layout.nodeBin}`);
	}
}

module.exports = { pins, cacheRoot, n8nLayout, provision, run, progress };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`provision failed: ${error.message}\n`);
		process.exit(1);
	});
}
