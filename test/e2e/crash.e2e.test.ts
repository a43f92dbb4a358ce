/**
 * Acknowledged means recorded — measured with `kill -9`, in a real n8n (each pinned version) with the packed
 * package, the fake Stripe (signatures from the official SDK) and, side by side in the same n8n, n8n's own
 * Webhook node (responseMode onReceived, no auth) as the reference.
 *
 * Each cycle: a steady 10 deliveries/s per workflow, at most 4 in flight each; `kill -9` of n8n after a random
 * 2–8 s; restart; the execution rows are read; then every delivery of the cycle is retried once, as a provider
 * would retry anything it saw fail (and, worst case, what it saw succeed); the rows are read again.
 * Counted per workflow: deliveries acknowledged with a 2xx; of those, with no execution row after the restart;
 * events with no execution even after a retry that was answered 2xx (lost for good); events that ran twice;
 * and the deliveries in flight when n8n was killed.
 *
 * Sizes: 3 cycles in `npm test`, 20 in the long mode. The seed of the kill times is printed (SEED=<n>).
 */
import { sleep, testedVersions } from '../../scripts/n8n';
import { sampleEvent } from '../fakes/fakeStripe';
import { activeStripeWorkflow, stripeSuite } from './support';

/* eslint-disable @typescript-eslint/no-require-imports */
const { longMode, seed, report } = require('../support/modes.js') as {
	longMode(): boolean;
	seed(): number;
	report(line: string): void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const CYCLES = longMode() ? 20 : 3;
const INTERVAL_MS = 100;
const CONCURRENCY = 4;
const SEED = seed();
const STRIPE_WEBHOOK_ID = '0c4b8a2e-6d1f-4e7a-9b3c-5f2e1d0a9c87';
const PLAIN_PATH = 'crash-reference';

jest.setTimeout(longMode() ? 3_600_000 : 900_000);

type Side = 'ours' | 'webhookNode';

interface Delivery {
	id: string;
	status: number | 'error';
}

interface Totals {
	sent: number;
	acked: number;
	ackedWithoutRow: number;
	lostForGood: number;
	ranTwice: number;
	inFlightAtKill: number;
}

/** A small seeded generator (mulberry32), so a failing cycle can be replayed with SEED=<n>. */
function random(seedValue: number) {
	let state = seedValue >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const isAck = (status: number | 'error') =>
	typeof status === 'number' && status >= 200 && status < 300;

describe.each(testedVersions())(
	'acknowledged means recorded, across kill -9, in real n8n %s',
	(version) => {
		const { fake, n8n } = stripeSuite(version);
		const tag = version.replace(/\./g, '_');
		const pattern = new RegExp(`evt_crash_${tag}_[0-9]+_[0-9]+`, 'g');

		it(`${CYCLES} crash cycles: no acknowledged event without an execution (no more than n8n's Webhook node), none lost for good, re-runs ≤ deliveries in flight at the kill`, async () => {
			const stripe = await activeStripeWorkflow(n8n, fake, {
				webhookId: STRIPE_WEBHOOK_ID,
				name: 'Crash: Stripe Verified Trigger',
			});
			const plainWorkflow = {
				name: "Crash: n8n's Webhook node",
				nodes: [
					{
						id: 'c0000000-0000-4000-8000-000000000001',
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: 'c0000000-0000-4000-8000-0000000000aa',
						parameters: {
							httpMethod: 'POST',
							path: PLAIN_PATH,
							responseMode: 'onReceived',
							options: {},
						},
					},
					{
						id: 'c0000000-0000-4000-8000-000000000002',
						name: 'No Operation',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [220, 0],
						parameters: {},
					},
				],
				connections: { Webhook: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			};
			const workflowIds: Record<Side, string> = {
				ours: stripe.id,
				webhookNode: (await n8n.createWorkflow(plainWorkflow)).id,
			};
			await n8n.activate(workflowIds.webhookNode);
			const { url: stripeUrl, secret } = stripe;
			await sleep(1000);

			const send: Record<Side, (id: string) => Promise<number>> = {
				ours: async (id) =>
					(
						await fake.post(
							stripeUrl,
							JSON.stringify(sampleEvent('payment_intent.succeeded', { id })),
							secret,
						)
					).status,
				webhookNode: async (id) => {
					const response = await fetch(`${n8n.baseUrl}/webhook/${PLAIN_PATH}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(sampleEvent('payment_intent.succeeded', { id })),
					});
					await response.text();
					return response.status;
				},
			};
			const attempt = async (side: Side, id: string): Promise<Delivery> => {
				try {
					return { id, status: await send[side](id) };
				} catch {
					return { id, status: 'error' };
				}
			};
			/** Execution rows per event id. */
			const rows = async (side: Side) => {
				const counts = new Map<string, number>();
				for (const execution of await n8n.executionMatches(workflowIds[side], pattern)) {
					for (const id of execution.matches) counts.set(id, (counts.get(id) ?? 0) + 1);
				}
				return counts;
			};
			/** Waits until no execution is new or running and the count has not moved for 3 s. */
			const settled = async () => {
				let last = -1;
				let stableSince = Date.now();
				const deadline = Date.now() + 120_000;
				while (Date.now() < deadline) {
					const counts = await Promise.all(
						Object.values(workflowIds).map((id) => n8n.executionCounts(id)),
					);
					const total = counts.reduce((sum, each) => sum + each.total, 0);
					const busy = counts.some((each) => (each.new ?? 0) > 0 || (each.running ?? 0) > 0);
					if (total !== last || busy) {
						last = total;
						stableSince = Date.now();
					} else if (Date.now() - stableSince >= 3000) return;
					await sleep(500);
				}
			};

			const next = random(SEED);
			const totals: Record<Side, Totals> = {
				ours: {
					sent: 0,
					acked: 0,
					ackedWithoutRow: 0,
					lostForGood: 0,
					ranTwice: 0,
					inFlightAtKill: 0,
				},
				webhookNode: {
					sent: 0,
					acked: 0,
					ackedWithoutRow: 0,
					lostForGood: 0,
					ranTwice: 0,
					inFlightAtKill: 0,
				},
			};
			const perCycle: string[] = [];
			for (let cycle = 0; cycle < CYCLES; cycle++) {
				const killAfterMs = 2000 + Math.floor(next() * 6000);
				const deliveries: Record<Side, Array<Promise<Delivery>>> = { ours: [], webhookNode: [] };
				const inFlight: Record<Side, number> = { ours: 0, webhookNode: 0 };
				const started = Date.now();
				let counter = 0;
				while (Date.now() - started < killAfterMs) {
					const id = `evt_crash_${tag}_${cycle}_${counter++}`;
					for (const side of ['ours', 'webhookNode'] as const) {
						if (inFlight[side] >= CONCURRENCY) continue;
						inFlight[side]++;
						deliveries[side].push(
							attempt(side, id).then((delivery) => {
								inFlight[side]--;
								return delivery;
							}),
						);
					}
					await sleep(INTERVAL_MS);
				}
				const inFlightAtKill = { ...inFlight };
				await n8n.crash();
				const sent: Record<Side, Delivery[]> = {
					ours: await Promise.all(deliveries.ours),
					webhookNode: await Promise.all(deliveries.webhookNode),
				};
				await n8n.start();
				await n8n.login();
				await settled();
				const before = { ours: await rows('ours'), webhookNode: await rows('webhookNode') };

				// The provider retries: every delivery of the cycle once, at most CONCURRENCY at a time per side.
				const retried: Record<Side, Delivery[]> = { ours: [], webhookNode: [] };
				for (const side of ['ours', 'webhookNode'] as const) {
					const queue = [...sent[side]];
					await Promise.all(
						Array.from({ length: CONCURRENCY }, async () => {
							for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
								retried[side].push(await attempt(side, delivery.id));
							}
						}),
					);
				}
				await settled();
				const after = { ours: await rows('ours'), webhookNode: await rows('webhookNode') };

				const line: string[] = [];
				for (const side of ['ours', 'webhookNode'] as const) {
					const acked = sent[side].filter((delivery) => isAck(delivery.status));
					const ackedWithoutRow = acked.filter((delivery) => !before[side].get(delivery.id)).length;
					const retryAcked = new Set(
						retried[side].filter((each) => isAck(each.status)).map((each) => each.id),
					);
					const lostForGood = sent[side].filter(
						(delivery) => !after[side].get(delivery.id) && retryAcked.has(delivery.id),
					).length;
					let ranTwice = 0;
					for (const delivery of sent[side])
						ranTwice += Math.max(0, (after[side].get(delivery.id) ?? 0) - 1);
					const total = totals[side];
					total.sent += sent[side].length;
					total.acked += acked.length;
					total.ackedWithoutRow += ackedWithoutRow;
					total.lostForGood += lostForGood;
					total.ranTwice += ranTwice;
					total.inFlightAtKill += inFlightAtKill[side];
					line.push(
						`${side}: sent ${sent[side].length}, acked ${acked.length}, acked without row ${ackedWithoutRow}, ` +
							`lost ${lostForGood}, ran twice ${ranTwice}, in flight at kill ${inFlightAtKill[side]}`,
					);
				}
				perCycle.push(`  cycle ${cycle + 1} (kill after ${killAfterMs} ms): ${line.join(' | ')}`);
			}

			report(
				`[crash] n8n ${version}, ${CYCLES} cycles, seed ${SEED}:\n${perCycle.join('\n')}\n` +
					`  totals — Stripe Verified Trigger: ${JSON.stringify(totals.ours)}\n` +
					`  totals — n8n Webhook node (no dedup, so every retry of an acknowledged event runs again): ` +
					`${JSON.stringify(totals.webhookNode)}`,
			);
			expect(totals.ours.acked).toBeGreaterThan(0);
			expect(totals.ours.ackedWithoutRow).toBeLessThanOrEqual(totals.webhookNode.ackedWithoutRow);
			expect(totals.ours.lostForGood).toBe(0);
			expect(totals.ours.ranTwice).toBeLessThanOrEqual(totals.ours.inFlightAtKill);
		});
	},
);
