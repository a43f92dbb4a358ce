import { createHmac } from 'crypto';

import { PRESETS } from '../../nodes/SignedWebhookTrigger/presets';
import {
	fillTemplate,
	isRejectionStatus,
	schemeProblem,
	templateText,
	verifyScheme,
	type SchemeConfig,
	type SchemeRequest,
} from '../../nodes/SignedWebhookTrigger/scheme';
import { SENDGRID_VECTORS } from '../support/sendgrid';

/** What the credential holds for a preset: a secret, or for SendGrid its published public key. */
const secretFor = (preset: string) =>
	preset === 'sendgrid' ? SENDGRID_VECTORS[0].spki : 'a-real-secret-value';

/**
 * The body and timestamp of the known-answer vectors of ../shared/reference/providers.md §3.3. For the presets
 * below these are HMACs computed with node:crypto from each provider's documented scheme, not examples the
 * providers publish (none of them publishes one); Slack, Linear and Square are also checked against their
 * official verifiers in officialSdkCrossChecks.test.ts.
 */
const BODY = '{"id":"evt_test_1","type":"test.event","data":{"amount":1999}}';
const TS = 1_700_000_000;

/** How often a verifier asked for the parsed body (it may only after the signature matched). */
let parses = 0;

function request(
	headers: Record<string, string>,
	body = BODY,
	url = 'https://example.com/webhook/x',
): SchemeRequest {
	const lower = Object.fromEntries(
		Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
	);
	const json = () => {
		parses++;
		try {
			return JSON.parse(body) as unknown;
		} catch {
			return undefined;
		}
	};
	return { rawBody: Buffer.from(body), headers: lower, query: {}, method: 'POST', url, json };
}

function verify(
	preset: string,
	headers: Record<string, string>,
	secret: string,
	options: { body?: string; url?: string; now?: number; config?: Partial<SchemeConfig> } = {},
) {
	const config = { ...PRESETS[preset].config, ...options.config };
	return verifyScheme(
		config,
		request(headers, options.body, options.url),
		[secret],
		options.now ?? TS,
	);
}

