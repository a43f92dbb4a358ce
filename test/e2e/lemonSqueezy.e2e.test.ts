/** Lemon Squeezy Verified Trigger end to end in each pinned real n8n, against the fake Lemon Squeezy API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeLemonSqueezy, sampleLemonSqueezyEvent } from '../fakes/fakeLemonSqueezy';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Lemon Squeezy Verified Trigger';
const WEBHOOK_ID = 'c2d4e6f8-1a3b-4c5d-9e7f-0a2b4c6d8e05';

describe.each(testedVersions())('Lemon Squeezy Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeLemonSqueezy();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential(
			'Lemon Squeezy (fake, loopback)',
			'lemonSqueezyVerifiedApi',
			{ apiKey: fake.apiKey, signingSecrets: '', baseUrl: fake.url },
		);
		const workflow = loadExample('lemon-squeezy-verified-trigger', {
			credentials: {
				lemonSqueezyVerifiedApi: { id: credential.id, name: 'Lemon Squeezy (fake, loopback)' },
			},
			webhookId: WEBHOOK_ID,
		});
		workflowId = (await n8n.createWorkflow(workflow)).id;
		url = `${n8n.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
	});

	afterAll(async () => {
		await n8n.stop();
		await fake.stop();
		n8n.cleanup();
	});

	it('registers one store webhook with the production URL, the selected events and a generated secret', async () => {
		await n8n.activate(workflowId);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflowId);
		expect(webhook).toMatchObject({
			storeId: '12345',
			url,
			events: ['order_created', 'subscription_created'],
		});
		expect(webhook.secret).toMatch(/^[0-9a-f]{40}$/);
		expect(fake.activeWebhooks()).toHaveLength(1);
	});

	it('runs once for a signed event, refuses forgeries, and drops a retry', async () => {
		const event = sampleLemonSqueezyEvent('order_created');
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			data: { id: event.data.id },
			verifiedWebhook: { provider: 'lemonSqueezy', eventType: 'order_created' },
		});
		const forged = await fake.deliver(event, { secret: 'forged-secret' });
		const unsigned = await fake.deliver(event, { signature: null });
		const altered = await fake.deliver(event, {
			tamper: (payload: string) => payload.replace('"total":1999', '"total":1'),
		});
		expect([forged[0].status, unsigned[0].status, altered[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('deletes the webhook on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeWebhooks().length === 0, { what: 'removal' });
	});
});
