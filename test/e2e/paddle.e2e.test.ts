/** Paddle Billing Verified Trigger end to end in each pinned real n8n, against the fake Paddle API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakePaddle, samplePaddleEvent } from '../fakes/fakePaddle';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Paddle Billing Verified Trigger';
const WEBHOOK_ID = 'a04c6e3b-4d5f-4c88-9d54-6b2a8c3d5e03';

describe.each(testedVersions())('Paddle Billing Verified Trigger in real n8n %s', (version) => {
	const fake = new FakePaddle();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential('Paddle (fake, loopback)', 'paddleVerifiedApi', {
			apiKey: fake.apiKey,
			environment: 'custom',
			baseUrl: fake.url,
			endpointSecretKeys: '',
		});
		const workflow = loadExample('paddle-verified-trigger', {
			credentials: { paddleVerifiedApi: { id: credential.id, name: 'Paddle (fake, loopback)' } },
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

	it('registers one notification setting with the production URL and the selected events', async () => {
		await n8n.activate(workflowId);
		const [setting] = await n8n.waitFor(
			async () => (fake.activeSettings().length ? fake.activeSettings() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflowId);
		expect(setting).toMatchObject({
			destination: url,
			subscribed_events: ['subscription.created', 'transaction.completed'],
		});
	});

	it('runs once for a signed event, refuses forgeries, and drops a redelivery', async () => {
		const event = samplePaddleEvent('transaction.completed', {
			event_id: `evt_paddle_${version.replace(/\./g, '_')}`,
		});
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event_id: event.event_id,
			verifiedWebhook: { provider: 'paddle', eventType: 'transaction.completed' },
		});
		const forged = await fake.deliver(event, { secret: 'pdl_ntfset_forged' });
		const stale = await fake.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 900 });
		const unsigned = await fake.deliver(event, { signature: null });
		expect([forged[0].status, stale[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('deletes the notification setting on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeSettings().length === 0, { what: 'removal' });
	});
});
