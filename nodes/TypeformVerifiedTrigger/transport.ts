import { createHash, randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const TYPEFORM_CREDENTIAL = 'typeformVerifiedApi';
export const DEFAULT_TYPEFORM_API_BASE_URL = 'https://api.typeform.com';
const CREDENTIAL_NAME = 'Typeform (Verified Webhooks) API';
/** Tags of webhooks this package created start with this; the rest is derived from the URL. */
const TAG_PREFIX = 'n8n-verified-';

interface TypeformWebhook {
	id?: string;
	form_id?: string;
	tag: string;
	url: string;
	enabled: boolean;
	event_types?: Record<string, boolean>;
}

function hintFor(status: number, formId: string): string {
	if (status === 401) return `Check the Access Token in the "${CREDENTIAL_NAME}" credential.`;
	if (status === 403 || status === 404) {
		return `The token cannot manage webhooks of form "${formId}", or no such form exists. Check the node's Form ID (the part after /to/ in the form's link) and that the token has the webhooks:read and webhooks:write scopes.`;
	}
	if (status === 429 || status >= 500) return unavailableHint('Typeform');
	return "Check the node's Form ID and events, and the credential's API Base URL.";
}

/**
 * One webhook per URL: its tag is derived from the URL, so every activation attempt for a URL writes the same
 * webhook (Typeform's PUT creates or replaces), and the tag marks it as ours.
 */
export function tagFor(url: string): string {
	return TAG_PREFIX + createHash('sha256').update(url).digest('hex').slice(0, 24);
}

function eventsOf(webhook: TypeformWebhook): string[] {
	// Without event_types Typeform sends completed responses only.
	const types = webhook.event_types ?? { form_response: true };
	return Object.keys(types)
		.filter((type) => types[type])
		.sort();
}

function toEndpoint(webhook: TypeformWebhook): RemoteEndpoint {
	return {
		id: webhook.tag,
		url: webhook.url ?? '',
		events: eventsOf(webhook),
		enabled: webhook.enabled === true,
		ours: (webhook.tag ?? '').startsWith(TAG_PREFIX),
	};
}

/** A form's webhooks through Typeform's Create API, with n8n's authenticated request helper. */
export class TypeformWebhookApi implements EndpointApi {
	private readonly api: RestApi;

	private readonly webhooksPath: string;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		formId: string,
	) {
		this.webhooksPath = `/forms/${encodeURIComponent(formId)}/webhooks`;
		this.api = restApi(context, {
			provider: 'Typeform',
			credentialType: TYPEFORM_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl,
			// Typeform's errors: { code, description, details?: [{ code, description, field }] }.
			errorDetail: (body) => {
				const error = (body ?? {}) as IDataObject;
				const details = Array.isArray(error.details)
					? (error.details as IDataObject[]).map((detail) => detail.description).join('; ')
					: '';
				const text = [error.code, error.description].filter(Boolean).join(': ');
				return details ? `${text} (${details})` : text;
			},
			hint: (status) => hintFor(status, formId),
		});
	}

	async get(tag: string): Promise<RemoteEndpoint | undefined> {
		const webhook = await this.api.call<TypeformWebhook>(
			'GET',
			`${this.webhooksPath}/${encodeURIComponent(tag)}`,
			undefined,
			{ allowNotFound: true },
		);
		return webhook?.tag ? toEndpoint(webhook) : undefined;
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const list = await this.api.call<{ items?: TypeformWebhook[] }>('GET', this.webhooksPath);
		return listFrom<TypeformWebhook>(this.context, 'Typeform', list?.items, 'webhooks')
			.filter((webhook) => webhook.url === url)
			.map(toEndpoint);
	}

	private async put(tag: string, url: string, events: string[], secret: string) {
		const webhook = await this.api.call<TypeformWebhook>(
			'PUT',
			`${this.webhooksPath}/${encodeURIComponent(tag)}`,
			{
				url,
				enabled: true,
				secret,
				verify_ssl: true,
				event_types: {
					form_response: events.includes('form_response'),
					form_response_partial: events.includes('form_response_partial'),
				},
			},
		);
		if (!webhook?.tag) throw this.api.incomplete('saved the webhook but returned no tag');
		return toEndpoint(webhook);
	}

	async create(
		url: string,
		events: string[],
	): Promise<{ endpoint: RemoteEndpoint; secret?: string }> {
		// The secret is ours to choose: 32 random bytes. Typeform never returns it, so it is sealed in static data.
		const secret = randomBytes(32).toString('hex');
		return { endpoint: await this.put(tagFor(url), url, events, secret), secret };
	}

	async repair(tag: string, events: string[], secret: string | undefined): Promise<void> {
		const current = await this.get(tag);
		// A PUT replaces the whole webhook: without the stored secret it would drop the signing.
		if (!current || secret === undefined)
			throw this.api.incomplete(`has no webhook ${tag} to update`);
		await this.put(tag, current.url, events, secret);
	}

	async remove(tag: string): Promise<'deleted' | 'gone'> {
		return await this.api.remove(`${this.webhooksPath}/${encodeURIComponent(tag)}`);
	}
}
