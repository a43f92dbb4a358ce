import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const LEMON_SQUEEZY_CREDENTIAL = 'lemonSqueezyVerifiedApi';
export const DEFAULT_LEMON_SQUEEZY_API_BASE_URL = 'https://api.lemonsqueezy.com';
const CREDENTIAL_NAME = 'Lemon Squeezy (Verified Webhooks) API';
/** JSON:API: Lemon Squeezy wants this media type on requests and answers with it. */
const JSON_API = 'application/vnd.api+json';

/** A webhook resource as the API returns it (JSON:API `data`); the secret is never returned. */
interface LemonSqueezyWebhook {
	type: 'webhooks';
	id: string;
	attributes: { store_id: number; url: string; events: string[]; test_mode: boolean };
}

interface WebhookList {
	data: LemonSqueezyWebhook[];
	meta?: { page?: { currentPage?: number; lastPage?: number } };
}

export interface LemonSqueezyStore {
	storeId: string;
	testMode: boolean;
}

function hintFor(status: number, store: string): string {
	if (status === 401) {
		return `Check the API Key in the "${CREDENTIAL_NAME}" credential: test-mode and live-mode keys are separate, and a key stops working when it is deleted or expires.`;
	}
	if (status === 403 || status === 404) {
		return `The API key cannot manage webhooks of store ${store}, or no such store exists. Check the node's Store ID (Settings → Stores) and that the key belongs to a user of that store.`;
	}
	if (status === 429 || status >= 500) return unavailableHint('Lemon Squeezy');
	return "Check the node's Store ID and events, and the credential's API Base URL.";
}

function toEndpoint(webhook: LemonSqueezyWebhook): RemoteEndpoint {
	return {
		id: String(webhook.id),
		url: webhook.attributes?.url ?? '',
		events: webhook.attributes?.events ?? [],
		// Lemon Squeezy has no disabled state for a webhook.
		enabled: true,
		// A webhook keeps no metadata. Its URL carries the n8n node's unique webhook id, so a webhook with this
		// exact URL was made for this node, by an earlier activation attempt.
		ours: true,
	};
}

/** Store webhooks through Lemon Squeezy's JSON:API, with n8n's authenticated request helper. */
export class LemonSqueezyWebhookApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly store: LemonSqueezyStore,
	) {
		this.api = restApi(context, {
			provider: 'Lemon Squeezy',
			credentialType: LEMON_SQUEEZY_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl,
			headers: { Accept: JSON_API, 'Content-Type': JSON_API },
			// JSON:API errors: { errors: [{ status, title, detail, source? }] }.
			errorDetail: (body) => {
				const errors = (body as IDataObject | undefined)?.errors;
				if (!Array.isArray(errors)) return '';
				return (errors as IDataObject[])
					.map((error) => String(error.detail ?? error.title ?? ''))
					.filter(Boolean)
					.join('; ');
			},
			hint: (status) => hintFor(status, store.storeId),
		});
	}

	private document(attributes: IDataObject, id?: string): string {
		const data: IDataObject = { type: 'webhooks', attributes };
		if (id) data.id = id;
		else data.relationships = { store: { data: { type: 'stores', id: this.store.storeId } } };
		return JSON.stringify({ data });
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const answer = await this.api.call<{ data?: LemonSqueezyWebhook }>(
			'GET',
			`/v1/webhooks/${encodeURIComponent(id)}`,
			undefined,
			{ allowNotFound: true },
		);
		return answer?.data ? toEndpoint(answer.data) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const found: RemoteEndpoint[] = [];
		// A store has a handful of webhooks; the page cap only guards against a broken API.
		for (let page = 1; page <= 20; page++) {
			const query = new URLSearchParams({
				'filter[store_id]': this.store.storeId,
				'page[number]': String(page),
				'page[size]': '100',
			});
			const list = await this.api.call<WebhookList>('GET', `/v1/webhooks?${query.toString()}`);
			const data = listFrom<LemonSqueezyWebhook>(
				this.context,
				'Lemon Squeezy',
				list?.data,
				'webhooks',
			);
			for (const webhook of data)
				if (webhook.attributes?.url === url) found.push(toEndpoint(webhook));
			if (data.length === 0 || page >= (list?.meta?.page?.lastPage ?? page)) break;
		}
		return found;
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The secret is ours to choose (6–40 characters): 20 random bytes as 40 hex characters. Lemon Squeezy never
		// returns it, so it is sealed in static data.
		const secret = randomBytes(20).toString('hex');
		const answer = await this.api.call<{ data?: LemonSqueezyWebhook }>(
			'POST',
			'/v1/webhooks',
			this.document({ url, events, secret, ...(this.store.testMode ? { test_mode: true } : {}) }),
		);
		if (!answer?.data?.id) throw this.api.incomplete('created the webhook but returned no id');
		return { endpoint: toEndpoint(answer.data), secret };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.api.call(
			'PATCH',
			`/v1/webhooks/${encodeURIComponent(id)}`,
			this.document({ events }, id),
		);
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`/v1/webhooks/${encodeURIComponent(id)}`);
	}
}
