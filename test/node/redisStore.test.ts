/**
 * The Redis dedup store against a real Debian `redis-server` (started by scripts/services.js), through the
 * Standard Webhooks trigger with deliveries signed by the official `standardwebhooks` package. Several
 * "processes" are several harnesses over separate static data and separate Redis connections (the client
 * keeps one connection per server identity; `AUTH default <password>` and `AUTH <password>` are two).
 */
import { sleep } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';

import { StandardWebhooksVerifiedApi } from '../../credentials/StandardWebhooksVerifiedApi.credentials';
import { StandardWebhooksVerifiedTrigger } from '../../nodes/StandardWebhooksVerifiedTrigger/StandardWebhooksVerifiedTrigger.node';
import { dedupStoreRedisTest } from '../../nodes/shared/dedupStore';
import { closeRedisConnections, redisBatch } from '../../nodes/shared/redisClient';
import { CLAIM_PENDING_MS } from '../../nodes/shared/redisDedup';
import { fingerprint } from '../../nodes/shared/dedup';
import { addForgotten } from '../../nodes/shared/forget';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';
import { startRedis } from '../../scripts/services';

const CURRENT = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3';
const PASSWORD = 'redis-test-password';

let redis: { port: number; stop(): Promise<void>; kill(): Promise<void> };

beforeAll(async () => {
	redis = await startRedis({ password: PASSWORD });
}, 180_000);

afterAll(async () => {
	closeRedisConnections();
	await redis.stop();
});

beforeEach(() => {
	logs.length = 0;
});

let workflows = 0;

/** One n8n process serving the workflow: its own static data and its own Redis connection. */
function processes(
	count: number,
	options: {
		port?: number;
		password?: string;
		workflowId?: string;
		ssl?: boolean;
		insecureTls?: boolean;
	} = {},
) {
	const workflowId = options.workflowId ?? `wf-redis-${++workflows}`;
	// One workflow row: every process loads (and saves) the same static data.
	const staticData = {};
	return Array.from(
		{ length: count },
		(_, index) =>
			new TriggerHarness({
				nodeType: new StandardWebhooksVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.standardWebhooksVerifiedTrigger',
				credentialType: new StandardWebhooksVerifiedApi(),
				credentials: { signingSecret: CURRENT },
				parameters: { eventTypes: '', dedupStore: 'redis', options: {} },
				workflowId,
				staticData,
				extraCredentials: {
					verifiedWebhooksRedisApi: {
						host: '127.0.0.1',
						port: options.port ?? redis.port,
						user: index % 2 === 0 ? '' : 'default',
						password: options.password ?? PASSWORD,
						database: 0,
						ssl: options.ssl ?? false,
						disableTlsVerification: options.insecureTls ?? false,
					},
				},
			}),
	);
}

/** Signed by the official `standardwebhooks` package. */
function delivery(id: string, payload: object = { type: 'invoice.paid', data: { id } }) {
	const text = JSON.stringify(payload);
	const at = new Date();
	return fakeRequest(Buffer.from(text), {
		'webhook-id': id,
		'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
		'webhook-signature': new Webhook(CURRENT).sign(id, at, text),
	});
}

async function deliver(trigger: TriggerHarness, id: string) {
	const response = new FakeResponse();
	const result = await trigger.webhook(delivery(id), response);
	const items = result.workflowData?.[0] ?? [];
	return { status: response.statusCode, body: response.body, ran: items.length, items };
}

/** Every key of this test's Redis with its value and remaining time. */
async function keys(prefix = 'vwh:') {
	const [list] = (await redisBatch({ host: '127.0.0.1', port: redis.port, password: PASSWORD }, [
		['KEYS', `${prefix}*`],
	])) as [string[]];
	const values = await redisBatch(
		{ host: '127.0.0.1', port: redis.port, password: PASSWORD },
		list.flatMap((key) => [
			['GET', key],
			['PTTL', key],
		]),
	);
	return list.map((key, index) => ({
		key,
		value: values[index * 2],
		ttl: values[index * 2 + 1] as number,
	}));
}

