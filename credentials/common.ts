import type { IAuthenticateGeneric, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/**
 * What the package's credentials repeat. The class fields n8n's community scanner reads (name, displayName, icon,
 * documentationUrl and the presence of test) stay literal in each credential; the fields, the authentication and
 * the test's messages are built here. test/unit/credentials.test.ts checks, for every credential n8n loads, what
 * the scanner would check in literals: every field with a secret's name is masked.
 */

/** A field holding a secret: masked in n8n's editor (typeOptions.password), empty until the user fills it. */
export function secretField(
	displayName: string,
	name: string,
	description: string,
	options: { required?: boolean; placeholder?: string } = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		typeOptions: { password: true },
		...(options.required ? { required: true } : {}),
		default: '',
		...(options.placeholder ? { placeholder: options.placeholder } : {}),
		description,
	};
}

/** The secret being rotated out: deliveries signed with it are accepted while it is set. */
export function previousSecretField(displayName: string, name: string): INodeProperties {
	return secretField(
		displayName,
		name,
		'Optional. While the secret is rotated, deliveries signed with this one are accepted too.',
	);
}

interface Environment {
	name: string;
	value: string;
	url: string;
}

/**
 * The Environment choice of an API with separate sandbox and live hosts (the first choice is the default), plus
 * Custom: a base URL for a proxy or a mock, shown only when Custom is chosen.
 */
export function environmentFields(
	choices: readonly Environment[],
	customPlaceholder: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				...choices.map(({ name, value, url }) => ({ name, value, description: url })),
				{ name: 'Custom', value: 'custom', description: 'A proxy or a mock' },
			],
			default: choices[0].value,
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: customPlaceholder,
			displayOptions: { show: { environment: ['custom'] } },
		},
	];
}

/** The base URL environmentFields selects, as an n8n expression (for the credential test). */
export function environmentBaseUrl(choices: readonly Environment[]): string {
	const [fallback, ...others] = choices;
	const tests = others.map(
		({ value, url }) => `$credentials.environment === "${value}" ? "${url}" : `,
	);
	return `={{ ${tests.join('')}$credentials.environment === "custom" ? $credentials.baseUrl : "${fallback.url}" }}`;
}

/** A credential field sent in one request header of every API call (`prefix` e.g. "Bearer "). */
export function headerAuthentication(
	header: string,
	field: string,
	prefix = '',
): IAuthenticateGeneric {
	return {
		type: 'generic',
		properties: { headers: { [header]: `=${prefix}{{$credentials.${field}}}` } },
	};
}

/** The credential test's rules: for each status the API refuses with, a message that says what to change. */
export function refusals(messages: Record<number, string>): ICredentialTestRequest['rules'] {
	return Object.entries(messages).map(([status, message]) => ({
		type: 'responseCode',
		properties: { value: Number(status), message },
	}));
}
