import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';
import { topicSecret } from './signature';

export const WOOCOMMERCE_CREDENTIAL = 'wooCommerceVerifiedApi';
const CREDENTIAL_NAME = 'WooCommerce (Verified Webhooks) API';
/**
 * The name every webhook of ours carries (WooCommerce keeps no metadata): a webhook with the node's URL but
 * another name was made by someone else and is left alone.
 */
export const WEBHOOK_NAME_PREFIX = 'n8n Verified Webhooks: ';

/** A webhook as WooCommerce's REST API (wc/v3) returns it; the secret is never returned. */
interface WooCommerceWebhook {
	id: number;
	name: string;
	status: 'active' | 'paused' | 'disabled';
	topic: string;
	delivery_url: string;
}

function hintFor(status: number): string {
	if (status === 401) {
		return `Check the Consumer Key and Consumer Secret in the "${CREDENTIAL_NAME}" credential: the key needs Read/Write permission (WooCommerce → Settings → Advanced → REST API). If they are right, the web server may drop the Authorization header before WordPress sees it.`;
	}
	if (status === 403)
		return "The key's user cannot manage WooCommerce webhooks: create the key for a shop manager or administrator.";
	if (status === 404) {
		return "No WooCommerce REST API answered at the credential's Store URL: check the URL (the site's address, without /wp-json) and that WooCommerce is active.";
	}
	if (status === 429 || status >= 500) return unavailableHint('WooCommerce');
	return "Check the node's events and the credential's Store URL.";
}

/**
 * Our webhooks for one URL as one endpoint: WooCommerce has one topic per webhook, so the endpoint is the set
 * of them, and its id their ids joined by spaces.
 */
function toEndpoint(webhooks: WooCommerceWebhook[]): RemoteEndpoint {
	return {
		id: webhooks.map((webhook) => String(webhook.id)).join(' '),
		url: webhooks[0]?.delivery_url ?? '',
		events: webhooks.map((webhook) => webhook.topic),
		// A webhook WooCommerce disabled after failed deliveries (or one paused by hand) delivers nothing.
		enabled: webhooks.every((webhook) => webhook.status === 'active'),
		ours: webhooks.every((webhook) => isOurs(webhook)),
	};
}

const isOurs = (webhook: WooCommerceWebhook) =>
	typeof webhook.name === 'string' && webhook.name.startsWith(WEBHOOK_NAME_PREFIX);

const idsOf = (id: string) => id.split(' ').filter((part) => /^\d+$/.test(part));

/** Store webhooks through WooCommerce's REST API (wc/v3), one per topic, each with the topic's own secret. */
export class WooCommerceWebhookApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(context: IHookFunctions, storeUrl: string) {
		this.api = restApi(context, {
			provider: 'WooCommerce',
			credentialType: WOOCOMMERCE_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl: `${storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3`,
			// WordPress REST errors: { code, message, data: { status } }.
			errorDetail: (body) => {
				const error = (body ?? {}) as IDataObject;
				return [error.message, error.code ? `(${String(error.code)})` : '']
					.filter(Boolean)
					.join(' ');
			},
			hint: hintFor,
		});
	}

	/** The webhooks with these ids that still exist. */
	private async webhooks(ids: string[]): Promise<WooCommerceWebhook[]> {
		if (ids.length === 0) return [];
		// One list request: a GET of a deleted id answers 400 ("ID is invalid."), not 404.
		const found = await this.api.pages<WooCommerceWebhook>(
			`/webhooks?include=${ids.join(',')}`,
			'webhooks',
		);
		return found.filter((webhook) => ids.includes(String(webhook.id)));
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const found = await this.webhooks(idsOf(id));
		return found.length ? toEndpoint(found) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const all = await this.api.pages<WooCommerceWebhook>('/webhooks?status=all', 'webhooks');
		const atUrl = all.filter((webhook) => webhook.delivery_url === url);
		const ours = atUrl.filter(isOurs);
		return [
			...(ours.length ? [toEndpoint(ours)] : []),
			...atUrl.filter((webhook) => !isOurs(webhook)).map((webhook) => toEndpoint([webhook])),
		];
	}

	private async subscribe(url: string, topic: string, secret: string): Promise<WooCommerceWebhook> {
		// WooCommerce pings the URL with `webhook_id=<n>` before it answers; the trigger acknowledges the ping.
		const webhook = await this.api.call<WooCommerceWebhook>('POST', '/webhooks', {
			name: `${WEBHOOK_NAME_PREFIX}${topic}`,
			status: 'active',
			topic,
			delivery_url: url,
			secret: topicSecret(secret, topic),
		});
		if (!webhook?.id)
			throw this.api.incomplete(`created a webhook for ${topic} but returned no id`);
		return webhook;
	}

	async create(
		url: string,
		topics: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret: string }> {
		// Ours to choose: 32 random bytes. Each topic's webhook gets a secret derived from it (see topicSecret);
		// WooCommerce never returns secrets, so this one is sealed in static data.
		const secret = randomBytes(32).toString('hex');
		const created: WooCommerceWebhook[] = [];
		// A failure part-way leaves webhooks without a stored id: the next attempt finds them by URL and name.
		for (const topic of topics) created.push(await this.subscribe(url, topic, secret));
		return { endpoint: toEndpoint(created), secret };
	}

	async repair(id: string, topics: string[], secret: string | undefined): Promise<string> {
		if (secret === undefined)
			throw this.api.incomplete('webhooks cannot be added without the stored secret');
		const current = await this.webhooks(idsOf(id));
		const url = current[0]?.delivery_url;
		const keep: string[] = [];
		for (const webhook of current) {
			if (!topics.includes(webhook.topic)) {
				await this.remove(String(webhook.id));
				continue;
			}
			if (webhook.status !== 'active')
				await this.api.call('PUT', `/webhooks/${webhook.id}`, { status: 'active' });
			keep.push(String(webhook.id));
		}
		const have = new Set(current.map((webhook) => webhook.topic));
		for (const topic of topics) {
			if (!have.has(topic) && url) keep.push(String((await this.subscribe(url, topic, secret)).id));
		}
		return keep.join(' ');
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		let deleted = false;
		// Webhooks cannot be trashed: without force=true WooCommerce answers 501.
		for (const one of idsOf(id))
			deleted = (await this.api.remove(`/webhooks/${one}?force=true`)) === 'deleted' || deleted;
		return deleted ? 'deleted' : 'gone';
	}
}
