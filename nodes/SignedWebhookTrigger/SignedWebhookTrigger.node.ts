import { DEFAULT_TOLERANCE_SECONDS, deliveryWebhooks } from '../shared/descriptions';
import { dedupStoreRedisTest } from '../shared/dedupStore';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IHookFunctions,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	dedupOptionsFrom,
	handleDelivery,
	type Acknowledgement,
	type IncomingHeaders,
	type ParsedEvent,
} from '../shared/delivery';
import { valueAtPath } from '../shared/json';
import { registrationLifecycle } from '../shared/registration';
import { signedWebhookProperties } from './description';
import { HANDSHAKES } from './handshakes';
import { PRESETS } from './presets';
import {
	isRejectionStatus,
	schemeProblem,
	secretKey,
	templateText,
	verifyScheme,
	type SchemeConfig,
	type SchemeRequest,
} from './scheme';

interface Options {
	toleranceSeconds?: number;
	failureStatus?: number;
	dedupTtlHours?: number;
	dedupMaxEntries?: number;
}

/** The preset's configuration, or the Custom one built from the parameters. */
function schemeOf(context: IWebhookFunctions | IHookFunctions): SchemeConfig {
	const preset = context.getNodeParameter('preset', 'slack') as string;
	const options = context.getNodeParameter('options', {}) as Options;
	let config: SchemeConfig;
	if (preset !== 'custom') {
		config = PRESETS[preset]?.config;
		if (!config)
			throw new NodeOperationError(context.getNode(), `Unknown provider preset "${preset}"`);
	} else {
		const get = (name: string, fallback: string) =>
			String(context.getNodeParameter(name, fallback));
		const timestampSource = get('timestampSource', 'none');
		config = {
			algorithm: get('algorithm', 'sha256') as SchemeConfig['algorithm'],
			secretEncoding: get('secretEncoding', 'utf8') as SchemeConfig['secretEncoding'],
			signature: {
				location: get('signatureLocation', 'header') as 'header' | 'query',
				name: get('signatureName', 'X-Signature'),
				format: get('signatureFormat', 'raw') as SchemeConfig['signature']['format'],
				prefix: get('signaturePrefix', ''),
				pairSeparator: get('pairSeparator', ','),
				signatureKey: get('signatureKey', 'v1'),
				timestampKey: get('timestampKey', 't'),
				listVersion: get('listVersion', 'v1'),
				encoding: get('signatureEncoding', 'hex') as SchemeConfig['signature']['encoding'],
			},
			template: get('template', '{body}'),
			timestamp:
				timestampSource === 'none'
					? undefined
					: {
							source: timestampSource as 'header' | 'signature' | 'body',
							name: get('timestampName', ''),
							unit: get('timestampUnit', 's') as 's' | 'ms' | 'iso',
							toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
						},
			eventId: get('eventIdTemplate', '{json:id}'),
			eventType: get('eventTypeTemplate', ''),
			batchPath: get('batchPath', ''),
			challenge: get('challenge', 'none') as SchemeConfig['challenge'],
		};
	}
	if (config.timestamp && options.toleranceSeconds !== undefined) {
		config = {
			...config,
			timestamp: { ...config.timestamp, toleranceSeconds: options.toleranceSeconds },
		};
	}
	return config;
}

/** The URL the provider called: n8n's public webhook URL (WEBHOOK_URL), on the test path for test deliveries. */
function publicUrl(context: IWebhookFunctions): string {
	const base = context.getNodeWebhookUrl('default') ?? '';
	const url = context.getMode() === 'manual' ? base.replace('/webhook/', '/webhook-test/') : base;
	const original = String(
		context.getRequestObject().originalUrl ?? context.getRequestObject().url ?? '',
	);
	const query = original.includes('?') ? original.slice(original.indexOf('?')) : '';
	return url + query;
}

