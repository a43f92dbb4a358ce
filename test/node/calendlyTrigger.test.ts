/**
 * Calendly Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake Calendly API v2.
 * Calendly publishes no signer or verifier, so deliveries are signed by the fake with node:crypto
 * (`t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`).
 */
import type { IDataObject } from 'n8n-workflow';

import { CalendlyVerifiedApi } from '../../credentials/CalendlyVerifiedApi.credentials';
import { CalendlyVerifiedTrigger } from '../../nodes/CalendlyVerifiedTrigger/CalendlyVerifiedTrigger.node';
import {
	calendlySignature,
	EVENTS,
	FakeCalendly,
	sampleCalendlyEvent,
} from '../fakes/fakeCalendly';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeCalendly;

beforeEach(async () => {
	fake = new FakeCalendly();
	await fake.start();
	logs.length = 0;
});
afterEach(async () => fake.stop());

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
	staticData?: IDataObject,
) {
	return new TriggerHarness({
		nodeType: new CalendlyVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.calendlyVerifiedTrigger',
		credentialType: new CalendlyVerifiedApi(),
		credentials: { accessToken: fake.token, signingSecrets: '', baseUrl: fake.url, ...credentials },
		parameters: {
			registration: 'automatic',
			scope: 'user',
			events: ['invitee.created', 'invitee.canceled'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: object, key: string, timestamp?: number) {
	const text = JSON.stringify(event);
	return fakeRequest(Buffer.from(text), {
		'calendly-webhook-signature': calendlySignature(key, text, timestamp),
	});
}

describe('Calendly Verified Trigger lifecycle (n8n-core HookContext, fake Calendly API)', () => {
	it("creates one user-scope subscription for the token's user and organization with a generated signing key, which is sealed", async () => {
		const trigger = harness();
		await activate(trigger);
		const subscriptions = fake.activeSubscriptions();
		expect(subscriptions).toHaveLength(1);
		expect(subscriptions[0]).toMatchObject({
			callback_url: PRODUCTION_URL,
			scope: 'user',
			user: fake.user,
			organization: fake.organization,
			events: ['invitee.canceled', 'invitee.created'],
		});
		expect(subscriptions[0].signing_key).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(trigger.staticData)).not.toContain(subscriptions[0].signing_key);
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('"All Events" registers what the scope allows: routing form submissions only in organization scope', async () => {
		await activate(harness({ events: ['*'] }));
		expect(fake.activeSubscriptions()[0].events).toEqual(
			EVENTS.filter((event: string) => !event.startsWith('routing_form')).sort(),
		);
		await activate(harness({ events: ['*'], scope: 'organization' }, {}, {}));
		expect(
			fake.activeSubscriptions().find((subscription) => subscription.scope === 'organization')!
				.events,
		).toEqual([...EVENTS].sort());
	});

	it('a changed selection renews the subscription (delete, then create with the same signing key) and keeps verifying', async () => {
		const staticData: IDataObject = {};
		await activate(harness({}, {}, staticData));
		const [before] = fake.activeSubscriptions();
		const edited = harness({ events: ['invitee_no_show.created'] }, {}, staticData);
		expect(await edited.hook('checkExists')).toBe(true);
		const after = fake.activeSubscriptions();
		expect(after).toHaveLength(1);
		expect(after[0].uri).not.toBe(before.uri);
		expect(after[0]).toMatchObject({
			events: ['invitee_no_show.created'],
			signing_key: before.signing_key,
		});
		const response = new FakeResponse();
		await edited.webhook(
			delivery(sampleCalendlyEvent('invitee_no_show.created'), before.signing_key),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(await edited.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST')).toHaveLength(2);
	});

	it('repeated create leaves one subscription; a create that lost its id replaces the leftover (Calendly refuses a second one per URL); delete is 404-tolerant', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeSubscriptions()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeSubscriptions()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeSubscriptions()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.callsTo('DELETE').map((call) => call.status)).toContain(404);
	});

	it('fails activation with what to change: the token (401), a rate limit (429)', async () => {
		await expect(activate(harness({}, { accessToken: 'wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/Unauthenticated.*Check the Personal Access Token/),
		});
		fake.failNext({ status: 429, count: 1 });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeSubscriptions()).toHaveLength(0);
	});
});

describe('Calendly Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, key: fake.activeSubscriptions()[0].signing_key as string };
	}

	it('emits one item per event (name, resource, time) and drops the retry', async () => {
		const { trigger, key } = await active();
		const event = sampleCalendlyEvent('invitee.created');
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, key), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			event: 'invitee.created',
			payload: { uri: event.payload.uri },
			verifiedWebhook: {
				provider: 'calendly',
				eventId: `invitee.created:${event.payload.uri}:${event.created_at}`,
				eventType: 'invitee.created',
				resource: event.payload.uri,
				scheduledEvent: event.payload.scheduled_event.uri,
			},
		});
		const again = await trigger.webhook(delivery(event, key), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
	});

	it('answers 401 to a forged, stale, unsigned or altered delivery and 200 without an execution to an unselected event', async () => {
		const { trigger, key } = await active();
		const text = JSON.stringify(sampleCalendlyEvent());
		const statuses: Array<number | undefined> = [];
		for (const request of [
			delivery(sampleCalendlyEvent(), 'forged'),
			delivery(sampleCalendlyEvent(), key, Math.floor(Date.now() / 1000) - 600),
			fakeRequest(Buffer.from(text), {}),
			fakeRequest(Buffer.from(text.replace('Ada', 'Eve')), {
				'calendly-webhook-signature': calendlySignature(key, text),
			}),
		]) {
			const response = new FakeResponse();
			expect((await trigger.webhook(request, response)).workflowData).toBeUndefined();
			statuses.push(response.statusCode);
		}
		expect(statuses).toEqual([401, 401, 401, 401]);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleCalendlyEvent('invitee_no_show.created'), key),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
