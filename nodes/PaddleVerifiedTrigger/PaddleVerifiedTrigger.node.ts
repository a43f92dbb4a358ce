import { dedupStoreRedisTest } from '../shared/dedupStore';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	dedupOptionsFrom,
	handleDelivery,
	splitSecrets,
	type IncomingHeaders,
	type ParsedEvent,
} from '../shared/delivery';
import {
	readStoredSecret,
	registrationLifecycle,
	type Registration,
	type StoredRegistration,
} from '../shared/registration';
import { paddleTriggerProperties } from './description';
import events from './events.json';
import {
	PADDLE_DEFAULT_TOLERANCE_SECONDS,
	PADDLE_SIGNATURE_HEADER,
	verifyPaddleSignature,
} from './signature';
import { PADDLE_API_BASE_URLS, PADDLE_CREDENTIAL, PaddleNotificationApi } from './transport';

interface PaddleCredential {
	apiKey: string;
	environment?: 'live' | 'sandbox' | 'custom';
	baseUrl?: string;
	endpointSecretKeys?: string;
}

interface PaddleOptions {
	toleranceSeconds?: number;
	dedupTtlHours?: number;
	dedupMaxEntries?: number;
}

const ALL_EVENTS = events.map((event) => event.value).filter((value) => value !== '*');

async function credential(context: IHookFunctions | IWebhookFunctions): Promise<PaddleCredential> {
	return await context.getCredentials<PaddleCredential>(PADDLE_CREDENTIAL);
}

function apiBaseUrl({ environment, baseUrl }: PaddleCredential): string {
	if (environment === 'custom' && baseUrl) return baseUrl;
	return environment === 'live' ? PADDLE_API_BASE_URLS.live : PADDLE_API_BASE_URLS.sandbox;
}

function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	const chosen = context.getNodeParameter('events', ['*']) as string[];
	return chosen.includes('*') ? ['*'] : [...chosen].sort();
}

async function registration(context: IHookFunctions): Promise<Registration | undefined> {
	if (context.getNodeParameter('registration', 'automatic') !== 'automatic') return undefined;
	const paddle = await credential(context);
	const workflow = context.getWorkflow();
	const wanted = selectedEvents(context);
	return {
		api: new PaddleNotificationApi(
			context,
			apiBaseUrl(paddle),
			`workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${context.getNode().name}"`,
		),
		url: context.getNodeWebhookUrl('default') as string,
		// Paddle has no wildcard: "*" subscribes to every known event type.
		events: wanted[0] === '*' ? [...ALL_EVENTS].sort() : wanted,
		sealingKey: paddle.apiKey,
		needsStoredSecret: true,
	};
}

function parsePaddleEvent(rawBody: Buffer): ParsedEvent | string {
	let event: unknown;
	try {
		event = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return 'the body is not JSON';
	}
	if (typeof event !== 'object' || event === null || Array.isArray(event))
		return 'the body is not a JSON object';
	const payload = event as IDataObject;
	if (typeof payload.event_id !== 'string' || payload.event_id === '')
		return 'the notification has no event_id';
	if (typeof payload.event_type !== 'string' || payload.event_type === '')
		return 'the notification has no event_type';
	return {
		id: payload.event_id,
		type: payload.event_type,
		payload,
		details: {
			notificationId: payload.notification_id ?? null,
			occurredAt: payload.occurred_at ?? null,
		},
	};
}

export class PaddleVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paddle Billing Verified Trigger',
		name: 'paddleVerifiedTrigger',
		icon: { light: 'file:../../icons/paddle.svg', dark: 'file:../../icons/paddle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Paddle Billing events: registers its notification destination, verifies every signature, drops retried duplicates',
		defaults: { name: 'Paddle Billing Verified Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: PADDLE_CREDENTIAL, required: true },
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
		properties: paddleTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = { default: registrationLifecycle(registration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = this.getNodeParameter('options', {}) as PaddleOptions;
		const wanted = selectedEvents(this);
		const stored = this.getWorkflowStaticData('node') as StoredRegistration;
		return await handleDelivery(this, {
			provider: 'paddle',
			dedup: dedupOptionsFrom(settings, 72),
			secretsVersion: stored.sealedSecret ?? '',
			secrets: async () => {
				const paddle = await credential(this);
				const fromDestination = readStoredSecret(stored, paddle.apiKey);
				const configured = splitSecrets(paddle.endpointSecretKeys);
				return fromDestination ? [fromDestination, ...configured] : configured;
			},
			verify: (rawBody: Buffer, headers: IncomingHeaders, secrets: string[], nowMs: number) =>
				verifyPaddleSignature({
					rawBody,
					header: headers[PADDLE_SIGNATURE_HEADER],
					secrets,
					nowSeconds: Math.floor(nowMs / 1000),
					toleranceSeconds: settings.toleranceSeconds ?? PADDLE_DEFAULT_TOLERANCE_SECONDS,
				}),
			parse: parsePaddleEvent,
			isSelected: (event) => wanted[0] === '*' || wanted.includes(event.type),
		});
	}
}
