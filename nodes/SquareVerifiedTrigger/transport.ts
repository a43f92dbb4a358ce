import { randomUUID } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const SQUARE_CREDENTIAL = 'squareVerifiedApi';
export const SQUARE_API_BASE_URLS = {
	production: 'https://connect.squareup.com',
	sandbox: 'https://connect.squareupsandbox.com',
} as const;
/** The API version this package was written against (the Square-Version header). */
const SQUARE_VERSION = '2025-10-16';
const CREDENTIAL_NAME = 'Square (Verified Webhooks) API';
/** Square keeps a name, not metadata; this prefix marks subscriptions this package created. */
const OWNER_PREFIX = 'n8n verified webhooks';

/** A subscription as the API returns it; `signature_key` only in the create answer. */
interface SquareSubscription {
	id: string;
	name?: string;
	enabled?: boolean;
	event_types?: string[];
	notification_url?: string;
	signature_key?: string;
}

function hintFor(status: number): string {
	if (status === 401) {
		return `Check the Access Token in the "${CREDENTIAL_NAME}" credential: webhook subscriptions are managed with the application's personal access token (Developer Console → Credentials), of the same environment (sandbox or production).`;
	}
	if (status === 403) {
		return "The token may not manage webhook subscriptions: use the application's personal access token, not a seller's OAuth token.";
	}
	if (status === 429 || status >= 500) return unavailableHint('Square');
	return "Check the node's events and the credential's environment. Square accepts only https notification URLs: n8n's WEBHOOK_URL must be https.";
}

function toEndpoint(subscription: SquareSubscription): RemoteEndpoint {
	return {
		id: subscription.id,
		url: subscription.notification_url ?? '',
		events: subscription.event_types ?? [],
		enabled: subscription.enabled === true,
		ours: (subscription.name ?? '').startsWith(OWNER_PREFIX),
	};
}

/** The application's webhook subscriptions through n8n's authenticated request helper. */
export class SquareSubscriptionApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly name: string,
	) {
		this.api = restApi(context, {
			provider: 'Square',
			credentialType: SQUARE_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl,
			headers: { 'Square-Version': SQUARE_VERSION },
			// Square's errors: { errors: [{ category, code, detail, field? }] }.
			errorDetail: (body) => {
				const errors = (body as IDataObject | undefined)?.errors;
				if (!Array.isArray(errors)) return '';
				return (errors as IDataObject[])
					.map((error) => [error.code, error.detail].filter(Boolean).join(': '))
					.join('; ');
			},
			hint: hintFor,
		});
	}

	private path(id: string) {
		return `/v2/webhooks/subscriptions/${encodeURIComponent(id)}`;
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const answer = await this.api.call<{ subscription?: SquareSubscription }>(
			'GET',
			this.path(id),
			undefined,
			{ allowNotFound: true },
		);
		return answer?.subscription?.id ? toEndpoint(answer.subscription) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const found: RemoteEndpoint[] = [];
		let cursor: string | undefined;
		// An application has a handful of subscriptions; the page cap only guards against a broken API.
		for (let page = 0; page < 20; page++) {
			const query = new URLSearchParams({ include_disabled: 'true', limit: '100' });
			if (cursor) query.set('cursor', cursor);
			const list = await this.api.call<{ subscriptions?: SquareSubscription[]; cursor?: string }>(
				'GET',
				`/v2/webhooks/subscriptions?${query.toString()}`,
			);
			// Square leaves the list out of an answer with nothing to list ({}); anything but an object is unreadable.
			const readable = typeof list === 'object' && list !== null && !Array.isArray(list);
			const subscriptions = listFrom<SquareSubscription>(
				this.context,
				'Square',
				readable ? (list.subscriptions ?? []) : undefined,
				'webhook subscriptions',
			);
			for (const subscription of subscriptions)
				if (subscription.notification_url === url) found.push(toEndpoint(subscription));
			cursor = list?.cursor;
			if (!cursor) break;
		}
		return found;
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		const answer = await this.api.call<{ subscription?: SquareSubscription }>(
			'POST',
			'/v2/webhooks/subscriptions',
			{
				idempotency_key: randomUUID(),
				subscription: {
					name: `${OWNER_PREFIX}: ${this.name}`.slice(0, 64),
					enabled: true,
					event_types: events,
					notification_url: url,
				},
			},
		);
		const subscription = answer?.subscription;
		if (!subscription?.id || !subscription.signature_key)
			throw this.api.incomplete('created the subscription but returned no id or signature key');
		return { endpoint: toEndpoint(subscription), secret: subscription.signature_key };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.api.call('PUT', this.path(id), {
			subscription: { enabled: true, event_types: events },
		});
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(this.path(id));
	}
}