describe('Dedup Store: Redis (real redis-server)', () => {
	it('runs an event once across processes; the claim is pending until n8n answers, then kept for the window', async () => {
		const [a, b] = processes(2);
		a.holdAnswers = true;
		const first = new FakeResponse();
		const accepted = await a.webhook(delivery('msg_cross_1'), first);
		expect(accepted.workflowData?.[0]).toHaveLength(1);
		// n8n is still creating the execution: the copy on the other process is "in progress", not a duplicate.
		expect(await deliver(b, 'msg_cross_1')).toMatchObject({
			status: 409,
			body: { received: false, reason: 'in_progress' },
			ran: 0,
		});
		const pending = (await keys()).filter((entry) => entry.value === 'p');
		expect(pending).toHaveLength(2); // the signed bytes and the event id
		for (const entry of pending) expect(entry.ttl).toBeLessThanOrEqual(CLAIM_PENDING_MS);
		first.status(200).json({ received: true });
		a.holdAnswers = false;
		await waitUntil(async () => (await keys()).filter((entry) => entry.value === 'd').length >= 2);
		expect(await deliver(b, 'msg_cross_1')).toMatchObject({
			status: 200,
			body: { received: true, duplicate: true },
			ran: 0,
		});
		expect(await deliver(a, 'msg_cross_1')).toMatchObject({ status: 200, ran: 0 });
		const done = (await keys()).filter((entry) => entry.value === 'd');
		// The Standard Webhooks default window is 76 hours.
		for (const entry of done) expect(entry.ttl).toBeGreaterThan(75 * 3600 * 1000);
		// The store's credential is read once within 10 s, not per delivery (5 deliveries here; the two
		// "processes" of this test share one module, so one cache).
		expect(a.extraCredentialReads + b.extraCredentialReads).toBe(1);
		// Nothing went into the workflow's static data: Redis is the record.
		expect(JSON.stringify(a.staticData)).not.toContain('"b":');
		expect(JSON.stringify(b.staticData)).not.toContain('"b":');
	});

	it('200 same-instant copies of 20 events over 4 processes: each event runs exactly once', async () => {
		const group = processes(4);
		const ids = Array.from({ length: 20 }, (_, index) => `msg_burst_${index}`);
		const attempts = ids.flatMap((id) =>
			Array.from({ length: 10 }, (_, copy) => ({ id, trigger: group[copy % group.length] })),
		);
		const ran = new Map<string, number>();
		// Every copy is retried like a provider does (409 → again) until it gets a 2xx.
		await Promise.all(
			attempts.map(async ({ id, trigger }) => {
				for (let attempt = 0; attempt < 50; attempt++) {
					const outcome = await deliver(trigger, id);
					ran.set(id, (ran.get(id) ?? 0) + outcome.ran);
					if (outcome.status === 200) return;
					expect(outcome.status).toBe(409);
					await sleep(5);
				}
				throw new Error(`${id} never got a 2xx`);
			}),
		);
		expect([...ran.values()].filter((count) => count !== 1)).toEqual([]);
		expect(ran.size).toBe(20);
	}, 60_000);

	it('a delivery n8n did not acknowledge releases its claim: the retry runs', async () => {
		const [a, b] = processes(2);
		a.failNextExecution = true;
		expect(await deliver(a, 'msg_failed_1')).toMatchObject({ status: 500, ran: 1 });
		await waitUntil(
			async () =>
				(await keys()).every((entry) => !entry.key.endsWith('msg_failed_1')) &&
				(await keys()).filter((e) => e.value === 'p').length === 0,
		);
		expect(await deliver(b, 'msg_failed_1')).toMatchObject({ status: 200, ran: 1 });
	});

	it('Redis down: 503 and nothing runs, logged once a minute; back up: the retry runs once', async () => {
		const down = await startRedis({ password: PASSWORD });
		const [a, b] = processes(2, { port: down.port });
		expect(await deliver(a, 'msg_down_0')).toMatchObject({ status: 200, ran: 1 });
		await down.kill();
		const outcomes = [];
		for (let index = 0; index < 5; index++)
			outcomes.push(await deliver(index % 2 ? b : a, 'msg_down_1'));
		for (const outcome of outcomes)
			expect(outcome).toMatchObject({
				status: 503,
				body: { received: false, reason: 'dedup_store_unavailable' },
				ran: 0,
			});
		const logged = logs.filter((line) => line.message.includes('Redis dedup store'));
		expect(logged).toHaveLength(1);
		expect(logged[0].level).toBe('error');
		expect(JSON.stringify(logged)).not.toContain(PASSWORD);
		const again = await startRedis({ password: PASSWORD, port: down.port });
		try {
			expect(await deliver(b, 'msg_down_1')).toMatchObject({ status: 200, ran: 1 });
			expect(await deliver(a, 'msg_down_1')).toMatchObject({ status: 200, ran: 0 });
		} finally {
			await again.stop();
		}
	});

	it('an event a Forget Event node let through runs once more, on whichever process gets it first', async () => {
		const [a, b] = processes(2);
		const first = await deliver(a, 'msg_forget_1');
		expect(first).toMatchObject({ status: 200, ran: 1 });
		await waitUntil(async () => (await keys()).filter((entry) => entry.value === 'p').length === 0);
		expect(await deliver(b, 'msg_forget_1')).toMatchObject({ status: 200, ran: 0 });
		// What the Forget Event node writes: the event id and the replay key, in the workflow-global list.
		const replayKey = (first.items[0].json.verifiedWebhook as { replayKey: string }).replayKey;
		const global = (a.staticData.global ??= {}) as Record<string, unknown>;
		addForgotten(global, a.workflowId, [fingerprint('msg_forget_1'), replayKey], Date.now());
		await sleep(5);
		const both = await Promise.all([deliver(a, 'msg_forget_1'), deliver(b, 'msg_forget_1')]);
		expect(both.map((each) => each.ran).sort()).toEqual([0, 1]);
		await waitUntil(async () => (await keys()).filter((entry) => entry.value === 'p').length === 0);
		expect(await deliver(b, 'msg_forget_1')).toMatchObject({ status: 200, ran: 0 });
	});

	it('activation fails with an error that says what to change when Redis cannot be used', async () => {
		const [wrongPassword] = processes(1, { password: 'not-the-password' });
		await expect(wrongPassword.hook('checkExists')).rejects.toThrow(
			/Dedup Store is Redis, but Redis at 127\.0\.0\.1:\d+ cannot be used: .*WRONGPASS|invalid password/,
		);
		const [nobody] = processes(1, { port: 1 });
		await expect(nobody.hook('checkExists')).rejects.toThrow(
			/cannot be used: cannot reach Redis at 127\.0\.0\.1:1: connection refused/,
		);
		const [working] = processes(1);
		await expect(working.hook('checkExists')).resolves.toBe(true);
		const tested = await dedupStoreRedisTest.call({} as never, {
			id: 'c',
			name: 'c',
			type: 'verifiedWebhooksRedisApi',
			data: { host: '127.0.0.1', port: redis.port, password: 'not-the-password' },
		});
		expect(tested.status).toBe('Error');
		expect(tested.message).not.toContain('not-the-password');
	});
});

