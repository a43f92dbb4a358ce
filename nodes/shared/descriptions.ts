import type { INodeProperties } from 'n8n-workflow';

/** Parameter pieces every verified trigger shows the same way. */

export function reachabilityNotice(provider: string): INodeProperties {
	return {
		displayName: `${provider} must be able to reach this n8n over the internet. If n8n runs on localhost, expose it through a tunnel and set the WEBHOOK_URL environment variable to the public URL before activating.`,
		name: 'reachabilityNotice',
		type: 'notice',
		default: '',
	};
}

export function registrationParameters(provider: string, manualHint: string): INodeProperties[] {
	return [
		{
			displayName: 'Registration',
			name: 'registration',
			type: 'options',
			options: [
				{
					name: 'Automatic',
					value: 'automatic',
					description: `Register the webhook with ${provider} on activation and remove it on deactivation`,
				},
				{
					name: 'Manual',
					value: 'manual',
					description: `You create the webhook in ${provider} with the production URL below; its secret goes into the credential`,
				},
			],
			default: 'automatic',
		},
		{
			displayName: manualHint,
			name: 'manualNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { registration: ['manual'] } },
		},
	];
}

/** The two dedup options, defaulting to the provider's retry window (documented in the README). */
export function dedupOptionFields(retryWindow: string, defaultHours: number): INodeProperties[] {
	return [
		{
			displayName: 'Dedup Window (Events)',
			name: 'dedupMaxEntries',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description:
				"The most event IDs remembered (about 12 bytes each in the workflow's static data). The oldest are forgotten first. Not used by the Redis dedup store, which forgets by age only.",
		},
		{
			displayName: 'Dedup Window (Hours)',
			name: 'dedupTtlHours',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaultHours,
			description: `How long an event ID is remembered. ${retryWindow.replace(/\.$/, '')}. A captured delivery replayed within this window is dropped; if the provider signs no timestamp, an unchanged replay after it runs again.`,
		},
	];
}
