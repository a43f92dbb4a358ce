/**
 * Linear Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake Linear GraphQL API.
 * `@linear/sdk` verifies but does not sign: deliveries are signed by the fake with node:crypto, and the SDK's
 * LinearWebhookClient.verify is checked to accept the same bytes (including its timestamp rule).
 */
import type { IDataObject } from 'n8n-workflow';

import { LinearVerifiedApi } from '../../credentials/LinearVerifiedApi.credentials';
import { LinearVerifiedTrigger } from '../../nodes/LinearVerifiedTrigger/LinearVerifiedTrigger.node';
import {
	FakeLinear,
	linearSignature,
	RESOURCE_TYPES,
	sampleLinearEvent,
} from '../fakes/fakeLinear';
import { linearVerify } from '../fakes/officialSdk';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
const TEAM = '9cfb482a-81e3-4154-b5b9-2c805e70a02d';
let fake: FakeLinear;

beforeEach(async () => {
	fake = new FakeLinear();
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
		nodeType: new LinearVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.linearVerifiedTrigger',
		credentialType: new LinearVerifiedApi(),
		credentials: {
			apiKey: fake.apiKey,
			webhookSecrets: '',
			apiUrl: `${fake.url}/graphql`,
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			teamId: '',
			resourceTypes: ['Issue', 'Comment'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function signed(event: object, secret: string, timestamp = Date.now()) {
	const text = JSON.stringify({ ...event, webhookId: 'wh-1', webhookTimestamp: timestamp });
	return { text, signature: linearSignature(secret, text) };
}

function delivery(event: object, secret: string, timestamp?: number, deliveryId = 'delivery-1') {
	const { text, signature } = signed(event, secret, timestamp);
	return fakeRequest(Buffer.from(text), {
		'linear-signature': signature,
		'linear-delivery': deliveryId,
	});
}

describe('Linear Verified Trigger lifecycle (n8n-core HookContext, fake Linear GraphQL API)', () => {
	it('creates one webhook for all public teams with the URL, the resource types and a generated secret, which is sealed', async () => {
		const trigger = harness();
		await activate(trigger);
		const webhooks = fake.activeWebhooks();
		expect(webhooks).toHaveLength(1);
		expect(webhooks[0]).toMatchObject({
			url: PRODUCTION_URL,
			enabled: true,
			allPublicTeams: true,
			teamId: null,
			resourceTypes: ['Comment', 'Issue'],
		});
		expect(webhooks[0].label).toMatch(/^n8n verified webhooks: workflow /);
		expect(webhooks[0].secret).toMatch(/^[0-9a-f]{64}$/);
		expect(fake.calls[0].headers.authorization).toBe(fake.apiKey);
		expect(JSON.stringify(trigger.staticData)).not.toContain(webhooks[0].secret);
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('registers for one team, every listed type for "All Resource Types", and updates a changed or disabled webhook in place', async () => {
		const staticData: IDataObject = {};
		await activate(harness({ teamId: TEAM, resourceTypes: ['*'] }, {}, staticData));
		const [webhook] = fake.activeWebhooks();
		expect(webhook).toMatchObject({ teamId: TEAM, resourceTypes: [...RESOURCE_TYPES].sort() });
		webhook.enabled = false;
		expect(
			await harness({ teamId: TEAM, resourceTypes: ['Project'] }, {}, staticData).hook(
				'checkExists',
			),
		).toBe(true);
		expect(fake.activeWebhooks()).toMatchObject([
			{ id: webhook.id, enabled: true, resourceTypes: ['Project'] },
		]);
	});

	it('repeated create leaves one webhook; a create that lost its id removes the leftover; delete of a gone webhook is done', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeWebhooks()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
	});

	it('fails activation with what to change: the API key, an unknown team, a malformed Team ID, a rate limit', async () => {
		await expect(activate(harness({}, { apiKey: 'lin_api_wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/Authentication required.*Check the API Key/),
		});
		await expect(
			activate(harness({ teamId: '00000000-0000-0000-0000-000000000000' })),
		).rejects.toMatchObject({
			description: expect.stringMatching(/Could not find referenced Team.*Team ID/),
		});
		await expect(activate(harness({ teamId: 'ENG' }))).rejects.toMatchObject({
			message: 'Team ID must be the UUID of a team, or empty',
		});
		fake.failNext({ status: 429, count: 1 });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeWebhooks()).toHaveLength(0);
	});
});

describe('Linear Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active(options: IDataObject = {}) {
		const trigger = harness({ options });
		await activate(trigger);
		return { trigger, secret: fake.activeWebhooks()[0].secret as string };
	}

	it('emits one item per Linear-Delivery and drops the retry (re-signed with a new webhookTimestamp); @linear/sdk accepts the bytes', async () => {
		const { trigger, secret } = await active();
		const event = sampleLinearEvent('Issue', 'create');
		const { text, signature } = signed(event, secret);
		expect(linearVerify(secret, text, signature)).toBe(true);
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, secret), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			type: 'Issue',
			action: 'create',
			verifiedWebhook: {
				provider: 'linear',
				eventId: 'delivery-1',
				eventType: 'Issue',
				action: 'create',
				objectId: event.data.id,
			},
		});
		const retry = await trigger.webhook(
			delivery(event, secret, Date.now() + 1000),
			new FakeResponse(),
		);
		expect(retry.workflowData).toBeUndefined();
	});

	it('answers 401 to a forged, stale (webhookTimestamp outside the tolerance), unsigned or altered delivery; 200 without an execution to an unselected type', async () => {
		const { trigger, secret } = await active({ toleranceSeconds: 60 });
		const { text, signature } = signed(sampleLinearEvent(), secret);
		const statuses: Array<number | undefined> = [];
		for (const request of [
			delivery(sampleLinearEvent(), 'forged', undefined, 'd-2'),
			delivery(sampleLinearEvent(), secret, Date.now() - 61_000, 'd-3'),
			fakeRequest(Buffer.from(text), { 'linear-delivery': 'd-4' }),
			fakeRequest(Buffer.from(text.replace('Verify', 'Forged')), {
				'linear-signature': signature,
				'linear-delivery': 'd-5',
			}),
		]) {
			const response = new FakeResponse();
			expect((await trigger.webhook(request, response)).workflowData).toBeUndefined();
			statuses.push(response.statusCode);
		}
		expect(statuses).toEqual([401, 401, 401, 401]);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleLinearEvent('Project', 'update'), secret, undefined, 'd-6'),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
