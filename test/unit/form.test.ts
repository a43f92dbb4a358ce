import { createHash } from 'crypto';

import {
	bodyMatchesHash,
	formFields,
	formObject,
	MAX_FORM_BYTES,
	MAX_FORM_FIELDS,
	portVariants,
	signedFormContent,
} from '../../nodes/SignedWebhookTrigger/form';
import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import { schemeProblem, verifyScheme } from '../../nodes/SignedWebhookTrigger/scheme';

/** URL-signed forms (form.ts): the parts the Twilio cross-check does not reach on its own. */

describe('form fields', () => {
	it('decodes + and percent escapes, keeps repeated names in order, ignores empty pairs', () => {
		const fields = formFields(Buffer.from('b=2&a=x+y&&a=%C3%A9&c='));
		expect([...fields]).toEqual([
			['b', ['2']],
			['a', ['x y', 'é']],
			['c', ['']],
		]);
		// Names sorted; a repeated name's values de-duplicated and sorted, each after the name.
		expect(signedFormContent(formFields(Buffer.from('b=2&a=z&a=y&a=z')))).toBe('ayazb2');
	});

	it('an item keeps a field named __proto__ as a field, and a repeated name as a list', () => {
		const item = formObject(formFields(Buffer.from('__proto__=x&constructor=y&To=1&To=2')));
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
		expect(Object.keys(item)).toEqual(['__proto__', 'constructor', 'To']);
		expect(item.To).toEqual(['1', '2']);
	});
});

describe('one parse per body', () => {
	it('verification and the item read the same parse of a body; another body is parsed anew', () => {
		const body = Buffer.from('To=1&To=2&From=3');
		const first = formFields(body);
		expect(formFields(body)).toBe(first);
		expect(formFields(Buffer.from('To=1&To=2&From=3'))).not.toBe(first);
		// The item holds copies: a node changing it cannot change what was verified.
		const item = formObject(first);
		(item.To as string[]).push('changed');
		expect(first.get('To')).toEqual(['1', '2']);
	});
});

describe('portVariants', () => {
	it.each([
		['https://h.example/p?q=1', ['https://h.example/p?q=1', 'https://h.example:443/p?q=1']],
		['https://h.example:443/p', ['https://h.example:443/p', 'https://h.example/p']],
		['http://h.example/p', ['http://h.example/p', 'http://h.example:80/p']],
		// Another port is the URL's own: no variant.
		['http://127.0.0.1:5678/webhook/x', ['http://127.0.0.1:5678/webhook/x']],
		['https://[::1]/p', ['https://[::1]/p', 'https://[::1]:443/p']],
		['https://[::1]:443/p', ['https://[::1]:443/p', 'https://[::1]/p']],
		[
			'https://user:pw@h.example/p',
			['https://user:pw@h.example/p', 'https://user:pw@h.example:443/p'],
		],
		['not a url', ['not a url']],
	])('%s', (url, variants) => {
		expect(portVariants(url)).toEqual(variants);
	});
});

describe('bodyMatchesHash', () => {
	const body = Buffer.from('[{"id":"EZ1"}]');
	const hex = createHash('sha256').update(body).digest('hex');
	it.each([
		['the lower-case hex digest', hex, true],
		['the upper-case hex digest', hex.toUpperCase(), true],
		['another body', createHash('sha256').update('x').digest('hex'), false],
		['a truncated digest', hex.slice(0, 62), false],
		['not hex', `${hex.slice(0, 63)}g`, false],
		['empty', '', false],
	])('%s → %s', (_, sent, expected) => {
		expect(bodyMatchesHash(body, sent)).toBe(expected);
	});
});

describe('the Twilio preset on what no SDK case covers', () => {
	const request = (rawBody: Buffer, query: Record<string, unknown> = {}) => ({
		rawBody,
		headers: { 'x-twilio-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
		query,
		method: 'POST',
		url: 'https://n8n.example.com/webhook/x',
		json: () => {
			throw new Error('nothing is parsed before the signature matched');
		},
	});

	it.each([
		['bytes', Buffer.alloc(MAX_FORM_BYTES + 1, 'a'), /over 65536 bytes is not read/],
		['fields', Buffer.from('a=1&'.repeat(MAX_FORM_FIELDS)), /over 1000 fields is not read/],
	])('a form over the limit in %s is refused before its fields are read', (_, big, detail) => {
		expect(verifyScheme(PRESETS.twilio.config, request(big), ['token'], 0)).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
			detail: expect.stringMatching(detail),
		});
	});

	it('a form at the limits is read (and refused for its signature)', () => {
		const fields = Array.from({ length: MAX_FORM_FIELDS }, (_, index) => `f${index}=1`).join('&');
		expect(
			verifyScheme(PRESETS.twilio.config, request(Buffer.from(fields)), ['token'], 0),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('a URL carrying bodySHA256 twice is refused', () => {
		expect(
			verifyScheme(
				PRESETS.twilio.config,
				request(Buffer.from('[]'), { bodySHA256: ['a', 'b'] }),
				['token'],
				0,
			),
		).toMatchObject({ ok: false, reason: 'malformed_signature' });
	});

	it('a template that signs {form} binds the body; one without {body} or {form} is refused', () => {
		expect(schemeProblem(PRESETS.twilio.config, ['token'])).toBeUndefined();
		expect(schemeProblem({ ...PRESETS.twilio.config, template: '{url}' }, ['token'])).toMatch(
			/no \{body\} \(or \{form\}\)/,
		);
	});
});
