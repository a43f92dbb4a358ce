import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
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
import { DEFAULT_TOLERANCE_SECONDS } from '../shared/descriptions';
import { valueAtPath } from '../shared/json';
import { calledUrl } from '../shared/trigger';
import { HANDSHAKES } from './handshakes';
import { PRESETS } from './presets';
import {
	bodyValue,
	isRejectionStatus,
	schemeProblem,
	secretKey,
	templateText,
	signatureForm,
	verifyScheme,
	type SchemeConfig,
	type SchemeRequest,
} from './scheme';

/**
 * The Signed Webhook trigger's behaviour: a scheme (a preset or Custom) read from the node's parameters per
 * delivery, so it assembles handleDelivery itself instead of going through the shared trigger factory.
 */

interface Options {
	toleranceSeconds?: number;
	failureStatus?: number;
	dedupTtlHours?: number;
	dedupMaxEntries?: number;
	rejectedOutput?: boolean;
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

/** The secret and the previous one, when set, each with its field's name (for the diagnostics). */
async function labelledSecrets(
	context: IHookFunctions | IWebhookFunctions,
): Promise<Array<{ label: string; secret: string }>> {
	const credential = await context.getCredentials<{ secret?: string; previousSecret?: string }>(
		'signedWebhookVerifiedApi',
	);
	return [
		{ label: 'Secret', secret: credential.secret },
		{ label: 'Previous Secret', secret: credential.previousSecret },
	].filter(
		(entry): entry is { label: string; secret: string } =>
			typeof entry.secret === 'string' && entry.secret.trim() !== '',
	);
}

/** The secret and the previous one, when set. */
async function secretsOf(context: IHookFunctions | IWebhookFunctions): Promise<string[]> {
	return (await labelledSecrets(context)).map((entry) => entry.secret);
}

/** The credential check: the secret is set and has no surrounding whitespace. */
export async function signedWebhookSecretTest(
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
}

/** Refuses, at activation or when a test listen starts, a scheme that is unsafe or unusable. */
export async function validateScheme(this: IHookFunctions): Promise<void> {
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
	const secrets = await secretsOf(this);
	const problem = schemeProblem(schemeOf(this), secrets);
	if (problem)
		throw new NodeOperationError(this.getNode(), 'The signature scheme cannot be used', {
			description: problem,
		});
}

export async function signedWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
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
	const schemeRequest = (rawBody: Buffer, headers: IncomingHeaders): SchemeRequest => {
		const query = (this.getQueryData() ?? {}) as Record<string, unknown>;
		return {
			rawBody,
			headers,
			query,
			method: request.method ?? 'POST',
			url: calledUrl(this),
			// Parsed on first use only, which the verifier allows only after the signature matched.
			json: () => (parsed ??= { json: bodyValue(config, { rawBody, query }) }).json,
		};
	};
	let secrets: string[] = [];
	// Activation refuses any other status; this guards a workflow activated before that check existed.
	const failureStatus = isRejectionStatus(options.failureStatus) ? options.failureStatus : 401;
	return await handleDelivery(this, {
		provider: PRESETS[preset] ? preset : 'custom',
		dedup: dedupOptionsFrom(options, 72),
		failureStatus,
		secretsVersion: '',
		secrets: async () => {
			secrets = await secretsOf(this);
			return secrets;
		},
		unsignedHandshake: handshake.unsigned,
		verify: (rawBody: Buffer, headers: IncomingHeaders, candidates: string[], nowMs: number) => {
			secrets = candidates;
			const verdict = verifyScheme(
				config,
				schemeRequest(rawBody, headers),
				candidates,
				Math.floor(nowMs / 1000),
			);
			return verdict.ok ? verdict : { ...signatureForm(config), ...verdict };
		},
		rejectedOutput: options.rejectedOutput === true,
		describeSecrets: async (tried) => {
			// By field, not by position: with only the Previous Secret set, it is the first one tried.
			const labels = (await labelledSecrets(this)).map((entry) => entry.label);
			return tried.map((_, index) => `${index + 1}: the credential's ${labels[index] ?? 'secret'}`);
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
			if (body === undefined) return 'the body is not JSON (nor a signed form)';
			const toEvent = (item: unknown): ParsedEvent | string => {
				const id = templateText(config.eventId, scheme, item);
				if (!id) return `no event id from "${config.eventId}"`;
				const payload = (
					typeof item === 'object' && item !== null && !Array.isArray(item) ? item : { value: item }
				) as IDataObject;
				return {
					id,
					type: (config.eventType && templateText(config.eventType, scheme, item)) || '',
					payload,
				};
			};
			if (config.batchPath) {
				const batch = valueAtPath(body, config.batchPath);
				if (!Array.isArray(batch)) {
					const single = config.batchOptional && typeof batch === 'object' && batch !== null;
					return single ? toEvent(batch) : `no array at "${config.batchPath}"`;
				}
				const events = batch.map(toEvent);
				const problem = events.find((event): event is string => typeof event === 'string');
				return problem ?? (events as ParsedEvent[]);
			}
			return toEvent(body);
		},
		isSelected: (event) => wanted.length === 0 || wanted.includes(event.type),
	});
}
