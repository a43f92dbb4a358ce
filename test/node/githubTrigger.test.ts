import { GitHubVerifiedApi } from '../../credentials/GitHubVerifiedApi.credentials';
import { GitHubVerifiedTrigger } from '../../nodes/GitHubVerifiedTrigger/GitHubVerifiedTrigger.node';
import { FakeGitHub } from '../fakes/fakeGitHub';
import { octokitSign } from '../fakes/officialSdk';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeGitHub;

beforeEach(async () => {
	fake = new FakeGitHub();
	await fake.start();
	logs.length = 0;
});
afterEach(async () => fake.stop());

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
) {
	return new TriggerHarness({
		nodeType: new GitHubVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.gitHubVerifiedTrigger',
		credentialType: new GitHubVerifiedApi(),
		credentials: { accessToken: fake.token, baseUrl: fake.url, webhookSecrets: '', ...credentials },
		parameters: {
			registration: 'automatic',
			scope: 'repository',
			owner: 'octo',
			repository: 'hello',
			events: ['issues', 'push'],
			options: {},
			...parameters,
		},
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: string, payload: object, secret: string, deliveryId = 'd-1') {
	const text = JSON.stringify(payload);
	return fakeRequest(Buffer.from(text), {
		'x-github-event': event,
		'x-github-delivery': deliveryId,
		'x-hub-signature-256': octokitSign(secret, text),
	});
}

describe('GitHub Verified Trigger lifecycle (n8n-core HookContext, fake GitHub API)', () => {
	it('creates one repository hook with JSON content, the events and a generated secret it never stores in plaintext', async () => {
		const trigger = harness();
		await activate(trigger);
		const [hook] = fake.activeHooks();
		expect(fake.activeHooks()).toHaveLength(1);
		expect(hook).toMatchObject({
			scope: 'repos/octo/hello',
			events: ['issues', 'push'],
			config: { url: PRODUCTION_URL, content_type: 'json', insecure_ssl: '0' },
		});
		expect(hook.config.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(trigger.nodeStaticData)).not.toContain(hook.config.secret);
	});

	it('creates organization hooks under /orgs', async () => {
		await activate(harness({ scope: 'organization', owner: 'octo-org' }));
		expect(fake.activeHooks()[0].scope).toBe('orgs/octo-org');
	});

	it('repeated create leaves one hook, and a hook left with our URL by a lost attempt is replaced, not duplicated (no 422)', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeHooks()).toHaveLength(1);
		const retry = harness(); // the id of the earlier attempt was lost
		await retry.hook('create');
		expect(fake.activeHooks()).toHaveLength(1);
		expect(fake.calls.filter((call) => call.status === 422)).toHaveLength(0);
		expect(String(fake.activeHooks()[0].id)).toBe(retry.nodeStaticData.endpointId);
	});

	it('delete removes the hook; a 404 counts as done; a 500 throws and keeps the id', async () => {
		const trigger = harness();
		await activate(trigger);
		fake.failNext({ status: 500, method: 'DELETE', count: 3 }); // every try of the delete's own retries
		await expect(trigger.hook('delete')).rejects.toThrow(/GitHub refused DELETE/);
		expect(trigger.nodeStaticData.endpointId).toBeDefined();
		await trigger.hook('delete');
		expect(fake.activeHooks()).toHaveLength(0);
		await activate(trigger);
		fake.hooks.clear();
		await expect(trigger.hook('delete')).resolves.toBe(true);
	});

	it('a wrong token, and a token without access (GitHub answers 404), fail activation saying what to fix', async () => {
		const wrong = harness({}, { accessToken: 'ghp_example_wrong' });
		await expect(activate(wrong)).rejects.toMatchObject({
			description: expect.stringMatching(/Check the Access Token/),
		});
		fake.failNext({ status: 404, method: 'GET' });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/admin:repo_hook.*Webhooks: Read and write/),
		});
	});
});

describe('GitHub Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, secret: fake.activeHooks()[0].config.secret as string };
	}

	it('emits one item with the event, action and delivery id', async () => {
		const { trigger, secret } = await active();
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery('issues', { action: 'opened', issue: { number: 7 } }, secret, 'guid-1'),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			action: 'opened',
			issue: { number: 7 },
			verifiedWebhook: {
				provider: 'github',
				eventId: 'guid-1',
				eventType: 'issues',
				event: 'issues',
				action: 'opened',
			},
		});
	});

	it('answers the ping without an execution', async () => {
		const { trigger, secret } = await active();
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }, secret),
			response,
		);
		expect([response.statusCode, response.body]).toEqual([
			200,
			{ received: true, ignored: 'ping' },
		]);
		expect(result.workflowData).toBeUndefined();
	});

	it('drops a redelivery (same X-GitHub-Delivery) and ignores unselected events', async () => {
		const { trigger, secret } = await active();
		await trigger.webhook(
			delivery('push', { ref: 'refs/heads/main' }, secret, 'guid-2'),
			new FakeResponse(),
		);
		const again = await trigger.webhook(
			delivery('push', { ref: 'refs/heads/main' }, secret, 'guid-2'),
			new FakeResponse(),
		);
		expect(again.workflowData).toBeUndefined();
		const star = new FakeResponse();
		await trigger.webhook(delivery('star', { action: 'created' }, secret, 'guid-3'), star);
		expect(star.body).toEqual({ received: true, ignored: 'event type not selected' });
	});

	it('answers 401 for a forged or unsigned delivery, and accepts a previous secret from the credential', async () => {
		const { trigger } = await active();
		const forged = new FakeResponse();
		await trigger.webhook(delivery('issues', { action: 'opened' }, 'forged'), forged);
		expect(forged.statusCode).toBe(401);
		const manual = harness(
			{ registration: 'manual' },
			{ webhookSecrets: 'current-secret previous-secret' },
		);
		const response = new FakeResponse();
		const result = await manual.webhook(
			delivery('issues', { action: 'closed' }, 'previous-secret', 'guid-9'),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toHaveLength(1);
	});
});
