#!/usr/bin/env node
'use strict';
/**
 * `npm test`: installs what is missing (devDependencies, then n8n and Node 24 into the cache), type-checks,
 * lints with n8n's community-node rules, and runs every jest project: unit, node-level, end-to-end in real
 * n8n, and the editor flow in headless Chromium (Debian's package, installed with apt when missing). Ends
 * with one summary line "N passed, N failed".
 *
 *   npm test                      everything
 *   npm test -- --unit            unit and node-level tests only (no n8n needed)
 *   E2E_N8N_VERSIONS=2.41.1 npm test   end-to-end on one n8n version
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { ensureDependencies, repoRoot } = require('./bootstrap');

const CHROMIUM = '/usr/bin/chromium';

const started = Date.now();
const phases = [];
function phase(name, action) {
	const begin = Date.now();
	process.stderr.write(`\n[test] ${name}\n`);
	const result = action();
	phases.push(`${name} ${Math.round((Date.now() - begin) / 1000)} s`);
	return result;
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
	return result.status ?? 1;
}

/**
 * The browser test drives Debian's Chromium (test tools must not download a browser of their own).
 * Installed with apt when missing; CI runs as root, like this machine's sessions.
 */
function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	process.stderr.write('[test] installing Debian\'s chromium with apt-get (about a minute)\n');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (run('apt-get', ['update', '-qq'], { env }) !== 0 || run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) !== 0) {
		throw new Error(`could not install chromium with apt-get; install the Debian package "chromium" (${CHROMIUM}) and run again`);
	}
}

async function main() {
	const unitOnly = process.argv.includes('--unit');
	phase('dependencies', ensureDependencies);
	if (!unitOnly) {
		const { provision } = require('./provision');
		const { testedVersions } = require('./n8n');
		for (const version of testedVersions()) {
			const begin = Date.now();
			process.stderr.write(`\n[test] provisioning n8n ${version}\n`);
			await provision(version);
			phases.push(`provision n8n ${version} ${Math.round((Date.now() - begin) / 1000)} s`);
		}
	}
	if (!unitOnly) phase('chromium (Debian package, for the browser test)', ensureChromium);
	if (phase('type-check', () => run('npx', ['tsc', '-p', 'tsconfig.test.json'])) !== 0) return finish(1, 'type-check failed');
	if (phase('lint', () => run('npx', ['n8n-node', 'lint'])) !== 0) return finish(1, 'lint failed');
	const report = join(mkdtempSync(join(tmpdir(), 'verified-webhooks-jest-')), 'report.json');
	const projects = unitOnly ? ['unit'] : ['unit', 'e2e', 'browser'];
	// One test file at a time: the end-to-end and browser suites each run a real n8n, and two at once on
	// 2 cores make timing-based checks flaky.
	const status = phase('jest', () =>
		run('npx', ['jest', '--selectProjects', ...projects, '--json', '--outputFile', report, '--maxWorkers=1']),
	);
	let summary = 'no jest report';
	try {
		const result = JSON.parse(readFileSync(report, 'utf8'));
		summary = `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numPendingTests} skipped`;
		if (result.numTotalTests === 0) return finish(1, 'jest ran no test');
	} catch {
		return finish(1, summary);
	}
	if (!unitOnly && status === 0) {
		// The quick benchmark runs so it cannot rot; its numbers are printed, never asserted.
		const benchStatus = phase('bench (quick)', () => run('node', ['scripts/bench.js', '--quick']));
		if (benchStatus !== 0) return finish(1, `${summary}; the quick benchmark failed to run`);
	}
	return finish(status, summary);
}

function finish(status, summary) {
	process.stderr.write(`\n[test] phases: ${phases.join(', ')}; total ${Math.round((Date.now() - started) / 1000)} s\n`);
	process.stdout.write(`\ntests: ${summary}\n`);
	process.exitCode = status;
}

main().catch((error) => {
	process.stderr.write(`[test] ${error.stack ?? error}\n`);
	process.exitCode = 1;
});
