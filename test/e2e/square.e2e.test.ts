/** Square Verified Trigger end to end in each pinned real n8n, against the fake Square Webhook Subscriptions API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeSquare, sampleSquareEvent } from '../fakes/fakeSquare';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Square Verified Trigger';
const WEBHOOK_ID = 'e4f6a8b0-3c5d-4e7f-9a1b-2c4d6e8f0a07';

describe.each(testedVersions())('Square Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeSquare();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential('Square (fake, loopback)', 'squareVerifiedApi', {
			accessToken: fake.accessToken,
			environment: 'custom',
			baseUrl: fake.url,
			signatureSecrets: '',
		});
		const workflow = loadExample('square-verified-trigger', {
			credentials: { squareVerifiedApi: { id: credential.id, name: 'Square (fake, loopback)' } },
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

	it('creates one subscription for the production URL and the selected events', async () => {
		await n8n.activate(workflowId);
		const [subscription] = await n8n.waitFor(
			async () => (fake.activeSubscriptions().length ? fake.activeSubscriptions() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflowId);
		expect(subscription).toMatchObject({
			notification_url: url,
			enabled: true,
			event_types: ['payment.updated', 'refund.created'],
		});
		expect(fake.activeSubscriptions()).toHaveLength(1);
	});

	it('runs once for an event signed over the notification URL, refuses forgeries, and drops a retry', async () => {
		const event = sampleSquareEvent('payment.updated');
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event_id: event.event_id,
			verifiedWebhook: { provider: 'square', eventType: 'payment.updated' },
		});
		const forged = await fake.deliver(event, { key: 'forged-key' });
		const otherUrl = await fake.deliver(event, { url: `${url}?x=1` });
		const unsigned = await fake.deliver(event, { signature: null });
		expect([forged[0].status, otherUrl[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('deletes the subscription on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeSubscriptions().length === 0, { what: 'removal' });
	});
});
