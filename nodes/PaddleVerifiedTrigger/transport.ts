import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, MissedDelivery, RemoteEndpoint } from '../shared/registration';

export const PADDLE_CREDENTIAL = 'paddleVerifiedApi';
export const PADDLE_API_BASE_URLS = {
	live: 'https://api.paddle.com',
	sandbox: 'https://sandbox-api.paddle.com',
} as const;
/** Paddle keeps a description, not metadata; this prefix marks settings this package created. */
const OWNER_PREFIX = 'n8n verified webhooks:';

interface NotificationSetting {
	id: string;
	description: string;
	destination: string;
	active: boolean;
	subscribed_events: Array<{ name: string } | string>;
	endpoint_secret_key?: string;
}

function hintFor(status: number): string {
	if (status === 401)
		return 'Check the API Key in the "Paddle (Verified Webhooks) API" credential, and that it matches the environment (sandbox or live).';
	if (status === 403) return 'The API key needs the "Notification settings: Write" permission.';
	if (status === 429 || status >= 500) return unavailableHint('Paddle');
	return "Check the node's events and the credential's environment.";
}

function toEndpoint(setting: NotificationSetting): RemoteEndpoint {
	return {
		id: setting.id,
		url: setting.destination,
		events: (setting.subscribed_events ?? []).map((event) =>
			typeof event === 'string' ? event : event.name,
		),
		enabled: setting.active,
		ours: (setting.description ?? '').startsWith(OWNER_PREFIX),
	};
}

/** Paddle Billing notification settings through n8n's authenticated request helper. */
export class PaddleNotificationApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly description: string,
	) {
		this.api = restApi(context, {
			provider: 'Paddle',
			credentialType: PADDLE_CREDENTIAL,
			credentialName: 'Paddle Billing (Verified Webhooks) API',
			baseUrl,
			errorDetail: (payload) => {
				const detail = ((payload as IDataObject | undefined)?.error as IDataObject | undefined)
					?.detail;
				return typeof detail === 'string' ? detail : '';
			},
			hint: hintFor,
			// Paddle wraps results in { data }.
			unwrap: (body) => (body as IDataObject | undefined)?.data,
		});
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const setting = await this.api.call<NotificationSetting>(
			'GET',
			`/notification-settings/${encodeURIComponent(id)}`,
			undefined,
			{ allowNotFound: true },
		);
		return setting ? toEndpoint(setting) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const settings = listFrom<NotificationSetting>(
			this.context,
			'Paddle',
			await this.api.call('GET', '/notification-settings'),
			'notification settings',
		);
		return settings.filter((setting) => setting.destination === url).map(toEndpoint);
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		const setting = await this.api.call<NotificationSetting>('POST', '/notification-settings', {
			description: `${OWNER_PREFIX} ${this.description}`.slice(0, 500),
			type: 'url',
			destination: url,
			subscribed_events: events,
			api_version: 1,
			include_sensitive_fields: false,
			traffic_source: 'all',
		});
		if (!setting?.id || !setting.endpoint_secret_key) {
			throw this.api.incomplete(
				'created the notification setting but returned no id or endpoint secret key',
			);
		}
		return { endpoint: toEndpoint(setting), secret: setting.endpoint_secret_key };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.api.call('PATCH', `/notification-settings/${encodeURIComponent(id)}`, {
			active: true,
			subscribed_events: events,
		});
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`/notification-settings/${encodeURIComponent(id)}`);
	}

	/**
	 * Catch-up: Paddle lists a notification setting's notifications with their status and replays one on
	 * request (a new notification of the same event, signed as ever). An event is missed when none of its
	 * notifications since `sinceSeconds` was delivered and one failed or waits for a retry; the newest such
	 * one is replayed.
	 */
	async missed(id: string, sinceSeconds: number): Promise<MissedDelivery[]> {
		const byEvent = new Map<string, { delivered: boolean; failed?: string; at: number }>();
		let after: string | undefined;
		// 10 pages of 200 bound one round.
		for (let page = 0; page < 10; page++) {
			const query = new URLSearchParams({
				notification_setting_id: id,
				from: new Date(sinceSeconds * 1000).toISOString(),
				per_page: '200',
				order_by: 'id[ASC]',
			});
			if (after) query.set('after', after);
			const list = listFrom<PaddleNotification>(
				this.context,
				'Paddle',
				await this.api.call('GET', `/notifications?${query.toString()}`),
				'notifications',
			);
			for (const notification of list) {
				const eventId = notification.payload?.event_id;
				if (typeof eventId !== 'string') continue;
				const at = Date.parse(notification.occurred_at ?? '') / 1000 || 0;
				const entry = byEvent.get(eventId) ?? { delivered: false, at };
				if (notification.status === 'delivered') entry.delivered = true;
				if (notification.status === 'failed' || notification.status === 'needs_retry')
					entry.failed = notification.id;
				byEvent.set(eventId, entry);
			}
			if (list.length < 200) break;
			after = list[list.length - 1].id;
		}
		return [...byEvent.entries()]
			.filter(([, entry]) => !entry.delivered && entry.failed)
			.sort(([, a], [, b]) => a.at - b.at)
			.map(([eventId, entry]) => ({
				eventId,
				redeliver: async () => {
					await this.api.call('POST', `/notifications/${encodeURIComponent(entry.failed!)}/replay`);
				},
			}));
	}
}

interface PaddleNotification {
	id: string;
	status: string;
	occurred_at?: string;
	payload?: { event_id?: unknown };
}
