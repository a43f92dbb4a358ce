/** GitLab Verified Trigger end to end in each pinned real n8n, against the fake GitLab REST API v4. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeGitLab, sampleGitLabEvent } from '../fakes/fakeGitLab';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(240_000);

const TRIGGER = 'GitLab Verified Trigger';
const WEBHOOK_ID = 'b7c9d1e3-6f8a-4b0c-9d4e-5f7a9b1c3d10';

describe.each(testedVersions())('GitLab Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeGitLab();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential('GitLab (fake, loopback)', 'gitLabVerifiedApi', {
			accessToken: fake.token,
			secretTokens: '',
			baseUrl: fake.url,
		});
		const workflow = loadExample('gitlab-verified-trigger', {
			credentials: { gitLabVerifiedApi: { id: credential.id, name: 'GitLab (fake, loopback)' } },
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

	it('creates one project hook with the production URL and the selected event flags', async () => {
		await n8n.activate(workflowId);
		const [hook] = await n8n.waitFor(
			async () => (fake.activeHooks().length ? fake.activeHooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflowId);
		expect(hook).toMatchObject({
			url,
			project_id: 42,
			push_events: true,
			merge_requests_events: true,
			issues_events: false,
		});
		expect(fake.activeHooks()).toHaveLength(1);
	});

	it('runs once for a delivery with the token, refuses a wrong or missing token, and drops a redelivery', async () => {
		const event = sampleGitLabEvent('push');
		const idempotencyKey = `idem-${version}`;
		const [first] = await fake.deliver(event, { idempotencyKey });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			object_kind: 'push',
			verifiedWebhook: { provider: 'gitlab', eventId: idempotencyKey, eventType: 'push_events' },
		});
		const wrong = await fake.deliver(event, { token: 'wrong-token' });
		const missing = await fake.deliver(event, { noToken: true });
		expect([wrong[0].status, missing[0].status]).toEqual([401, 401]);
		const again = await fake.deliver(event, { idempotencyKey });
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('deletes the hook on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeHooks().length === 0, { what: 'removal' });
	});
});
