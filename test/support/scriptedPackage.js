'use strict';
/**
 * Fixtures for the provisioner's test (test/unit/provision.test.ts): a prefix holding one installed package
 * whose install script writes `built.txt` (with the npm_config_ignore_scripts value it saw), and a way to run
 * a call with npm's exported settings in the environment, as `npm test` has them.
 */
const {
	mkdtempSync,
	mkdirSync,
	writeFileSync,
	existsSync,
	readFileSync,
	rmSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

function prefixWithScriptedPackage(installScript) {
	const prefix = mkdtempSync(join(tmpdir(), 'provision-rebuild-'));
	writeFileSync(
		join(prefix, 'package.json'),
		JSON.stringify({
			name: 'rebuild-probe',
			private: true,
			dependencies: { 'tiny-native': '1.0.0' },
		}),
	);
	const pkg = join(prefix, 'node_modules', 'tiny-native');
	mkdirSync(pkg, { recursive: true });
	const script =
		installScript ??
		"node -e \"require('fs').writeFileSync('built.txt', process.env.npm_config_ignore_scripts || 'unset')\"";
	writeFileSync(
		join(pkg, 'package.json'),
		JSON.stringify({ name: 'tiny-native', version: '1.0.0', scripts: { install: script } }),
	);
	const marker = join(pkg, 'built.txt');
	return {
		prefix,
		built: () => existsSync(marker),
		sawIgnoreScripts: () => readFileSync(marker, 'utf8'),
		remove: () => rmSync(prefix, { recursive: true, force: true }),
	};
}

/** Runs `action` with npm's "scripts off" settings exported, as npm does for `npm test`; restores the environment. */
async function withIgnoreScriptsExported(action) {
	const saved = {
		lower: process.env.npm_config_ignore_scripts,
		upper: process.env.NPM_CONFIG_IGNORE_SCRIPTS,
	};
	process.env.npm_config_ignore_scripts = 'true';
	process.env.NPM_CONFIG_IGNORE_SCRIPTS = 'true';
	try {
		return await action();
	} finally {
		for (const [name, value] of [
			['npm_config_ignore_scripts', saved.lower],
			['NPM_CONFIG_IGNORE_SCRIPTS', saved.upper],
		]) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	}
}

module.exports = { prefixWithScriptedPackage, withIgnoreScriptsExported };
