import {
	LOST_WRITE_GRACE_MS,
	bucketSeconds,
	checkAndRecord,
	fingerprint,
	settle,
	type DedupOptions,
} from '../../nodes/shared/dedup';

const OPTIONS: DedupOptions = { maxEntries: 10_000, ttlSeconds: 72 * 3600 };
const T0 = 1_700_000_000_000;
let scopeCounter = 0;

/**
 * A stand-in for the workflow row: n8n loads a copy of the static data per request and saves the whole
 * blob afterwards. `load` gives a request its own copy; `save` overwrites the row with it.
 */
class Row {
	stored = '{}';
	load(): Record<string, unknown> {
		return JSON.parse(this.stored) as Record<string, unknown>;
	}
	save(copy: Record<string, unknown>) {
		this.stored = JSON.stringify(copy);
	}
}

/**
 * One key's decision, the way a single-event delivery asks. By default its answer left with a 2xx at once
 * (`settle(…, true)`); `acknowledge: false` leaves it pending (the execution is still being created).
 */
function one(
	copy: Record<string, unknown>,
	scope: string,
	id: string,
	options: DedupOptions,
	now: number,
	{ acknowledge = true }: { acknowledge?: boolean } = {},
) {
	const decision = checkAndRecord(copy, 'seen', scope, [id], options, now);
	if (acknowledge) settle(scope, decision.recorded, true);
	return {
		duplicate: decision.duplicates[0],
		inProgress: decision.inProgress,
		recorded: decision.recorded,
		persistenceWarning: decision.persistenceWarning,
	};
}

function newScope() {
	return `scope-${++scopeCounter}`;
}

/** One delivery: load, decide, save (unless `lose`). */
function deliver(
	row: Row,
	scope: string,
	id: string,
	now: number,
	options = OPTIONS,
	lose = false,
) {
	const copy = row.load();
	const decision = one(copy, scope, id, options, now);
	if (!lose) row.save(copy);
	return decision;
}

