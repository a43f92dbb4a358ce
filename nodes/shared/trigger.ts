import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type ITriggerFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	dedupOptionsFrom,
	handleDelivery,
	type Acknowledgement,
	type IncomingHeaders,
	type ParsedEvent,
} from './delivery';
import {
	readStoredSecret,
	registrationLifecycle,
	type EndpointApi,
	type StoredRegistration,
} from './registration';
import { DEFAULT_TOLERANCE_SECONDS } from './descriptions';
import { catchUpSettings } from './catchUp';
import { endpointWatch, rememberTestDelivery } from './endpointWatch';
import { reject, type VerificationResult } from './verdict';

/**
 * A provider as a declaration: the shared code below assembles the webhook handler and the registration
 * lifecycle of a verified trigger from it, so a provider's folder holds only what differs between providers.
 */

type Context = IHookFunctions | IWebhookFunctions | ITriggerFunctions;

export interface SignedDelivery {
	rawBody: Buffer;
	headers: IncomingHeaders;
	/** The URL the provider was told to call (see servedUrl); only schemes that sign it read it. */
	url?: string;
	/** The URL as called, with the query string it carried (see calledUrl), for schemes that sign the query. */
	calledUrl?: string;
	/** The query parameters as n8n parsed them. */
	query?: Record<string, unknown>;
	secrets: readonly string[];
	nowSeconds: number;
	toleranceSeconds: number;
	/** What the declaration's verificationSettings made of the credential the secrets were read from. */
	settings?: unknown;
	/**
	 * A GET through n8n's request helper, for schemes whose key is published at a URL the delivery names
	 * (PayPal's certificate): the body as text, or an error. The caller allow-lists the URL first.
	 */
	fetchText?(url: string): Promise<string>;
}

/** A verdict now, or later for schemes whose key must be fetched (PayPal's certificate). */
type Verdict = VerificationResult | Promise<VerificationResult>;

export interface TriggerDeclaration<
	Credential extends object,
	Answer extends Verdict = VerificationResult,
> {
	/** Lower-case name used in logs and in each item's `verifiedWebhook.provider`. */
	provider: string;
	/** The credential type holding the API key and the configured secrets. */
	credential: string;
	/** The dedup window's default age in hours: the provider's retry horizon. */
	dedupHours: number;
	/**
	 * The multi-options parameter listing the events that run (with `wildcard`, `*` selects every event), or
	 * a function reading the selection (`['*']` for every event).
	 */
	events:
		| {
				parameter: string;
				wildcard: boolean;
				/**
				 * For providers without a wildcard of their own: the event catalogue, whose every value (but `*`) is
				 * registered when `*` is selected.
				 */
				catalogue?: ReadonlyArray<{ value: string }>;
		  }
		| ((context: Context) => string[]);
	/** What the secret is called in the provider's and the credential's words, for the no-secret error. */
	secretName: string;
	/** Secrets the user typed into the credential, current first (empty strings are dropped). */
	configuredSecrets(credential: Credential): Array<string | undefined>;
	/**
	 * Why a typed secret cannot be the provider's (wrong prefix, not valid in its encoding), in words that
	 * follow "secret N"; activation fails with it. Undefined when it may be.
	 */
	secretProblem?(secret: string): string | undefined;
	/**
	 * For providers that issue the signing secret when the endpoint is created: the credential value the
	 * stored secret is sealed under (the API key). Absent when every secret is in the credential.
	 */
	sealingKey?(credential: Credential): string;
	/** Asynchronous only where the key must be fetched (PayPal's certificate). */
	verify(delivery: SignedDelivery): Answer;
	/**
	 * What verification needs from the credential besides the secrets (PayPal: the hosts its certificates may come
	 * from), read with them and cached with them (see secretCache.ts), so no delivery costs a credential read.
	 */
	verificationSettings?(credential: Credential): unknown;
	/**
	 * A handshake the provider sends unsigned (WooCommerce's creation ping), answered 200 before verification.
	 * It may look at a few bytes only, and what it acknowledges starts nothing.
	 */
	unsignedHandshake?(rawBody: Buffer, headers: IncomingHeaders): Acknowledgement | undefined;
	/**
	 * Runs only after the signature matched: a string is the reason for a 400; an array is a batch, deduplicated
	 * per event. `options` is the node's Options.
	 */
	parse(
		rawBody: Buffer,
		headers: IncomingHeaders,
		options: IDataObject,
	): ParsedEvent | ParsedEvent[] | Acknowledgement | string;
	/** The provider's endpoint API, for automatic registration; `events` overrides what is subscribed. */
	endpoint?(
		context: IHookFunctions,
		credential: Credential,
		selected: string[],
	): { api: EndpointApi; events?: string[] };
}

