import { SendGridVerifiedApi } from '../../credentials/SendGridVerifiedApi.credentials';
import { SendGridVerifiedTrigger } from '../../nodes/SendGridVerifiedTrigger/SendGridVerifiedTrigger.node';
import { FakeSendGrid, keyPair, sampleSendGridEvent, signBatch } from '../fakes/fakeSendGrid';
import { FakeResponse, TriggerHarness, fakeRequest, logs } from '../support/n8nContexts';
import { SENDGRID_VECTORS, publishedVectorsText, sendGridSdkAccepts } from '../support/sendgrid';

/**
 * SendGrid Verified Trigger (#19): registration through the fake SendGrid v3 API (an Event Webhook, then its
 * signing, which issues the public key), ECDSA verification, per-event dedup of batches. Every signed batch used
 * here is first accepted by SendGrid's official verifier (@sendgrid/eventwebhook), and every forgery refused by
 * it too; manual registration is checked with the SDK's published vectors (deliveries SendGrid signed).
 */

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';
let fake: FakeSendGrid;

beforeEach(async () => {
	fake = new FakeSendGrid();
	await fake.start();
	logs.length = 0;
});
afterEach(async () => fake.stop());

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
) {
	return new TriggerHarness({
		nodeType: new SendGridVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.sendGridVerifiedTrigger',
		credentialType: new SendGridVerifiedApi(),
		credentials: {
			apiKey: fake.apiKey,
			environment: 'custom',
			baseUrl: fake.url,
			verificationKeys: '',
			...credentials,
		},
		parameters: {
			registration: 'automatic',
			events: ['delivered', 'bounce'],
			options: {},
			...parameters,
		},
	});
}

async function activate(trigger: TriggerHarness) {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

function request(payload: string, timestamp: string, signature: string | undefined) {
	return fakeRequest(
		Buffer.from(payload),
		signature === undefined
			? {}
			: {
					'x-twilio-email-event-webhook-signature': signature,
					'x-twilio-email-event-webhook-timestamp': timestamp,
				},
	);
}

/** A batch signed with `privateKey` (the registered webhook's unless given), checked by SendGrid's SDK first. */
function batch(
	events: object[],
	options: { privateKey?: ReturnType<typeof keyPair>['privateKey']; timestamp?: number } = {},
) {
	const [webhook] = fake.activeWebhooks();
	const key = options.privateKey ?? fake.keys.get(webhook.id).privateKey;
	const payload = `${JSON.stringify(events)}\r\n`;
	const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
	const signature = signBatch(key, timestamp, payload);
	const sdk = sendGridSdkAccepts(
		fake.keys.get(webhook.id).publicKey,
		payload,
		signature,
		timestamp,
	);
	return { payload, timestamp, signature, sdk };
}

async function deliver(trigger: TriggerHarness, req: ReturnType<typeof fakeRequest>) {
	const response = new FakeResponse();
	const result = await trigger.webhook(req, response);
	return { status: response.statusCode, items: result.workflowData?.[0] ?? [], response };
}

describe('SendGrid Verified Trigger lifecycle (n8n-core HookContext, fake SendGrid API)', () => {
	it('creates one Event Webhook with the URL and only the selected events, switches its signing on and seals the public key', async () => {
		const trigger = harness();
		await activate(trigger);
		expect(fake.activeWebhooks()).toHaveLength(1);
		const [webhook] = fake.activeWebhooks();
		expect(webhook).toMatchObject({
			url: PRODUCTION_URL,
			enabled: true,
			delivered: true,
			bounce: true,
			open: false,
			spam_report: false,
		});
		expect(webhook.friendly_name).toMatch(/^n8n verified webhooks:/);
		const publicKey = fake.keys.get(webhook.id).publicKey;
		expect(fake.callsTo('PATCH', '/v3/user/webhooks/event/settings/signed/')).toHaveLength(1);
		expect(JSON.stringify(trigger.nodeStaticData)).not.toContain(publicKey);
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('POST')).toHaveLength(1);
	});

	it('"All Events" switches every event type on (spam reports under spam_report), without repairing on every check', async () => {
		const trigger = harness({ events: ['*'] });
		await activate(trigger);
		const [webhook] = fake.activeWebhooks();
		for (const setting of ['bounce', 'click', 'open', 'spam_report', 'group_resubscribe'])
			expect(webhook[setting]).toBe(true);
		const patches = fake.callsTo('PATCH').length;
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(fake.callsTo('PATCH')).toHaveLength(patches);
	});

	it('an event switched off in SendGrid is switched on again by the next check', async () => {
		const trigger = harness();
		await activate(trigger);
		const [webhook] = fake.activeWebhooks();
		webhook.bounce = false;
		expect(await trigger.hook('checkExists')).toBe(true);
		expect(webhook.bounce).toBe(true);
	});

	it('repeated create leaves one webhook; delete removes it; a webhook already gone counts as removed', async () => {
		const trigger = harness();
		for (let attempt = 0; attempt < 3; attempt++) await trigger.hook('create');
		expect(fake.activeWebhooks()).toHaveLength(1);
		await trigger.hook('delete');
		expect(fake.activeWebhooks()).toHaveLength(0);
		await expect(trigger.hook('delete')).resolves.toBe(true);
	});

	it('signing that cannot be switched on fails the activation and leaves no unsigned webhook behind', async () => {
		fake.failNext({
			count: 1,
			status: 500,
			method: 'PATCH',
			path: '/v3/user/webhooks/event/settings/signed/',
		});
		await expect(activate(harness())).rejects.toMatchObject({
			message: expect.stringMatching(/SendGrid refused PATCH .*signed.* \(500\)/),
		});
		expect(fake.activeWebhooks()).toHaveLength(0);
		// When the clean-up fails too, the next activation removes the leftover before it creates one.
		fake.failNext({
			count: 1,
			status: 500,
			method: 'PATCH',
			path: '/v3/user/webhooks/event/settings/signed/',
		});
		fake.failNext({ count: 1, status: 500, method: 'DELETE' });
		await expect(activate(harness())).rejects.toThrow();
		expect(fake.activeWebhooks()).toHaveLength(1);
		await activate(harness());
		expect(fake.activeWebhooks()).toHaveLength(1);
		expect(fake.keys.has(fake.activeWebhooks()[0].id)).toBe(true);
	});

	it('a wrong API key fails activation saying what to check; a verification key that is no public key too', async () => {
		await expect(activate(harness({}, { apiKey: 'SG.wrong' }))).rejects.toMatchObject({
			description: expect.stringMatching(/API Key .*SendGrid \(Verified Webhooks\) API/),
		});
		await expect(
			activate(harness({ registration: 'manual' }, { verificationKeys: 'not-a-key' })),
		).rejects.toThrow(/cannot verify anything: secret 1 is not a public key/);
		await expect(activate(harness({ registration: 'manual' }))).rejects.toThrow(
			/holds no SendGrid verification key/,
		);
	});
});

