/**
 * Catch-up (nodes/shared/catchUp.ts) through the real trigger(), n8n-core's TriggerContext and HookContext, and
 * the fake providers' delivery logs: events that failed while "n8n was down" (the fakes' deliveries fail with
 * status 0 until `up`) are run once — Stripe's read from its events API and emitted, GitHub's and Paddle's
 * redelivered by the provider into webhook(), signed as ever (stripe-node, @octokit/webhooks-methods, Paddle's
 * scheme via node:crypto, as in the fakes). In real n8n: test/e2e/catchUp.e2e.test.ts.
 */
import { sleep, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { GitHubVerifiedApi } from '../../credentials/GitHubVerifiedApi.credentials';
import { PaddleVerifiedApi } from '../../credentials/PaddleVerifiedApi.credentials';
import { StripeVerifiedApi } from '../../credentials/StripeVerifiedApi.credentials';
import { GitHubVerifiedTrigger } from '../../nodes/GitHubVerifiedTrigger/GitHubVerifiedTrigger.node';
import { PaddleVerifiedTrigger } from '../../nodes/PaddleVerifiedTrigger/PaddleVerifiedTrigger.node';
import { StripeVerifiedTrigger } from '../../nodes/StripeVerifiedTrigger/StripeVerifiedTrigger.node';
import { catchUpSettings, MAX_PER_ROUND } from '../../nodes/shared/catchUp';
import { closeRedisConnections } from '../../nodes/shared/redisClient';
import { startRedis } from '../../scripts/services';
import { FakeGitHub } from '../fakes/fakeGitHub';
import { FakePaddle, samplePaddleEvent } from '../fakes/fakePaddle';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';
import {
	FakeResponse,
	TriggerHarness,
	fakeRequest,
	logs,
	type StartedTrigger,
} from '../support/n8nContexts';

type Fake = InstanceType<typeof FakeStripe | typeof FakeGitHub | typeof FakePaddle>;

/**
 * Routes the fake's deliveries into the harness's webhook() while `state.up`; until then they fail as they do
 * when n8n is down (status 0). Returns the answers webhook() gave.
 */
function wire(fake: Fake, trigger: TriggerHarness, state: { up: boolean; answerLost?: boolean }) {
	const answers: Array<{ status?: number; started: boolean }> = [];
	fake.transmit = async (
		_url: string,
		payload: string | Buffer,
		headers: Record<string, string>,
	) => {
		if (!state.up) return { status: 0, body: 'unreachable: ECONNREFUSED' };
		const response = new FakeResponse();
		const result = await trigger.webhook(fakeRequest(Buffer.from(payload), headers), response);
		answers.push({ status: response.statusCode, started: result.workflowData !== undefined });
		// n8n ran it, but the provider gave up waiting for the answer (GitHub: after 10 s): a failure there.
		if (state.answerLost) return { status: 0, body: 'timed out' };
		return { status: response.statusCode ?? 0, body: JSON.stringify(response.body ?? {}) };
	};
	return answers;
}

/** A fresh fake provider for every test, started before it and stopped after it. */
function startEach<T extends Fake>(create: () => T, set: (fake: T) => void) {
	let current: T;
	beforeEach(async () => {
		current = create();
		set(current);
		await current.start();
	});
	afterEach(async () => await current.stop());
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

/** Fires the trigger's cron jobs until `done` holds (a round runs asynchronously after the tick). */
async function tickUntil(started: StartedTrigger, done: () => boolean, what: string) {
	for (let attempt = 0; attempt < 100; attempt++) {
		started.tick();
		await sleep(30);
		if (done()) return;
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** A restart of n8n: trigger() again (activation `init`); waits until its first round has listed (`listings`). */
async function restartAndRound(trigger: TriggerHarness, listings: () => number) {
	const before = listings();
	const restarted = await trigger.trigger('init');
	await tickUntil(restarted, () => listings() > before, 'a round');
	await sleep(100);
	return restarted;
}

const emittedIds = (started: StartedTrigger) =>
	started.emitted.map((data: INodeExecutionData[][]) => {
		const meta = data[0][0].json.verifiedWebhook as IDataObject;
		return meta.eventId;
	});

beforeEach(() => {
	logs.length = 0;
});

describe('catch-up settings', () => {
	it('catchUpSettings caps the maximum age at the dedup window (an older event could not be told from one run)', () => {
		expect(
			catchUpSettings(
				{ catchUp: true, catchUpMaxAgeHours: 500 },
				{ ttlSeconds: 72 * 3600, maxEntries: 1 },
			),
		).toEqual({
			enabled: true,
			maxAgeSeconds: 72 * 3600,
		});
		expect(
			catchUpSettings({ catchUpMaxAgeHours: 2 }, { ttlSeconds: 72 * 3600, maxEntries: 1 }),
		).toEqual({
			enabled: false,
			maxAgeSeconds: 7200,
		});
	});
});

describe('Stripe: undelivered events are read from the events API and run once', () => {
	let fake: InstanceType<typeof FakeStripe>;
	startEach(
		() => new FakeStripe(),
		(made) => (fake = made),
	);

	function harness(options: IDataObject = { catchUp: true, endpointCheckMinutes: 0 }) {
		return new TriggerHarness({
			nodeType: new StripeVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
			credentialType: new StripeVerifiedApi(),
			credentials: { secretKey: fake.apiKey, baseUrl: fake.url, signingSecrets: '' },
			parameters: {
				registration: 'automatic',
				events: ['payment_intent.succeeded', 'charge.refunded'],
				options,
			},
		});
	}

	it('runs each event that failed while n8n was down once, marked via "api"; Stripe retries after it are duplicates', async () => {
		const trigger = harness();
		const state = { up: false };
		const answers = wire(fake, trigger, state);
		await activate(trigger);
		const started = await trigger.trigger('activate');
		const failed = [];
		for (let index = 0; index < 5; index++) {
			const event = sampleEvent('payment_intent.succeeded');
			await fake.deliver(event);
			failed.push(event.id);
		}
		expect(fake.deliveries.every((each: { status: number }) => each.status === 0)).toBe(true);
		// One of them did reach n8n later (a Stripe retry), so it ran already: not again.
		state.up = true;
		const arrived = fake.events.get(failed[0]);
		await fake.deliver(arrived.event, { payload: arrived.payload });
		expect(answers).toEqual([{ status: 200, started: true }]);
		fake.events.get(failed[0]).outcome.set('we_elsewhere', false); // still "not delivered" for Stripe

		await tickUntil(started, () => started.emitted.length >= 4, '4 caught-up events');
		await sleep(100);
		expect(emittedIds(started).sort()).toEqual(failed.slice(1).sort());
		expect(started.emitted[0][0][0].json).toMatchObject({
			object: 'event',
			type: 'payment_intent.succeeded',
			verifiedWebhook: { provider: 'stripe', via: 'api', signedAt: null, testDelivery: false },
		});
		expect(fake.callsTo('GET', '/v1/events')[0].query).toMatchObject({
			delivery_success: 'false',
			limit: '100',
		});

		// Stripe's own retries of the same events now reach n8n: every one is a duplicate.
		await fake.retryFailed();
		expect(answers.slice(1)).toHaveLength(4);
		expect(answers.slice(1).every((answer) => answer.status === 200 && !answer.started)).toBe(true);

		// A restart (trigger() again, activation `init`) lists them again: nothing runs twice.
		fake.events.forEach((record: { outcome: Map<string, boolean> }) =>
			record.outcome.set('we_elsewhere', false),
		);
		const restarted = await restartAndRound(
			trigger,
			() => fake.callsTo('GET', '/v1/events').length,
		);
		expect(restarted.emitted).toHaveLength(0);
	});

	it('never fetches what happened before the option was on, nor event types the node does not take', async () => {
		const trigger = harness();
		wire(fake, trigger, { up: false });
		await activate(trigger);
		const before = sampleEvent('payment_intent.succeeded', {
			created: Math.floor(Date.now() / 1000) - 60,
		});
		await fake.deliver(before);
		const started = await trigger.trigger('activate');
		const other = sampleEvent('customer.created');
		fake.endpoints.forEach((endpoint: { enabled_events: string[] }) =>
			endpoint.enabled_events.push('customer.created'),
		);
		await fake.deliver(other);
		const taken = sampleEvent('charge.refunded');
		await fake.deliver(taken);
		await tickUntil(started, () => started.emitted.length >= 1, 'the caught-up event');
		await sleep(100);
		expect(emittedIds(started)).toEqual([taken.id]);
		const query = fake.callsTo('GET', '/v1/events')[0].query;
		expect(Number(query['created[gte]'])).toBeGreaterThan(before.created);
	});

	it('a user activation starts anew; a restart keeps the start point; turning the option off forgets it', async () => {
		const trigger = harness();
		wire(fake, trigger, { up: false });
		await activate(trigger);
		await trigger.trigger('activate');
		const from = trigger.nodeStaticData.catchUpFrom as number;
		expect(from).toBeGreaterThan(Date.now() / 1000 - 5);
		trigger.nodeStaticData.catchUpFrom = from - 1000;
		await trigger.trigger('init');
		expect(trigger.nodeStaticData.catchUpFrom).toBe(from - 1000);
		await trigger.trigger('activate');
		expect(trigger.nodeStaticData.catchUpFrom).toBeGreaterThanOrEqual(from);
		const off = harness({ endpointCheckMinutes: 0 });
		Object.assign(off.staticData, trigger.staticData);
		await off.trigger('update');
		expect(off.nodeStaticData.catchUpFrom).toBeUndefined();
	});

	it('off by default: no round, no call to the events API', async () => {
		const trigger = harness({ endpointCheckMinutes: 0 });
		wire(fake, trigger, { up: false });
		await activate(trigger);
		const started = await trigger.trigger('activate');
		await fake.deliver(sampleEvent('payment_intent.succeeded'));
		started.tick();
		await sleep(200);
		expect(fake.callsTo('GET', '/v1/events')).toHaveLength(0);
		expect(started.emitted).toHaveLength(0);
	});

	it('a failing events API is logged with what to do, and tried again after 30 s, then 60 s (not at every tick)', async () => {
		const trigger = harness();
		wire(fake, trigger, { up: false });
		await activate(trigger);
		const started = await trigger.trigger('activate');
		await fake.deliver(sampleEvent('payment_intent.succeeded'));
		fake.failNext({ status: 403, path: '/v1/events', count: 2 });
		const failures = () =>
			logs.filter((line) => line.message.includes('catching up missed events failed'));
		await tickUntil(started, () => failures().length === 1, 'the logged failure');
		expect(failures()[0].level).toBe('error');
		expect(failures()[0].message).toContain('403');
		expect(failures()[0].message).not.toContain(fake.apiKey);
		const listings = () => fake.callsTo('GET', '/v1/events').length;
		const realNow = Date.now.bind(Date);
		let offsetMs = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
		try {
			/** Ticks for a while with the clock `offset` ahead; returns how many more listings there were. */
			const ticksAt = async (offset: number) => {
				offsetMs = offset;
				const before = listings();
				for (let tick = 0; tick < 10; tick++) {
					started.tick();
					await sleep(20);
				}
				return listings() - before;
			};
			expect(await ticksAt(0)).toBe(0);
			expect(await ticksAt(25_000)).toBe(0);
			expect(await ticksAt(31_000)).toBe(1); // the second failure
			expect(failures()).toHaveLength(2);
			expect(await ticksAt(31_000 + 55_000)).toBe(0);
			offsetMs = 31_000 + 61_000;
			await tickUntil(started, () => started.emitted.length === 1, 'the round after 60 s');
			expect(listings()).toBe(3);
		} finally {
			clock.mockRestore();
		}
	});
});

describe('GitHub: failed deliveries are redelivered through the deliveries API, once', () => {
	let fake: InstanceType<typeof FakeGitHub>;
	startEach(
		() => new FakeGitHub(),
		(made) => (fake = made),
	);

	function harness() {
		return new TriggerHarness({
			nodeType: new GitHubVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.gitHubVerifiedTrigger',
			credentialType: new GitHubVerifiedApi(),
			credentials: { accessToken: fake.token, baseUrl: fake.url, webhookSecrets: '' },
			parameters: {
				registration: 'automatic',
				scope: 'repository',
				owner: 'octo',
				repository: 'hello',
				events: ['issues', 'push'],
				options: { catchUp: true, endpointCheckMinutes: 0 },
			},
		});
	}

	it('asks GitHub to redeliver each failed event once; they run through webhook(); one that ran here is not asked for', async () => {
		const trigger = harness();
		const state = { up: false, answerLost: false };
		const answers = wire(fake, trigger, state);
		await activate(trigger);
		const started = await trigger.trigger('activate');
		const failed: string[] = [];
		for (let index = 0; index < 6; index++) {
			const [result] = await fake.deliver('issues', { action: 'opened', issue: { number: index } });
			failed.push(result.deliveryId);
		}
		await fake.deliver('ping', { zen: 'Keep it logically awesome.' });
		state.up = true;
		// The first one was redelivered by hand meanwhile and ran: GitHub lists a success for it.
		await fake.deliver(
			'issues',
			{ action: 'opened', issue: { number: 0 } },
			{ deliveryId: failed[0] },
		);
		// Another ran here, but GitHub did not get the answer in time and lists only failures for it.
		state.answerLost = true;
		const [late] = await fake.deliver('issues', { action: 'opened', issue: { number: 6 } });
		state.answerLost = false;
		expect(late.status).toBe(0);
		expect(answers).toEqual(Array(2).fill({ status: 200, started: true }));

		await tickUntil(started, () => answers.length >= 7, '5 redeliveries');
		await fake.redeliveriesSent();
		await sleep(100);
		const attempts = fake.callsTo('POST', '/repos/octo/hello/hooks/');
		expect(
			attempts.filter((call: { path: string }) => call.path.endsWith('/attempts')),
		).toHaveLength(5);
		expect(answers.slice(2)).toEqual(Array(5).fill({ status: 200, started: true }));
		expect(started.emitted).toHaveLength(0); // they ran as deliveries, not from trigger()

		// A restart's round finds every event delivered: nothing is asked for again.
		await restartAndRound(trigger, () => fake.callsTo('GET', '/repos/octo/hello/hooks/').length);
		expect(fake.callsTo('POST', '/repos/octo/hello/hooks/')).toHaveLength(attempts.length);
	});

	it('a redelivery that fails again is not asked for again within the half hour (GitHub may still be sending it)', async () => {
		const trigger = harness();
		wire(fake, trigger, { up: false });
		await activate(trigger);
		await fake.deliver('push', { ref: 'refs/heads/main' });
		const started = await trigger.trigger('activate');
		const attempts = () =>
			fake
				.callsTo('POST', '/repos/octo/hello/hooks/')
				.filter((call: { path: string }) => call.path.endsWith('/attempts')).length;
		await tickUntil(started, () => attempts() === 1, 'the redelivery request');
		await fake.redeliveriesSent();
		await restartAndRound(trigger, () => fake.callsTo('GET', '/repos/octo/hello/hooks/').length);
		expect(attempts()).toBe(1);
	});
});

describe('Paddle: failed notifications are replayed, once', () => {
	let fake: InstanceType<typeof FakePaddle>;
	startEach(
		() => new FakePaddle(),
		(made) => (fake = made),
	);

	it('replays each failed event once; the replays run through webhook(); the limit per round holds', async () => {
		const trigger = new TriggerHarness({
			nodeType: new PaddleVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.paddleVerifiedTrigger',
			credentialType: new PaddleVerifiedApi(),
			credentials: {
				apiKey: fake.apiKey,
				environment: 'custom',
				baseUrl: fake.url,
				endpointSecretKeys: '',
			},
			parameters: {
				registration: 'automatic',
				events: ['transaction.completed'],
				options: { catchUp: true, endpointCheckMinutes: 0 },
			},
		});
		const state = { up: false };
		const answers = wire(fake, trigger, state);
		await activate(trigger);
		const started = await trigger.trigger('activate');
		const count = MAX_PER_ROUND + 3;
		for (let index = 0; index < count; index++)
			await fake.deliver(samplePaddleEvent('transaction.completed'));
		state.up = true;
		await tickUntil(started, () => answers.length >= MAX_PER_ROUND, 'the first round');
		await fake.replaysSent();
		await sleep(100);
		expect(answers).toHaveLength(MAX_PER_ROUND);
		// The next round (a restart here) replays the rest.
		const restarted = await trigger.trigger('init');
		await tickUntil(restarted, () => answers.length >= count, 'the rest');
		await fake.replaysSent();
		await sleep(100);
		expect(answers).toHaveLength(count);
		expect(answers.every((answer) => answer.status === 200 && answer.started)).toBe(true);
		const eventIds = fake.notifications
			.filter(
				(each: { origin: string; status: string }) =>
					each.origin === 'replay' && each.status === 'delivered',
			)
			.map((each: { payload: { event_id: string } }) => each.payload.event_id);
		expect(new Set(eventIds).size).toBe(count);
	});
});

describe('with the Redis dedup store: catch-up on main and deliveries on a webhook process claim the same ids', () => {
	const PASSWORD = 'catch-up-redis-password';
	let redis: { port: number; stop(): Promise<void> };
	let fake: InstanceType<typeof FakeStripe>;
	beforeAll(async () => {
		redis = await startRedis({ password: PASSWORD });
	}, 180_000);
	afterAll(async () => {
		closeRedisConnections();
		await redis.stop();
	});
	startEach(
		() => new FakeStripe(),
		(made) => (fake = made),
	);

	/** Main (runs trigger()) and a webhook process: one workflow row, one Redis, no shared memory of ids. */
	function processes() {
		const staticData = {};
		const make = () =>
			new TriggerHarness({
				nodeType: new StripeVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
				credentialType: new StripeVerifiedApi(),
				credentials: { secretKey: fake.apiKey, baseUrl: fake.url, signingSecrets: '' },
				parameters: {
					registration: 'automatic',
					events: ['payment_intent.succeeded'],
					dedupStore: 'redis',
					options: { catchUp: true, endpointCheckMinutes: 0 },
				},
				workflowId: 'wf-catch-up-redis',
				staticData,
				extraCredentials: {
					verifiedWebhooksRedisApi: {
						host: '127.0.0.1',
						port: redis.port,
						user: '',
						password: PASSWORD,
						database: 0,
						ssl: false,
						disableTlsVerification: false,
					},
				},
			});
		return { main: make(), webhookProcess: make() };
	}

	it('an event a webhook process ran is not emitted by main; the others are, once; a restart adds none', async () => {
		const { main, webhookProcess } = processes();
		const state = { up: false };
		const answers = wire(fake, webhookProcess, state);
		await activate(main);
		const started = await main.trigger('activate');
		const sent: string[] = [];
		for (let index = 0; index < 4; index++) {
			const event = sampleEvent('payment_intent.succeeded');
			await fake.deliver(event);
			sent.push(event.id);
		}
		state.up = true;
		const record = fake.events.get(sent[0]);
		await fake.deliver(record.event, { payload: record.payload });
		expect(answers).toEqual([{ status: 200, started: true }]);
		record.outcome.set('we_elsewhere', false);

		await tickUntil(started, () => started.emitted.length >= 3, '3 caught-up events');
		await sleep(100);
		expect(emittedIds(started).sort()).toEqual(sent.slice(1).sort());
		// Stripe's late retries reach the webhook process: duplicates in Redis.
		await fake.retryFailed();
		expect(answers.slice(1)).toEqual(Array(3).fill({ status: 200, started: false }));
		const restarted = await restartAndRound(main, () => fake.callsTo('GET', '/v1/events').length);
		expect(restarted.emitted).toHaveLength(0);
	});
});
