import { DEFAULT_TOLERANCE_SECONDS } from '../shared/signature';
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
import { stripeTriggerProperties } from './description';
import { STRIPE_SIGNATURE_HEADER, verifyStripeSignature } from './signature';
import { DEFAULT_STRIPE_API_BASE_URL, STRIPE_CREDENTIAL, StripeEndpointApi } from './transport';

interface StripeCredential {
	secretKey: string;
	signingSecrets?: string;
	baseUrl?: string;
}

interface StripeOptions {
	apiVersion?: string;
	connect?: boolean;
	toleranceSeconds?: number;
	dedupTtlHours?: number;
	dedupMaxEntries?: number;
}

async function credential(context: IHookFunctions | IWebhookFunctions): Promise<StripeCredential> {
	return await context.getCredentials<StripeCredential>(STRIPE_CREDENTIAL);
}

function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	const events = context.getNodeParameter('events', ['*']) as string[];
	return events.includes('*') ? ['*'] : [...events].sort();
}

function options(context: IHookFunctions | IWebhookFunctions): StripeOptions {
	return context.getNodeParameter('options', {}) as StripeOptions;
}

async function registration(context: IHookFunctions): Promise<Registration | undefined> {
	if (context.getNodeParameter('registration', 'automatic') !== 'automatic') return undefined;
	const { secretKey, baseUrl } = await credential(context);
	const workflow = context.getWorkflow();
	const settings = options(context);
	const api = new StripeEndpointApi(context, baseUrl || DEFAULT_STRIPE_API_BASE_URL, {
		description: `n8n workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${context.getNode().name}"`,
		apiVersion: settings.apiVersion || undefined,
		connect: settings.connect === true,
		workflowId: workflow.id ?? '',
	});
	return {
		api,
		url: context.getNodeWebhookUrl('default') as string,
		events: selectedEvents(context),
		sealingKey: secretKey,
		needsStoredSecret: true,
	};
}

function parseStripeEvent(rawBody: Buffer): ParsedEvent | string {
	let event: unknown;
	try {
		event = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return 'the body is not JSON';
	}
	if (typeof event !== 'object' || event === null || Array.isArray(event))
		return 'the body is not a JSON object';
	const { id, type } = event as IDataObject;
	if (typeof id !== 'string' || id === '') return 'the event has no id';
	if (typeof type !== 'string' || type === '') return 'the event has no type';
	const payload = event as IDataObject;
	return {
		id,
		type,
		payload,
		details: { livemode: payload.livemode === true },
	};
}

export class StripeVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Verified Trigger',
		name: 'stripeVerifiedTrigger',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on Stripe events: registers its endpoint, verifies every signature, drops retried duplicates',
		defaults: { name: 'Stripe Verified Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: STRIPE_CREDENTIAL, required: true },
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
		properties: stripeTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = { default: registrationLifecycle(registration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = options(this);
		const events = selectedEvents(this);
		const stored = this.getWorkflowStaticData('node') as StoredRegistration;
		return await handleDelivery(this, {
			provider: 'stripe',
			dedup: dedupOptionsFrom(settings, 72),
			secretsVersion: stored.sealedSecret ?? '',
			secrets: async () => {
				const { secretKey, signingSecrets } = await credential(this);
				const fromEndpoint = readStoredSecret(stored, secretKey);
				const configured = splitSecrets(signingSecrets);
				return fromEndpoint ? [fromEndpoint, ...configured] : configured;
			},
			verify: (rawBody: Buffer, headers: IncomingHeaders, secrets: string[], nowMs: number) =>
				verifyStripeSignature({
					rawBody,
					header: headers[STRIPE_SIGNATURE_HEADER],
					secrets,
					nowSeconds: Math.floor(nowMs / 1000),
					toleranceSeconds: settings.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
				}),
			parse: parseStripeEvent,
			isSelected: (event) => events[0] === '*' || events.includes(event.type),
		});
	}
}
