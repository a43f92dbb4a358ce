import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

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
}
