import type { KeyObject } from 'crypto';

import type { IncomingHeaders } from '../shared/delivery';
import { nestsDeeperThan, valueAtPath } from '../shared/json';
import { isEcdsaDerSignature, readPublicKey, verifyPublicKey } from '../shared/publicKey';
import { checkTimestamp, decodeBytes, isUsableKey, verifyMac } from '../shared/signature';
import { reject, type VerificationResult } from '../shared/verdict';
import {
	bodyMatchesHash,
	formFields,
	formObject,
	formTooLarge,
	portVariants,
	signedFormContent,
} from './form';

/** Signed content: literal text and the raw body, which stays a Buffer. */
type SignedPart = Buffer | string;

/**
 * A configurable signature scheme: everything a preset is made of. Presets (presets.ts) are filled-in
 * values of this type; "Custom" builds one from the node's parameters. Pure: no n8n, no clock of its own.
 */
export interface SchemeConfig {
	/**
	 * An HMAC's hash; `token`, a shared secret sent as it is; `ecdsa-p256`, an ECDSA P-256/SHA-256 signature
	 * (DER) checked with the provider's public key, which then stands in the credential's secret fields.
	 */
	algorithm: 'sha1' | 'sha256' | 'sha512' | 'token' | 'ecdsa-p256';
	/** How the secret text becomes key bytes: as UTF-8, hex, base64, or `whsec_` + base64 (not read for ECDSA). */
	secretEncoding: 'utf8' | 'hex' | 'base64' | 'whsec';
	signature: {
		/** `body`: a JSON path into the body (Mailgun), which is then parsed before verification. */
		location: 'header' | 'query' | 'body';
		name: string;
		/** For `body`: other JSON paths that may carry a signature by another key (Mailgun's parent-signature). */
		alternates?: string[];
		/**
		 * raw: the whole value; prefix: strip `prefix`; kv: `key=value` pairs split by `pairSeparator`,
		 * signatures under `signatureKey` (any may match); list: space-separated `version,signature` entries.
		 */
		format: 'raw' | 'prefix' | 'kv' | 'list';
		prefix?: string;
		pairSeparator?: string;
		signatureKey?: string;
		timestampKey?: string;
		listVersion?: string;
		encoding: 'hex' | 'base64' | 'base64url';
	};
	/**
	 * The signed content: literal text and tokens {body} {timestamp} {method} {url} {header:X} {query:x} {json:a.b}
	 * and {form}, the body's form fields sorted by name, each name followed by its value (see form.ts).
	 */
	template: string;
	/**
	 * A query parameter that, when the called URL carries it, binds the body instead of {form}: {form} is then
	 * empty and the raw body must hash (SHA-256, hex) to the parameter's signed value (Twilio's `bodySHA256`).
	 */
	bodyHashQuery?: string;
	/** {url} matches with and without the scheme's default port (Twilio signs either). */
	eitherPort?: boolean;
	/**
	 * The provider signs no part of the body (Mailgun signs a timestamp and a random token): a captured
	 * signature could carry any body, so only the signed-bytes record (which then remembers each token) and the
	 * timestamp window stop a replay. A preset's choice only; Custom always signs the body.
	 */
	unsignedBody?: boolean;
	timestamp?: {
		source: 'header' | 'signature' | 'body';
		/** Header name or JSON path (for `signature`, the kv key above is used). */
		name?: string;
		unit: 's' | 'ms' | 'iso';
		toleranceSeconds: number;
	};
	/** Dedup key: a template; alternatives separated by `||` are tried in order (the first complete one wins). */
	eventId: string;
	eventType?: string;
	/** A JSON path (or `$` for the root) of an array of events, deduplicated and emitted one by one. */
	batchPath?: string;
	/** An object where batchPath expects an array is one event (senders that batch only sometimes). */
	batchOptional?: boolean;
	challenge?: 'none' | 'slack' | 'zoom' | 'woocommerce';
}

export interface SchemeRequest {
	rawBody: Buffer;
	headers: IncomingHeaders;
	query: Record<string, unknown>;
	method: string;
	/** The public URL the provider called, with its query string. */
	url: string;
	/**
	 * The body parsed as JSON when it is JSON, parsed on first call (read-only, for {json:…} tokens and body
	 * timestamps). Never called before the HMAC over the raw bytes has matched.
	 */
	json(): unknown;
}

/** The length of an HMAC of each algorithm: a signature of any other length cannot match. */
const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

