/**
 * GitLab Verified Trigger in n8n-core's real Hook and Webhook contexts, against the fake GitLab REST API v4.
 * Classic GitLab webhooks sign nothing: the hook's secret token travels in X-Gitlab-Token and is compared in
 * constant time (as SHA-256 digests). No GitLab library verifies classic webhooks.
 */
import type { IDataObject } from 'n8n-workflow';

import { GitLabVerifiedApi } from '../../credentials/GitLabVerifiedApi.credentials';
import { GitLabVerifiedTrigger } from '../../nodes/GitLabVerifiedTrigger/GitLabVerifiedTrigger.node';
import { FakeGitLab, FLAGS, sampleGitLabEvent } from '../fakes/fakeGitLab';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeGitLab;

beforeEach(async () => {
	fake = new FakeGitLab();
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
		nodeType: new GitLabVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.gitLabVerifiedTrigger',
		credentialType: new GitLabVerifiedApi(),
		credentials: { accessToken: fake.token, secretTokens: '', baseUrl: fake.url, ...credentials },
		parameters: {
			registration: 'automatic',
			scope: 'project',
			project: 'acme/app',
			events: ['push_events', 'merge_requests_events'],
			options: {},
			...parameters,
		},
		staticData,
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function delivery(event: object, token: string | undefined, key = 'idem-1') {
	const headers: Record<string, string> = { 'idempotency-key': key, 'x-gitlab-event': 'Push Hook' };
	if (token !== undefined) headers['x-gitlab-token'] = token;
	return fakeRequest(Buffer.from(JSON.stringify(event)), headers);
}

describe('GitLab Verified Trigger lifecycle (n8n-core HookContext, fake GitLab API)', () => {
	it('creates one project hook (path URL-encoded) with the URL, only the selected event flags and a generated token, which is sealed', async () => {
		const trigger = harness();
		await activate(trigger);
		const hooks = fake.activeHooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({
			url: PRODUCTION_URL,
			project_id: 42,
			enable_ssl_verification: true,
			push_events: true,
			merge_requests_events: true,
			issues_events: false,
			pipeline_events: false,
		});
		expect(fake.callsTo('POST')[0].path).toBe('/api/v4/projects/acme%2Fapp/hooks');
		expect(hooks[0].token).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(trigger.staticData)).not.toContain(hooks[0].token);
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('"All Events" turns every flag on; a changed selection or a hook GitLab disabled is edited in place, keeping the token', async () => {
		const staticData: IDataObject = {};
		await activate(harness({ events: ['*'], project: '42' }, {}, staticData));
		const [hook] = fake.activeHooks();
		expect(FLAGS.every((flag: string) => hook[flag] === true)).toBe(true);
		const token = hook.token;
		hook.alert_status = 'disabled';
		expect(
			await harness({ events: ['pipeline_events'], project: '42' }, {}, staticData).hook(
				'checkExists',
			),
		).toBe(true);
		expect(fake.activeHooks()).toMatchObject([
			{ id: hook.id, alert_status: 'executable', pipeline_events: true, push_events: false, token },
		]);
	});

	it('repeated create leaves one hook; a create that lost its id removes the leftover; delete is 404-tolerant', async () => {
		const trigger = harness();
		for (let i = 0; i < 3; i++) await trigger.hook('create');
		expect(fake.activeHooks()).toHaveLength(1);
		const lost = harness();
		await lost.hook('create');
		expect(fake.activeHooks()).toHaveLength(1);
		await lost.hook('delete');
		expect(fake.activeHooks()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
		expect(fake.callsTo('DELETE').map((call) => call.status)).toContain(404);
	});

	it('fails activation with what to change: the token (401), the project (404, or not an ID or full path), a rate limit (429)', async () => {
		await expect(activate(harness({}, { accessToken: 'glpat-wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/401 Unauthorized.*Check the Access Token/),
		});
		await expect(activate(harness({ project: 'acme/other' }))).rejects.toMatchObject({
			description: expect.stringMatching(/404 Project Not Found.*Maintainer/),
		});
		await expect(activate(harness({ project: 'app' }))).rejects.toMatchObject({
			message: 'Project must be an ID or a full path',
		});
		fake.failNext({ status: 429, count: 1 });
		await expect(activate(harness())).rejects.toMatchObject({
			description: expect.stringMatching(/rate limiting or unavailable/),
		});
		expect(fake.activeHooks()).toHaveLength(0);
	});
});

describe('GitLab Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return { trigger, token: fake.activeHooks()[0].token as string };
	}

	it('emits one item per Idempotency-Key and drops the redelivery, typed by the body (object_kind)', async () => {
		const { trigger, token } = await active();
		const event = sampleGitLabEvent('push');
		const response = new FakeResponse();
		const result = await trigger.webhook(delivery(event, token), response);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			object_kind: 'push',
			verifiedWebhook: {
				provider: 'gitlab',
				eventId: 'idem-1',
				eventType: 'push_events',
				objectKind: 'push',
				hookEvent: 'Push Hook',
			},
		});
		const again = await trigger.webhook(delivery(event, token), new FakeResponse());
		expect(again.workflowData).toBeUndefined();
		// The same bytes under a fresh Idempotency-Key: a replay, dropped by the body fingerprint.
		const replay = await trigger.webhook(delivery(event, token, 'idem-fresh'), new FakeResponse());
		expect(replay.workflowData).toBeUndefined();
	});

	it('answers 401 to a wrong, missing, repeated or empty token and 200 without an execution to an unselected event', async () => {
		const { trigger, token } = await active();
		const statuses: Array<number | undefined> = [];
		const body = Buffer.from(JSON.stringify(sampleGitLabEvent('push')));
		for (const request of [
			delivery(sampleGitLabEvent('push'), 'wrong-token', 'k1'),
			delivery(sampleGitLabEvent('push'), undefined, 'k2'),
			fakeRequest(body, { 'x-gitlab-token': [token, token], 'idempotency-key': 'k3' }),
			delivery(sampleGitLabEvent('push'), '', 'k4'),
			delivery(sampleGitLabEvent('push'), token.slice(0, 63), 'k5'),
		]) {
			const response = new FakeResponse();
			expect((await trigger.webhook(request, response)).workflowData).toBeUndefined();
			statuses.push(response.statusCode);
		}
		expect(statuses).toEqual([401, 401, 401, 401, 401]);
		const other = new FakeResponse();
		const result = await trigger.webhook(
			delivery(sampleGitLabEvent('pipeline'), token, 'k6'),
			other,
		);
		expect([other.statusCode, result.workflowData]).toEqual([200, undefined]);
	});
});