describe('Dedup Store: Redis over TLS (real redis-server with a self-signed certificate)', () => {
	it('works with "Disable TLS Verification"; without it, activation names the certificate problem', async () => {
		const tlsRedis = await startRedis({ password: PASSWORD, tls: true });
		try {
			const [verifying] = processes(1, { port: tlsRedis.port, ssl: true });
			await expect(verifying.hook('checkExists')).rejects.toThrow(
				/Dedup Store is Redis, but Redis at 127\.0\.0\.1:\d+ cannot be used: .*self[- ]signed certificate/,
			);
			const [a, b] = processes(2, { port: tlsRedis.port, ssl: true, insecureTls: true });
			await expect(a.hook('checkExists')).resolves.toBe(true);
			expect(await deliver(a, 'msg_tls_1')).toMatchObject({ status: 200, ran: 1 });
			await sleep(50);
			const copies = await Promise.all([deliver(a, 'msg_tls_1'), deliver(b, 'msg_tls_1')]);
			expect(copies.map((each) => each.ran)).toEqual([0, 0]);
			// Plain TCP to the TLS port: a broken connection, answered 503, never taken for a reply.
			const [plain] = processes(1, { port: tlsRedis.port });
			expect(await deliver(plain, 'msg_tls_2')).toMatchObject({ status: 503, ran: 0 });
		} finally {
			closeRedisConnections();
			await tlsRedis.stop();
		}
	}, 60_000);
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await probe()) return;
		await sleep(20);
	}
	throw new Error('condition not reached');
}
