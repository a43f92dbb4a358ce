/**
 * n8n's queue mode as users scale out (scripts/queue.js): PostgreSQL and Redis from Debian, main + 2 `n8n
 * webhook` processes behind a round-robin proxy + 1 worker, the packed package in every process. The Standard
 * Webhooks trigger, deliveries signed by the official `standardwebhooks` package and retried like a provider
 * retries (any non-2xx → again). For each Dedup Store (workflow static data; Redis, the one queue mode runs):
 *   1. a burst of distinct events at concurrency 10 → every event runs exactly once;
 *   2. one more delivery per webhook process, then the saved static-data record must hold every id;
 *   3. the burst replayed, each event on the other process than the first time → re-executions;
 *   4. same-instant pairs: one event to both processes at once → events that ran twice.
 * The Redis store must show 0 everywhere; static data must converge (2, 3) — its same-instant race window is
 * measured and printed, not asserted (README, "Scaling out").
 */
import { Webhook } from 'standardwebhooks';

import { loadExample } from '../../scripts/examples';
import { testedVersions, sleep } from '../../scripts/n8n';
import { QueueTopology } from '../../scripts/queue';
import { fingerprint } from '../../nodes/shared/dedup';
import { longMode, report } from '../support/modes';

jest.setTimeout(900_000);

const TRIGGER = 'Standard Webhooks Verified Trigger';
const SECRET = `whsec_${Buffer.from('queue-mode-e2e-signing-key-0123!').toString('base64')}`;
const BURST = longMode() ? 200 : 60;
const PAIRS = longMode() ? 20 : 10;

// Queue mode is measured on the newest pinned n8n (the 2.x line users scale out on).
const version = testedVersions()
	.filter((each) => Number(each.split('.')[0]) >= 2)
	.sort()
	.pop();

async function send(url: string, id: string): Promise<number> {
	const text = JSON.stringify({ type: 'invoice.paid', data: { id } });
	const now = new Date();
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
			'webhook-signature': new Webhook(SECRET).sign(id, now, text),
		},
		body: text,
	});
	await response.arrayBuffer();
	return response.status;
}

/** Like a provider: retried until a 2xx (409 while a copy is being recorded, 503 while the store is down). */
async function deliver(url: string, id: string, statuses: Map<number, number>): Promise<void> {
	for (let attempt = 0; attempt < 40; attempt++) {
		const status = await send(url, id);
		statuses.set(status, (statuses.get(status) ?? 0) + 1);
		if (status >= 200 && status < 300) return;
		await sleep(100 + attempt * 50);
	}
	throw new Error(`${id} never got a 2xx`);
}

async function inParallel<T>(
	items: T[],
	concurrency: number,
	work: (item: T, index: number) => Promise<void>,
) {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) {
				const index = next++;
				await work(items[index], index);
			}
		}),
	);
}