describe('SendGrid Verified Trigger webhook() (n8n-core WebhookContext)', () => {
	async function active() {
		const trigger = harness();
		await activate(trigger);
		return trigger;
	}

	it('emits one item per sg_event_id of a batch the SDK accepts, and drops them when the batch comes again', async () => {
		const trigger = await active();
		const events = [
			sampleSendGridEvent('delivered', { sg_event_id: 'sg_1' }),
			sampleSendGridEvent('bounce', { sg_event_id: 'sg_2', type: 'blocked' }),
			sampleSendGridEvent('delivered', { sg_event_id: 'sg_3' }),
		];
		const signed = batch(events);
		expect(signed.sdk).toBe(true);
		const first = await deliver(
			trigger,
			request(signed.payload, signed.timestamp, signed.signature),
		);
		expect(first.status).toBe(200);
		expect(first.items.map((item) => item.json.verifiedWebhook)).toEqual([
			expect.objectContaining({ provider: 'sendgrid', eventId: 'sg_1', eventType: 'delivered' }),
			expect.objectContaining({ eventId: 'sg_2', eventType: 'bounce' }),
			expect.objectContaining({ eventId: 'sg_3', messageId: events[2].sg_message_id }),
		]);
		expect(first.items[1].json).toMatchObject({ email: 'someone@example.com', type: 'blocked' });
		const again = await deliver(
			trigger,
			request(signed.payload, signed.timestamp, signed.signature),
		);
		expect([again.status, again.items]).toEqual([200, []]);
		// A new batch holding one event already seen and one new: only the new one runs.
		const mixed = batch([events[0], sampleSendGridEvent('delivered', { sg_event_id: 'sg_4' })]);
		const third = await deliver(trigger, request(mixed.payload, mixed.timestamp, mixed.signature));
		expect(third.items.map((item) => item.json.sg_event_id)).toEqual(['sg_4']);
	});

	it('refuses with 401 what SendGrid’s SDK refuses: another key, a changed body, a changed or stale timestamp, no signature, a signature that is not DER', async () => {
		const trigger = await active();
		const events = [sampleSendGridEvent('delivered')];
		const other = batch(events, { privateKey: keyPair().privateKey });
		const genuine = batch(events);
		const stale = batch(events, { timestamp: Math.floor(Date.now() / 1000) - 900 });
		const tampered = genuine.payload.replace('someone@', 'attacker@');
		const later = String(Number(genuine.timestamp) + 1);
		const [webhook] = fake.activeWebhooks();
		const publicKey = fake.keys.get(webhook.id).publicKey;
		expect(other.sdk).toBe(false);
		expect(sendGridSdkAccepts(publicKey, tampered, genuine.signature, genuine.timestamp)).toBe(
			false,
		);
		expect(sendGridSdkAccepts(publicKey, genuine.payload, genuine.signature, later)).toBe(false);
		const answers = await Promise.all(
			[
				request(other.payload, other.timestamp, other.signature),
				request(tampered, genuine.timestamp, genuine.signature),
				request(genuine.payload, later, genuine.signature),
				request(stale.payload, stale.timestamp, stale.signature),
				request(genuine.payload, genuine.timestamp, undefined),
				request(genuine.payload, genuine.timestamp, Buffer.alloc(64, 7).toString('base64')),
			].map(async (req) => await deliver(trigger, req)),
		);
		expect(answers.map((answer) => [answer.status, answer.items.length])).toEqual(
			Array(6).fill([401, 0]),
		);
		expect(answers.map((answer) => (answer.response.body as { reason: string }).reason)).toEqual([
			'signature_mismatch',
			'signature_mismatch',
			'signature_mismatch',
			'timestamp_too_old',
			'missing_signature',
			'malformed_signature',
		]);
		// The genuine batch still runs afterwards: the refusals recorded nothing.
		expect(
			(await deliver(trigger, request(genuine.payload, genuine.timestamp, genuine.signature)))
				.items,
		).toHaveLength(1);
	});

	it('answers 200 without an execution to a batch of unselected events, and 400 to a signed body that is not a batch of events', async () => {
		const trigger = await active();
		const opens = batch([sampleSendGridEvent('open')]);
		const ignored = await deliver(
			trigger,
			request(opens.payload, opens.timestamp, opens.signature),
		);
		expect([ignored.status, ignored.items]).toEqual([200, []]);
		const noId = batch([{ event: 'delivered', email: 'x@example.com' }]);
		const malformed = await deliver(trigger, request(noId.payload, noId.timestamp, noId.signature));
		expect([malformed.status, (malformed.response.body as { reason: string }).reason]).toEqual([
			400,
			'malformed_payload',
		]);
	});

	it('manual registration verifies deliveries SendGrid signed (the SDK’s published vectors) with the Verification Key in the credential', async () => {
		const published = publishedVectorsText();
		for (const vector of SENDGRID_VECTORS) {
			expect(published).toContain(vector.signature);
			expect(
				sendGridSdkAccepts(vector.spki, vector.payload, vector.signature, vector.timestamp),
			).toBe(true);
			const trigger = harness(
				{ registration: 'manual', events: ['*'], options: { toleranceSeconds: 0 } },
				{
					verificationKeys: `${SENDGRID_VECTORS[1 - SENDGRID_VECTORS.indexOf(vector)].spki}, ${vector.spki}`,
				},
			);
			await activate(trigger);
			const delivered = await deliver(
				trigger,
				request(vector.payload, vector.timestamp, vector.signature),
			);
			const ids = (JSON.parse(vector.payload) as Array<{ sg_event_id: string }>).map(
				(event) => event.sg_event_id,
			);
			expect(delivered.items.map((item) => item.json.verifiedWebhook)).toEqual(
				ids.map((eventId) => expect.objectContaining({ eventId })),
			);
			// The window is on by default: these vectors are years old.
			const windowed = harness(
				{ registration: 'manual', events: ['*'] },
				{ verificationKeys: vector.spki },
			);
			const stale = await deliver(
				windowed,
				request(vector.payload, vector.timestamp, vector.signature),
			);
			expect(stale.status).toBe(401);
		}
		expect(fake.activeWebhooks()).toHaveLength(0);
	});
});
