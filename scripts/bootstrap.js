'use strict';
/** Installs the project's devDependencies when they are missing, so `npm test` and `npm start` work on a fresh clone. */
const { execFileSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const repoRoot = join(__dirname, '..');

function ensureDependencies() {
	const marker = join(repoRoot, 'node_modules', '.package-lock.json');
	const lock = join(repoRoot, 'package-lock.json');
	const fresh =
		existsSync(marker) &&
		existsSync(join(repoRoot, 'node_modules', '.bin', 'jest')) &&
		(!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
	if (fresh) return;
	process.stderr.write(
		'[bootstrap] installing devDependencies (npm ci, about 2 minutes on a cold npm cache)\n',
	);
	const started = Date.now();
	execFileSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
		cwd: repoRoot,
		stdio: 'inherit',
	});
	process.stderr.write(`[bootstrap] done in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

module.exports = { ensureDependencies, repoRoot };
