/**
 * A burst of distinct events, then a restart, then every event retried — in a real n8n (each pinned version)
 * with the packed package and the fake Stripe signing with the official SDK. The dedup record must hold every
 * id the burst emitted, although n8n saved it as a whole blob after each of many overlapping requests: after
 * the restart (no process-local record left), the retries must run nothing.
 *
 * Sizes: 300 events at concurrency 20 in `npm test`; 2,000 in the long mode.
 */
import { sleep, testedVersions } from '../../scripts/n8n';
import { sampleEvent } from '../fakes/fakeStripe';
import { activeStripeWorkflow, stripeSuite } from './support';

/* eslint-disable @typescript-eslint/no-require-imports */
const { longMode, report } = require('../support/modes.js') as {
	longMode(): boolean;
	report(line: string): void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const EVENTS = longMode() ? 2000 : 300;
const CONCURRENCY = 20;
const WEBHOOK_ID = '8e1f0a7b-5c6d-4e3f-9a2b-1c0d9e8f7a6b';

jest.setTimeout(longMode() ? 2_400_000 : 600_000);

/** Sends every payload with at most CONCURRENCY in flight; returns the answers' bodies in order. */
async function sendAll(
	payloads: string[],
	send: (payload: string) => Promise<{ status: number; body: string }>,
) {
	const answers: Array<{ status: number; body: string }> = new Array(payloads.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < payloads.length) {
				const index = next++;
				answers[index] = await send(payloads[index]);
			}
		}),
	);
	return answers;
}

describe.each(testedVersions())('burst, restart, retry in real n8n %s', (version) => {
	const { fake, n8n } = stripeSuite(version);

	it(`${EVENTS} distinct events at concurrency ${CONCURRENCY}: ${EVENTS} executions; after a restart, their retries run 0 times`, async () => {
		const { id, url, secret } = await activeStripeWorkflow(n8n, fake, {
			webhookId: WEBHOOK_ID,
			name: 'Burst then restart',
		});
		const payloads = Array.from({ length: EVENTS }, (_, index) =>
			JSON.stringify(
				sampleEvent('payment_intent.succeeded', {
					id: `evt_burst_${version.replace(/\./g, '_')}_${index}`,
				}),
			),
		);
		const post = (payload: string) =>
			fake.post(url, payload, secret) as Promise<{ status: number; body: string }>;

		const started = Date.now();
		const first = await sendAll(payloads, post);
		expect(
			first.filter((answer) => answer.status !== 200 || JSON.parse(answer.body).received !== true),
		).toEqual([]);
		// Wait until every execution finished, or until the count has not moved for 30 s (n8n itself may fail to
		// record some under this load: that is counted and reported, it is not what this test is about).
		let done = await n8n.executionCounts(id);
		let stableSince = Date.now();
		while (Date.now() - started < EVENTS * 600) {
			await sleep(2000);
			const counts = await n8n.executionCounts(id);
			if (counts.total >= EVENTS && !counts.running && !counts.new) {
				done = counts;
				break;
			}
			if (counts.total !== done.total) stableSince = Date.now();
			done = counts;
			if (Date.now() - stableSince > 30_000) break;
		}
		const burstSeconds = (Date.now() - started) / 1000;
		await sleep(2000); // the last saves of static data follow the last answers

		await n8n.restart();
		const retries = await sendAll(payloads, post);
		const ranAgain = retries.filter((answer) => JSON.parse(answer.body).duplicate !== true);
		await sleep(3000);
		const after = await n8n.executionCounts(id);
		report(
			`[burst] n8n ${version}: ${EVENTS} events at concurrency ${CONCURRENCY} → ${done.total} executions ` +
				`(${JSON.stringify(done)}) in ${burstSeconds.toFixed(0)} s; after a restart, ${ranAgain.length} of ${EVENTS} ` +
				`retries accepted as new; executions then ${after.total} (${JSON.stringify(after)}); acknowledged but ` +
				`never executed: ${EVENTS - after.total}`,
		);
		expect(retries.every((answer) => answer.status === 200)).toBe(true);
		// The trigger ran none of the retries. Executions n8n had queued but not started before the restart
		// ("new") may still complete after it; nothing else may appear.
		expect(ranAgain).toHaveLength(0);
		expect(after.total - done.total).toBeLessThanOrEqual(done.new ?? 0);
		// Every acknowledged event ran. On n8n 2.x the answer waits for the execution row, which also slows the
		// senders down to what n8n records (2,000 at concurrency 20 on SQLite: all recorded). n8n 1.x answers
		// before it writes the row; its long size is reported, not asserted.
		if (!longMode() || n8n.major >= 2) expect(done.total).toBe(EVENTS);
	});
});
