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
	type Acknowledgement,
	type IncomingHeaders,
	type ParsedEvent,
} from '../shared/delivery';
import {
	readStoredSecret,
	registrationLifecycle,
	type Registration,
	type StoredRegistration,
} from '../shared/registration';
import { gitHubTriggerProperties } from './description';
import { GITHUB_SIGNATURE_HEADER, verifyGitHubSignature } from './signature';
import {
	DEFAULT_GITHUB_API_BASE_URL,
	GITHUB_CREDENTIAL,
	GitHubHookApi,
	type GitHubScope,
} from './transport';

interface GitHubCredential {
	accessToken: string;
	webhookSecrets?: string;
	baseUrl?: string;
}

async function credential(context: IHookFunctions | IWebhookFunctions): Promise<GitHubCredential> {
	return await context.getCredentials<GitHubCredential>(GITHUB_CREDENTIAL);
}

function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	const events = context.getNodeParameter('events', ['*']) as string[];
	return events.includes('*') ? ['*'] : [...events].sort();
}

async function registration(context: IHookFunctions): Promise<Registration | undefined> {
	if (context.getNodeParameter('registration', 'automatic') !== 'automatic') return undefined;
	const { accessToken, baseUrl } = await credential(context);
	const scope: GitHubScope = {
		kind:
			context.getNodeParameter('scope', 'repository') === 'organization'
				? 'organization'
				: 'repository',
		owner: (context.getNodeParameter('owner', '') as string).trim(),
		repository: (context.getNodeParameter('repository', '') as string).trim(),
	};
	return {
		api: new GitHubHookApi(context, baseUrl || DEFAULT_GITHUB_API_BASE_URL, scope),
		url: context.getNodeWebhookUrl('default') as string,
		events: selectedEvents(context),
		sealingKey: accessToken,
		needsStoredSecret: true,
	};
}

function header(headers: IncomingHeaders, name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseGitHubDelivery(
	rawBody: Buffer,
	headers: IncomingHeaders,
): ParsedEvent | Acknowledgement | string {
	const event = header(headers, 'x-github-event');
	const deliveryId = header(headers, 'x-github-delivery');
	if (!event) return 'the X-GitHub-Event header is missing';
	if (!deliveryId) return 'the X-GitHub-Delivery header is missing';
	if (event === 'ping') return { acknowledge: 'ping' };
	let payload: unknown;
	try {
		payload = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return "the body is not JSON (is the webhook's content type application/json?)";
	}
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
		return 'the body is not a JSON object';
	const action =
		typeof (payload as IDataObject).action === 'string'
			? ((payload as IDataObject).action as string)
			: null;
	return {
		id: deliveryId,
		type: event,
		payload: payload as IDataObject,
		details: { event, action, hookId: header(headers, 'x-github-hook-id') ?? null },
	};
}

export class GitHubVerifiedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GitHub Verified Trigger',
		name: 'gitHubVerifiedTrigger',
		icon: { light: 'file:../../icons/github.svg', dark: 'file:../../icons/github.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["scope"] === "organization" ? $parameter["owner"] : $parameter["owner"] + "/" + $parameter["repository"]) + ": " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow on GitHub repository or organization events: registers its webhook, verifies every signature, drops redeliveries',
		defaults: { name: 'GitHub Verified Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: GITHUB_CREDENTIAL, required: true },
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
		properties: gitHubTriggerProperties,
	};

	methods = { credentialTest: { dedupStoreRedisTest } };

	webhookMethods = { default: registrationLifecycle(registration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const events = selectedEvents(this);
		const stored = this.getWorkflowStaticData('node') as StoredRegistration;
		return await handleDelivery(this, {
			provider: 'github',
			dedup: dedupOptionsFrom(this.getNodeParameter('options', {}) as IDataObject, 72),
			secretsVersion: stored.sealedSecret ?? '',
			secrets: async () => {
				const { accessToken, webhookSecrets } = await credential(this);
				const fromHook = readStoredSecret(stored, accessToken);
				const configured = splitSecrets(webhookSecrets);
				return fromHook ? [fromHook, ...configured] : configured;
			},
			verify: (rawBody: Buffer, headers: IncomingHeaders, secrets: string[]) =>
				verifyGitHubSignature({ rawBody, header: headers[GITHUB_SIGNATURE_HEADER], secrets }),
			parse: parseGitHubDelivery,
			isSelected: (event) => events[0] === '*' || events.includes(event.type),
		});
	}
}
