import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, MissedDelivery, RemoteEndpoint } from '../shared/registration';

export const STRIPE_CREDENTIAL = 'stripeVerifiedApi';
export const DEFAULT_STRIPE_API_BASE_URL = 'https://api.stripe.com';
/** Marks endpoints this package created, so leftovers of a failed activation can be recognised as ours. */
const OWNER_MARKER_FIELD = 'n8n_verified_webhooks';

interface StripeEndpoint {
	id: string;
	url: string;
	enabled_events: string[];
	status: string;
	secret?: string;
	metadata?: Record<string, string>;
}

interface StripeList {
	data: StripeEndpoint[];
	has_more: boolean;
}

export interface StripeEndpointSettings {
	description: string;
	apiVersion?: string;
	connect: boolean;
	workflowId: string;
}

function hintFor(status: number): string {
	if (status === 401)
		return 'Check the Secret Key in the "Stripe (Verified Webhooks) API" credential.';
	if (status === 403) {
		return 'The key may not manage webhooks: a restricted key needs the "Webhook Endpoints: Write" permission (and "Events: Read" for Catch Up Missed Events).';
	}
	if (status === 429 || status >= 500) return unavailableHint('Stripe');
	return "Check the node's events and API version, and the credential's API Base URL.";
}

function toEndpoint(endpoint: StripeEndpoint): RemoteEndpoint {
	return {
		id: endpoint.id,
		url: endpoint.url,
		events: endpoint.enabled_events ?? [],
		enabled: endpoint.status === 'enabled',
		ours: endpoint.metadata?.[OWNER_MARKER_FIELD] === '1',
	};
}

/** Stripe's webhook-endpoint API through n8n's authenticated request helper. */
export class StripeEndpointApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly settings: StripeEndpointSettings,
	) {
		this.api = restApi(context, {
			provider: 'Stripe',
			credentialType: STRIPE_CREDENTIAL,
			credentialName: 'Stripe (Verified Webhooks) API',
			baseUrl,
			errorDetail: (body) => {
				const message = ((body as IDataObject | undefined)?.error as IDataObject | undefined)
					?.message;
				return typeof message === 'string' ? message : '';
			},
			hint: hintFor,
		});
	}

	/** Stripe takes form-encoded bodies. */
	private async call<T>(method: 'GET' | 'POST', path: string, form?: URLSearchParams) {
		const headers = form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {};
		return await this.api.call<T>(method, path, form?.toString(), { headers });
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const endpoint = await this.api.call<StripeEndpoint>(
			'GET',
			`/v1/webhook_endpoints/${encodeURIComponent(id)}`,
			undefined,
			{ allowNotFound: true },
		);
		return endpoint ? toEndpoint(endpoint) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const found: RemoteEndpoint[] = [];
		let startingAfter: string | undefined;
		// Stripe allows a handful of endpoints per account; the page cap only guards against a broken API.
		for (let page = 0; page < 20; page++) {
			const query = new URLSearchParams({ limit: '100' });
			if (startingAfter) query.set('starting_after', startingAfter);
			const list = await this.call<StripeList>('GET', `/v1/webhook_endpoints?${query.toString()}`);
			const data = listFrom<StripeEndpoint>(
				this.context,
				'Stripe',
				list?.data,
				'webhook endpoints',
			);
			for (const endpoint of data) if (endpoint.url === url) found.push(toEndpoint(endpoint));
			if (!list?.has_more || data.length === 0) break;
			startingAfter = data[data.length - 1].id;
		}
		return found;
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		const form = new URLSearchParams();
		form.set('url', url);
		for (const event of events) form.append('enabled_events[]', event);
		form.set('description', this.settings.description);
		form.set(`metadata[${OWNER_MARKER_FIELD}]`, '1');
		form.set('metadata[n8n_workflow_id]', this.settings.workflowId);
		if (this.settings.apiVersion) form.set('api_version', this.settings.apiVersion);
		if (this.settings.connect) form.set('connect', 'true');
		const created = await this.call<StripeEndpoint>('POST', '/v1/webhook_endpoints', form);
		if (!created?.id || !created.secret)
			throw this.api.incomplete(
				'created the webhook endpoint but returned no id or signing secret',
			);
		return { endpoint: toEndpoint(created), secret: created.secret };
	}

	async repair(id: string, events: string[]): Promise<void> {
		const form = new URLSearchParams();
		for (const event of events) form.append('enabled_events[]', event);
		form.set('disabled', 'false');
		await this.call('POST', `/v1/webhook_endpoints/${encodeURIComponent(id)}`, form);
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`/v1/webhook_endpoints/${encodeURIComponent(id)}`);
	}

	/**
	 * Catch-up: Stripe cannot be asked to deliver again, but lists the events whose delivery did not succeed
	 * (`delivery_success=false`: still pending or failed at some endpoint of the account), kept 30 days. They
	 * are returned whole; the shared code drops the types this node does not take and those that ran here.
	 * Connect endpoints get events of connected accounts, which this list does not hold: none for them.
	 */
	async missed(_id: string, sinceSeconds: number): Promise<MissedDelivery[]> {
		if (this.settings.connect) return [];
		const found: MissedDelivery[] = [];
		const headers = this.settings.apiVersion ? { 'Stripe-Version': this.settings.apiVersion } : {};
		let startingAfter: string | undefined;
		// Newest first; 10 pages of 100 bound one round (what is handled drops out of the list as Stripe retries).
		for (let page = 0; page < 10; page++) {
			const query = new URLSearchParams({
				delivery_success: 'false',
				'created[gte]': String(sinceSeconds),
				limit: '100',
			});
			if (startingAfter) query.set('starting_after', startingAfter);
			const list = await this.api.call<{ data: IDataObject[]; has_more: boolean }>(
				'GET',
				`/v1/events?${query.toString()}`,
				undefined,
				{ headers },
			);
			const data = listFrom<IDataObject>(this.context, 'Stripe', list?.data, 'events');
			for (const event of data) {
				if (typeof event.id !== 'string') continue;
				found.push({ eventId: event.id, event: Buffer.from(JSON.stringify(event)) });
			}
			if (!list?.has_more || data.length === 0) break;
			startingAfter = String(data[data.length - 1].id);
		}
		return found.reverse();
	}
}
