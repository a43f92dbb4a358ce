/** GitHub Verified Trigger end to end in each pinned real n8n, against the fake GitHub API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeGitHub } from '../fakes/fakeGitHub';
import { settledExecutionCount, triggerItems, waitForExecutions } from './support';

jest.setTimeout(240_000);

const TRIGGER = 'GitHub Verified Trigger';
const WEBHOOK_ID = '8e3b5f2a-2c4e-4a66-9b32-4f0e6a1b3c02';

describe.each(testedVersions())('GitHub Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeGitHub();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential('GitHub (fake, loopback)', 'gitHubVerifiedApi', {
			accessToken: fake.token,
			baseUrl: fake.url,
			webhookSecrets: '',
		});
		const workflow = loadExample('github-verified-trigger', {
			credentials: { gitHubVerifiedApi: { id: credential.id, name: 'GitHub (fake, loopback)' } },
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

	it('registers one hook with the production URL and answers its ping without an execution', async () => {
		await n8n.activate(workflowId);
		const [hook] = await n8n.waitFor(
			async () => (fake.activeHooks().length ? fake.activeHooks() : undefined),
			{ what: 'hook registration' },
		);
		expect(hook).toMatchObject({
			scope: 'repos/your-org/your-repo',
			events: ['issues', 'push'],
			config: { url, content_type: 'json' },
		});
		const [ping] = await fake.deliver('ping', { zen: 'Design for failure.', hook_id: hook.id });
		expect([ping.status, JSON.parse(ping.body)]).toEqual([
			200,
			{ received: true, ignored: 'ping' },
		]);
		expect(await settledExecutionCount(n8n, workflowId)).toBe(0);
	});

	it('runs once for a signed delivery, refuses forgeries, and drops a redelivery', async () => {
		const payload = {
			action: 'opened',
			issue: { number: 42 },
			repository: { full_name: 'your-org/your-repo' },
		};
		const [first] = await fake.deliver('issues', payload, { deliveryId: `guid-${version}-1` });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			action: 'opened',
			verifiedWebhook: {
				provider: 'github',
				eventId: `guid-${version}-1`,
				event: 'issues',
				action: 'opened',
			},
		});
		const forged = await fake.deliver('issues', payload, { secret: 'not-the-hook-secret' });
		const unsigned = await fake.deliver('issues', payload, { signature: null });
		const tampered = await fake.deliver('issues', payload, {
			tamper: (text: string) => text.replace('42', '43'),
		});
		expect([forged[0].status, unsigned[0].status, tampered[0].status]).toEqual([401, 401, 401]);
		const redelivery = await fake.deliver('issues', payload, { deliveryId: `guid-${version}-1` });
		expect(JSON.parse(redelivery[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('removes the hook on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeHooks().length === 0, { what: 'hook removal' });
	});
});
