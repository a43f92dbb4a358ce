import { jsonEvent, nestsDeeperThan, parseJsonObject, valueAtPath } from '../../nodes/shared/json';

const body = (value: unknown) =>
	Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseJsonObject: the verified body as a JSON object, or the reason for a 400', () => {
	it('returns the object', () => {
		expect(parseJsonObject(body({ a: 1 }))).toEqual({ a: 1 });
	});

	it.each([
		['not JSON', '{"a":', 'the body is not JSON (hint)'],
		['an array', '[1]', 'the body is not a JSON object'],
		['null', 'null', 'the body is not a JSON object'],
		['a string', '"x"', 'the body is not a JSON object'],
	])('refuses %s', (_what, raw, reason) => {
		expect(parseJsonObject(body(raw), ' (hint)')).toBe(reason);
	});
});

describe('valueAtPath', () => {
	it('reads dotted paths, array indexes and a leading $.', () => {
		const value = { a: { b: [{ c: 'x' }] } };
		expect(valueAtPath(value, 'a.b.0.c')).toBe('x');
		expect(valueAtPath(value, '$.a.b.0.c')).toBe('x');
		expect(valueAtPath(value, '$')).toBe(value);
		expect(valueAtPath(value, 'a.missing.c')).toBeUndefined();
	});
});

describe("jsonEvent: a body's id and type fields", () => {
	const fields = { id: 'event_id', type: 'event_type', what: 'notification' };

	it('returns id, type and the payload', () => {
		const payload = { event_id: 'evt_1', event_type: 'x.created', data: {} };
		expect(jsonEvent(body(payload), fields)).toEqual({ id: 'evt_1', type: 'x.created', payload });
	});

	it.each([
		['no id', { event_type: 'x.created' }, 'the notification has no event_id'],
		['an empty id', { event_id: '', event_type: 'x.created' }, 'the notification has no event_id'],
		['a numeric id', { event_id: 7, event_type: 'x.created' }, 'the notification has no event_id'],
		['no type', { event_id: 'evt_1' }, 'the notification has no event_type'],
		['a body that is no object', [1], 'the body is not a JSON object'],
	])('names what is missing: %s', (_what, payload, reason) => {
		expect(jsonEvent(body(payload), fields)).toBe(reason);
	});

	it('calls the body an event unless told otherwise', () => {
		expect(jsonEvent(body({ type: 't' }), { id: 'id', type: 'type' })).toBe('the event has no id');
	});
});

describe('nestsDeeperThan: a byte scan of JSON nesting that parses nothing', () => {
	const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

	it('counts arrays and objects alike, up to the limit and one past it', () => {
		expect(nestsDeeperThan(body(deep(32)), 32)).toBe(false);
		expect(nestsDeeperThan(body(deep(33)), 32)).toBe(true);
		expect(nestsDeeperThan(body({ a: { b: [{ c: 1 }] } }), 4)).toBe(false);
		expect(nestsDeeperThan(body({ a: { b: [{ c: 1 }] } }), 3)).toBe(true);
	});

	it('does not count brackets inside strings, escaped quotes included', () => {
		expect(nestsDeeperThan(body({ text: deep(100) }), 1)).toBe(false);
		expect(nestsDeeperThan(body({ text: `"${deep(100)}\\"[[[` }), 1)).toBe(false);
		// The same brackets outside a string (after an escaped quote that does not end it) count.
		expect(nestsDeeperThan(body(`{"a":"\\\\"}${deep(3)}`), 2)).toBe(true);
	});
});
