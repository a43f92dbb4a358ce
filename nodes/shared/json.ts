import type { IDataObject } from 'n8n-workflow';

/** JSON helpers for bodies whose signature has already matched (and one scan that runs before, parsing nothing). */

/** The body as a JSON object, or the reason it is not one (answered with 400). */
export function parseJsonObject(rawBody: Buffer, notJsonHint = ''): IDataObject | string {
	let value: unknown;
	try {
		value = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return `the body is not JSON${notJsonHint}`;
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return 'the body is not a JSON object';
	return value as IDataObject;
}

/** Reads `a.b.0.c` from parsed JSON (a leading `$.` is allowed); `$` or '' is the value itself. */
export function valueAtPath(value: unknown, path: string): unknown {
	if (path === '$' || path === '') return value;
	let current = value;
	for (const key of path.replace(/^\$\.?/, '').split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** A non-empty string field, or undefined. */
export function textField(object: IDataObject, key: string): string | undefined {
	const value = object[key];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The body as a JSON object with its id and type (top-level string fields), or the reason for a 400: for
 * providers whose body names both. `what` is the body's name in the reason ("the event has no id").
 */
export function jsonEvent(
	rawBody: Buffer,
	fields: { id: string; type: string; what?: string },
): { id: string; type: string; payload: IDataObject } | string {
	const payload = parseJsonObject(rawBody);
	if (typeof payload === 'string') return payload;
	const id = textField(payload, fields.id);
	const type = textField(payload, fields.type);
	const what = fields.what ?? 'event';
	if (!id) return `the ${what} has no ${fields.id}`;
	if (!type) return `the ${what} has no ${fields.type}`;
	return { id, type, payload };
}

/** Whether JSON text nests deeper than `max` arrays and objects: a byte scan that skips strings, nothing parsed. */
export function nestsDeeperThan(raw: Buffer, max: number): boolean {
	let depth = 0;
	let inString = false;
	for (let at = 0; at < raw.length; at++) {
		const byte = raw[at];
		if (inString) {
			// A backslash escapes the next byte; a quote ends the string.
			if (byte === 0x5c) at++;
			else if (byte === 0x22) inString = false;
		} else if (byte === 0x22) inString = true;
		else if (byte === 0x5b || byte === 0x7b) {
			if (++depth > max) return true;
		} else if (byte === 0x5d || byte === 0x7d) depth--;
	}
	return false;
}