/**
 * The URL the provider was told to call: n8n's public webhook URL (WEBHOOK_URL), on the test path during a test
 * listen (a webhook context reports the production URL in both modes).
 */
export function servedUrl(context: IWebhookFunctions): string {
	const base = context.getNodeWebhookUrl('default') ?? '';
	return context.getMode() === 'manual' ? base.replace('/webhook/', '/webhook-test/') : base;
}

/** The URL the provider called: servedUrl with the query string it sent (Twilio signs both). */
export function calledUrl(context: IWebhookFunctions): string {
	const request = context.getRequestObject();
	const original = String(request.originalUrl ?? request.url ?? '');
	const query = original.includes('?') ? original.slice(original.indexOf('?')) : '';
	return servedUrl(context) + query;
}

/**
 * A warning (not a failure: a tunnel or proxy may still forward) when the URL the provider would be given is
 * this machine's own: the provider cannot reach it.
 */
function warnIfUnreachable(context: IHookFunctions): void {
	const url = context.getNodeWebhookUrl('default') ?? '';
	let host = '';
	try {
		host = new URL(url).hostname;
	} catch {
		return;
	}
	if (!/^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/.test(host)) return;
	context.logger.warn(
		`Verified Webhooks: registering ${url}, which the provider cannot reach from the internet. Set n8n's ` +
			"WEBHOOK_URL environment variable to its public URL (or a tunnel's) and activate the workflow again.",
		{ workflowId: context.getWorkflow().id },
	);
}

/** The selected events, sorted; `['*']` when the wildcard is among them. */
function selectedEvents(context: Context, events: TriggerDeclaration<object>['events']): string[] {
	if (typeof events === 'function') return events(context);
	const chosen = context.getNodeParameter(
		events.parameter,
		events.wildcard ? ['*'] : [],
	) as string[];
	return events.wildcard && chosen.includes('*') ? ['*'] : [...chosen].sort();
}

/** Whether an event is among the selected (`['*']`: every event). */
function selection(selected: string[]): (event: ParsedEvent) => boolean {
	return (event) => selected[0] === '*' || selected.includes(event.type);
}

/** What is registered for a selection: `*` stands for the whole catalogue where the provider has no wildcard. */
function registeredEvents(
	events: TriggerDeclaration<object>['events'],
	selected: string[],
): string[] {
	if (typeof events === 'function' || !events.catalogue || selected[0] !== '*') return selected;
	return events.catalogue
		.map((event) => event.value)
		.filter((value) => value !== '*')
		.sort();
}

/**
 * The verification settings read with each secrets list, by that list: the secret cache (secretCache.ts) hands
 * back the same array until it reads the credential again, so the settings live exactly as long as the secrets.
 */
const settingsOf = new WeakMap<string[], unknown>();