describe('Signed Webhook presets against the known-answer vectors of providers.md §3.3 (node:crypto)', () => {
	it.each([
		[
			'slack',
			{
				'X-Slack-Signature': 'v0=be12730c495fe05ffdde9ab43b59806a7f08672cf975b38d63be07b41ae61663',
				'X-Slack-Request-Timestamp': String(TS),
			},
			'slack_test_secret',
		],
		[
			'woocommerce',
			{ 'X-WC-Webhook-Signature': '3eFG0Ts26tOmugIBstAnEIU6WIXVuZgO4NEDm6X/tKE=' },
			'wc_test_secret',
		],
		[
			'calendly',
			{
				'Calendly-Webhook-Signature': `t=${TS},v1=2600b2316193bdb43714bf55bb972f496692b23f8261bd07c04260bc4e26e52b`,
			},
			'cal_test_key',
		],
		[
			'typeform',
			{ 'Typeform-Signature': 'sha256=YxoYE+4zXlfUAXUqQ6nS+/sHjFoe1FEmWPID8qkVoHE=' },
			'tf_test_secret',
		],
		[
			'zoom',
			{
				'x-zm-signature': 'v0=133cdf4155679f6965746f55c4278a23b76046d9d51f8b767ec8c5adcd23375b',
				'x-zm-request-timestamp': String(TS),
			},
			'zoom_secret',
		],
		[
			'lemonSqueezy',
			{ 'X-Signature': '41ded03352604fd0bda1daea8828c7ae328fdbb16fb61c0538a2dc3235a857b7' },
			'ls_test_secret',
		],
	])(
		'%s: the published vector verifies, and one changed byte does not',
		(preset, headers, secret) => {
			expect(verify(preset, headers, secret)).toMatchObject({ ok: true });
			expect(verify(preset, headers, secret, { body: BODY.replace('1999', '1998') })).toMatchObject(
				{ ok: false, reason: 'signature_mismatch' },
			);
			expect(verify(preset, headers, `${secret}x`)).toMatchObject({
				ok: false,
				reason: 'signature_mismatch',
			});
		},
	);

	it('square: signs the notification URL exactly as registered, then the body', () => {
		const headers = {
			'x-square-hmacsha256-signature': 'S0LiDb463N+d31jJjEff8fNluwiTH1xOMQ/jC0zKLBw=',
		};
		expect(
			verify('square', headers, 'sq_test_key', { url: 'https://example.com/webhook/square' }),
		).toMatchObject({ ok: true });
		expect(
			verify('square', headers, 'sq_test_key', { url: 'https://example.com/webhook-test/square' }),
		).toMatchObject({ reason: 'signature_mismatch' });
	});

	it("twilio: both vectors of providers.md §3.3 (made by twilio's getExpectedTwilioSignature) verify; one changed field or body byte does not", () => {
		const url = 'https://example.com/webhook/twilio';
		const form = new URLSearchParams({
			To: '+15552223333',
			From: '+15550001111',
			Body: 'Hi',
			MessageSid: 'SM123',
			AccountSid: 'AC123',
		}).toString();
		const formHeaders = { 'X-Twilio-Signature': 'OfWWKaMAZQesiOq4/WjtP3USc4A=' };
		expect(verify('twilio', formHeaders, 'twilio_auth_token', { body: form, url })).toMatchObject({
			ok: true,
		});
		expect(
			verify('twilio', formHeaders, 'twilio_auth_token', {
				body: form.replace('Hi', 'Ho'),
				url,
			}),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });

		// JSON: the URL carries the body's SHA-256; the vector's body is the 62 bytes above.
		const hash = '37e9dd1c6891cb0e47f3751ad005f89f5080620857e01041e412098384804701';
		const jsonRequest = (body: string) => ({
			...request(
				{ 'X-Twilio-Signature': 'ExIo0xw8WjQIpaIXpq2bcLVrlMg=' },
				body,
				`${url}?bodySHA256=${hash}`,
			),
			query: { bodySHA256: hash },
		});
		const twilio = PRESETS.twilio.config;
		expect(verifyScheme(twilio, jsonRequest(BODY), ['twilio_auth_token'], TS)).toMatchObject({
			ok: true,
		});
		expect(
			verifyScheme(twilio, jsonRequest(BODY.replace('1999', '1998')), ['twilio_auth_token'], TS),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	describe('mailgun: the signature is inside the body, over its timestamp and token only', () => {
		// providers.md §3.3's vector (node:crypto; Mailgun publishes no code and no example with its key).
		const vector = 'c5bb3c57d5ccc4e3b66fa1c69bc9f83904108018064fb5c5bdc95487eae5d0ff';
		const body = (signature: Record<string, unknown>, eventData: object = { id: 'ev1' }) =>
			JSON.stringify({
				signature: { timestamp: String(TS), token: 'a'.repeat(50), ...signature },
				'event-data': eventData,
			});
		const mailgun = (text: string, secret = 'mg_signing_key', now = TS) =>
			verify('mailgun', {}, secret, { body: text, now });

		it('the vector verifies; another key, token or timestamp does not', () => {
			expect(mailgun(body({ signature: vector }))).toMatchObject({ ok: true, timestamp: TS });
			expect(mailgun(body({ signature: vector }), 'mg_signing_keY')).toMatchObject({
				reason: 'signature_mismatch',
			});
			expect(mailgun(body({ signature: vector, token: 'b'.repeat(50) }))).toMatchObject({
				reason: 'signature_mismatch',
			});
			expect(mailgun(body({ signature: vector, timestamp: String(TS + 1) }))).toMatchObject({
				reason: 'signature_mismatch',
			});
		});

		it("a subaccount's event verifies with the primary account's key (parent-signature)", () => {
			const text = body({ signature: 'f'.repeat(64), 'parent-signature': vector });
			expect(mailgun(text)).toMatchObject({ ok: true });
			expect(mailgun(text, 'another-key')).toMatchObject({ reason: 'signature_mismatch' });
		});

		it('the event data is not signed: another body verifies, with the same fingerprint (the replay key)', () => {
			const first = mailgun(body({ signature: vector }, { id: 'ev1', event: 'delivered' }));
			const forged = mailgun(body({ signature: vector }, { id: 'ev2', event: 'failed' }));
			expect(forged).toMatchObject({ ok: true });
			expect(first.ok && forged.ok && first.fingerprint?.equals(forged.fingerprint!)).toBe(true);
		});

		it('the timestamp is checked after the signature; a missing or malformed signature is refused', () => {
			expect(mailgun(body({ signature: vector }), 'mg_signing_key', TS + 301)).toMatchObject({
				reason: 'timestamp_too_old',
			});
			expect(mailgun(body({}))).toMatchObject({ reason: 'missing_signature' });
			expect(mailgun(body({ signature: 12 }))).toMatchObject({ reason: 'malformed_signature' });
			expect(mailgun(body({ signature: 'zz' }))).toMatchObject({ reason: 'malformed_signature' });
			expect(mailgun('not json')).toMatchObject({ reason: 'missing_signature' });
		});

		it('a body nested deeper than 32 levels is refused before it is parsed; strings do not count', () => {
			parses = 0;
			const deep = body(
				{ signature: vector },
				{ id: 'ev1', deep: JSON.parse(`${'['.repeat(31)}${']'.repeat(31)}`) },
			);
			expect(mailgun(deep)).toMatchObject({
				reason: 'malformed_signature',
				detail: expect.stringMatching(/nested over 32/),
			});
			expect(parses).toBe(0);
			const shallow = body(
				{ signature: vector },
				{
					id: 'ev1',
					deep: JSON.parse(`${'['.repeat(29)}${']'.repeat(29)}`),
					text: '[[[["\\"{{{{'.repeat(20),
				},
			);
			expect(mailgun(shallow)).toMatchObject({ ok: true });
		});

		it('a body over 256 KiB is refused before it is parsed', () => {
			parses = 0;
			const big = body({ signature: vector }, { id: 'ev1', pad: 'x'.repeat(256 * 1024) });
			expect(mailgun(big)).toMatchObject({ reason: 'malformed_signature' });
			expect(parses).toBe(0);
		});
	});

	it('linear: the vector verifies over the body; the preset also requires webhookTimestamp within 60 s', () => {
		const headers = {
			'Linear-Signature': '05bed99f3047ba1564c61b48d9000cf6fac9aa239dcbdef161ae103236c71797',
		};
		expect(
			verify('linear', headers, 'lin_wh_test', { config: { timestamp: undefined } }),
		).toMatchObject({ ok: true });
		expect(verify('linear', headers, 'lin_wh_test')).toMatchObject({
			reason: 'malformed_signature',
		});
		const body = JSON.stringify({
			action: 'create',
			type: 'Issue',
			webhookTimestamp: TS * 1000 - 30_000,
		});
		const signature = createHmac('sha256', 'lin_wh_test').update(body).digest('hex');
		expect(
			verify('linear', { 'Linear-Signature': signature }, 'lin_wh_test', { body }),
		).toMatchObject({ ok: true });
		expect(
			verify('linear', { 'Linear-Signature': signature }, 'lin_wh_test', { body, now: TS + 60 }),
		).toMatchObject({ reason: 'timestamp_too_old' });
	});

	it('slack and zoom refuse a stale timestamp before the HMAC', () => {
		const headers = {
			'X-Slack-Signature': 'v0=be12730c495fe05ffdde9ab43b59806a7f08672cf975b38d63be07b41ae61663',
			'X-Slack-Request-Timestamp': String(TS),
		};
		expect(verify('slack', headers, 'slack_test_secret', { now: TS + 301 })).toMatchObject({
			reason: 'timestamp_too_old',
		});
	});

	it('gitlab: a shared token compared in constant time', () => {
		expect(verify('gitlab', { 'X-Gitlab-Token': 'gl-token' }, 'gl-token')).toMatchObject({
			ok: true,
		});
		expect(verify('gitlab', { 'X-Gitlab-Token': 'gl-tokem' }, 'gl-token')).toMatchObject({
			reason: 'signature_mismatch',
		});
		expect(verify('gitlab', {}, 'gl-token')).toMatchObject({ reason: 'missing_signature' });
	});

	it('every preset refuses a missing signature and an empty secret', () => {
		for (const preset of Object.keys(PRESETS)) {
			expect(verify(preset, {}, 'secret')).toMatchObject({ ok: false });
			expect(verifyScheme(PRESETS[preset].config, request({}), [''], TS)).toMatchObject({
				reason: 'no_secret',
			});
		}
	});
});

describe('Custom schemes', () => {
	it('expresses Standard Webhooks (whsec_ key, space list, id.timestamp.body) and matches its vector', () => {
		const config: SchemeConfig = {
			algorithm: 'sha256',
			secretEncoding: 'whsec',
			signature: {
				location: 'header',
				name: 'webhook-signature',
				format: 'list',
				listVersion: 'v1',
				encoding: 'base64',
			},
			template: '{header:webhook-id}.{timestamp}.{body}',
			timestamp: { source: 'header', name: 'webhook-timestamp', unit: 's', toleranceSeconds: 300 },
			eventId: '{header:webhook-id}',
		};
		const headers = {
			'webhook-id': 'msg_test_1',
			'webhook-timestamp': String(TS),
			'webhook-signature': 'v1,bad v1,3dx9qx/CiGIRVpcXfY5Py3KVd4d5rU1wJ0O4xFuQIOY=',
		};
		expect(
			verifyScheme(config, request(headers), ['whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3'], TS),
		).toMatchObject({ ok: true });
	});

	it('expresses Paddle (kv with ; and ts/h1) and HubSpot-like ms timestamps', () => {
		const config: SchemeConfig = {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'Paddle-Signature',
				format: 'kv',
				pairSeparator: ';',
				signatureKey: 'h1',
				timestampKey: 'ts',
				encoding: 'hex',
			},
			template: '{timestamp}:{body}',
			timestamp: { source: 'signature', unit: 's', toleranceSeconds: 300 },
			eventId: '{json:id}',
		};
		const header = `ts=${TS};h1=a4861d63e1df7a7f36987944049d72ef85736c0e9f9ed63cd93ddd85dd5c1780`;
		expect(
			verifyScheme(config, request({ 'Paddle-Signature': header }), ['pdl_ntfset_test_secret'], TS),
		).toMatchObject({ ok: true });
	});

	it('refuses to sign over a missing part instead of treating it as empty', () => {
		expect(fillTemplate('{header:x-missing}.{body}', request({}))).toBeUndefined();
	});

	it('evaluates id templates with fallbacks and composites', () => {
		const scheme = request(
			{ 'x-a': '' },
			JSON.stringify({ event: 'invitee.created', payload: { uri: 'https://x/1' } }),
		);
		expect(templateText('{header:x-a} || {json:event}:{json:payload.uri}', scheme)).toBe(
			'invitee.created:https://x/1',
		);
		expect(templateText('{json:missing}', scheme)).toBeUndefined();
	});
});

describe('the Provider parameter', () => {
	it('lists exactly the presets (plus Custom), with Slack as the default', async () => {
		const { signedWebhookProperties } = await import(
			'../../nodes/SignedWebhookTrigger/description'
		);
		const parameter = signedWebhookProperties.find((property) => property.name === 'preset')!;
		const values = (parameter.options as Array<{ value: string }>)
			.map((option) => option.value)
			.sort();
		expect(values).toEqual([...Object.keys(PRESETS), 'custom'].sort());
		expect(parameter.default).toBe('slack');
	});

	it("lists each preset under its preset's name (n8n's lint title-cases it) and shows where its secret is", async () => {
		const { signedWebhookProperties } = await import(
			'../../nodes/SignedWebhookTrigger/description'
		);
		const parameter = signedWebhookProperties.find((property) => property.name === 'preset')!;
		for (const option of parameter.options as Array<{ name: string; value: string }>) {
			if (option.value === 'custom') continue;
			expect([option.value, option.name.toLowerCase()]).toEqual([
				option.value,
				PRESETS[option.value].name.toLowerCase(),
			]);
			const hint = signedWebhookProperties.find(
				(property) =>
					property.type === 'notice' && property.displayOptions?.show?.preset?.[0] === option.value,
			);
			expect(hint?.displayName).toContain(PRESETS[option.value].secretHint);
		}
	});
});

describe('nothing but the HMAC runs before verification', () => {
	it('a forged Linear delivery (timestamp in the body) is refused without parsing the body', () => {
		const body = JSON.stringify({ webhookTimestamp: TS * 1000, type: 'Issue' });
		parses = 0;
		expect(
			verify('linear', { 'Linear-Signature': 'ab'.repeat(32) }, 'lin_wh_test', { body }),
		).toMatchObject({ reason: 'signature_mismatch' });
		expect(parses).toBe(0);
	});

	it('a genuine Linear delivery parses its body once the signature matched, then checks the timestamp', () => {
		const body = JSON.stringify({ webhookTimestamp: TS * 1000, type: 'Issue' });
		const signature = createHmac('sha256', 'lin_wh_test').update(body).digest('hex');
		parses = 0;
		expect(
			verify('linear', { 'Linear-Signature': signature }, 'lin_wh_test', { body }),
		).toMatchObject({ ok: true, timestamp: TS });
		expect(parses).toBe(1);
	});

	it('an unsigned 16 MB body of nested arrays is refused for every preset without being parsed', () => {
		const text = '['.repeat(8 * 1024 * 1024) + ']'.repeat(8 * 1024 * 1024);
		const scheme = request({}, text);
		parses = 0;
		// Timed against one HMAC-SHA256 over the same bytes, on the same machine at the same moment (what a
		// delivery with a wrong signature costs): refusing unread takes microseconds, so a quarter of it is a
		// wide margin that a verifier hashing or scanning the body could not meet.
		const body = Buffer.from(text);
		let hmacMs = Infinity;
		for (let attempt = 0; attempt < 3; attempt++) {
			const started = performance.now();
			createHmac('sha256', 'x').update(body).digest();
			hmacMs = Math.min(hmacMs, performance.now() - started);
		}
		for (const preset of Object.keys(PRESETS)) {
			// Only the verifier is timed (building the 16 MB request is the test's own cost). It reads headers
			// and stops; parsing that body would take seconds, hashing it ~20 ms.
			// The fastest of 3 tries: on a loaded 2-core machine one try can lose 10 ms to a GC pause or to
			// another process (the full unit run once saw 10.3 ms against a fixed 10 ms bound).
			let ms = Infinity;
			let verdict = verifyScheme(PRESETS[preset].config, scheme, [secretFor(preset)], TS);
			for (let attempt = 0; attempt < 3; attempt++) {
				const started = performance.now();
				verdict = verifyScheme(PRESETS[preset].config, scheme, [secretFor(preset)], TS);
				ms = Math.min(ms, performance.now() - started);
			}
			// Mailgun's signature is inside the body: a body that large is refused unread.
			const reason = preset === 'mailgun' ? 'malformed_signature' : 'missing_signature';
			expect([preset, verdict]).toMatchObject([preset, { ok: false, reason }]);
			expect([preset, ms < hmacMs / 4]).toEqual([preset, true]);
		}
		expect(parses).toBe(0);
	});
});

describe('schemeProblem: unsafe schemes are refused at activation', () => {
	const base: SchemeConfig = {
		algorithm: 'sha256',
		secretEncoding: 'utf8',
		signature: { location: 'header', name: 'X-Signature', format: 'raw', encoding: 'hex' },
		template: '{body}',
		eventId: '{json:id}',
	};
	const problem = (config: Partial<SchemeConfig>, secrets = ['a-real-secret']) =>
		schemeProblem({ ...base, ...config }, secrets);

	it('accepts every preset with a real secret (SendGrid: a real public key)', () => {
		for (const [name, preset] of Object.entries(PRESETS))
			expect([name, schemeProblem(preset.config, [secretFor(name)])]).toEqual([name, undefined]);
	});

	it.each(['', '{method}', '{url}', 'constant', '{header:x-id}'])(
		'refuses the template %j: it does not sign the body',
		(template) => {
			expect(problem({ template })).toMatch(/no \{body\}/);
		},
	);

	it('refuses a scheme that signs no body (Mailgun) without a timestamp window', () => {
		const mailgun = PRESETS.mailgun.config;
		expect(schemeProblem(mailgun, ['key'])).toBeUndefined();
		expect(schemeProblem({ ...mailgun, timestamp: undefined }, ['key'])).toMatch(
			/signs no body, so a signed timestamp must be checked/,
		);
	});

	it('refuses signed content that reads parsed JSON', () => {
		expect(problem({ template: '{json:id}.{body}' })).toMatch(/JSON field/);
	});

	it('refuses a header timestamp that is checked but not signed', () => {
		expect(
			problem({ timestamp: { source: 'header', name: 'X-Ts', unit: 's', toleranceSeconds: 300 } }),
		).toMatch(/no \{timestamp\}/);
		expect(
			problem({
				template: '{timestamp}.{body}',
				timestamp: { source: 'header', name: 'X-Ts', unit: 's', toleranceSeconds: 300 },
			}),
		).toBeUndefined();
	});

	it.each([
		['00', 'hex'],
		['AA==', 'base64'],
		['whsec_AAAA', 'whsec'],
	] as const)(
		'refuses the all-zero key %s (%s): HMACs with an empty key would verify',
		(secret, secretEncoding) => {
			expect(problem({ secretEncoding }, [secret])).toMatch(/zero bytes/);
			// And verification itself refuses it, for a workflow activated before this check.
			const verdict = verifyScheme(
				{ ...base, secretEncoding },
				request({ 'X-Signature': createHmac('sha256', '').update(BODY).digest('hex') }),
				[secret],
				TS,
			);
			expect(verdict).toMatchObject({ ok: false, reason: 'no_secret' });
		},
	);

	it('refuses a secret that is not valid in its encoding, and no secret at all', () => {
		expect(problem({ secretEncoding: 'hex' }, ['not-hex'])).toMatch(/not valid hex/);
		expect(problem({}, [])).toMatch(/No secret/);
	});

	it.each([0, 99, 1000, -1, 410, 200, 401.5])('isRejectionStatus(%p) is false', (status) => {
		expect(isRejectionStatus(status)).toBe(false);
	});

	it.each([400, 401, 403, 499])('isRejectionStatus(%p) is true', (status) => {
		expect(isRejectionStatus(status)).toBe(true);
	});
});
