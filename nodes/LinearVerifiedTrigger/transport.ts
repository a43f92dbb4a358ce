import { randomBytes } from 'crypto';
import { NodeApiError, type IDataObject, type IHookFunctions, type JsonObject } from 'n8n-workflow';

import { listFrom, providerRequest, unavailableHint } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const LINEAR_CREDENTIAL = 'linearVerifiedApi';
export const DEFAULT_LINEAR_API_URL = 'https://api.linear.app/graphql';
const CREDENTIAL_NAME = 'Linear (Verified Webhooks) API';
/** Linear keeps a label, not metadata; this prefix marks webhooks this package created. */
const OWNER_PREFIX = 'n8n verified webhooks';
const WEBHOOK_FIELDS = 'id url enabled resourceTypes label';

interface LinearWebhook {
	id: string;
	url: string;
	enabled: boolean;
	resourceTypes: string[];
	label?: string | null;
}

interface GraphQlAnswer {
	data?: IDataObject | null;
	errors?: Array<{
		message: string;
		extensions?: { code?: string; userPresentableMessage?: string };
	}>;
}

const errorsOf = (body: unknown) =>
	((body as GraphQlAnswer | undefined)?.errors ?? []).map(
		(error) => error.extensions?.userPresentableMessage ?? error.message,
	);

function hintFor(status: number, errors: string[] = []): string {
	const text = errors.join(' ');
	if (status === 401 || /authenticat/i.test(text)) {
		return `Check the API Key in the "${CREDENTIAL_NAME}" credential (Settings → Security & access → Personal API keys).`;
	}
	if (status === 403 || /admin|permission|forbidden/i.test(text)) {
		return 'Creating webhooks needs an admin of the workspace, or a key with the "Admin" (or "Create webhooks") permission.';
	}
	if (status === 429 || status >= 500 || /ratelimit/i.test(text)) return unavailableHint('Linear');
	return "Check the node's Team ID and resource types.";
}

function toEndpoint(webhook: LinearWebhook): RemoteEndpoint {
	return {
		id: webhook.id,
		url: webhook.url,
		events: [...(webhook.resourceTypes ?? [])].sort(),
		enabled: webhook.enabled === true,
		ours: (webhook.label ?? '').startsWith(OWNER_PREFIX),
	};
}

/** Linear's webhooks through its GraphQL API (webhookCreate / webhookUpdate / webhookDelete). */
export class LinearWebhookApi implements EndpointApi {
	constructor(
		private readonly context: IHookFunctions,
		private readonly apiUrl: string,
		private readonly settings: { teamId?: string; label: string },
	) {}

	/** One GraphQL request; a 200 that carries errors is a failure too. `notFound` answers undefined for "Entity not found". */
	private async query(
		query: string,
		variables: IDataObject,
		notFound = false,
	): Promise<IDataObject | undefined> {
		let refused: string[] = [];
		const answer = await providerRequest<GraphQlAnswer>(this.context, {
			provider: 'Linear',
			credentialType: LINEAR_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			method: 'POST',
			url: this.apiUrl,
			body: { query, variables },
			// Linear answers authentication and permission failures with GraphQL errors: the hint reads them.
			errorDetail: (body) => (refused = errorsOf(body)).join('; '),
			hint: (status) => hintFor(status, refused),
		});
		const errors = errorsOf(answer?.body);
		if (errors.length === 0 && answer?.body?.data) return answer.body.data;
		if (notFound && errors.some((error) => /not found|could not find/i.test(error)))
			return undefined;
		const message = `Linear refused the GraphQL request: ${errors.join('; ') || 'no data'}`;
		throw new NodeApiError(this.context.getNode(), { message } as JsonObject, {
			message,
			description: `${message}. ${hintFor(400, errors)}`,
		});
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const data = await this.query(
			`query($id: String!) { webhook(id: $id) { ${WEBHOOK_FIELDS} } }`,
			{ id },
			true,
		);
		const webhook = data?.webhook as LinearWebhook | undefined;
		return webhook?.id ? toEndpoint(webhook) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const found: RemoteEndpoint[] = [];
		let after: string | null = null;
		// A workspace has a handful of webhooks; the page cap only guards against a broken API.
		for (let page = 0; page < 20; page++) {
			const data = await this.query(
				`query($after: String) { webhooks(first: 100, after: $after) { nodes { ${WEBHOOK_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
				{ after },
			);
			const connection = data?.webhooks as
				| { nodes?: LinearWebhook[]; pageInfo?: { hasNextPage?: boolean; endCursor?: string } }
				| undefined;
			const nodes = listFrom<LinearWebhook>(this.context, 'Linear', connection?.nodes, 'webhooks');
			for (const webhook of nodes) if (webhook.url === url) found.push(toEndpoint(webhook));
			if (!connection?.pageInfo?.hasNextPage) break;
			after = connection.pageInfo.endCursor ?? null;
		}
		return found;
	}

	private success(data: IDataObject | undefined, field: string): IDataObject {
		const result = data?.[field] as IDataObject | undefined;
		if (!result?.success) {
			const message = `Linear answered ${field} without success`;
			throw new NodeApiError(this.context.getNode(), { message } as JsonObject, {
				message,
				description: `${message}. ${hintFor(400)}`,
			});
		}
		return result;
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The secret is ours to choose: 32 random bytes, sealed in static data.
		const secret = randomBytes(32).toString('hex');
		const input: IDataObject = {
			url,
			resourceTypes: events,
			label: `${OWNER_PREFIX}: ${this.settings.label}`.slice(0, 100),
			secret,
			enabled: true,
		};
		if (this.settings.teamId) input.teamId = this.settings.teamId;
		else input.allPublicTeams = true;
		const data = await this.query(
			`mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { success webhook { ${WEBHOOK_FIELDS} } } }`,
			{ input },
		);
		const webhook = this.success(data, 'webhookCreate').webhook as LinearWebhook | undefined;
		if (!webhook?.id) {
			const message = 'Linear created the webhook but returned no id';
			throw new NodeApiError(this.context.getNode(), { message } as JsonObject, { message });
		}
		return { endpoint: toEndpoint(webhook), secret };
	}

	async repair(id: string, events: string[]): Promise<void> {
		const data = await this.query(
			'mutation($id: String!, $input: WebhookUpdateInput!) { webhookUpdate(id: $id, input: $input) { success } }',
			{ id, input: { resourceTypes: events, enabled: true } },
		);
		this.success(data, 'webhookUpdate');
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		const data = await this.query(
			'mutation($id: String!) { webhookDelete(id: $id) { success } }',
			{ id },
			true,
		);
		if (data === undefined) return 'gone';
		this.success(data, 'webhookDelete');
		return 'deleted';
	}
}
