import { createHash, timingSafeEqual } from 'crypto';

/**
 * URL-signed form posts (Twilio's scheme): the signed content is the URL the provider called followed by the
 * body's form fields sorted by name, or, for a JSON body, the URL alone with the body's SHA-256 in its query.
 * Pure functions over the raw bytes and the URL.
 */

/**
 * The largest form that is parsed to check its signature, in bytes and in fields. A form signature is defined
 * over the parsed fields, so they are read before the signature is known to match: the limits bound what a
 * forgery costs (measured: 1 MiB of distinct fields took 570 ms to parse and sort). Twilio's form posts have a few
 * dozen fields and a few kB (a 1,600-character message of 4-byte characters is 19 kB encoded).
 */
export const MAX_FORM_BYTES = 64 * 1024;
export const MAX_FORM_FIELDS = 1000;

/** Why a form is too large to be read, or undefined (a byte count and a scan for `&`, nothing decoded). */
export function formTooLarge(rawBody: Buffer): string | undefined {
	if (rawBody.length > MAX_FORM_BYTES)
		return `a form body over ${MAX_FORM_BYTES} bytes is not read`;
	let fields = 1;
	for (let at = rawBody.indexOf(0x26); at !== -1; at = rawBody.indexOf(0x26, at + 1)) {
		if (++fields > MAX_FORM_FIELDS) return `a form of over ${MAX_FORM_FIELDS} fields is not read`;
	}
	return undefined;
}

/** Forms already parsed, by the request's body: verification and the item read the same one (up to 64 KiB). */
const parsedForms = new WeakMap<Buffer, ReadonlyMap<string, readonly string[]>>();

/**
 * The body's `application/x-www-form-urlencoded` fields, each name with its values in order. Parsed once per
 * body: the signed content and the item come from the same parse (read-only; formObject copies).
 */
export function formFields(rawBody: Buffer): ReadonlyMap<string, readonly string[]> {
	const known = parsedForms.get(rawBody);
	if (known) return known;
	const fields = new Map<string, string[]>();
	for (const [name, value] of new URLSearchParams(rawBody.toString('utf8'))) {
		const values = fields.get(name);
		if (values) values.push(value);
		else fields.set(name, [value]);
	}
	parsedForms.set(rawBody, fields);
	return fields;
}

/**
 * The fields as signed: names sorted, each followed by its value; a repeated name's values de-duplicated,
 * sorted, and each written after the name again.
 */
export function signedFormContent(fields: ReadonlyMap<string, readonly string[]>): string {
	let content = '';
	for (const name of [...fields.keys()].sort()) {
		for (const value of [...new Set(fields.get(name))].sort()) content += name + value;
	}
	return content;
}

/** The fields as an item: a name sent once holds its value, a repeated one the list of its values. */
export function formObject(
	fields: ReadonlyMap<string, readonly string[]>,
): Record<string, string | string[]> {
	// fromEntries defines properties, so a field named __proto__ stays a field.
	return Object.fromEntries(
		[...fields].map(([name, values]) => [name, values.length === 1 ? values[0] : [...values]]),
	);
}

/** Whether the raw body hashes (SHA-256, lower-case hex) to the value the signed URL carries. */
export function bodyMatchesHash(rawBody: Buffer, sentHex: string): boolean {
	const expected = createHash('sha256').update(rawBody).digest();
	const sent = /^[0-9a-fA-F]{64}$/.test(sentHex) ? Buffer.from(sentHex, 'hex') : undefined;
	return sent !== undefined && timingSafeEqual(expected, sent);
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is;

/**
 * The URL with and without its scheme's default port (443 for https, 80 for http), text otherwise unchanged (no
 * normalisation): a provider may have signed either form. Twilio's SDK also drops any other port; a signature over
 * another port's URL is not accepted here.
 */
export function portVariants(url: string): string[] {
	const match = AUTHORITY.exec(url);
	if (!match) return [url];
	const [, scheme, authority, rest] = match;
	const userInfo = authority.slice(0, authority.lastIndexOf('@') + 1);
	const hostAndPort = authority.slice(userInfo.length);
	// A colon starts the port only after an IPv6 literal's closing bracket.
	const portAt = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
	const host = userInfo + (portAt === -1 ? hostAndPort : hostAndPort.slice(0, portAt));
	const port = portAt === -1 ? '' : hostAndPort.slice(portAt + 1);
	const defaultPort = scheme.toLowerCase() === 'https://' ? '443' : '80';
	const variants = [url];
	if (port === '') variants.push(`${scheme}${host}:${defaultPort}${rest}`);
	else if (port === defaultPort) variants.push(`${scheme}${host}${rest}`);
	return variants;
}