describe('checkAndRecord', () => {
	it('reports a sequential duplicate once the first delivery was saved', () => {
		const row = new Row();
		const scope = newScope();
		expect(deliver(row, scope, 'evt_1', T0).duplicate).toBe(false);
		expect(deliver(row, scope, 'evt_1', T0 + 60_000).duplicate).toBe(true);
		expect(deliver(row, scope, 'evt_2', T0 + 60_000).duplicate).toBe(false);
	});

	it('remembers ids across a restart (a new process has no local record, the row has them)', () => {
		const row = new Row();
		let scope = newScope();
		deliver(row, scope, 'evt_1', T0);
		scope = newScope(); // a restart: this process's memory of the node is gone
		expect(deliver(row, scope, 'evt_1', T0 + 3_600_000).duplicate).toBe(true);
	});

	it('lets exactly one of 50 overlapping identical deliveries through (all loaded the same row); the others get "in progress" until it is acknowledged, then "duplicate"', () => {
		const row = new Row();
		const scope = newScope();
		const copies = Array.from({ length: 50 }, () => row.load());
		const decisions = copies.map((copy) =>
			one(copy, scope, 'evt_same', OPTIONS, T0, { acknowledge: false }),
		);
		expect(
			decisions.filter((decision) => !decision.duplicate && !decision.inProgress),
		).toHaveLength(1);
		expect(decisions.filter((decision) => decision.inProgress)).toHaveLength(49);
		// Nothing was recorded for the 49: their copies are unchanged.
		expect(copies.filter((copy) => copy.seen !== undefined)).toHaveLength(1);
		copies.forEach((copy) => row.save(copy));
		settle(scope, decisions[0].recorded, true);
		expect(deliver(row, scope, 'evt_same', T0 + 1000).duplicate).toBe(true);
	});

	it('forgets an id whose delivery was not acknowledged (n8n did not create the execution, nor save): its retry runs', () => {
		const row = new Row();
		const scope = newScope();
		const copy = row.load();
		const first = one(copy, scope, 'evt_failed', OPTIONS, T0, { acknowledge: false });
		expect(first.duplicate || first.inProgress).toBe(false);
		settle(scope, first.recorded, false); // n8n answered 500; it saved nothing
		const retry = deliver(row, scope, 'evt_failed', T0 + 60_000);
		expect(retry).toMatchObject({ duplicate: false, inProgress: false });
		expect(deliver(row, scope, 'evt_failed', T0 + 120_000).duplicate).toBe(true);
	});

	it("never merges a pending id into another delivery's write (it may never be acknowledged), but does once acknowledged", () => {
		const row = new Row();
		const scope = newScope();
		const pending = one(row.load(), scope, 'evt_slow', OPTIONS, T0, { acknowledge: false });
		// evt_slow's own save is lost (as when n8n's save is skipped); meanwhile another delivery writes.
		deliver(row, scope, 'evt_other', T0 + 20_000);
		expect(row.stored).not.toContain(fingerprint('evt_slow'));
		settle(scope, pending.recorded, true);
		deliver(row, scope, 'evt_third', T0 + 40_000);
		expect(row.stored).toContain(fingerprint('evt_slow'));
	});

	it('checks in full after a write made while another delivery was pending (that write lacks its id)', () => {
		const row = new Row();
		const scope = newScope();
		const a = row.load();
		const b = row.load();
		const first = one(a, scope, 'evt_a', OPTIONS, T0, { acknowledge: false });
		const second = one(b, scope, 'evt_b', OPTIONS, T0, { acknowledge: false });
		row.save(b);
		row.save(a); // a's record, written last, never held evt_b
		settle(scope, first.recorded, true);
		settle(scope, second.recorded, true);
		deliver(row, scope, 'evt_c', T0 + 1000);
		for (const id of ['evt_a', 'evt_b', 'evt_c']) expect(row.stored).toContain(fingerprint(id));
	});

	it("a save of a row loaded before another delivery's save still carries that delivery's id (the saved view is taken when n8n saves)", () => {
		const row = new Row();
		let scope = newScope();
		const a = row.load();
		const b = row.load();
		one(b, scope, 'evt_b', OPTIONS, T0);
		one(a, scope, 'evt_a', OPTIONS, T0);
		row.save(a);
		row.save(b); // b loaded the row before evt_a existed, and saves last
		for (const id of ['evt_a', 'evt_b']) expect(row.stored).toContain(fingerprint(id));
		scope = newScope(); // a restart: this process's memory of the node is gone
		expect(deliver(row, scope, 'evt_a', T0 + 2000).duplicate).toBe(true);
	});

	it('merges ids lost to an outside overwrite (a downstream node saving an older copy) back on the next write', () => {
		const row = new Row();
		let scope = newScope();
		const stale = row.stored;
		deliver(row, scope, 'evt_a', T0);
		deliver(row, scope, 'evt_b', T0 + 500);
		row.stored = stale;
		deliver(row, scope, 'evt_c', T0 + 1000);
		for (const id of ['evt_a', 'evt_b', 'evt_c']) expect(row.stored).toContain(fingerprint(id));
		// And a restarted process still sees evt_a as a duplicate.
		scope = newScope(); // a restart: this process's memory of the node is gone
		expect(deliver(row, scope, 'evt_a', T0 + 2000).duplicate).toBe(true);
	});

	it('forgets the oldest ids beyond maxEntries, in the row and in the process', () => {
		const row = new Row();
		const scope = newScope();
		const options = { maxEntries: 3, ttlSeconds: 3600 };
		for (let i = 1; i <= 5; i++) deliver(row, scope, `evt_${i}`, T0 + i * 1000, options);
		const stored = row.load().seen as { b: Record<string, string> };
		expect(Object.values(stored.b).join('')).toHaveLength(3 * 12);
		expect(deliver(row, scope, 'evt_1', T0 + 10_000, options).duplicate).toBe(false);
		expect(deliver(row, scope, 'evt_5', T0 + 11_000, options).duplicate).toBe(true);
	});

	it('forgets ids once they are older than the TTL (plus at most one bucket), not before', () => {
		const row = new Row();
		let scope = newScope();
		const options = { maxEntries: 100, ttlSeconds: 3600 };
		deliver(row, scope, 'evt_old', T0, options);
		expect(deliver(row, scope, 'evt_old', T0 + 3_599_000, options).duplicate).toBe(true);
		const later = T0 + (3600 + bucketSeconds(3600) + 1) * 1000;
		deliver(row, scope, 'evt_other', later, options); // prunes
		scope = newScope(); // a restart: this process's memory of the node is gone
		expect(row.stored).not.toContain(fingerprint('evt_old'));
		expect(deliver(row, scope, 'evt_old', later + 1000, options).duplicate).toBe(false);
	});

	it('also ages ids out of the process-local record', () => {
		const row = new Row();
		const scope = newScope();
		const options = { maxEntries: 100, ttlSeconds: 60 };
		deliver(row, scope, 'evt_1', T0, options, true);
		expect(deliver(row, scope, 'evt_1', T0 + 30_000, options, true).duplicate).toBe(true);
		expect(deliver(row, scope, 'evt_1', T0 + 61_000, options, true).duplicate).toBe(false);
	});

	it('does not touch static data for a duplicate when the loaded record lacks nothing of ours', () => {
		const row = new Row();
		const scope = newScope();
		deliver(row, scope, 'evt_1', T0);
		deliver(row, scope, 'evt_2', T0 + 1000);
		const copy = row.load();
		const marker = JSON.stringify(copy);
		expect(one(copy, scope, 'evt_1', OPTIONS, T0 + 2000).duplicate).toBe(true);
		expect(JSON.stringify(copy)).toBe(marker);
	});

	it('writes a duplicate decision back when the loaded record lost an id of ours (the merge)', () => {
		const row = new Row();
		const scope = newScope();
		const before = row.stored;
		deliver(row, scope, 'evt_1', T0);
		deliver(row, scope, 'evt_2', T0 + 1000);
		row.stored = before; // a stale save erased both
		const copy = row.load();
		expect(one(copy, scope, 'evt_1', OPTIONS, T0 + 2000).duplicate).toBe(true);
		row.save(copy);
		for (const id of ['evt_1', 'evt_2']) expect(row.stored).toContain(fingerprint(id));
	});

	it('decides several keys at once: each new one counts once, a key repeated in the call too', () => {
		const row = new Row();
		let scope = newScope();
		const copy = row.load();
		expect(checkAndRecord(copy, 'seen', scope, ['a', 'b', 'a'], OPTIONS, T0).duplicates).toEqual([
			false,
			false,
			true,
		]);
		row.save(copy);
		scope = newScope(); // a restart: this process's memory of the node is gone
		expect(
			checkAndRecord(row.load(), 'seen', scope, ['b', 'c'], OPTIONS, T0 + 1000).duplicates,
		).toEqual([true, false]);
	});

	it('stores at most 48 bytes of static-data JSON per remembered id (about 12)', () => {
		const row = new Row();
		const scope = newScope();
		const empty = JSON.stringify({ seen: { v: 1, t: 'AAAAAAAA', b: {} } }).length;
		const copy = row.load();
		for (let i = 0; i < 10_000; i++) {
			one(
				copy,
				scope,
				`evt_1NqG3xLkdIwHu7ix${i.toString().padStart(8, '0')}`,
				OPTIONS,
				T0 + i * 20_000,
			);
		}
		const bytesPerId = (JSON.stringify(copy).length - empty) / 10_000;
		expect(bytesPerId).toBeLessThanOrEqual(48);
		expect(bytesPerId).toBeLessThan(13);
	});

	it('does not confuse a fingerprint that straddles two stored ones with a stored id', () => {
		const row = new Row();
		const scope = newScope();
		deliver(row, scope, 'evt_a', T0);
		deliver(row, scope, 'evt_b', T0);
		// The record still carries this process's last write tag, so lookups search the stored buckets as text
		// (the fast path). Rewrite the bucket so that evt_c's fingerprint occurs in it only across the boundary
		// of two entries (half of each): a plain substring search would call evt_c a duplicate.
		const width = fingerprint('evt_c').length;
		const half = width / 2;
		const rewrite = (bucket: string) => {
			const copy = row.load() as { seen: { b: Record<string, string> } };
			const [key] = Object.keys(copy.seen.b);
			copy.seen.b[key] = bucket;
			row.stored = JSON.stringify(copy);
		};
		rewrite('x'.repeat(half) + fingerprint('evt_c') + 'y'.repeat(half));
		expect(deliver(row, scope, 'evt_c', T0).duplicate).toBe(false);
		// The same search finds a fingerprint that is at a boundary.
		rewrite(fingerprint('evt_d') + 'y'.repeat(width));
		expect(deliver(row, scope, 'evt_d', T0).duplicate).toBe(true);
	});

	it('starts afresh from a corrupted record instead of throwing', () => {
		const row = new Row();
		row.stored = JSON.stringify({ seen: { v: 1, w: 3, b: { '1': 'short' } } });
		expect(deliver(row, newScope(), 'evt_1', T0).duplicate).toBe(false);
	});

	describe('convergence under concurrent whole-blob saves', () => {
		/** Saves in a random order, as n8n's post-response saves of overlapping requests land. */
		function shuffled<T>(values: T[], seed: number): T[] {
			const out = [...values];
			let state = seed;
			for (let i = out.length - 1; i > 0; i--) {
				state = (state * 1103515245 + 12345) % 2147483648;
				const j = state % (i + 1);
				[out[i], out[j]] = [out[j], out[i]];
			}
			return out;
		}

		it('2,000 distinct deliveries in one process, saved in a random order: all 2,000 in the record after one more delivery, 0 re-run after a restart', () => {
			const row = new Row();
			let scope = newScope();
			const ids = Array.from({ length: 2000 }, (_, i) => `evt_burst_${i}`);
			// Concurrency 20: each wave of 20 loaded the row before any of the wave saved.
			for (let wave = 0; wave < ids.length; wave += 20) {
				const batch = ids
					.slice(wave, wave + 20)
					.map((id) => ({ id, copy: row.load(), recorded: [] as string[] }));
				for (const each of batch) {
					const decision = one(each.copy, scope, each.id, OPTIONS, T0 + wave, {
						acknowledge: false,
					});
					expect(decision.duplicate || decision.inProgress).toBe(false);
					each.recorded = decision.recorded;
				}
				for (const each of shuffled(batch, wave + 1)) {
					row.save(each.copy);
					settle(scope, each.recorded, true);
				}
			}
			deliver(row, scope, 'evt_after_burst', T0 + 5000);
			const prints = JSON.stringify(row.load());
			expect(ids.filter((id) => !prints.includes(fingerprint(id)))).toEqual([]);
			scope = newScope(); // a restart: this process's memory of the node is gone
			expect(ids.filter((id) => !deliver(row, scope, id, T0 + 60_000).duplicate)).toEqual([]);
		});

		it('two processes sharing one row: after one delivery per process, the union is stored and replays on either run nothing', () => {
			// Two copies of the module are two n8n processes: each has its own local record.
			let first!: typeof import('../../nodes/shared/dedup');
			let second!: typeof import('../../nodes/shared/dedup');
			jest.isolateModules(() => {
				first = jest.requireActual('../../nodes/shared/dedup');
			});
			jest.isolateModules(() => {
				second = jest.requireActual('../../nodes/shared/dedup');
			});
			const row = new Row();
			const scope = 'shared-workflow-node';
			const ids = Array.from({ length: 200 }, (_, i) => `evt_queue_${i}`);
			for (let wave = 0; wave < ids.length; wave += 10) {
				const batch = ids
					.slice(wave, wave + 10)
					.map((id, index) => ({ id, module: index % 2 ? second : first, copy: row.load() }));
				const recorded = batch.map(
					(each) =>
						each.module.checkAndRecord(each.copy, 'seen', scope, [each.id], OPTIONS, T0 + wave)
							.recorded,
				);
				for (const each of shuffled(batch, wave + 7)) row.save(each.copy);
				batch.forEach((each, index) => each.module.settle(scope, recorded[index], true));
			}
			for (const module of [first, second]) {
				const copy = row.load();
				const tail = module.checkAndRecord(
					copy,
					'seen',
					scope,
					[`evt_tail_${module === first ? 1 : 2}`],
					OPTIONS,
					T0 + 9000,
				);
				row.save(copy);
				module.settle(scope, tail.recorded, true);
			}
			const stored = row.stored;
			expect(ids.filter((id) => !stored.includes(first.fingerprint(id)))).toEqual([]);
			// Replaying all 200 on the other process (and on a restarted one) runs none.
			// A restarted process: a fresh copy of the module, with no memory of its own.
			let restarted!: typeof first;
			jest.isolateModules(() => {
				restarted = jest.requireActual('../../nodes/shared/dedup');
			});
			for (const id of ids) {
				const copy = row.load();
				expect(
					restarted.checkAndRecord(copy, 'seen', scope, [id], OPTIONS, T0 + 20_000).duplicates,
				).toEqual([true]);
			}
		});
	});

	describe('persistence warning', () => {
		it('warns once when writes never come back from the database', () => {
			const row = new Row();
			const scope = newScope();
			expect(deliver(row, scope, 'evt_1', T0, OPTIONS, true).persistenceWarning).toBeUndefined();
			expect(
				deliver(row, scope, 'evt_2', T0 + 1000, OPTIONS, true).persistenceWarning,
			).toBeUndefined();
			const warned = deliver(row, scope, 'evt_3', T0 + LOST_WRITE_GRACE_MS + 1, OPTIONS, true);
			expect(warned.persistenceWarning).toMatch(/not being saved by n8n/);
			expect(warned.persistenceWarning).toMatch(/Remove Duplicates/);
			expect(
				deliver(row, scope, 'evt_4', T0 + 3 * LOST_WRITE_GRACE_MS, OPTIONS, true)
					.persistenceWarning,
			).toBeUndefined();
			// Still deduplicated within the process.
			expect(
				deliver(row, scope, 'evt_1', T0 + 4 * LOST_WRITE_GRACE_MS, OPTIONS, true).duplicate,
			).toBe(true);
		});

		it('warns when a downstream save keeps overwriting the record with an older copy', () => {
			const row = new Row();
			const scope = newScope();
			const stale = row.stored;
			deliver(row, scope, 'evt_1', T0);
			row.stored = stale; // the execution saved its pre-request copy
			deliver(row, scope, 'evt_2', T0 + 5000);
			row.stored = stale;
			expect(
				deliver(row, scope, 'evt_3', T0 + LOST_WRITE_GRACE_MS + 1000).persistenceWarning,
			).toMatch(/not being saved/);
		});

		it('does not warn when writes are saved, however long apart deliveries are', () => {
			const row = new Row();
			const scope = newScope();
			for (let i = 0; i < 5; i++) {
				expect(
					deliver(row, scope, `evt_${i}`, T0 + i * 3 * LOST_WRITE_GRACE_MS).persistenceWarning,
				).toBeUndefined();
			}
		});
	});
});