function parseJson(rawBody: Buffer): unknown {
	try {
		return JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
}

export class SignedWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Signed Webhook Trigger',
		name: 'signedWebhookTrigger',
		icon: {
			light: 'file:../../icons/signed-webhook.svg',
			dark: 'file:../../icons/signed-webhook.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["preset"] }}',
		description:
			'Starts the workflow on webhooks signed with a shared secret (Slack, Linear, Square, Typeform, WooCommerce, Zoom, … or your own scheme): verifies every signature, drops retried duplicates',
		defaults: { name: 'Signed Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'signedWebhookVerifiedApi', required: true, testedBy: 'signedWebhookSecretTest' },
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: deliveryWebhooks,
		properties: signedWebhookProperties,
	};

	methods = {
		credentialTest: {
			dedupStoreRedisTest,
			async signedWebhookSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secret = String(credential.data?.secret ?? '');
				if (secret.trim() === '') return { status: 'Error', message: 'The secret is empty' };
				if (secret !== secret.trim())
					return {
						status: 'Error',
						message: 'The secret has surrounding whitespace; copy it again',
					};
				return {
					status: 'OK',
					message: 'The secret is set (it is checked against the first delivery)',
				};
			},
		},
	};

	// Registration happens in the provider's settings: the lifecycle has nothing to create or remove, but an
	// unsafe or unusable scheme is refused when the workflow is activated or a test listen starts.
	webhookMethods = {
		default: registrationLifecycle(async () => undefined, {
			async validate(this: IHookFunctions) {
				const options = this.getNodeParameter('options', {}) as Options;
				if (options.failureStatus !== undefined && !isRejectionStatus(options.failureStatus)) {
					throw new NodeOperationError(
						this.getNode(),
						`Rejection Status ${options.failureStatus} is not allowed`,
						{
							description:
								'Use a 4xx status such as 401 or 403 (not 410, which makes senders drop the endpoint).',
						},
					);
				}
				const credential = await this.getCredentials('signedWebhookVerifiedApi');
				const secrets = [credential.secret, credential.previousSecret].filter(
					(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
				);
				const problem = schemeProblem(schemeOf(this), secrets);
				if (problem)
					throw new NodeOperationError(this.getNode(), 'The signature scheme cannot be used', {
						description: problem,
					});
			},
		}),
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const preset = this.getNodeParameter('preset', 'slack') as string;
		const config = schemeOf(this);
		const handshake = HANDSHAKES[config.challenge ?? 'none'] ?? {};
		const options = this.getNodeParameter('options', {}) as Options;
		const wanted = (this.getNodeParameter('eventTypes', '') as string)
			.split(',')
			.map((type) => type.trim())
			.filter(Boolean);
		const request = this.getRequestObject();
		let parsed: { json: unknown } | undefined;
		const schemeRequest = (rawBody: Buffer, headers: IncomingHeaders): SchemeRequest => ({
			rawBody,
			headers,
			query: this.getQueryData() as Record<string, unknown>,
			method: request.method ?? 'POST',
			url: publicUrl(this),
			// Parsed on first use only, which the verifier allows only after the signature matched.
			json: () => (parsed ??= { json: parseJson(rawBody) }).json,
		});
		let secrets: string[] = [];
		// Activation refuses any other status; this guards a workflow activated before that check existed.
		const failureStatus = isRejectionStatus(options.failureStatus) ? options.failureStatus : 401;
		return await handleDelivery(this, {
			provider: PRESETS[preset] ? preset : 'custom',
			dedup: dedupOptionsFrom(options, 72),
			failureStatus,
			secretsVersion: '',
			secrets: async () => {
				const credential = await this.getCredentials('signedWebhookVerifiedApi');
				secrets = [credential.secret, credential.previousSecret].filter(
					(secret): secret is string => typeof secret === 'string' && secret !== '',
				);
				return secrets;
			},
			unsignedHandshake: handshake.unsigned,
			verify: (rawBody: Buffer, headers: IncomingHeaders, candidates: string[], nowMs: number) => {
				secrets = candidates;
				return verifyScheme(
					config,
					schemeRequest(rawBody, headers),
					candidates,
					Math.floor(nowMs / 1000),
				);
			},
			parse: (
				rawBody: Buffer,
				headers: IncomingHeaders,
			): ParsedEvent | ParsedEvent[] | Acknowledgement | string => {
				const scheme = schemeRequest(rawBody, headers);
				const body = scheme.json() as IDataObject | undefined;
				if (body !== undefined && handshake.signed) {
					// The key exactly as verification uses it (trimmed, decoded), so a copied newline cannot break it.
					const answer = handshake.signed(body, secretKey(secrets[0] ?? '', config.secretEncoding));
					if (answer !== undefined) return answer;
				}
				if (body === undefined) return 'the body is not JSON';
				const toEvent = (item: unknown): ParsedEvent | string => {
					const id = templateText(config.eventId, scheme, item);
					if (!id) return `no event id from "${config.eventId}"`;
					const payload = (
						typeof item === 'object' && item !== null && !Array.isArray(item)
							? item
							: { value: item }
					) as IDataObject;
					return {
						id,
						type: (config.eventType && templateText(config.eventType, scheme, item)) || '',
						payload,
					};
				};
				if (config.batchPath) {
					const batch = valueAtPath(body, config.batchPath);
					if (!Array.isArray(batch)) return `no array at "${config.batchPath}"`;
					const events = batch.map(toEvent);
					const problem = events.find((event): event is string => typeof event === 'string');
					return problem ?? (events as ParsedEvent[]);
				}
				return toEvent(body);
			},
			isSelected: (event) => wanted.length === 0 || wanted.includes(event.type),
		});
	}
}