(version ? describe : describe.skip)(
	`Dedup in n8n ${version} queue mode (main + 2 webhook processes + worker)`,
	() => {
		const topology = new QueueTopology({ version });
		const n8n = () => topology.main;
		let standardCredential = '';
		let redisCredential = '';

		beforeAll(async () => {
			const failure = await topology.start().then(
				() => undefined,
				(error: Error) => error,
			);
			if (failure)
				report(`[queue] the topology did not start: ${failure.message}\n${topology.logTails()}`);
			expect(failure).toBeUndefined();
			report(`[queue] topology up in ${topology.startSeconds} s`);
			await n8n().setupOwner();
			standardCredential = (
				await n8n().createCredential(
					'Standard Webhooks (queue e2e)',
					'standardWebhooksVerifiedApi',
					{ signingSecret: SECRET, previousSigningSecret: '' },
				)
			).id;
			redisCredential = (
				await n8n().createCredential('Dedup store (queue e2e)', 'verifiedWebhooksRedisApi', {
					host: '127.0.0.1',
					port: topology.redis.port,
					user: '',
					password: '',
					database: 0,
					ssl: false,
				})
			).id;
		}, 600_000);

		afterAll(async () => {
			await topology.stop();
		});

		/** Every event id in the workflow's executions → how many executions it ran in (after they settle). */
		async function runsPerEvent(workflowId: string, expectedAtLeast: number) {
			let last = -1;
			let stableSince = Date.now();
			const deadline = Date.now() + 180_000;
			for (;;) {
				const counts = await n8n().executionCounts(workflowId);
				const running = (counts.running ?? 0) + (counts.new ?? 0) + (counts.waiting ?? 0);
				if (counts.total !== last) {
					last = counts.total;
					stableSince = Date.now();
				}
				if (counts.total >= expectedAtLeast && running === 0 && Date.now() - stableSince > 2500)
					break;
				if (Date.now() > deadline)
					throw new Error(`executions did not settle: ${JSON.stringify(counts)}`);
				await sleep(500);
			}
			const runs = new Map<string, number>();
			for (const execution of await n8n().executionMatches(workflowId, /q[a-z]+_[a-z]+_\d+/g)) {
				expect(execution.status).toBe('success');
				for (const id of execution.matches) runs.set(id, (runs.get(id) ?? 0) + 1);
			}
			return runs;
		}

		async function activeWorkflow(store: 'staticData' | 'redis', webhookId: string) {
			const workflow = loadExample('standard-webhooks-verified-trigger', {
				credentials: {
					standardWebhooksVerifiedApi: {
						id: standardCredential,
						name: 'Standard Webhooks (queue e2e)',
					},
				},
				webhookId,
				name: `Queue mode, dedup store ${store}`,
			});
			const trigger = workflow.nodes.find((node: { name: string }) => node.name === TRIGGER);
			trigger.parameters.dedupStore = store;
			if (store === 'redis')
				trigger.credentials.verifiedWebhooksRedisApi = {
					id: redisCredential,
					name: 'Dedup store (queue e2e)',
				};
			const id = (await n8n().createWorkflow(workflow)).id as string;
			await n8n().activate(id);
			const path = `/webhook/${webhookId}/webhook`;
			// Live on every webhook process: an unsigned POST gets the trigger's 401 (not n8n's 404).
			for (const webhookProcess of topology.webhooks)
				await n8n().waitFor(
					async () =>
						(await fetch(`${webhookProcess.baseUrl}${path}`, { method: 'POST' })).status === 401,
					{
						what: `the webhook on ${webhookProcess.hostname}`,
						timeoutMs: 60_000,
					},
				);
			return {
				id,
				viaProxy: `${topology.proxy.url}${path}`,
				direct: topology.webhooks.map((each) => `${each.baseUrl}${path}`),
			};
		}

		it.each([
			['staticData', 'qstatic', 'b3f1a0d2-6c0e-4d59-9a51-3e0f6d1c2a01'],
			['redis', 'qredis', 'c4e2b1f3-7d1f-4e6a-8b62-4f1a7e2d3b02'],
		] as const)(
			'Dedup Store %s: a burst runs once, the record converges, replays on the other process and same-instant pairs',
			async (store, tag, webhookId) => {
				const workflow = await activeWorkflow(store, webhookId);
				const statuses = new Map<number, number>();
				const burst = Array.from({ length: BURST }, (_, index) => `${tag}_burst_${index}`);
				const began = Date.now();
				// 1. Through the round-robin proxy: event i lands on process i mod 2 (first attempt).
				await inParallel(burst, 10, async (id) => await deliver(workflow.viaProxy, id, statuses));
				const burstSeconds = (Date.now() - began) / 1000;
				// 2. One more delivery per process.
				for (const [index, url] of workflow.direct.entries())
					await deliver(url, `${tag}_tail_${index}`, statuses);
				let runs = await runsPerEvent(workflow.id, BURST + workflow.direct.length);
				const lost = burst.filter((id) => !runs.has(id));
				const ranTwiceInBurst = burst.filter((id) => (runs.get(id) ?? 0) > 1);
				let recorded: number | undefined;
				if (store === 'staticData') {
					// The saves land shortly after the answers; give them a moment, then read the database's record.
					await sleep(2000);
					const stored =
						(await n8n().workflow(workflow.id)).staticData?.[`node:${TRIGGER}`]?.seenEvents?.b ??
						{};
					const saved = Object.values(stored as Record<string, string>).join('');
					const present = (print: string) => {
						for (let at = saved.indexOf(print); at !== -1; at = saved.indexOf(print, at + 1))
							if (at % 12 === 0) return true;
						return false;
					};
					recorded = burst.filter((id) => present(fingerprint(id))).length;
				}
				// 3. The burst again, each event on the other process than its first delivery.
				await inParallel(
					burst,
					10,
					async (id, index) =>
						await deliver(workflow.direct[(index + 1) % workflow.direct.length], id, statuses),
				);
				// 4. Same-instant pairs: one event to both processes at once.
				const pairs = Array.from({ length: PAIRS }, (_, index) => `${tag}_pair_${index}`);
				for (const id of pairs)
					await Promise.all(workflow.direct.map((url) => deliver(url, id, statuses)));
				runs = await runsPerEvent(workflow.id, BURST + workflow.direct.length + PAIRS);
				const reRunOnReplay = burst.reduce(
					(sum, id) => sum + Math.max(0, (runs.get(id) ?? 0) - 1),
					0,
				);
				const pairsTwice = pairs.filter((id) => (runs.get(id) ?? 0) > 1).length;
				const pairsLost = pairs.filter((id) => !runs.has(id)).length;
				report(
					`[queue] n8n ${version}, Dedup Store ${store}: burst ${BURST} at concurrency 10 in ${burstSeconds.toFixed(1)} s → ` +
						`${BURST - lost.length} ran, ${lost.length} lost, ${ranTwiceInBurst.length} ran twice` +
						(recorded === undefined
							? ''
							: `; saved record after one delivery per process: ${recorded}/${BURST} ids`) +
						`; replay on the other process: ${reRunOnReplay} re-executions; same-instant pairs: ${pairsTwice}/${PAIRS} ran twice, ` +
						`${pairsLost} lost; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
				);
				expect(lost).toEqual([]);
				expect(ranTwiceInBurst).toEqual([]);
				expect(pairsLost).toBe(0);
				if (store === 'staticData') {
					expect(recorded).toBe(BURST);
					expect(reRunOnReplay).toBe(0);
				} else {
					expect(reRunOnReplay).toBe(0);
					expect(pairsTwice).toBe(0);
				}
				await n8n().deactivate(workflow.id);
			},
		);
	},
);