/** The webhook handler and lifecycle methods of a verified trigger, for its node class to hold. */
export function verifiedTrigger<Credential extends object>(
	declaration: TriggerDeclaration<Credential, Verdict>,
): Required<Pick<INodeType, 'webhook' | 'webhookMethods'>> & Pick<INodeType, 'trigger'> {
	const read = async (context: Context) =>
		await context.getCredentials<Credential>(declaration.credential);

	const build = async (context: IHookFunctions) => {
		if (!declaration.endpoint) return undefined;
		if (context.getNodeParameter('registration', 'automatic') !== 'automatic') return undefined;
		const credential = await read(context);
		const selected = selectedEvents(context, declaration.events);
		const { api, events } = declaration.endpoint(context, credential, selected);
		return {
			api,
			url: context.getNodeWebhookUrl('default') as string,
			events: events ?? registeredEvents(declaration.events, selected),
			sealingKey: declaration.sealingKey?.(credential) ?? '',
			needsStoredSecret: declaration.sealingKey !== undefined,
		};
	};
	/**
	 * Fails the activation, with what to change, when no delivery could verify: no secret in the credential where
	 * the credential is the only source of secrets (manual registration, or a provider that signs with a credential
	 * secret). Warns when automatic registration would give the provider a URL it cannot reach.
	 */
	async function validate(this: IHookFunctions) {
		const automatic =
			declaration.endpoint !== undefined &&
			this.getNodeParameter('registration', 'automatic') === 'automatic';
		const configured = declaration
			.configuredSecrets(await read(this))
			.filter((secret): secret is string => typeof secret === 'string' && secret.trim() !== '');
		const problems = configured.flatMap((secret, index) => {
			const problem = declaration.secretProblem?.(secret.trim());
			return problem ? [`secret ${index + 1} ${problem}`] : [];
		});
		if (problems.length > 0)
			throw new NodeOperationError(
				this.getNode(),
				`The credential holds a ${declaration.secretName} that cannot verify anything: ${problems.join('; ')}`,
				{
					description: `In the credential's secrets: ${problems.join('; ')}. Copy the secret again from the provider's webhook settings, or remove it.`,
				},
			);
		if (automatic && declaration.sealingKey !== undefined) {
			warnIfUnreachable(this);
			return;
		}
		if (configured.length > 0) return;
		throw new NodeOperationError(
			this.getNode(),
			automatic
				? `The credential holds no ${declaration.secretName}: put it into the credential`
				: `The credential holds no ${declaration.secretName}: put it into the credential, or set Registration to Automatic`,
			{
				description: automatic
					? `Every delivery is verified with the ${declaration.secretName}, and the credential has none: every delivery would be refused (401). Put it into the credential.`
					: `Registration is Manual, so deliveries are verified with the credential's secrets, and it has none: every delivery would be refused (401). Put the ${declaration.secretName} of the webhook you created into the credential, or set Registration to Automatic.`,
			},
		);
	}
	const lifecycle = registrationLifecycle(build, { validate });

	async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject & {
			toleranceSeconds?: number;
			dedupTtlHours?: number;
			dedupMaxEntries?: number;
		};
		const selected = selectedEvents(this, declaration.events);
		const stored = this.getWorkflowStaticData('node') as StoredRegistration;
		let settings: unknown;
		const sources = async () => {
			const credential = await read(this);
			settings = declaration.verificationSettings?.(credential);
			const configured = declaration
				.configuredSecrets(credential)
				.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
			const issued = declaration.sealingKey
				? readStoredSecret(stored, declaration.sealingKey(credential))
				: undefined;
			return { issued, configured };
		};
		const called = () => calledUrl(this);
		const queryOf = () => (this.getQueryData() ?? {}) as Record<string, unknown>;
		const result = await handleDelivery(this, {
			provider: declaration.provider,
			dedup: dedupOptionsFrom(options, declaration.dedupHours),
			secretsVersion: stored.sealedSecret ?? '',
			secrets: async () => {
				const { issued, configured } = await sources();
				const secrets = issued ? [issued, ...configured] : configured;
				settingsOf.set(secrets, settings);
				return secrets;
			},
			rejectedOutput: options.rejectedOutput === true,
			describeSecrets: async (secrets) => {
				const { issued, configured } = await sources();
				return secrets.map((secret, index) =>
					secret === issued
						? `${index + 1}: the ${declaration.secretName} stored when the webhook was registered`
						: configured.includes(secret)
							? `${index + 1}: the credential's secret ${configured.indexOf(secret) + 1}`
							: `${index + 1}: a secret the credential no longer holds`,
				);
			},
			verify: (rawBody, headers, secrets, nowMs) =>
				secrets.length === 0
					? reject('no_secret', `no ${declaration.secretName} is stored or configured`)
					: declaration.verify({
							rawBody,
							headers,
							url: servedUrl(this),
							// Read only by schemes that sign the query (Twilio): the others do not pay for them.
							get calledUrl() {
								return called();
							},
							get query() {
								return queryOf();
							},
							secrets,
							nowSeconds: Math.floor(nowMs / 1000),
							toleranceSeconds: options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
							settings: settingsOf.get(secrets),
							fetchText: async (url) =>
								String(
									await this.helpers.httpRequest({
										method: 'GET',
										url,
										json: false,
										encoding: 'text',
										disableFollowRedirect: true,
										timeout: 10_000,
									}),
								),
						}),
			parse: (rawBody, headers) => declaration.parse(rawBody, headers, options),
			unsignedHandshake: declaration.unsignedHandshake,
			isSelected: selection(selected),
		});
		if (this.getMode() === 'manual' && result.workflowData)
			rememberTestDelivery(this, result.workflowData);
		return result;
	}

	function catchUpPlan(context: ITriggerFunctions) {
		const options = context.getNodeParameter('options', {}) as IDataObject & {
			dedupTtlHours?: number;
			dedupMaxEntries?: number;
			catchUp?: boolean;
			catchUpMaxAgeHours?: number;
		};
		const dedup = dedupOptionsFrom(options, declaration.dedupHours);
		const selected = selectedEvents(context, declaration.events);
		return {
			provider: declaration.provider,
			dedup,
			settings: catchUpSettings(options, dedup),
			parse: (rawBody: Buffer) => declaration.parse(rawBody, {}, options),
			isSelected: selection(selected),
		};
	}

	return {
		webhook,
		webhookMethods: { default: lifecycle },
		// Only for registering triggers: see endpointWatch.ts (start-up and periodic endpoint checks, catch-up).
		...(declaration.endpoint ? { trigger: endpointWatch(build, catchUpPlan) } : {}),
	};
}
