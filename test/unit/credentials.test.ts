import type { ICredentialType } from 'n8n-workflow';

import { environmentBaseUrl } from '../../credentials/common';
import { PADDLE_API_BASE_URLS } from '../../nodes/PaddleVerifiedTrigger/transport';
import { SENDGRID_API_BASE_URLS } from '../../nodes/SendGridVerifiedTrigger/transport';
import { SQUARE_API_BASE_URLS } from '../../nodes/SquareVerifiedTrigger/transport';
import { PAYPAL_API_BASE_URLS } from '../../nodes/PayPalVerifiedTrigger/transport';
import packageJson from '../../package.json';

/**
 * Every credential n8n loads from this package (the `n8n.credentials` list), checked as loaded objects — what
 * n8n's community scanner checks only in literal class fields, which the shared builders in
 * credentials/common.ts hide from it.
 */

/**
 * The names n8n's scanner treats as secrets (`isSensitiveName` in @n8n/eslint-plugin-community-nodes,
 * utils/credential-fields.ts: these patterns, unless the name also contains url, pub or id).
 */
const SENSITIVE = [
	'password',
	'secret',
	'token',
	'cert',
	'passphrase',
	'apikey',
	'secretkey',
	'privatekey',
	'authkey',
];
const sensitive = (name: string) => {
	const lower = name.toLowerCase();
	return (
		!['url', 'pub', 'id'].some((part) => lower.includes(part)) &&
		SENSITIVE.some((part) => lower.includes(part))
	);
};

const loaded: Array<[string, ICredentialType]> = packageJson.n8n.credentials.map((path) => {
	const file = path.replace(/^dist\/credentials\/(.*)\.js$/, '$1');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(`../../credentials/${file}`) as Record<string, new () => ICredentialType>;
	const [credential] = Object.values(module).map((Class) => new Class());
	return [credential.name, credential];
});

it('loads every credential listed for n8n', () => {
	expect(loaded.length).toBe(17);
	expect(new Set(loaded.map(([name]) => name)).size).toBe(17);
});

describe.each(loaded)('credential %s', (_name, credential) => {
	it('masks every field whose name says it holds a secret (typeOptions.password)', () => {
		const unmasked = credential.properties
			.filter((field) => sensitive(field.name) && field.typeOptions?.password !== true)
			.map((field) => field.name);
		expect(unmasked).toEqual([]);
	});

	it('masks only fields whose name says it holds a secret', () => {
		const needless = credential.properties
			.filter((field) => field.typeOptions?.password === true && !sensitive(field.name))
			.map((field) => field.name);
		expect(needless).toEqual([]);
	});

	it('answers each refusing status of its test with a message naming that status', () => {
		for (const rule of credential.test?.rules ?? []) {
			if (rule.type !== 'responseCode') throw new Error(`unexpected rule ${rule.type}`);
			expect(rule.properties.message).toContain(`(${rule.properties.value})`);
		}
	});
});

describe('environmentBaseUrl (the credential test of Paddle, Square, SendGrid and PayPal)', () => {
	// The expression n8n evaluates, run here with plain JavaScript over a $credentials object.
	const evaluate = (expression: string, credentials: Record<string, string>) =>
		// A test-only evaluator (nothing under test/ ships): n8n's rule against the Function constructor guards nodes.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		new Function('$credentials', `return ${expression.slice(3, -2)}`)(credentials) as string;

	it.each([
		['paddleVerifiedApi', PADDLE_API_BASE_URLS, 'sandbox'],
		['squareVerifiedApi', SQUARE_API_BASE_URLS, 'sandbox'],
		['sendGridVerifiedApi', SENDGRID_API_BASE_URLS, 'global'],
		['payPalVerifiedApi', PAYPAL_API_BASE_URLS, 'sandbox'],
	])('%s: each environment tests the host the trigger calls', (name, hosts, fallback) => {
		const credential = loaded.find(([loadedName]) => loadedName === name)?.[1];
		const environment = credential?.properties.find((field) => field.name === 'environment');
		const baseURL = String(credential?.test?.request.baseURL);
		const values = (environment?.options ?? []).map((option) =>
			'value' in option ? option.value : '',
		);
		expect(values).toEqual([
			fallback,
			...Object.keys(hosts).filter((key) => key !== fallback),
			'custom',
		]);
		for (const [value, host] of Object.entries(hosts))
			expect(evaluate(baseURL, { environment: value, baseUrl: 'x' })).toBe(host);
		expect(evaluate(baseURL, { environment: 'custom', baseUrl: 'http://127.0.0.1:1' })).toBe(
			'http://127.0.0.1:1',
		);
		expect(environment?.default).toBe(fallback);
	});

	it('falls back to the first environment', () => {
		const choices = [
			{ name: 'A', value: 'a', url: 'https://a.example' },
			{ name: 'B', value: 'b', url: 'https://b.example' },
			{ name: 'C', value: 'c', url: 'https://c.example' },
		];
		const expression = environmentBaseUrl(choices);
		expect(evaluate(expression, { environment: 'b' })).toBe('https://b.example');
		expect(evaluate(expression, { environment: 'c' })).toBe('https://c.example');
		expect(evaluate(expression, { environment: 'a' })).toBe('https://a.example');
		expect(evaluate(expression, { environment: '' })).toBe('https://a.example');
	});
});
