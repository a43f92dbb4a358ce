/** Linear Verified Trigger end to end in each pinned real n8n, against the fake Linear GraphQL API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeLinear, sampleLinearEvent } from '../fakes/fakeLinear';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Linear Verified Trigger';
const WEBHOOK_ID = 'a6b8c0d2-5e7f-4a9b-8c3d-4e6f8a0b2c09';

describe.each(testedVersions())('Linear Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeLinear();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential('Linear (fake, loopback)', 'linearVerifiedApi', {
			apiKey: fake.apiKey,
			webhookSecrets: '',
			apiUrl: `${fake.url}/graphql`,
		});
		const workflow = loadExample('linear-verified-trigger', {
			credentials: { linearVerifiedApi: { id: credential.id, name: 'Linear (fake, loopback)' } },
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

	it('creates one webhook for all public teams with the production URL and the resource types', async () => {
		await n8n.activate(workflowId);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflowId);
		expect(webhook).toMatchObject({
			url,
			enabled: true,
			allPublicTeams: true,
			resourceTypes: ['Comment', 'Issue'],
		});
		expect(fake.activeWebhooks()).toHaveLength(1);
	});

	it('runs once for a signed event, refuses forgeries and stale timestamps, and drops a retry', async () => {
		const event = sampleLinearEvent('Issue', 'create');
		const deliveryId = `delivery-${version}`;
		const [first] = await fake.deliver(event, { deliveryId });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			type: 'Issue',
			verifiedWebhook: { provider: 'linear', eventId: deliveryId, action: 'create' },
		});
		const forged = await fake.deliver(event, { secret: 'forged', deliveryId: 'x1' });
		const stale = await fake.deliver(event, { timestamp: Date.now() - 900_000, deliveryId: 'x2' });
		const unsigned = await fake.deliver(event, { signature: null, deliveryId: 'x3' });
		expect([forged[0].status, stale[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		// Linear's retry: the same Linear-Delivery, re-signed with a new webhookTimestamp.
		const again = await fake.deliver(event, { deliveryId });
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('deletes the webhook on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeWebhooks().length === 0, { what: 'removal' });
	});
});
