/**
 * The provisioner's nested npm calls must not inherit npm's own settings from the process that started them:
 * `npm test` exports `npm_config_ignore_scripts=true` (the repository's .npmrc) to every child, and a rebuild
 * that inherits it silently builds nothing — the fresh-machine failure of issue #10.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const provision = require('../../scripts/provision.js') as {
	npmEnvironment: (
		extra?: Record<string, string>,
		from?: Record<string, string>,
	) => Record<string, string>;
	npmRebuild: (prefix: string, packages: string[]) => Promise<string>;
};
const fixtures = require('../support/scriptedPackage.js') as {
	prefixWithScriptedPackage: (installScript?: string) => {
		prefix: string;
		built(): boolean;
		sawIgnoreScripts(): string;
		remove(): void;
	};
	withIgnoreScriptsExported: <T>(action: () => Promise<T>) => Promise<T>;
};

describe('provision: nested npm calls', () => {
	it('npmRebuild runs the install script even when the caller exports npm_config_ignore_scripts=true', async () => {
		const probe = fixtures.prefixWithScriptedPackage();
		try {
			await fixtures.withIgnoreScriptsExported(() =>
				provision.npmRebuild(probe.prefix, ['tiny-native']),
			);
			expect(probe.built()).toBe(true);
			// The script saw scripts enabled: the explicit flag won over everything inherited.
			expect(probe.sawIgnoreScripts()).not.toBe('true');
		} finally {
			probe.remove();
		}
	}, 60_000);

	it('npmRebuild resolves with the build script output, for the error a failed native build reports', async () => {
		const probe = fixtures.prefixWithScriptedPackage('echo compiling-tiny-native');
		try {
			expect(
				await fixtures.withIgnoreScriptsExported(() =>
					provision.npmRebuild(probe.prefix, ['tiny-native']),
				),
			).toContain('compiling-tiny-native');
		} finally {
			probe.remove();
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
