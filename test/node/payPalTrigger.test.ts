/**
 * PayPal Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake PayPal REST API. PayPal
 * publishes no signer and no offline verifier: deliveries are signed by the fake (node:crypto) under a
 * certificate its test CA issued (node-forge), and each test's first delivery is checked by node-forge's chain
 * and RSA verification with crc-32's CRC32 (test/support/paypal.ts) before the trigger sees it.
 */
import CRC32 from 'crc-32';
import type { IDataObject } from 'n8n-workflow';

import { PayPalVerifiedApi } from '../../credentials/PayPalVerifiedApi.credentials';
import { PayPalVerifiedTrigger } from '../../nodes/PayPalVerifiedTrigger/PayPalVerifiedTrigger.node';
import { FakePayPal, samplePayPalEvent } from '../fakes/fakePayPal';
import { forgeAccepts, sameCrc } from '../support/paypal';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakePayPal;

beforeEach(async () => {
	fake = new FakePayPal();
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
		nodeType: new PayPalVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.payPalVerifiedTrigger',
		credentialType: new PayPalVerifiedApi(),
		credentials: {
			clientId: fake.clientId,
			clientSecret: fake.clientSecret,
			environment: 'custom',
			baseUrl: fake.url,
			webhookIds: '',
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			events: ['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

/** One transmission of `event` to `webhookId` as the fake signs it; options as the fake's transmission(). */
function delivery(event: object, webhookId: string, options: Record<string, unknown> = {}) {
	const text = JSON.stringify(event);
	const headers = fake.transmission(text, webhookId, options);
	const body = Buffer.from(text);
	return { request: fakeRequest(body, headers), headers, body };
}

async function answer(trigger: TriggerHarness, request: ReturnType<typeof fakeRequest>) {
	const response = new FakeResponse();
	const result = await trigger.webhook(request, response);
	return { status: response.statusCode, items: result.workflowData?.[0] ?? [] };
}

describe('PayPal Verified Trigger lifecycle (n8n-core HookContext, fake PayPal API)', () => {
	it('creates one webhook with the URL and events, with one token for the whole activation', async () => {
		const trigger = harness();
		await activate(trigger);
		const webhooks = fake.activeWebhooks();
		expect(webhooks).toHaveLength(1);
		expect(webhooks[0]).toMatchObject({
			url: PRODUCTION_URL,
			event_types: ['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED'],
		});
		expect(trigger.nodeStaticData.endpointId).toBe(webhooks[0].id);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST', '/v1/oauth2/token')).toHaveLength(1);
		expect(JSON.stringify(trigger.staticData)).not.toContain(fake.clientSecret);
	});

	it('registers PayPal\'s own wildcard for "All Events", and brings changed events back with a JSON Patch', async () => {
		const staticData: IDataObject = {};
		await activate(harness({ events: ['*'] }, {}, staticData));
		const [webhook] = fake.activeWebhooks();
		expect(webhook.event_types).toEqual(['*']);
		expect(
			await harness({ events: ['CHECKOUT.ORDER.APPROVED'] }, {}, staticData).hook('checkExists'),
		).toBe(true);
		expect(fake.activeWebhooks()).toMatchObject([
			{ id: webhook.id, event_types: ['CHECKOUT.ORDER.APPROVED'] },
		]);
		expect(JSON.parse(fake.callsTo('PATCH')[0].raw)).toEqual([
			{ op: 'replace', path: '/event_types', value: [{ name: 'CHECKOUT.ORDER.APPROVED' }] },
		]);
	});

	it('repeated create leaves one webhook; a create that lost its id removes the leftover; delete is 404-tolerant', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeWebhooks()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.callsTo('DELETE').map((call) => call.status)).toContain(404);
	});

	it('fails activation with what to change: the Client ID and Secret (401), a rate limit (429)', async () => {
		await expect(activate(harness({}, { clientSecret: 'EwrongSecret' }))).rejects.toMatchObject({
			description: expect.stringMatching(/invalid_client|Client Authentication failed/),
		});
		await expect(activate(harness({}, { clientSecret: 'EwrongSecret' }))).rejects.toMatchObject({
			description: expect.stringMatching(/Client ID and Secret/),
		});
		fake.failNext({ status: 429, count: 1, path: '/v1/notifications/webhooks' });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeWebhooks()).toHaveLength(0);
	});

	it('a token PayPal no longer accepts (expired, revoked) is replaced once, and the call goes through', async () => {
		const trigger = harness();
		await activate(trigger);
		fake.tokens.clear();
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST', '/v1/oauth2/token')).toHaveLength(2);
	});
});

describe('PayPal Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, webhookId: fake.activeWebhooks()[0].id as string };
	}

	it('emits one item per event id and drops a retry (a new transmission); node-forge accepts the delivery', async () => {
		const { trigger, webhookId } = await active();
		const event = samplePayPalEvent('PAYMENT.CAPTURE.COMPLETED');
		const first = delivery(event, webhookId);
		expect(
			forgeAccepts(fake.chain.pem, fake.chain.root.pem, first.headers, first.body, webhookId),
		).toBe(true);
		const { status, items } = await answer(trigger, first.request);
		expect(status).toBe(200);
		expect(items[0].json).toMatchObject({
			id: event.id,
			event_type: 'PAYMENT.CAPTURE.COMPLETED',
			verifiedWebhook: {
				provider: 'paypal',
				eventId: event.id,
				eventType: 'PAYMENT.CAPTURE.COMPLETED',
				resourceType: 'capture',
				resourceId: event.resource.id,
			},
		});
		const retry = await answer(trigger, delivery(event, webhookId).request);
		expect([retry.status, retry.items]).toEqual([200, []]);
		// The certificate was fetched once, for both transmissions.
		expect(fake.callsTo('GET', '/v1/notifications/certs/')).toHaveLength(1);
	});

	it('answers 401 to another webhook id, changed bytes, another key, a stale time, a missing header, a wrong algorithm', async () => {
		const { trigger, webhookId } = await active();
		const event = samplePayPalEvent();
		const text = JSON.stringify(event);
		const other = new FakePayPal();
		const stale = new Date(Date.now() - 301_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const requests = [
			delivery(event, webhookId, { webhookId: 'WRONG0WEBHOOK0ID0' }).request,
			fakeRequest(Buffer.from(text.replace('19.99', '1999')), fake.transmission(text, webhookId)),
			delivery(event, webhookId, { privatePem: other.chain.leaf.keys.privatePem }).request,
			delivery(event, webhookId, { time: stale }).request,
			delivery(event, webhookId, { signature: null }).request,
			fakeRequest(Buffer.from(text), {
				...fake.transmission(text, webhookId),
				'paypal-auth-algo': 'SHA1withRSA',
			}),
		];
		const statuses = [];
		for (const request of requests) {
			const { status, items } = await answer(trigger, request);
			expect(items).toEqual([]);
			statuses.push(status);
		}
		expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
		const reasons = logs.filter((line) => line.message.includes('rejected a paypal delivery'));
		expect(reasons.map((line) => (line.meta as { reason?: string }).reason)).toEqual([
			'signature_mismatch',
			'signature_mismatch',
			'signature_mismatch',
			'timestamp_too_old',
			'missing_signature',
			'malformed_signature',
		]);
	});

	it('fetches no certificate from anywhere but the allowed origin and path: 401 before any request', async () => {
		const { trigger, webhookId } = await active();
		const event = samplePayPalEvent();
		const elsewhere = new FakePayPal();
		await elsewhere.start();
		try {
			for (const certificateUrl of [
				`${elsewhere.url}/v1/notifications/certs/${elsewhere.certificateId}`,
				`${fake.url}/v1/notifications/webhooks`,
				`${fake.url}/v1/notifications/certs/${fake.certificateId}?x=1`,
				`${fake.url}/v1/notifications/certs/../oauth2/token`,
			]) {
				const { status } = await answer(
					trigger,
					delivery(event, webhookId, {
						certificateUrl,
						privatePem: elsewhere.chain.leaf.keys.privatePem,
					}).request,
				);
				expect(status).toBe(401);
			}
			expect(elsewhere.calls).toHaveLength(0);
			expect(fake.callsTo('GET', '/v1/notifications/certs/')).toHaveLength(0);
		} finally {
			await elsewhere.stop();
		}
	});

	it('refuses a certificate that is expired, for another name, or not issued by the next one in its chain', async () => {
		const { trigger, webhookId } = await active();
		const { signingChain } = jest.requireActual('../fakes/fakePayPal');
		const cases = {
			expired: signingChain({
				from: new Date(Date.now() - 2 * 86_400_000),
				to: new Date(Date.now() - 86_400_000),
			}),
			otherName: signingChain({ commonName: 'www.paypal.com' }),
		};
		const broken = { ...signingChain(), pem: '' };
		broken.pem = broken.leaf.pem + fake.chain.root.pem;
		for (const [name, chain] of Object.entries({ ...cases, broken })) {
			const id = `CERT-360caa42-fca2a594-${name}`;
			fake.certificates.set(id, chain.pem);
			const { status } = await answer(
				trigger,
				delivery(samplePayPalEvent(), webhookId, {
					certificateUrl: `${fake.url}/v1/notifications/certs/${id}`,
					privatePem: chain.leaf.keys.privatePem,
				}).request,
			);
			expect(status).toBe(401);
		}
		const details = logs
			.filter((line) => line.message.includes('rejected a paypal delivery'))
			.map((line) => line.message);
		expect(details).toEqual([
			expect.stringMatching(/not valid now/),
			expect.stringMatching(/"www\.paypal\.com", not a signing certificate/),
			expect.stringMatching(/certificate 1 is not issued by certificate 2/),
		]);
	});

	it("a body with the same CRC32 under a captured transmission verifies — PayPal's scheme — and runs nothing: the signed message is the replay key", async () => {
		const { trigger, webhookId } = await active();
		const event = { ...samplePayPalEvent(), custom_id: 'order-1001' };
		const genuine = delivery(event, webhookId);
		expect((await answer(trigger, genuine.request)).items).toHaveLength(1);
		// The attacker's body: another event id and amount, 4 bytes inside custom_id fixing the CRC32.
		let forged: Buffer | undefined;
		for (let attempt = 0; attempt < 5000 && !forged; attempt++) {
			const edited = JSON.stringify({
				...event,
				id: `WH-FORGED-${attempt}`,
				resource: { ...event.resource, amount: { currency_code: 'USD', value: '0.01' } },
				custom_id: 'XXXX',
			});
			const at = edited.indexOf('"custom_id":"XXXX"') + '"custom_id":"'.length;
			const candidate = sameCrc(
				genuine.body,
				Buffer.from(edited.replace('"custom_id":"XXXX"', '"custom_id":""')),
				at,
			);
			const patch = candidate.subarray(at, at + 4);
			if ([...patch].every((byte) => byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c))
				forged = candidate;
		}
		expect(forged).toBeDefined();
		expect(CRC32.buf(forged!) >>> 0).toBe(CRC32.buf(genuine.body) >>> 0);
		expect(JSON.parse(forged!.toString()).id).toMatch(/^WH-FORGED-/);
		// node-forge accepts it too: the signature covers the CRC32 alone.
		expect(
			forgeAccepts(fake.chain.pem, fake.chain.root.pem, genuine.headers, forged!, webhookId),
		).toBe(true);
		const replay = await answer(trigger, fakeRequest(forged!, genuine.headers));
		expect([replay.status, replay.items]).toEqual([200, []]);
	});

	it('a certificate PayPal rotated to (a new PAYPAL-CERT-URL) is fetched and used; the old one stays usable until it expires', async () => {
		const { trigger, webhookId } = await active();
		expect((await answer(trigger, delivery(samplePayPalEvent(), webhookId).request)).status).toBe(
			200,
		);
		const { signingChain } = jest.requireActual('../fakes/fakePayPal');
		const next = signingChain();
		const nextId = 'CERT-360caa42-fca2a594-rotated';
		fake.certificates.set(nextId, next.pem);
		const rotated = delivery(samplePayPalEvent(), webhookId, {
			certificateUrl: `${fake.url}/v1/notifications/certs/${nextId}`,
			privatePem: next.leaf.keys.privatePem,
		});
		expect((await answer(trigger, rotated.request)).status).toBe(200);
		expect((await answer(trigger, delivery(samplePayPalEvent(), webhookId).request)).status).toBe(
			200,
		);
		expect(fake.callsTo('GET', '/v1/notifications/certs/').map((call) => call.path)).toEqual([
			`/v1/notifications/certs/${fake.certificateId}`,
			`/v1/notifications/certs/${nextId}`,
		]);
	});

	it("manual registration: verifies with the credential's Webhook IDs and registers nothing", async () => {
		const webhookId = '1JE4291016473214C';
		const trigger = harness(
			{ registration: 'manual' },
			{ webhookIds: `OTHER0000000000AA, ${webhookId}` },
		);
		expect(await trigger.hook('checkExists')).toBe(true);
		const event = samplePayPalEvent();
		expect((await answer(trigger, delivery(event, webhookId).request)).items).toHaveLength(1);
		expect(fake.activeWebhooks()).toHaveLength(0);
	});
});
