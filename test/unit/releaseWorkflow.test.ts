/**
 * The release workflow cannot run here (it runs on GitHub, publishing to npm); this checks that it is valid
 * YAML and does what n8n's verification needs: publish from a GitHub Action, with npm provenance, after the
 * build and the tests, on a version tag.
 */
import { parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readRepoFile } = require('../support/repoFiles.js') as {
	readRepoFile(path: string): string;
};

interface Step {
	name?: string;
	run?: string;
	uses?: string;
	env?: Record<string, string>;
}

const workflow = parse(readRepoFile('.github/workflows/release.yml')) as {
	on: { push: { tags: string[] } };
	permissions: Record<string, string>;
	jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);

describe('.github/workflows/release.yml', () => {
	it('runs on version tags', () => {
		expect(workflow.on.push.tags).toEqual(['v*.*.*']);
	});

	it('may request an OpenID Connect token (npm provenance and trusted publishing need it)', () => {
		expect(workflow.permissions['id-token']).toBe('write');
	});

	it('publishes with provenance, publicly, after install, build, tests and the scanner', () => {
		const publish = index((step) => /\bnpm publish\b/.test(step.run ?? ''));
		expect(publish).toBeGreaterThan(0);
		expect(steps[publish].run).toMatch(/--provenance\b/);
		expect(steps[publish].run).toMatch(/--access public\b/);
		expect(steps[publish].env?.RELEASE_MODE).toBe('true');
		for (const before of [
			/^npm ci$/,
			/^npm run build$/,
			/^npm test -- --unit$/,
			/^node scripts\/scan\.js$/,
		]) {
			const at = index((step) => before.test(step.run ?? ''));
			expect([String(before), at >= 0 && at < publish]).toEqual([String(before), true]);
		}
	});

	it('checks out the tagged commit (the source the provenance statement attests)', () => {
		expect(index((step) => (step.uses ?? '').startsWith('actions/checkout@'))).toBe(0);
	});
});

describe("package.json metadata (what the scanner's source verification compares)", () => {
	const pkg = JSON.parse(readRepoFile('package.json')) as {
		name: string;
		license: string;
		homepage: string;
		bugs: { url: string };
		repository: { url: string };
		author: { name: string; email: string };
		files: string[];
	};
	const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

	it('repository, homepage and bugs name the same GitHub repository, and the README names it too', () => {
		expect(repository).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
		expect(pkg.homepage.startsWith(`${repository}#`) || pkg.homepage === repository).toBe(true);
		expect(pkg.bugs.url).toBe(`${repository}/issues`);
		expect(readRepoFile('README.md')).toContain(repository);
	});

	it('has an MIT LICENSE file that ships, and an author with a name and an email', () => {
		expect(pkg.license).toBe('MIT');
		expect(readRepoFile('LICENSE')).toMatch(/^MIT License/);
		expect(pkg.files).toContain('LICENSE');
		expect(pkg.author.name).not.toBe('');
		expect(pkg.author.email).toMatch(/@/);
	});
});
