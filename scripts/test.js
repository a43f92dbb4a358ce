#!/usr/bin/env node
'use strict';
/**
 * `npm test`: installs what is missing (devDependencies, then n8n and Node 24 into the cache), type-checks,
 * checks the formatting (prettier), lints with n8n's community-node rules, runs n8n's community-package
 * scanner on the tarball and the source, and runs every jest project: unit, node-level (the Redis dedup store
 * against Debian's redis-server), end-to-end in real n8n (single process, and queue mode on Debian's PostgreSQL
 * and redis-server), and the editor flow in headless Chromium. Debian packages are installed with apt when
 * missing. Ends with one summary line "N passed, N failed".
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
	process.stderr.write("[test] installing Debian's chromium with apt-get (about a minute)\n");
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (
		run('apt-get', ['update', '-qq'], { env }) !== 0 ||
		run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) !== 0
	) {
		throw new Error(
			`could not install chromium with apt-get; install the Debian package "chromium" (${CHROMIUM}) and run again`,
		);
	}
}

/**
 * Every check counts in the closing line: a failed type-check, lint or benchmark is one failure each, and a
 * test file that could not even run (an import error) counts as one too, next to jest's failed tests.
 */
const failures = [];

async function main() {
	const unitOnly = process.argv.includes('--unit');
	phase('dependencies', ensureDependencies);
	if (!unitOnly) {
		const { provision, cacheRoot } = require('./provision');
		const { testedVersions } = require('./n8n');
		process.stderr.write(`\n[test] n8n cache: ${cacheRoot()}\n`);
		for (const version of testedVersions()) {
			const begin = Date.now();
			process.stderr.write(`\n[test] provisioning n8n ${version}\n`);
			await provision(version);
			phases.push(`provision n8n ${version} ${Math.round((Date.now() - begin) / 1000)} s`);
		}
		phase('chromium (Debian package, for the browser test)', ensureChromium);
		phase("Debian's redis-server and postgresql (Redis store and queue-mode tests)", () =>
			require('./services').ensureDebianPackages(),
		);
	}
	if (phase('type-check', () => run('npx', ['tsc', '-p', 'tsconfig.test.json'])) !== 0)
		failures.push('type-check');
	if (
		phase("format (prettier --check, the repository's .prettierrc.json)", () =>
			run('npx', [
				'prettier',
				'--check',
				'--log-level',
				'warn',
				'nodes',
				'credentials',
				'test',
				'scripts',
			]),
		) !== 0
	)
		failures.push('format');
	if (phase('lint', () => run('npx', ['n8n-node', 'lint'])) !== 0) failures.push('lint');
	if (
		!unitOnly &&
		phase("n8n's community-package scanner", () => run('node', ['scripts/scan.js'])) !== 0
	)
		failures.push('scanner');
	const report = join(mkdtempSync(join(tmpdir(), 'verified-webhooks-jest-')), 'report.json');
	const projects = unitOnly ? ['unit'] : ['unit', 'e2e', 'browser'];
	// One test file at a time: the end-to-end and browser suites each run a real n8n, and two at once on
	// 2 cores make timing-based checks flaky.
	const status = phase('jest', () =>
		run('npx', [
			'jest',
			'--selectProjects',
			...projects,
			'--json',
			'--outputFile',
			report,
			'--maxWorkers=1',
		]),
	);
	const counts = jestCounts(report, status);
	if (!unitOnly) {
		// The quick benchmark runs so it cannot rot; its numbers are printed, never asserted.
		if (phase('bench (quick)', () => run('node', ['scripts/bench.js', '--quick'])) !== 0)
			failures.push('bench');
	}
	finish(counts);
}

/** passed / failed / skipped from jest's JSON report; a missing report or an unexplained non-zero exit is a failure. */
function jestCounts(report, status) {
	let result;
	try {
		result = JSON.parse(readFileSync(report, 'utf8'));
	} catch {
		failures.push(`jest (no report; exit ${status})`);
		return { passed: 0, failed: 0, skipped: 0 };
	}
	const counts = {
		passed: result.numPassedTests,
		failed: result.numFailedTests + result.numRuntimeErrorTestSuites,
		skipped: result.numPendingTests + result.numTodoTests,
	};
	if (result.numRuntimeErrorTestSuites > 0) {
		const broken = result.testResults.filter(
			(suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
		);
		for (const suite of broken)
			process.stderr.write(`[test] test file failed to run: ${suite.name}\n`);
	}
	if (result.numTotalTests === 0) failures.push('jest ran no test');
	else if (status !== 0 && counts.failed === 0) failures.push(`jest exited ${status}`);
	return counts;
}

function finish(counts) {
	process.stderr.write(
		`\n[test] phases: ${phases.join(', ')}; total ${Math.round((Date.now() - started) / 1000)} s\n`,
	);
	if (failures.length > 0)
		process.stderr.write(`[test] failed besides jest's tests: ${failures.join(', ')}\n`);
	const failed = counts.failed + failures.length;
	process.stdout.write(
		`\ntests: ${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped\n`,
	);
	process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`[test] ${error.stack ?? error}\n`);
	failures.push(`setup: ${String(error.message ?? error).split('\n')[0]}`);
	finish({ passed: 0, failed: 0, skipped: 0 });
});