const TOKEN = /\{([a-z]+)(?::([^}]+))?\}/g;

function single(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function headerValue(headers: IncomingHeaders, name: string): string | undefined {
	return single(headers[name.toLowerCase()]);
}

/** The key bytes of a secret, or undefined when it is not valid in its declared encoding. */
export function secretKey(
	secret: string,
	encoding: SchemeConfig['secretEncoding'],
): Buffer | undefined {
	const text = secret.trim();
	// Secrets are shown in either base64 alphabet.
	if (encoding === 'base64') return decodeBytes(text, 'base64') ?? decodeBytes(text, 'base64url');
	return decodeBytes(text, encoding);
}

interface Extracted {
	signatures: string[];
	timestamp?: string;
}

/**
 * The largest body that is parsed before verification when the signature lives in it (Mailgun's events are a
 * few kB; n8n has parsed the same JSON once already).
 */
const MAX_EMBEDDED_BYTES = 256 * 1024;
/** The deepest nesting such a body may have (Mailgun's is 4 or 5 levels; deep nesting makes a parse slow). */
const MAX_EMBEDDED_DEPTH = 32;

function extractFromBody(
	config: SchemeConfig,
	request: SchemeRequest,
): Extracted | VerificationResult {
	const { signature } = config;
	if (request.rawBody.length > MAX_EMBEDDED_BYTES)
		return reject(
			'malformed_signature',
			`a body over ${MAX_EMBEDDED_BYTES} bytes is not read (the signature is inside it)`,
		);
	if (nestsDeeperThan(request.rawBody, MAX_EMBEDDED_DEPTH))
		return reject(
			'malformed_signature',
			`a body nested over ${MAX_EMBEDDED_DEPTH} levels is not read (the signature is inside it)`,
		);
	const body = request.json();
	const signatures: string[] = [];
	for (const path of [signature.name, ...(signature.alternates ?? [])]) {
		const value = valueAtPath(body, path);
		if (typeof value === 'string' && value !== '') signatures.push(value);
		else if (value !== undefined && value !== null)
			return reject('malformed_signature', `the body's ${path} is not a string`);
	}
	return signatures.length
		? { signatures }
		: reject('missing_signature', `the body has no ${signature.name}`);
}

function extract(config: SchemeConfig, request: SchemeRequest): Extracted | VerificationResult {
	const { signature } = config;
	if (signature.location === 'body') return extractFromBody(config, request);
	const sent =
		signature.location === 'query'
			? request.query[signature.name]
			: request.headers[signature.name.toLowerCase()];
	// The same faults get the same reasons as in the dedicated verifiers (shared/signature.ts).
	if (Array.isArray(sent))
		return reject('malformed_signature', `${signature.name} was sent more than once`);
	const raw = single(sent);
	if (raw === undefined || raw === '')
		return reject('missing_signature', `the ${signature.name} ${signature.location} is missing`);
	if (signature.format === 'raw') return { signatures: [raw] };
	if (signature.format === 'prefix') {
		const prefix = signature.prefix ?? '';
		if (!raw.startsWith(prefix))
			return reject('malformed_signature', `${signature.name} does not start with "${prefix}"`);
		return { signatures: [raw.slice(prefix.length)] };
	}
	if (signature.format === 'list') {
		const version = `${signature.listVersion ?? 'v1'},`;
		const signatures = raw
			.split(' ')
			.filter((entry) => entry.startsWith(version))
			.map((entry) => entry.slice(version.length));
		return signatures.length
			? { signatures }
			: reject('missing_signature', `no ${version} entry in ${signature.name}`);
	}
	const signatures: string[] = [];
	let timestamp: string | undefined;
	for (const pair of raw.split(signature.pairSeparator ?? ',')) {
		const at = pair.indexOf('=');
		if (at <= 0) continue;
		const key = pair.slice(0, at).trim();
		const value = pair.slice(at + 1).trim();
		if (key === signature.signatureKey) signatures.push(value);
		else if (key === signature.timestampKey) {
			if (timestamp !== undefined)
				return reject('malformed_signature', `${signature.name} has more than one ${key}=`);
			timestamp = value;
		}
	}
	return signatures.length
		? { signatures, timestamp }
		: reject('missing_signature', `${signature.name} has no ${signature.signatureKey}= signature`);
}

function timestampText(
	config: SchemeConfig,
	request: SchemeRequest,
	extracted: Extracted,
): string | undefined {
	const source = config.timestamp?.source;
	if (source === 'signature') return extracted.timestamp;
	if (source === 'header') return headerValue(request.headers, config.timestamp?.name ?? '');
	if (source === 'body') return single(valueAtPath(request.json(), config.timestamp?.name ?? ''));
	return undefined;
}

function toSeconds(text: string, unit: 's' | 'ms' | 'iso'): number | undefined {
	if (unit === 'iso') {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
	}
	if (!/^\d{1,16}$/.test(text)) return undefined;
	return unit === 'ms' ? Math.floor(Number(text) / 1000) : Number(text);
}

/**
 * Fills a template. Returns undefined when a token has no value (a missing header or JSON field), so a
 * signature or id is never computed over a silently empty part.
 */
export function fillTemplate(
	template: string,
	request: SchemeRequest,
	extras: { timestamp?: string; json?: unknown; unverified?: boolean; form?: string } = {},
): SignedPart[] | undefined {
	const parts: SignedPart[] = [];
	let last = 0;
	let missing = false;
	template.replace(
		TOKEN,
		(match: string, token: string, argument: string | undefined, offset: number) => {
			if (offset > last) parts.push(template.slice(last, offset));
			last = offset + match.length;
			let value: SignedPart | undefined;
			if (token === 'body') value = request.rawBody;
			else if (token === 'timestamp') value = extras.timestamp;
			else if (token === 'method') value = request.method.toUpperCase();
			else if (token === 'url') value = request.url;
			else if (token === 'form') value = extras.form;
			else if (token === 'header' && argument) value = headerValue(request.headers, argument);
			else if (token === 'query' && argument) value = single(request.query[argument]);
			// Before verification nothing parses the body: a {json:…} token then counts as missing.
			else if (token === 'json' && argument && !extras.unverified)
				value = single(valueAtPath(extras.json ?? request.json(), argument));
			if (value === undefined) missing = true;
			else parts.push(value);
			return match;
		},
	);
	if (last < template.length) parts.push(template.slice(last));
	return missing ? undefined : parts;
}

/** A template evaluated to text (ids, types); alternatives `a || b` are tried in order. */
export function templateText(
	template: string,
	request: SchemeRequest,
	json?: unknown,
): string | undefined {
	for (const alternative of template.split('||').map((each) => each.trim())) {
		const parts = fillTemplate(alternative, request, { json });
		const text = parts
			?.map((part) => (Buffer.isBuffer(part) ? part.toString('utf8') : part))
			.join('');
		if (text) return text;
	}
	return undefined;
}

function readTimestamp(
	config: SchemeConfig,
	request: SchemeRequest,
	extracted: Extracted,
	nowSeconds: number,
) {
	if (!config.timestamp) return undefined;
	const text = timestampText(config, request, extracted);
	const timestamp = text === undefined ? undefined : toSeconds(text, config.timestamp.unit);
	if (timestamp === undefined)
		return reject('malformed_signature', 'the timestamp is missing or not in the configured unit');
	return (
		checkTimestamp({
			timestamp,
			nowSeconds,
			toleranceSeconds: config.timestamp.toleranceSeconds,
		}) ?? timestamp
	);
}

/** The value of the body-hash query parameter when the called URL carries it (the body is then JSON). */
function sentBodyHash(config: SchemeConfig, request: Pick<SchemeRequest, 'query'>) {
	return config.bodyHashQuery === undefined ? undefined : request.query[config.bodyHashQuery];
}

/** Whether the body is a form whose fields are signed ({form}), rather than bound by a hash or signed raw. */
function signsForm(config: SchemeConfig, request: Pick<SchemeRequest, 'query'>): boolean {
	return config.template.includes('{form}') && sentBodyHash(config, request) === undefined;
}

/**
 * The body as the scheme reads it once verified: a signed form's fields (a name sent twice holds a list), or
 * otherwise the JSON value (undefined when it is not JSON).
 */
export function bodyValue(
	config: SchemeConfig,
	request: Pick<SchemeRequest, 'query' | 'rawBody'>,
): unknown {
	if (signsForm(config, request)) return formObject(formFields(request.rawBody));
	try {
		return JSON.parse(request.rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
}

/** The {form} part of the signed content, or the rejection of a body that cannot be signed that way. */
function formContent(
	config: SchemeConfig,
	request: SchemeRequest,
): { form?: string; hash?: string } | VerificationResult {
	if (!config.template.includes('{form}')) return { form: undefined };
	const hash = sentBodyHash(config, request);
	if (hash !== undefined)
		return typeof hash === 'string'
			? { form: '', hash }
			: reject('malformed_signature', `the URL carries ${config.bodyHashQuery} more than once`);
	const tooLarge = formTooLarge(request.rawBody);
	if (tooLarge)
		return reject('malformed_signature', `${tooLarge} (the signature covers its parsed fields)`);
	return { form: signedFormContent(formFields(request.rawBody)) };
}

/**
 * Verifies a request against a scheme. Nothing but header parsing and the HMAC over the raw bytes runs before
 * the signature has matched: a timestamp read from the body is checked only afterwards, and signed content
 * never reads parsed JSON (activation refuses such templates; see schemeProblem).
 */
export function verifyScheme(
	config: SchemeConfig,
	request: SchemeRequest,
	secrets: readonly string[],
	nowSeconds: number,
): VerificationResult {
	// A public-key scheme's credential holds public keys; the others hold secrets (a token is used as it is).
	const asymmetric = config.algorithm === 'ecdsa-p256';
	const publicKeys = asymmetric
		? secrets.map(readPublicKey).filter((key): key is KeyObject => typeof key !== 'string')
		: [];
	const usable = asymmetric
		? []
		: secrets
				.map((secret) =>
					config.algorithm === 'token'
						? Buffer.from(secret.trim(), 'utf8')
						: secretKey(secret, config.secretEncoding),
				)
				.filter((key): key is Buffer => key !== undefined && isUsableKey(key));
	if (asymmetric ? publicKeys.length === 0 : usable.length === 0)
		return reject(
			'no_secret',
			asymmetric
				? 'no usable public key (expected PEM or base64)'
				: `no usable secret (expected ${config.secretEncoding} text)`,
		);
	const extracted = extract(config, request);
	if ('ok' in extracted) return extracted;

	const bodyTimestamp = config.timestamp?.source === 'body';
	let timestamp: number | undefined;
	if (config.timestamp && !bodyTimestamp) {
		const checked = readTimestamp(config, request, extracted, nowSeconds);
		if (typeof checked !== 'number')
			return checked ?? reject('malformed_signature', 'no timestamp');
		timestamp = checked;
	}

	let verdict: VerificationResult;
	if (config.algorithm === 'token') {
		// A shared token (GitLab's X-Gitlab-Token), compared as a digest with every configured secret.
		verdict = verifyMac({
			algorithm: 'token',
			secrets: usable,
			signedContent: [request.rawBody],
			candidates: [Buffer.from(extracted.signatures[0], 'utf8')],
		});
	} else {
		const { algorithm } = config;
		const fits = (bytes: Buffer) =>
			algorithm === 'ecdsa-p256'
				? isEcdsaDerSignature(bytes)
				: bytes.length === DIGEST_BYTES[algorithm];
		const candidates = extracted.signatures
			.map((value) => decodeBytes(value.trim(), config.signature.encoding))
			.filter((value): value is Buffer => value !== undefined && fits(value));
		if (candidates.length === 0)
			return reject(
				'malformed_signature',
				`${config.signature.name} is not ${signatureValue(config)}`,
			);
		const signedTimestamp = bodyTimestamp ? undefined : timestampText(config, request, extracted);
		const bound = formContent(config, request);
		if ('ok' in bound) return bound;
		const urls = config.eitherPort ? portVariants(request.url) : [request.url];
		let checked: VerificationResult = reject('signature_mismatch', 'no URL to check');
		for (const url of urls) {
			const content = fillTemplate(
				config.template,
				{ ...request, url },
				{
					timestamp: signedTimestamp,
					// A signature inside the body is signed over fields of the body, read before verification.
					unverified: config.signature.location !== 'body',
					form: bound.form,
				},
			);
			if (!content)
				return reject(
					'malformed_signature',
					'a part of the signed content (header or timestamp) is missing',
				);
			checked =
				algorithm === 'ecdsa-p256'
					? verifyPublicKey({ keys: publicKeys, signedContent: content, candidates })
					: verifyMac({
							algorithm,
							secrets: usable,
							signedContent: content,
							candidates,
						});
			if (checked.ok) break;
		}
		// The signed URL carries the body's hash: the body itself must hash to it.
		if (checked.ok && bound.hash !== undefined && !bodyMatchesHash(request.rawBody, bound.hash))
			checked = reject(
				'signature_mismatch',
				`the body does not hash to the signed URL's ${config.bodyHashQuery}`,
			);
		verdict = { ...checked, timestamp };
	}
	if (!verdict.ok || !bodyTimestamp) return verdict;
	// The body is authentic now: its timestamp may be read.
	const checked = readTimestamp(config, request, extracted, nowSeconds);
	if (typeof checked !== 'number') return checked ?? reject('malformed_signature', 'no timestamp');
	return { ...verdict, timestamp: checked };
}

/** One signature, in words: "32-byte HMAC-SHA256 in hex". */
function signatureValue({ algorithm, signature }: SchemeConfig): string {
	if (algorithm === 'ecdsa-p256') return `an ECDSA P-256 signature (DER) in ${signature.encoding}`;
	if (algorithm === 'token') return 'the secret token itself';
	return `${DIGEST_BYTES[algorithm]}-byte HMAC-${algorithm.toUpperCase()} in ${signature.encoding}`;
}

/** Where the signature is read and the form it must have, in words (for the test-listen diagnostics). */
export function signatureForm(config: SchemeConfig): { header: string; expected: string } {
	const { signature } = config;
	const header =
		signature.location === 'query'
			? `query parameter ${signature.name}`
			: signature.location === 'body'
				? `body field ${signature.name}`
				: signature.name;
	if (config.algorithm === 'token') return { header, expected: 'the secret token itself' };
	const value = `<${signatureValue(config)}>`;
	const expected =
		signature.format === 'prefix'
			? `${signature.prefix ?? ''}${value}`
			: signature.format === 'kv'
				? `${signature.timestampKey ? `${signature.timestampKey}=<time>${signature.pairSeparator ?? ','}` : ''}${signature.signatureKey ?? 'v1'}=${value}`
				: signature.format === 'list'
					? `${signature.listVersion ?? 'v1'},${value} (several separated by spaces)`
					: value;
	return { header, expected };
}

/** HTTP statuses a rejection may use: a 4xx the sender reads as "refused", never 410 (senders drop the endpoint). */
export function isRejectionStatus(status: unknown): boolean {
	return (
		typeof status === 'number' &&
		Number.isInteger(status) &&
		status >= 400 &&
		status <= 499 &&
		status !== 410
	);
}

/**
 * What makes a scheme unsafe or unusable, in words that say what to change; undefined when it is sound.
 * Checked at activation (and when a test listen starts), so a bad Custom scheme never goes live.
 */
export function schemeProblem(
	config: SchemeConfig,
	secrets: readonly string[],
): string | undefined {
	if (secrets.length === 0)
		return 'No secret is set in the credential. Paste the signing secret from the provider.';
	for (const [index, secret] of secrets.entries()) {
		const which = index === 0 ? 'The secret' : 'The previous secret';
		if (config.algorithm === 'ecdsa-p256') {
			const problem = readPublicKey(secret);
			if (typeof problem === 'string')
				return `${which} ${problem}. For this scheme it holds the provider's public verification key.`;
			continue;
		}
		const key =
			config.algorithm === 'token'
				? Buffer.from(secret.trim(), 'utf8')
				: secretKey(secret, config.secretEncoding);
		if (key === undefined)
			return `${which} is not valid ${config.secretEncoding} text. Check the "Secret Encoding" setting or copy the secret again.`;
		if (!isUsableKey(key))
			return `${which} decodes to zero bytes only, which anyone can sign with. Use the provider's real secret.`;
	}
	if (config.algorithm === 'token') return undefined;
	const template = config.template;
	if (config.unsignedBody) {
		return config.timestamp
			? undefined
			: 'The provider signs no body, so a signed timestamp must be checked: without one a captured signature is valid for ever.';
	}
	if (/\{json:[^}]*\}/.test(template)) {
		return 'The signed-content template reads a JSON field ({json:…}); signed content may only use the raw body, headers, query, method, URL and timestamp, since nothing is parsed before the signature is checked.';
	}
	if (!template.includes('{body}') && !template.includes('{form}')) {
		return 'The signed-content template has no {body} (or {form}): one captured signature would then carry any body. Add {body} where the provider signs it.';
	}
	if (config.timestamp && config.timestamp.source !== 'body' && !template.includes('{timestamp}')) {
		return 'A timestamp is checked but the signed-content template has no {timestamp}: a replay could simply send a fresh one. Add {timestamp} where the provider signs it, or set the timestamp source to None.';
	}
	return undefined;
}
