/** GitLab Verified Trigger end to end in each pinned real n8n, against the fake GitLab REST API v4. */
import { FakeGitLab, sampleGitLabEvent } from '../../fakes/fakeGitLab';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'GitLab Verified Trigger';
const WEBHOOK_ID = 'b7c9d1e3-6f8a-4b0c-9d4e-5f7a9b1c3d10';

export function gitLabCases(n8n: N8n, version: string) {
	const fake = new FakeGitLab();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'GitLab',
		credentialType: 'gitLabVerifiedApi',
		credential: (each) => ({
			accessToken: each.token,
			secretTokens: '',
			baseUrl: each.url,
		}),
		example: 'gitlab-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('creates one project hook with the production URL and the selected event flags', async () => {
		await n8n.activate(workflow.id);
		const [hook] = await n8n.waitFor(
			async () => (fake.activeHooks().length ? fake.activeHooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(hook).toMatchObject({
			url: workflow.url,
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
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			object_kind: 'push',
			verifiedWebhook: { provider: 'gitlab', eventId: idempotencyKey, eventType: 'push_events' },
		});
		const wrong = await fake.deliver(event, { token: 'wrong-token' });
		const missing = await fake.deliver(event, { noToken: true });
		expect([wrong[0].status, missing[0].status]).toEqual([401, 401]);
		const again = await fake.deliver(event, { idempotencyKey });
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('deletes the hook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'GitLab hook removed',
			() => fake.activeHooks().length === 0,
		);
	});
}
