import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const CALENDLY_CREDENTIAL = 'calendlyVerifiedApi';
export const DEFAULT_CALENDLY_API_BASE_URL = 'https://api.calendly.com';
const CREDENTIAL_NAME = 'Calendly (Verified Webhooks) API';

interface CalendlySubscription {
	uri: string;
	callback_url: string;
	state: 'active' | 'disabled';
	events: string[];
	scope: string;
}

function hintFor(status: number): string {
	if (status === 401)
		return `Check the Personal Access Token in the "${CREDENTIAL_NAME}" credential.`;
	if (status === 403) {
		return 'Webhook subscriptions need a paid Calendly plan (Standard or above); organization scope needs an owner or admin of the organization.';
	}
	if (status === 409)
		return 'Calendly allows one subscription per URL and scope: delete the other one in Calendly, then activate again.';
	if (status === 429 || status >= 500) return unavailableHint('Calendly');
	return "Check the node's scope and events (routing form submissions exist only in organization scope).";
}

/** The subscription's uuid: the last segment of its URI. */
const uuidOf = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);

function toEndpoint(subscription: CalendlySubscription): RemoteEndpoint {
	return {
		id: uuidOf(subscription.uri ?? ''),
		url: subscription.callback_url ?? '',
		events: subscription.events ?? [],
		enabled: subscription.state === 'active',
		// A subscription keeps no metadata. Its URL carries the n8n node's unique webhook id, so one with this exact
		// URL was made for this node, by an earlier activation attempt.
		ours: true,
	};
}

/** Webhook subscriptions (user or organization scope) through Calendly's API v2. */
export class CalendlySubscriptionApi implements EndpointApi {
	private readonly api: RestApi;

	private me?: Promise<{ user: string; organization: string }>;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly scope: 'user' | 'organization',
	) {
		this.api = restApi(context, {
			provider: 'Calendly',
			credentialType: CALENDLY_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl,
			// Calendly's errors: { title, message, details?: [{ parameter, message }] }.
			errorDetail: (body) => {
				const error = (body ?? {}) as IDataObject;
				const details = Array.isArray(error.details)
					? (error.details as IDataObject[])
							.map((detail) => `${detail.parameter}: ${detail.message}`)
							.join('; ')
					: '';
				const text = [error.title, error.message].filter(Boolean).join(': ');
				return details ? `${text} (${details})` : text;
			},
			hint: hintFor,
		});
	}

	/** The token's user and organization URIs, which every subscription call names. */
	private async owner() {
		this.me ??= this.api
			.call<{ resource?: { uri?: string; current_organization?: string } }>('GET', '/users/me')
			.then((answer) => {
				const user = answer?.resource?.uri;
				const organization = answer?.resource?.current_organization;
				if (!user || !organization)
					throw this.api.incomplete('answered /users/me without the user or organization');
				return { user, organization };
			});
		return await this.me;
	}

	private async scoped(): Promise<Record<string, string>> {
		const { user, organization } = await this.owner();
		return this.scope === 'user'
			? { scope: 'user', organization, user }
			: { scope: 'organization', organization };
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const answer = await this.api.call<{ resource?: CalendlySubscription }>(
			'GET',
			`/webhook_subscriptions/${encodeURIComponent(id)}`,
			undefined,
			{ allowNotFound: true },
		);
		return answer?.resource?.uri ? toEndpoint(answer.resource) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const found: RemoteEndpoint[] = [];
		let pageToken: string | undefined;
		// A user or organization has a handful of subscriptions; the page cap only guards against a broken API.
		for (let page = 0; page < 20; page++) {
			const query = new URLSearchParams({ ...(await this.scoped()), count: '100' });
			if (pageToken) query.set('page_token', pageToken);
			const list = await this.api.call<{
				collection?: CalendlySubscription[];
				pagination?: { next_page_token?: string | null };
			}>('GET', `/webhook_subscriptions?${query.toString()}`);
			const collection = listFrom<CalendlySubscription>(
				this.context,
				'Calendly',
				list?.collection,
				'webhook subscriptions',
			);
			for (const subscription of collection)
				if (subscription.callback_url === url) found.push(toEndpoint(subscription));
			pageToken = list?.pagination?.next_page_token ?? undefined;
			if (!pageToken) break;
		}
		return found;
	}

	private async subscribe(url: string, events: string[], secret: string): Promise<RemoteEndpoint> {
		const answer = await this.api.call<{ resource?: CalendlySubscription }>(
			'POST',
			'/webhook_subscriptions',
			{
				url,
				events,
				...(await this.scoped()),
				signing_key: secret,
			},
		);
		if (!answer?.resource?.uri)
			throw this.api.incomplete('created the subscription but returned no URI');
		return toEndpoint(answer.resource);
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The signing key is ours to choose: 32 random bytes. Calendly never returns it, so it is sealed in static data.
		const secret = randomBytes(32).toString('hex');
		return { endpoint: await this.subscribe(url, events, secret), secret };
	}

	/**
	 * Calendly cannot update a subscription and allows one per URL: the old one is deleted, then one with the new
	 * events and the same signing key is created; returns its id. An event that happens between the two calls
	 * reaches no subscription (the README says so).
	 */
	async repair(id: string, events: string[], secret: string | undefined): Promise<string> {
		const current = await this.get(id);
		if (!current || secret === undefined)
			throw this.api.incomplete(`has no subscription ${id} to renew`);
		await this.remove(id);
		return (await this.subscribe(current.url, events, secret)).id;
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`/webhook_subscriptions/${encodeURIComponent(id)}`);
	}
}