describe('forgotten events (the "Forget Event" list)', () => {
	it('drops a forgotten id recorded before the forget, from the row and from the process; it runs once more, then is a duplicate again', () => {
		const row = new Row();
		let scope = newScope();
		deliver(row, scope, 'evt_forget_me', T0);
		deliver(row, scope, 'evt_keep', T0 + 1000);
		const forgotten = new Map([[fingerprint('evt_forget_me'), T0 + 60_000]]);
		const copy = row.load();
		const decision = checkAndRecord(
			copy,
			'seen',
			scope,
			['evt_forget_me'],
			OPTIONS,
			T0 + 120_000,
			forgotten,
		);
		expect(decision.duplicates).toEqual([false]);
		expect(decision.unforgotten).toEqual([fingerprint('evt_forget_me')]);
		settle(scope, decision.recorded, true);
		row.save(copy);
		// The entry is consumed by the caller; with it still listed, the new recording (after the forget) stays.
		expect(
			checkAndRecord(row.load(), 'seen', scope, ['evt_forget_me'], OPTIONS, T0 + 180_000, forgotten)
				.duplicates,
		).toEqual([true]);
		expect(deliver(row, scope, 'evt_keep', T0 + 180_000).duplicate).toBe(true);
		scope = newScope(); // a restart: this process's memory of the node is gone
		expect(deliver(row, scope, 'evt_forget_me', T0 + 240_000).duplicate).toBe(true);
	});

	it('writes the stripped record back even when the delivery itself is a duplicate (other processes read it)', () => {
		const row = new Row();
		const scope = newScope();
		deliver(row, scope, 'evt_a', T0);
		deliver(row, scope, 'evt_b', T0 + 1000);
		const forgotten = new Map([[fingerprint('evt_a'), T0 + 60_000]]);
		const copy = row.load();
		expect(
			checkAndRecord(copy, 'seen', scope, ['evt_b'], OPTIONS, T0 + 120_000, forgotten).duplicates,
		).toEqual([true]);
		row.save(copy);
		expect(row.stored).not.toContain(fingerprint('evt_a'));
		expect(row.stored).toContain(fingerprint('evt_b'));
	});
});
