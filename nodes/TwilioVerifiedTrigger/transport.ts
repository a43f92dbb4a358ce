import type { IDataObject, IHookFunctions, NodeApiError } from 'n8n-workflow';

import { listFrom, restApi, unavailableHint, type RestApi } from '../shared/providerRequest';
import type { EndpointApi, RemoteEndpoint } from '../shared/registration';

export const TWILIO_CREDENTIAL = 'twilioVerifiedApi';
export const TWILIO_EVENTS_BASE_URL = 'https://events.twilio.com';
const CREDENTIAL_NAME = 'Twilio (Verified Webhooks) API';
/** Twilio keeps a description, not metadata; this prefix marks sinks and subscriptions this package created. */
const OWNER_PREFIX = 'n8n verified webhooks';
/** The schema version every subscribed event type is asked in (unconfirmed per type; Twilio's examples use 1). */
const SCHEMA_VERSION = 1;

interface TwilioSink {
	sid: string;
	description?: string;
	sink_type?: string;
	status?: string;
	sink_configuration?: { destination?: string; method?: string; batch_events?: boolean };
}

interface TwilioSubscription {
	sid: string;
	sink_sid?: string;
	description?: string;
}

/** Twilio's errors: { code, message, more_info, status }. */
function errorDetail(body: unknown): string {
	const error = body as IDataObject | undefined;
	if (typeof error !== 'object' || error === null) return '';
	return [error.code, error.message].filter(Boolean).join(': ');
}

function hintFor(status: number): string {
	if (status === 401)
		return `Check the Account SID and Auth Token in the "${CREDENTIAL_NAME}" credential (Console → Account Info).`;
	if (status === 403)
		return 'The account may not use Event Streams, or the token may not manage it: check the account in the Console.';
	if (status === 429 || status >= 500) return unavailableHint('Twilio');
	return "Check the node's event types (each must be an Event Streams type) and that n8n's WEBHOOK_URL is a public https URL.";
}

/** A form body as Twilio's API takes it: repeated keys for lists. */
function form(fields: Array<[string, string]>): string {
	return fields
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
		.join('&');
}

/**
 * Event Streams: a webhook sink (the destination URL) and one subscription of it to the event types. The
 * endpoint's id is both sids, "DG… DF…": the sink is the URL, the subscription the events.
 */
export class TwilioEventStreamsApi implements EndpointApi {
	private readonly api: RestApi;

	constructor(
		private readonly context: IHookFunctions,
		baseUrl: string,
		private readonly name: string,
	) {
		this.api = restApi(context, {
			provider: 'Twilio',
			credentialType: TWILIO_CREDENTIAL,
			credentialName: CREDENTIAL_NAME,
			baseUrl,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			errorDetail,
			hint: hintFor,
		});
	}

	private async subscribedTypes(subscriptionSid: string): Promise<string[] | undefined> {
		const answer = await this.api.call<{ types?: unknown }>(
			'GET',
			`/v1/Subscriptions/${encodeURIComponent(subscriptionSid)}/SubscribedEvents?PageSize=1000`,
			undefined,
			{ allowNotFound: true },
		);
		if (answer === undefined) return undefined;
		return listFrom<{ type?: string }>(
			this.context,
			'Twilio',
			answer.types,
			'subscribed events',
		).map((entry) => entry.type ?? '');
	}

	private async subscriptionsOf(sinkSid: string): Promise<TwilioSubscription[]> {
		const answer = await this.api.call<{ subscriptions?: unknown }>(
			'GET',
			`/v1/Subscriptions?SinkSid=${encodeURIComponent(sinkSid)}&PageSize=1000`,
		);
		return listFrom<TwilioSubscription>(
			this.context,
			'Twilio',
			answer?.subscriptions,
			'subscriptions',
		);
	}

	/** The endpoint a sink makes with its (first) subscription: no subscription, no events. */
	private async endpointOf(
		sink: TwilioSink,
		subscription?: TwilioSubscription,
	): Promise<RemoteEndpoint> {
		const chosen = subscription ?? (await this.subscriptionsOf(sink.sid))[0];
		const events = chosen ? ((await this.subscribedTypes(chosen.sid)) ?? []) : [];
		return {
			id: chosen ? `${sink.sid} ${chosen.sid}` : sink.sid,
			url: sink.sink_configuration?.destination ?? '',
			events,
			enabled: sink.status !== 'failed',
			ours: (sink.description ?? '').startsWith(OWNER_PREFIX),
		};
	}

