/**
 * Twilio Verified Trigger (Event Streams) in n8n-core's real Hook and Webhook contexts, against the fake Twilio
 * Events API. Deliveries are signed by Twilio's official SDK (`twilio`'s getExpectedTwilioSignature) and each
 * test's first one is accepted by its validateRequestWithBody; the SDK's own client is run against the fake, so
 * the fake's request and answer shapes are the ones the official client writes and reads.
 */
import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import twilioSdk from 'twilio';
import { validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';

import { TwilioVerifiedApi } from '../../credentials/TwilioVerifiedApi.credentials';
import { TwilioVerifiedTrigger } from '../../nodes/TwilioVerifiedTrigger/TwilioVerifiedTrigger.node';
import { FakeTwilio, sampleTwilioEvent, signedUrl } from '../fakes/fakeTwilio';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

/** A random Auth Token that is not the fake's (nothing here is a real secret). */
const otherToken = () => randomBytes(16).toString('hex');

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
const DELIVERED = 'com.twilio.messaging.message.delivered';
const RECEIVED = 'com.twilio.messaging.inbound-message.received';
let fake: FakeTwilio;

beforeEach(async () => {
	fake = new FakeTwilio();
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
		nodeType: new TwilioVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.twilioVerifiedTrigger',
		credentialType: new TwilioVerifiedApi(),
		credentials: {
			accountSid: fake.accountSid,
			authToken: fake.authToken,
			previousAuthToken: '',
			environment: 'custom',
			baseUrl: fake.url,
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			events: [DELIVERED, RECEIVED],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

/** The request as Express gives it for a call of `url`: its path with the query, and the parsed query. */
function calledAt(url: string, request: ReturnType<typeof fakeRequest>) {
	const parsed = new URL(url);
	request.originalUrl = parsed.pathname + parsed.search;
	request.query = Object.fromEntries(parsed.searchParams);
	return request;
}

/** A delivery as the sink sends it: the URL with bodySHA256, signed by the SDK (options change what is signed). */
function delivery(events: object[], options: { token?: string; signedAs?: string } = {}) {
	const text = JSON.stringify(events);
	const url = signedUrl(PRODUCTION_URL, text);
	const signature = twilioSdk.getExpectedTwilioSignature(
		options.token ?? fake.authToken,
		options.signedAs ?? url,
		{},
	);
	const request = calledAt(
		url,
		fakeRequest(Buffer.from(text), {
			'content-type': 'application/json',
			'x-twilio-signature': signature,
		}),
	);
	return { request, url, signature, text };
}

async function answer(trigger: TriggerHarness, request: ReturnType<typeof fakeRequest>) {
	const response = new FakeResponse();
	const result = await trigger.webhook(request, response);
	return { status: response.statusCode, items: result.workflowData?.[0] ?? [] };
}

describe('the fake Twilio Events API as the official SDK sees it', () => {
	it("twilio's client creates a sink and a subscription, lists and deletes them on the fake", async () => {
		const client = twilioSdk(fake.accountSid, fake.authToken);
		// The SDK calls https://events.twilio.com; its request client is pointed at the fake instead.
		const original = client.request.bind(client);
		client.request = async (options) =>
			await original({
				...options,
				uri: (options.uri ?? '').replace('https://events.twilio.com', fake.url),
			});
		const sink = await client.events.v1.sinks.create({
			description: 'sdk',
			sinkType: 'webhook',
			sinkConfiguration: { destination: PRODUCTION_URL, method: 'POST', batch_events: false },
		});
		const subscription = await client.events.v1.subscriptions.create({
			description: 'sdk',
			sinkSid: sink.sid,
			types: [{ type: DELIVERED, schema_version: 1 }],
		});
		expect(fake.typesOf(sink.sid)).toEqual([DELIVERED]);
		expect((await client.events.v1.sinks.list()).map((each) => each.sid)).toEqual([sink.sid]);
		await client.events.v1.subscriptions(subscription.sid).remove();
		await client.events.v1.sinks(sink.sid).remove();
		expect(fake.activeSinks()).toHaveLength(0);
	});
});

describe('Twilio Verified Trigger lifecycle (n8n-core HookContext, fake Twilio Events API)', () => {
	it('creates one sink for the URL and one subscription to the selected types', async () => {
		const trigger = harness();
		await activate(trigger);
		const [sink] = fake.activeSinks();
		expect(fake.activeSinks()).toHaveLength(1);
		expect(sink.sink_configuration).toEqual({
			destination: PRODUCTION_URL,
			method: 'POST',
			batch_events: false,
		});
		expect(sink.description).toMatch(/^n8n verified webhooks: workflow /);
		expect(fake.typesOf(sink.sid).sort()).toEqual([RECEIVED, DELIVERED].sort());
		expect(trigger.nodeStaticData.endpointId).toMatch(/^DG[0-9a-f]{32} DF[0-9a-f]{32}$/);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(JSON.stringify(trigger.staticData)).not.toContain(fake.authToken);
	});

	it('a changed selection replaces the subscription (Twilio cannot change its types), keeping the sink', async () => {
		const staticData: IDataObject = {};
		await activate(harness({}, {}, staticData));
		const [sink] = fake.activeSinks();
		expect(await harness({ events: [RECEIVED] }, {}, staticData).hook('checkExists')).toBe(true);
		expect(fake.activeSinks().map((each) => each.sid)).toEqual([sink.sid]);
		expect(fake.typesOf(sink.sid)).toEqual([RECEIVED]);
		expect(fake.subscriptions.size).toBe(1);
	});

	it('repeated create leaves one sink; a create that lost its ids removes the leftover; delete is 404-tolerant', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeSinks()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeSinks()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeSinks()).toHaveLength(0);
		expect(fake.subscriptions.size).toBe(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.callsTo('DELETE').map((call) => call.status)).toContain(404);
	});

	it('a subscription Twilio refuses removes the sink it was for, and the activation says what to change', async () => {
		fake.failNext({ status: 400, method: 'POST', path: '/v1/Subscriptions' });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/Event Streams type/),
		});
		expect(fake.activeSinks()).toHaveLength(0);
		await expect(activate(harness({}, { authToken: 'wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/20003: Authenticate.*Account SID and Auth Token/),
		});
	});
});

describe('Twilio Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	it("emits one item per CloudEvent and drops a retried one; twilio's validateRequestWithBody accepts the delivery", async () => {
		const trigger = harness();
		await activate(trigger);
		const first = sampleTwilioEvent(DELIVERED);
		const second = sampleTwilioEvent(RECEIVED);
		const sent = delivery([first, second]);
		expect(validateRequestWithBody(fake.authToken, sent.signature, sent.url, sent.text)).toBe(true);
		const { status, items } = await answer(trigger, sent.request);
		expect(status).toBe(200);
		expect(items.map((item) => item.json.id)).toEqual([first.id, second.id]);
		expect(items[0].json).toMatchObject({
			type: DELIVERED,
			verifiedWebhook: { provider: 'twilio', eventId: first.id, eventType: DELIVERED },
		});
		const retry = await answer(trigger, delivery([first]).request);
		expect([retry.status, retry.items]).toEqual([200, []]);
	});

	it('answers 401 to another token, a signature over the URL without bodySHA256, changed bytes, no signature', async () => {
		const trigger = harness();
		await activate(trigger);
		const event = sampleTwilioEvent(DELIVERED);
		const genuine = delivery([event]);
		const changed = JSON.stringify([{ ...event, id: 'EZforged' }]);
		const requests = [
			delivery([event], { token: otherToken() }).request,
			delivery([event], { signedAs: PRODUCTION_URL }).request,
			calledAt(
				genuine.url,
				fakeRequest(Buffer.from(changed), {
					'content-type': 'application/json',
					'x-twilio-signature': genuine.signature,
				}),
			),
			fakeRequest(Buffer.from(genuine.text), { 'content-type': 'application/json' }),
		];
		const statuses = [];
		for (const request of requests) {
			const { status, items } = await answer(trigger, request);
			expect(items).toEqual([]);
			statuses.push(status);
		}
		expect(statuses).toEqual([401, 401, 401, 401]);
	});

	it('accepts deliveries signed with the previous Auth Token during a rotation (manual registration)', async () => {
		const trigger = harness(
			{ registration: 'manual' },
			{ authToken: otherToken(), previousAuthToken: fake.authToken },
		);
		const { status, items } = await answer(
			trigger,
			delivery([sampleTwilioEvent(DELIVERED)]).request,
		);
		expect([status, items.length]).toEqual([200, 1]);
		const other = await answer(
			trigger,
			delivery([sampleTwilioEvent(DELIVERED)], { token: otherToken() }).request,
		);
		expect(other.status).toBe(401);
	});
});
