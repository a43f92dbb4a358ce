import { sleep } from 'n8n-workflow';

import {
	claimRemoval,
	deferRemoval,
	removeNow,
	waitingRemovals,
} from '../../nodes/shared/pendingRemoval';

function removal(url: string, failures: number) {
	const calls = { remove: 0, givenUp: 0 };
	return {
		calls,
		value: {
			url,
			nodeData: {},
			remove: async () => {
				calls.remove++;
				if (calls.remove <= failures) throw new Error('provider unavailable');
			},
			giveUp: () => {
				calls.givenUp++;
			},
		},
	};
}

describe('removals waiting for an edit to claim them', () => {
	afterEach(() => {
		for (const url of waitingRemovals()) claimRemoval(url);
	});

	it('runs once the grace passed, not before', async () => {
		const { calls, value } = removal('u1', 0);
		deferRemoval(value, [150]);
		await sleep(50);
		expect(calls.remove).toBe(0);
		await sleep(400);
		expect(calls.remove).toBe(1);
		expect(waitingRemovals()).toEqual([]);
	});

	it('a claim cancels it: the remove never runs', async () => {
		const { calls, value } = removal('u2', 0);
		deferRemoval(value, [100]);
		expect(claimRemoval('u2')).toBe(value);
		expect(claimRemoval('u2')).toBeUndefined();
		await sleep(400);
		expect(calls.remove).toBe(0);
	});

	it('a failing removal is tried again on the schedule, then given up (logged by the caller)', async () => {
		const { calls, value } = removal('u3', 99);
		deferRemoval(value, [20, 20, 20]);
		await sleep(1200);
		expect(calls).toEqual({ remove: 3, givenUp: 1 });
		expect(waitingRemovals()).toEqual([]);
	});

	it('a removal that recovers on a later try is not given up', async () => {
		const { calls, value } = removal('u4', 1);
		deferRemoval(value, [20, 20, 20]);
		await sleep(1000);
		expect(calls).toEqual({ remove: 2, givenUp: 0 });
	});

	it('a second delete for the same URL replaces the first (one removal runs)', async () => {
		const first = removal('u5', 0);
		const second = removal('u5', 0);
		deferRemoval(first.value, [50]);
		deferRemoval(second.value, [50]);
		await sleep(500);
		expect(first.calls.remove + second.calls.remove).toBe(1);
		expect(second.calls.remove).toBe(1);
	});

	it('removeNow runs it at once and answers its error', async () => {
		const { calls, value } = removal('u6', 1);
		deferRemoval(value, [60_000]);
		expect(String(await removeNow('u6'))).toContain('provider unavailable');
		expect(calls.remove).toBe(1);
		expect(waitingRemovals()).toEqual([]);
	});
});
