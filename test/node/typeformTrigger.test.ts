/**
 * Typeform Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake Typeform Create API.
 * No Typeform library signs or verifies (its API client only manages webhooks), so deliveries are signed by the
 * fake with node:crypto (`sha256=` + base64 HMAC-SHA256 of the raw body).
 */
import type { IDataObject } from 'n8n-workflow';

import { TypeformVerifiedApi } from '../../credentials/TypeformVerifiedApi.credentials';
import { TypeformVerifiedTrigger } from '../../nodes/TypeformVerifiedTrigger/TypeformVerifiedTrigger.node';
import { FakeTypeform, sampleTypeformEvent, typeformSignature } from '../fakes/fakeTypeform';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeTypeform;

beforeEach(async () => {
	fake = new FakeTypeform();
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
		nodeType: new TypeformVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.typeformVerifiedTrigger',
		credentialType: new TypeformVerifiedApi(),
		credentials: { accessToken: fake.token, webhookSecrets: '', baseUrl: fake.url, ...credentials },
		parameters: {
			registration: 'automatic',
			formId: 'u6nXL7',
			events: ['form_response'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: object, secret: string) {
	const text = JSON.stringify(event);
	return fakeRequest(Buffer.from(text), { 'typeform-signature': typeformSignature(secret, text) });
}

describe('Typeform Verified Trigger lifecycle (n8n-core HookContext, fake Typeform API)', () => {
	it('puts one enabled webhook on the form with the URL, the selected event types and a generated secret, which is sealed', async () => {
		const trigger = harness();
		await activate(trigger);
		const webhooks = fake.activeWebhooks();
		expect(webhooks).toHaveLength(1);
		expect(webhooks[0]).toMatchObject({
			form_id: 'u6nXL7',
			url: PRODUCTION_URL,
			enabled: true,
			verify_ssl: true,
			event_types: { form_response: true, form_response_partial: false },
		});
		expect(webhooks[0].tag).toMatch(/^n8n-verified-[0-9a-f]{24}$/);
		expect(webhooks[0].secret).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(trigger.staticData)).not.toContain(webhooks[0].secret);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('PUT')).toHaveLength(1);
	});

	it('a changed selection is written with the same tag and the same secret (a PUT replaces the whole webhook)', async () => {
		const staticData: IDataObject = {};
		await activate(harness({}, {}, staticData));
		const [before] = fake.activeWebhooks();
		const edited = harness({ events: ['*'] }, {}, staticData);
		expect(await edited.hook('checkExists')).toBe(true);
		const [after] = fake.activeWebhooks();
		expect(fake.activeWebhooks()).toHaveLength(1);
		expect(after).toMatchObject({
			tag: before.tag,
			secret: before.secret,
			event_types: { form_response: true, form_response_partial: true },
		});
		const response = new FakeResponse();
		await edited.webhook(
			delivery(sampleTypeformEvent('form_response_partial'), after.secret),
			response,
		);
		expect(response.statusCode).toBe(200);
	});

	it('repeated create leaves one webhook; a create that lost its id replaces it; delete is 404-tolerant', async () => {
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

	it('leaves a webhook the user added by hand for the same URL alone, and says so', async () => {
		fake.webhooks.set('u6nXL7 my-own', {
			id: 'MINE',
			form_id: 'u6nXL7',
			tag: 'my-own',
			url: PRODUCTION_URL,
			enabled: true,
			verify_ssl: true,
			event_types: { form_response: true },
			secret: 'typed-by-hand',
		});
		await activate(harness());
		expect(fake.activeWebhooks().map((webhook) => webhook.tag)).toContain('my-own');
		expect(fake.activeWebhooks()).toHaveLength(2);
		expect(logs.some((line) => /was not created by this node/.test(line.message))).toBe(true);
	});

	it('fails activation with what to change: the token (401), the Form ID (404, or malformed), a rate limit (429)', async () => {
		await expect(activate(harness({}, { accessToken: 'tfp_wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/Check the Access Token/),
		});
		await expect(activate(harness({ formId: 'nope12' }))).rejects.toMatchObject({
			description: expect.stringMatching(/FORM_NOT_FOUND.*Check the node's Form ID/),
		});
		await expect(
			activate(harness({ formId: 'https://x.typeform.com/to/u6nXL7' })),
		).rejects.toMatchObject({ message: 'Form ID must be the ID of a typeform' });
		fake.failNext({ status: 429, count: 1 });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeWebhooks()).toHaveLength(0);
	});
});

describe('Typeform Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, secret: fake.activeWebhooks()[0].secret as string };
	}

	it('emits one item per event_id and drops the retry', async () => {
		const { trigger, secret } = await active();
		const event = sampleTypeformEvent();
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, secret), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			event_id: event.event_id,
			form_response: { token: event.form_response.token },
			verifiedWebhook: {
				provider: 'typeform',
				eventId: event.event_id,
				eventType: 'form_response',
				formId: 'u6nXL7',
				responseToken: event.form_response.token,
			},
		});
		const again = await trigger.webhook(delivery(event, secret), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
	});

	it('answers 401 to a forged, unsigned, hex-encoded or altered delivery and 200 without an execution to an unselected type', async () => {
		const { trigger, secret } = await active();
		const text = JSON.stringify(sampleTypeformEvent());
		const hex = `sha256=${Buffer.from(typeformSignature(secret, text).slice(7), 'base64').toString('hex')}`;
		const statuses: Array<number | undefined> = [];
		for (const request of [
			delivery(sampleTypeformEvent(), 'forged'),
			fakeRequest(Buffer.from(text), {}),
			fakeRequest(Buffer.from(text), { 'typeform-signature': hex }),
			fakeRequest(Buffer.from(text.replace('"number":5', '"number":1')), {
				'typeform-signature': typeformSignature(secret, text),
			}),
		]) {
			const response = new FakeResponse();
			expect((await trigger.webhook(request, response)).workflowData).toBeUndefined();
			statuses.push(response.statusCode);
		}
		expect(statuses).toEqual([401, 401, 401, 401]);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleTypeformEvent('form_response_partial'), secret),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
