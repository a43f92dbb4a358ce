import {
	NodeConnectionTypes,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
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
	type IncomingHeaders,
	type ParsedEvent,
} from '../shared/delivery';
import { dedupOptionFields } from '../shared/descriptions';
import { dedupStoreProperty, dedupStoreRedisTest } from '../shared/dedupStore';
import { registrationLifecycle } from '../shared/registration';
import { DEFAULT_TOLERANCE_SECONDS, isUsableKey, whsecKey } from '../shared/signature';
import { standardHeaders, verifyStandardWebhook } from './signature';

const CREDENTIAL = 'standardWebhooksVerifiedApi';

interface Options {
	eventTypePath?: string;
	toleranceSeconds?: number;
	dedupTtlHours?: number;
	dedupMaxEntries?: number;
}

function secretsOf(credential: ICredentialDataDecryptedObject): string[] {
	return [credential.signingSecret, credential.previousSigningSecret].filter(
		(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
	);
}

/** Reads `a.b.c` from a parsed body; undefined when any step is missing. */
function valueAt(payload: unknown, path: string): unknown {
	let value: unknown = payload;
	for (const key of path.split('.').filter(Boolean)) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

export class StandardWebhooksVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Standard Webhooks Verified Trigger',
		name: 'standardWebhooksVerifiedTrigger',
		icon: {
			light: 'file:../../icons/standard-webhooks.svg',
			dark: 'file:../../icons/standard-webhooks.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["eventTypes"] ? "types: " + $parameter["eventTypes"] : "all event types" }}',
		description:
			'Starts the workflow on deliveries signed with the Standard Webhooks scheme (Svix and the services built on it): verifies every signature, drops retried duplicates',
		defaults: { name: 'Standard Webhooks Verified Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'standardWebhooksVerifiedApi',
				required: true,
				testedBy: 'standardWebhooksSecretTest',
			},
			{
				name: 'verifiedWebhooksRedisApi',
				required: true,
				testedBy: 'dedupStoreRedisTest',
				displayOptions: { show: { dedupStore: ['redis'] } },
			},
		],
		webhooks: [
			// n8n answers a delivery that starts an execution once the execution exists; responseData '' makes the
			// answer's body the trigger's webhookResponse.
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Register this node's Production URL (shown above) as the endpoint in the sender's dashboard, and copy the endpoint's signing secret (whsec_…) into the credential. The sender must reach n8n over the internet (set WEBHOOK_URL when n8n is behind a tunnel or proxy).",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'string',
				default: '',
				placeholder: 'invoice.paid, user.created',
				description:
					'Comma-separated event types that start the workflow; empty accepts every type. Other types are acknowledged and dropped.',
			},
			dedupStoreProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					...dedupOptionFields(
						"The specification's example retry schedule spans about 75 hours, so 76 hours covers it.",
						76,
					),
					{
						displayName: 'Event Type Path',
						name: 'eventTypePath',
						type: 'string',
						default: 'type',
						description: 'Where the event type is in the JSON body (dot notation)',
					},
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							'Deliveries signed longer ago, or further in the future, are refused (the specification uses 5 minutes). 0 turns the check off.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			dedupStoreRedisTest,
			async standardWebhooksSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				for (const secret of secretsOf(credential.data ?? {})) {
					const key = whsecKey(secret.trim());
					if (!key || key.length < 16 || !isUsableKey(key)) {
						return {
							status: 'Error',
							message:
								'A signing secret is not a whsec_ value with a base64 key of at least 16 bytes. Copy it again from the sender.',
						};
					}
				}
				return { status: 'OK', message: 'The signing secret is well formed' };
			},
		},
	};

	// Registration happens in the sender's dashboard: the lifecycle has nothing to create or remove.
	webhookMethods = { default: registrationLifecycle(async () => undefined) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as Options;
		const typePath = options.eventTypePath || 'type';
		const wanted = (this.getNodeParameter('eventTypes', '') as string)
			.split(',')
			.map((type) => type.trim())
			.filter(Boolean);
		return await handleDelivery(this, {
			provider: 'standard-webhooks',
			dedup: dedupOptionsFrom(options, 76),
			secretsVersion: '',
			secrets: async () =>
				secretsOf(await this.getCredentials(CREDENTIAL)).map((secret) => secret.trim()),
			verify: (rawBody: Buffer, headers: IncomingHeaders, secrets: string[], nowMs: number) =>
				verifyStandardWebhook({
					rawBody,
					headers,
					secrets,
					nowSeconds: Math.floor(nowMs / 1000),
					toleranceSeconds: options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
				}),
			parse: (rawBody: Buffer, headers: IncomingHeaders): ParsedEvent | string => {
				// The id and timestamp of the header family that was verified, never the other one.
				const { id, timestamp } = standardHeaders(headers);
				if (!id) return 'the webhook-id header is missing';
				let payload: unknown;
				try {
					payload = JSON.parse(rawBody.toString('utf8'));
				} catch {
					return 'the body is not JSON';
				}
				if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
					return 'the body is not a JSON object';
				const type = valueAt(payload, typePath);
				return {
					id,
					type: typeof type === 'string' ? type : '',
					payload: payload as IDataObject,
					details: { timestamp: timestamp ?? null },
				};
			},
			isSelected: (event) => wanted.length === 0 || wanted.includes(event.type),
		});
	}
}
