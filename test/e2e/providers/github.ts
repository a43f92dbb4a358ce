/** GitHub Verified Trigger end to end in each pinned real n8n, against the fake GitHub API. */
import { FakeGitHub } from '../../fakes/fakeGitHub';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'GitHub Verified Trigger';
const WEBHOOK_ID = '8e3b5f2a-2c4e-4a66-9b32-4f0e6a1b3c02';

export function gitHubCases(n8n: N8n, version: string) {
	const fake = new FakeGitHub();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'GitHub',
		credentialType: 'gitHubVerifiedApi',
		credential: (each) => ({
			accessToken: each.token,
			baseUrl: each.url,
			webhookSecrets: '',
		}),
		example: 'github-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('registers one hook with the production URL and answers its ping without an execution', async () => {
		await n8n.activate(workflow.id);
		const [hook] = await n8n.waitFor(
			async () => (fake.activeHooks().length ? fake.activeHooks() : undefined),
			{ what: 'hook registration' },
		);
		expect(hook).toMatchObject({
			scope: 'repos/your-org/your-repo',
			events: ['issues', 'push'],
			config: { url: workflow.url, content_type: 'json' },
		});
		const [ping] = await fake.deliver('ping', { zen: 'Design for failure.', hook_id: hook.id });
		expect([ping.status, JSON.parse(ping.body)]).toEqual([
			200,
			{ received: true, ignored: 'ping' },
		]);
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(0);
	});

	it('runs once for a signed delivery, refuses forgeries, and drops a redelivery', async () => {
		const payload = {
			action: 'opened',
			issue: { number: 42 },
			repository: { full_name: 'your-org/your-repo' },
		};
		const [first] = await fake.deliver('issues', payload, { deliveryId: `guid-${version}-1` });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
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
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('removes the hook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'GitHub hook removed',
			() => fake.activeHooks().length === 0,
		);
	});
}
