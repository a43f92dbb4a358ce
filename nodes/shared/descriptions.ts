import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { dedupStoreProperty } from './dedupStore';

/** Parameter pieces every verified trigger shows the same way. */

/** How old (or how far in the future) a signed timestamp may be: the 300 s Stripe's and Svix's libraries use. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The Timestamp Tolerance option; `why` says what the provider's own libraries do. */
export function toleranceOption(why: string): INodeProperties {
	return {
		displayName: 'Timestamp Tolerance (Seconds)',
		name: 'toleranceSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_TOLERANCE_SECONDS,
		description: `${why} 0 turns the check off`,
	};
}

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

/**
 * The one webhook of every verified trigger. n8n answers a delivery that starts an execution once the
 * execution exists; responseData '' makes the answer's body the trigger's webhookResponse.
 */
export const deliveryWebhooks: INodeTypeDescription['webhooks'] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: 'webhook',
	},
];

/** The Events parameter of a provider with an event catalogue; `*` (All Events) is the default. */
export function eventsParameter(
	description: string,
	options: Array<{ name: string; value: string; description?: string }>,
): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['*'],
		description,
		options,
	};
}

export interface TriggerPropertiesSpec {
	/** The provider's name as users know it. */
	provider: string;
	/** Replaces the reachability notice (triggers the user registers by hand explain that instead). */
	notice?: INodeProperties;
	/** How to register by hand; present when the trigger registers itself (adds Registration and its notice). */
	manualHint?: string;
	/** The provider's own parameters, after the registration choice: scope, events, topics… */
	parameters: INodeProperties[];
	/** Why the dedup window's default age covers the provider's retries (one sentence). */
	retryWindow: string;
	dedupHours: number;
	/** Options of this provider only, listed before the shared ones. */
	options?: INodeProperties[];
	/** What the provider's libraries do about signature age; present when a timestamp can be checked. */
	tolerance?: string;
	/** How the provider gives back what it could not deliver (one sentence); present when it can (catchUp.ts). */
	catchUp?: string;
}

/** Catch-up of events the provider could not deliver (see catchUp.ts): the switch and the maximum age. */
function catchUpOptions(provider: string, how: string, dedupHours: number): INodeProperties[] {
	return [
		{
			displayName: 'Catch Up Missed Events',
			name: 'catchUp',
			type: 'boolean',
			default: false,
			description: `Whether to get back the events ${provider} could not deliver while n8n was down or unreachable: when n8n starts, when the workflow is activated and at every endpoint check. ${how} Every event runs once (the same dedup as deliveries); nothing from before the option was on is fetched. Needs Registration: Automatic.`,
		},
		{
			displayName: 'Catch Up Max Age (Hours)',
			name: 'catchUpMaxAgeHours',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: dedupHours,
			description:
				'The oldest undelivered event that is caught up. Never more than the Dedup Window: an older event could not be told from one that already ran.',
		},
	];
}

/** How often a registering trigger checks its endpoint at the provider while active (see endpointWatch.ts). */
function endpointCheckOption(provider: string): INodeProperties {
	return {
		displayName: 'Endpoint Check (Minutes)',
		name: 'endpointCheckMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60 },
		default: 10,
		description: `How often the registered webhook is checked at ${provider} while the workflow is active: one ${provider} disabled is enabled again, changed events are set again. It is also checked (and registered again if gone) when n8n starts. 0 turns the periodic check off.`,
	};
}

/**
 * The Rejected Deliveries Output option: with it on, the node shows a second output (deliveryOutputs) that gets
 * one metadata item per refused delivery, rate limited (see diagnostics.ts).
 */
export const rejectedOutputOption: INodeProperties = {
	displayName: 'Rejected Deliveries Output',
	name: 'rejectedOutput',
	type: 'boolean',
	default: false,
	description:
		'Whether to add a second output, "Rejected", that emits one item per refused delivery (reason, status, header names, source IP, time; never the body, the signature or a header value), at most one every 10 seconds per node with a count of those left out, so that an alert can be wired to it. During a test listen the diagnostic item of a refused delivery goes there too.',
};

/** The trigger's outputs: "Rejected" is added by the Rejected Deliveries Output option. */
export const deliveryOutputs: INodeTypeDescription['outputs'] =
	'={{ $parameter.options && $parameter.options.rejectedOutput ? [{ "type": "main", "displayName": "Events" }, { "type": "main", "displayName": "Rejected" }] : ["main"] }}';

/** Every verified trigger's parameters in the same order: notice, registration, its own, store, options. */
export function triggerProperties(spec: TriggerPropertiesSpec): INodeProperties[] {
	return [
		spec.notice ?? reachabilityNotice(spec.provider),
		...(spec.manualHint ? registrationParameters(spec.provider, spec.manualHint) : []),
		...spec.parameters,
		dedupStoreProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				...(spec.options ?? []),
				...(spec.manualHint ? [endpointCheckOption(spec.provider)] : []),
				...(spec.catchUp ? catchUpOptions(spec.provider, spec.catchUp, spec.dedupHours) : []),
				...dedupOptionFields(spec.retryWindow, spec.dedupHours),
				...(spec.tolerance ? [toleranceOption(spec.tolerance)] : []),
				rejectedOutputOption,
			],
		},
	];
}
