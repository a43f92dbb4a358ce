/**
 * The provisioner's nested npm calls must not inherit npm's own settings from the process that started them:
 * `npm test` exports `npm_config_ignore_scripts=true` (the repository's .npmrc) to every child, and a rebuild
 * that inherits it silently builds nothing — the fresh-machine failure of issue #10.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const provision = require('../../scripts/provision.js') as {
	npmEnvironment: (
		extra?: Record<string, string>,
		from?: NodeJS.ProcessEnv,
	) => Record<string, string>;
	npmRebuild: (prefix: string, packages: string[]) => Promise<string>;
};

/** A prefix with one installed package whose install script writes `built.txt` next to its package.json. */
function prefixWithScriptedPackage(): { prefix: string; marker: string } {
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
	writeFileSync(
		join(pkg, 'package.json'),
		JSON.stringify({
			name: 'tiny-native',
			version: '1.0.0',
			scripts: {
				install:
					"node -e \"require('fs').writeFileSync('built.txt', process.env.npm_config_ignore_scripts || 'unset')\"",
			},
		}),
	);
	return { prefix, marker: join(pkg, 'built.txt') };
}

describe('provision: nested npm calls', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	it('npmRebuild runs the install script even when the caller exports npm_config_ignore_scripts=true', async () => {
		process.env.npm_config_ignore_scripts = 'true';
		process.env.NPM_CONFIG_IGNORE_SCRIPTS = 'true';
		const { prefix, marker } = prefixWithScriptedPackage();
		try {
			await provision.npmRebuild(prefix, ['tiny-native']);
			expect(existsSync(marker)).toBe(true);
			// The script saw scripts enabled: the explicit flag won over everything inherited.
			expect(readFileSync(marker, 'utf8')).not.toBe('true');
		} finally {
			rmSync(prefix, { recursive: true, force: true });
		}
	}, 60_000);

	it('npmRebuild resolves with the build script output, for the error a failed native build reports', async () => {
		const { prefix } = prefixWithScriptedPackage();
		const pkg = join(prefix, 'node_modules', 'tiny-native', 'package.json');
		writeFileSync(
			pkg,
			JSON.stringify({
				name: 'tiny-native',
				version: '1.0.0',
				scripts: { install: 'echo compiling-tiny-native' },
			}),
		);
		try {
			expect(await provision.npmRebuild(prefix, ['tiny-native'])).toContain(
				'compiling-tiny-native',
			);
		} finally {
			rmSync(prefix, { recursive: true, force: true });
		}
	}, 60_000);

	it('npmEnvironment drops npm settings that change install behaviour and keeps where packages come from', () => {
		const env = provision.npmEnvironment(
			{ EXTRA: '1' },
			{
				PATH: '/bin',
				npm_config_ignore_scripts: 'true',
				NPM_CONFIG_IGNORE_SCRIPTS: 'true',
				npm_config_omit: 'dev',
				npm_config_nodedir: '/usr',
				npm_lifecycle_event: 'test',
				npm_package_name: 'x',
				npm_config_registry: 'http://127.0.0.1:1/',
				npm_config_cache: '/tmp/npm-cache',
			},
		);
		expect(env).toEqual({
			PATH: '/bin',
			EXTRA: '1',
			npm_config_registry: 'http://127.0.0.1:1/',
			npm_config_cache: '/tmp/npm-cache',
		});
	});
});
