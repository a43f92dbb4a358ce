import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const SENDGRID_CREDENTIAL = 'sendGridVerifiedApi';
export const SENDGRID_API_BASE_URLS = {
	global: 'https://api.sendgrid.com',
	eu: 'https://api.eu.sendgrid.com',
} as const;
/** SendGrid keeps a friendly name, not metadata; this prefix marks webhooks this package created. */
const OWNER_PREFIX = 'n8n verified webhooks:';
const SETTINGS = '/v3/user/webhooks/event/settings';

/**
 * The event names deliveries carry, and the setting that switches each on (they differ for spam reports).
 * Every setting not selected is sent as false, so an update never leaves an old event switched on.
 */
export const SENDGRID_EVENT_SETTINGS: Readonly<Record<string, string>> = {
	bounce: 'bounce',
	click: 'click',
	deferred: 'deferred',
	delivered: 'delivered',
	dropped: 'dropped',
	group_resubscribe: 'group_resubscribe',
	group_unsubscribe: 'group_unsubscribe',
	open: 'open',
	processed: 'processed',
	spamreport: 'spam_report',
	unsubscribe: 'unsubscribe',
};

interface EventWebhookSettings extends IDataObject {
	id: string;
	url: string;
	enabled: boolean;
	friendly_name?: string | null;
}

function hintFor(status: number): string {
	if (status === 401)
		return 'Check the API Key in the "SendGrid (Verified Webhooks) API" credential, and its region (global or EU).';
	if (status === 403)
		return 'The API key needs the "Mail Settings" permission with full access (Event Webhook settings).';
	if (status === 429 || status >= 500) return unavailableHint('SendGrid');
	if (status === 400)
		return 'SendGrid allows each URL once and a few webhooks per account: remove an unused Event Webhook in SendGrid (Settings → Mail Settings → Event Webhooks), then activate again.';
	return "Check the node's events and the credential's region.";
}

function eventSwitches(events: string[]): IDataObject {
	return Object.fromEntries(
		Object.entries(SENDGRID_EVENT_SETTINGS).map(([event, setting]) => [
			setting,
			events.includes(event),
		]),
	);
}

function toEndpoint(settings: EventWebhookSettings): RemoteEndpoint {
	return {
		id: settings.id,
		url: settings.url,
		events: Object.entries(SENDGRID_EVENT_SETTINGS)
			.filter(([, setting]) => settings[setting] === true)
			.map(([event]) => event),
		enabled: settings.enabled === true,
		ours: (settings.friendly_name ?? '').startsWith(OWNER_PREFIX),
	};
}

/** SendGrid's Event Webhook settings (several per account) through n8n's authenticated request helper. */
export class SendGridEventWebhookApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(
		context: IHookFunctions,
		baseUrl: string,
		private readonly description: string,
	) {
		this.api = restApi(context, {
			provider: 'SendGrid',
			credentialType: SENDGRID_CREDENTIAL,
			credentialName: 'SendGrid (Verified Webhooks) API',
			baseUrl,
			errorDetail: (payload) => {
				const errors = (payload as IDataObject | undefined)?.errors;
				const first = Array.isArray(errors) ? (errors[0] as IDataObject | undefined) : undefined;
				return typeof first?.message === 'string' ? first.message : '';
			},
			hint: hintFor,
		});
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const settings = await this.api.call<EventWebhookSettings>(
			'GET',
			`${SETTINGS}/${encodeURIComponent(id)}`,
			undefined,
			{ allowNotFound: true },
		);
		return settings?.id ? toEndpoint(settings) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const answer = await this.api.call<{ webhooks?: EventWebhookSettings[] }>(
			'GET',
			`${SETTINGS}/all`,
		);
		if (!Array.isArray(answer?.webhooks))
			throw this.api.incomplete(
				'answered the request for Event Webhooks with something that is not a list',
				'Nothing was changed; activate the workflow again in a few minutes.',
			);
		return answer.webhooks.filter((each) => each.url === url).map(toEndpoint);
	}

	/**
	 * Two calls: the webhook, then its signing (which issues the public key). A webhook whose signing could not
	 * be switched on would send deliveries nothing verifies: it is removed before the failure is reported (and
	 * were that removal to fail too, the next activation removes it as a leftover of ours).
	 */
	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		const settings = await this.api.call<EventWebhookSettings>('POST', SETTINGS, {
			enabled: true,
			url,
			friendly_name: `${OWNER_PREFIX} ${this.description}`.slice(0, 100),
			...eventSwitches(events),
		});
		if (!settings?.id) throw this.api.incomplete('created the Event Webhook but returned no id');
		let publicKey: string | undefined;
		try {
			const signing = await this.api.call<{ public_key?: string }>(
				'PATCH',
				`${SETTINGS}/signed/${encodeURIComponent(settings.id)}`,
				{ enabled: true },
			);
			if (typeof signing?.public_key === 'string' && signing.public_key !== '')
				publicKey = signing.public_key;
		} finally {
			// The request's own failure (or the missing key) is what the user is told; a failed removal is not.
			if (publicKey === undefined) await this.remove(settings.id).catch(() => undefined);
		}
		if (publicKey === undefined)
			throw this.api.incomplete('switched on signing but returned no public key');
		return { endpoint: toEndpoint(settings), secret: publicKey };
	}

	async repair(id: string, events: string[]): Promise<void> {
		await this.api.call('PATCH', `${SETTINGS}/${encodeURIComponent(id)}`, {
			enabled: true,
			...eventSwitches(events),
		});
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`${SETTINGS}/${encodeURIComponent(id)}`);
	}
}