	async get(id: string): Promise<RemoteEndpoint | undefined> {
		const [sinkSid, subscriptionSid] = id.split(' ');
		const sink = await this.api.call<TwilioSink>(
			'GET',
			`/v1/Sinks/${encodeURIComponent(sinkSid)}`,
			undefined,
			{ allowNotFound: true },
		);
		if (!sink?.sid) return undefined;
		const subscription = subscriptionSid
			? await this.api.call<TwilioSubscription>(
					'GET',
					`/v1/Subscriptions/${encodeURIComponent(subscriptionSid)}`,
					undefined,
					{ allowNotFound: true },
				)
			: undefined;
		if (subscriptionSid && !subscription?.sid)
			return {
				id,
				url: sink.sink_configuration?.destination ?? '',
				events: [],
				enabled: false,
				ours: true,
			};
		return await this.endpointOf(sink, subscription);
	}

	async findByUrl(url: string): Promise<RemoteEndpoint[]> {
		const answer = await this.api.call<{ sinks?: unknown }>('GET', '/v1/Sinks?PageSize=1000');
		const sinks = listFrom<TwilioSink>(this.context, 'Twilio', answer?.sinks, 'sinks');
		const found: RemoteEndpoint[] = [];
		for (const sink of sinks)
			if (sink.sink_configuration?.destination === url) found.push(await this.endpointOf(sink));
		return found;
	}

	private async subscribe(sinkSid: string, events: string[]): Promise<TwilioSubscription> {
		const subscription = await this.api.call<TwilioSubscription>(
			'POST',
			'/v1/Subscriptions',
			form([
				['Description', `${OWNER_PREFIX}: ${this.name}`.slice(0, 255)],
				['SinkSid', sinkSid],
				...events.map((type): [string, string] => [
					'Types',
					JSON.stringify({ type, schema_version: SCHEMA_VERSION }),
				]),
			]),
		);
		if (!subscription?.sid)
			throw this.api.incomplete('created the subscription but returned no sid');
		return subscription;
	}

	async create(url: string, events: string[]): Promise<{ endpoint: RemoteEndpoint }> {
		const sink = await this.api.call<TwilioSink>(
			'POST',
			'/v1/Sinks',
			form([
				['Description', `${OWNER_PREFIX}: ${this.name}`.slice(0, 255)],
				['SinkType', 'webhook'],
				[
					'SinkConfiguration',
					JSON.stringify({ destination: url, method: 'POST', batch_events: false }),
				],
			]),
		);
		if (!sink?.sid) throw this.api.incomplete('created the sink but returned no sid');
		const outcome = await this.subscribe(sink.sid, events).then(
			(subscription) => ({ subscription, failure: undefined }),
			(failure: NodeApiError) => ({ subscription: undefined, failure }),
		);
		if (!outcome.subscription) {
			// A sink without its subscription delivers nothing: remove it (a failure here leaves it to the next
			// attempt, which removes every sink of ours for the URL).
			await this.api.remove(`/v1/Sinks/${encodeURIComponent(sink.sid)}`).catch(() => undefined);
			throw outcome.failure;
		}
		const { subscription } = outcome;
		return {
			endpoint: {
				id: `${sink.sid} ${subscription.sid}`,
				url,
				events,
				enabled: true,
				ours: true,
			},
		};
	}

	/** Event types cannot be changed on a subscription: a new one replaces it (the endpoint's id changes). */
	async repair(id: string, events: string[]): Promise<string> {
		const [sinkSid, subscriptionSid] = id.split(' ');
		const subscription = await this.subscribe(sinkSid, events);
		if (subscriptionSid)
			await this.api.remove(`/v1/Subscriptions/${encodeURIComponent(subscriptionSid)}`);
		return `${sinkSid} ${subscription.sid}`;
	}

	async remove(id: string): Promise<'deleted' | 'gone'> {
		const [sinkSid, subscriptionSid] = id.split(' ');
		for (const subscription of subscriptionSid
			? [{ sid: subscriptionSid }]
			: await this.subscriptionsOf(sinkSid).catch(() => []))
			await this.api.remove(`/v1/Subscriptions/${encodeURIComponent(subscription.sid)}`);
		return await this.api.remove(`/v1/Sinks/${encodeURIComponent(sinkSid)}`);
	}
}
