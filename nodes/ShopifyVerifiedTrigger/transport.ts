import { NodeApiError, type IDataObject, type IHookFunctions, type JsonObject } from 'n8n-workflow';

import { listFrom, providerRequest, unavailableHint } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const SHOPIFY_CREDENTIAL = 'shopifyVerifiedApi';
export const DEFAULT_SHOPIFY_API_VERSION = '2025-07';

/** `orders/create` ↔ `ORDERS_CREATE`, the GraphQL enum. */
export const topicToEnum = (topic: string) => topic.replace(/\//g, '_').toUpperCase();
/**
 * A topic enum outside the catalogue, split at its first underscore. Resources with underscores (draft_orders,
 * inventory_items…) are found in the catalogue first (topicOf), so only unknown topics are guessed this way.
 */
const enumToTopic = (value: string) => {
	const [resource, ...action] = value.toLowerCase().split('_');
	return { resource, action: action.join('_') };
};

const SUBSCRIPTION_FIELDS =
	'id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } }';

interface Subscription {
	id: string;
	topic: string;
	endpoint?: { callbackUrl?: string };
}

interface GraphQlAnswer {
	data?: IDataObject;
	errors?: Array<{ message: string }> | string;
}

/**
 * Shopify subscribes one topic per subscription, so the "endpoint" of a node is the set of its
 * subscriptions (same callback URL); its id is their ids joined by spaces.
 */
export class ShopifyWebhookApi implements EndpointApi {
	constructor(
		private readonly context: IHookFunctions,
		private readonly graphqlUrl: string,
		/** The catalogue's topics, to turn enum values back into `resource/action`. */
		private readonly knownTopics: string[],
	) {}

	private topicOf(value: string): string {
		const known = this.knownTopics.find((topic) => topicToEnum(topic) === value);
		if (known) return known;
		const { resource, action } = enumToTopic(value);
		return `${resource}/${action}`;
	}

	private async query(query: string, variables: IDataObject): Promise<IDataObject> {
		const hint = (status: number) =>
			status === 401 || status === 403
				? 'Check the Admin API access token, and that the app has the read scopes of the chosen topics (e.g. read_orders for orders/*).'
				: status === 429 || status >= 500
					? unavailableHint('Shopify')
					: 'Check the shop domain, the API version and the topics.';
		// GraphQL errors are a list; Shopify's authentication and throttling errors are a plain string.
		const errorsOf = (body: unknown): string[] => {
			const errors = (body as GraphQlAnswer | undefined)?.errors;
			if (Array.isArray(errors)) return errors.map((error) => error.message);
			return typeof errors === 'string' ? [errors] : [];
		};
		const request = {
			provider: 'Shopify',
			credentialType: SHOPIFY_CREDENTIAL,
			credentialName: 'Shopify (Verified Webhooks) API',
			method: 'POST' as const,
			url: this.graphqlUrl,
			body: { query, variables },
			errorDetail: (body: unknown) => errorsOf(body).join('; '),
			hint,
		};
		const answer = await providerRequest<GraphQlAnswer>(this.context, request);
		const errors = errorsOf(answer?.body);
		if (answer?.body?.data && errors.length === 0) return answer.body.data;
		// A 200 that carries GraphQL errors is a failure too.
		const message = `Shopify refused the GraphQL request: ${errors.join('; ') || 'no data'}`;
		throw new NodeApiError(this.context.getNode(), { message } as JsonObject, {
			message,
			description: `${message}. ${hint(400)}`,
		});
	}

	private userErrors(result: IDataObject | undefined, what: string): void {
		const errors = (result?.userErrors ?? []) as Array<{ field?: string[]; message: string }>;
		if (errors.length === 0) return;
		const message = `Shopify could not ${what}: ${errors.map((error) => error.message).join('; ')}`;
		throw new NodeApiError(this.context.getNode(), { message } as JsonObject, {
			message,
			description: `${message}. Check the topics and that the app has access to them.`,
		});
	}

	private toEndpoint(subscriptions: Subscription[]): RemoteEndpoint {
		return {
			id: subscriptions.map((subscription) => subscription.id).join(' '),
			url: subscriptions[0]?.endpoint?.callbackUrl ?? '',
			events: subscriptions.map((subscription) => this.topicOf(subscription.topic)),
			enabled: true,
			ours: true,
		};
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const ids = id.split(' ').filter(Boolean);
		const data = await this.query(
			`query($ids: [ID!]!) { nodes(ids: $ids) { ... on WebhookSubscription { ${SUBSCRIPTION_FIELDS} } } }`,
			{ ids },
		);
		const found = ((data.nodes ?? []) as Array<Subscription | null>).filter(
			(node): node is Subscription => !!node && !!node.id,
		);
		return found.length ? this.toEndpoint(found) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const data = await this.query(
			`query($url: URL!) { webhookSubscriptions(first: 250, callbackUrl: $url) { edges { node { ${SUBSCRIPTION_FIELDS} } } } }`,
			{ url },
		);
		const edges = listFrom<{ node: Subscription }>(
			this.context,
			'Shopify',
			(data.webhookSubscriptions as IDataObject | undefined)?.edges,
			'webhook subscriptions',
		);
		const found = edges
			.map((edge) => edge.node)
			.filter((node) => node.endpoint?.callbackUrl === url);
		return found.length ? [this.toEndpoint(found)] : [];
	}

	private async subscribe(url: string, topic: string): Promise<Subscription> {
		const data = await this.query(
			`mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { ${SUBSCRIPTION_FIELDS} } userErrors { field message } } }`,
			{ topic: topicToEnum(topic), sub: { callbackUrl: url, format: 'JSON' } },
		);
		const result = data.webhookSubscriptionCreate as IDataObject | undefined;
		this.userErrors(result, `subscribe to ${topic}`);
		const subscription = result?.webhookSubscription as Subscription | undefined;
		if (!subscription?.id) {
			throw new NodeApiError(
				this.context.getNode(),
				{ message: 'incomplete response' } as JsonObject,
				{ message: `Shopify returned no subscription for ${topic}` },
			);
		}
		return subscription;
	}

	private async unsubscribe(id: string): Promise<boolean> {
		const data = await this.query(
			'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }',
			{ id },
		);
		const result = data.webhookSubscriptionDelete as IDataObject | undefined;
		const errors = (result?.userErrors ?? []) as Array<{ message: string }>;
		// Deleting what is already gone is success (delete() runs again after a failed activation).
		if (errors.some((error) => /does not exist|not found/i.test(error.message))) return false;
		this.userErrors(result, `remove subscription ${id}`);
		return true;
	}

	async create(url: string, topics: string[]): Promise<{ endpoint: RemoteEndpoint }> {
		const created: Subscription[] = [];
		for (const topic of topics) created.push(await this.subscribe(url, topic));
		return { endpoint: this.toEndpoint(created) };
	}

	async repair(id: string, topics: string[]): Promise<string> {
		const current = (await this.get(id)) ?? {
			id: '',
			url: '',
			events: [],
			enabled: true,
			ours: true,
		};
		const ids = current.id.split(' ').filter(Boolean);
		const url = current.url;
		const keep: string[] = [];
		for (const [index, topic] of current.events.entries()) {
			if (topics.includes(topic)) keep.push(ids[index]);
			else await this.unsubscribe(ids[index]);
		}
		for (const topic of topics) {
			if (!current.events.includes(topic)) keep.push((await this.subscribe(url, topic)).id);
		}
		return keep.join(' ');
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		let deleted = false;
		for (const subscription of id.split(' ').filter(Boolean))
			deleted = (await this.unsubscribe(subscription)) || deleted;
		return deleted ? 'deleted' : 'gone';
	}
}
