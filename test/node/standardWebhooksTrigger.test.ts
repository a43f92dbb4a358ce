import { generateKeyPairSync, sign as cryptoSign } from 'crypto';
import { Webhook } from 'standardwebhooks';

import { StandardWebhooksVerifiedApi } from '../../credentials/StandardWebhooksVerifiedApi.credentials';
import { StandardWebhooksVerifiedTrigger } from '../../nodes/StandardWebhooksVerifiedTrigger/StandardWebhooksVerifiedTrigger.node';
import { standardWebhooks } from '../../nodes/StandardWebhooksVerifiedTrigger/provider';
import { FakeResponse, TriggerHarness, fakeRequest } from '../support/n8nContexts';

const CURRENT = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3';
const PREVIOUS = 'whsec_cHJldmlvdXNwcmV2aW91c3ByZXZpb3Vz';

function harness(parameters: Record<string, unknown> = {}) {
	return new TriggerHarness({
		nodeType: new StandardWebhooksVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.standardWebhooksVerifiedTrigger',
		credentialType: new StandardWebhooksVerifiedApi(),
		credentials: { signingSecret: CURRENT, previousSigningSecret: PREVIOUS },
		parameters: { eventTypes: '', options: {}, ...parameters },
	});
}

/** A delivery signed by the official `standardwebhooks` package. */
function delivery(
	payload: object,
	options: { id?: string; secret?: string; prefix?: string; at?: Date } = {},
) {
	const text = JSON.stringify(payload);
	const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
	const at = options.at ?? new Date();
	const prefix = options.prefix ?? 'webhook-';
	return fakeRequest(Buffer.from(text), {
		[`${prefix}id`]: id,
		[`${prefix}timestamp`]: String(Math.floor(at.getTime() / 1000)),
		[`${prefix}signature`]: new Webhook(options.secret ?? CURRENT).sign(id, at, text),
	});
}

describe('Standard Webhooks Verified Trigger', () => {
	it('emits one item per webhook-id and drops a retry', async () => {
		const trigger = harness();
		const response = new FakeResponse();
		const result = await trigger.webhook(
			delivery({ type: 'invoice.paid', data: { id: 'in_1' } }, { id: 'msg_1' }),
			response,
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({
			type: 'invoice.paid',
			verifiedWebhook: {
				provider: 'standard-webhooks',
				eventId: 'msg_1',
				eventType: 'invoice.paid',
			},
		});
		const retry = await trigger.webhook(
			delivery({ type: 'invoice.paid', data: { id: 'in_1' } }, { id: 'msg_1' }),
			new FakeResponse(),
		);
		expect(retry.workflowData).toBeUndefined();
	});

	it('accepts svix- headers and the previous secret; refuses another secret and an old timestamp with 401', async () => {
		const trigger = harness();
		expect(
			(await trigger.webhook(delivery({ type: 'a' }, { prefix: 'svix-' }), new FakeResponse()))
				.workflowData,
		).toHaveLength(1);
		expect(
			(await trigger.webhook(delivery({ type: 'a' }, { secret: PREVIOUS }), new FakeResponse()))
				.workflowData,
		).toHaveLength(1);
		const other = new FakeResponse();
		const unrelated = `whsec_${Buffer.from('otherotherotherotherother').toString('base64')}`;
		await trigger.webhook(delivery({ type: 'a' }, { secret: unrelated }), other);
		const old = new FakeResponse();
		await trigger.webhook(delivery({ type: 'a' }, { at: new Date(Date.now() - 600_000) }), old);
		expect([other.statusCode, old.statusCode]).toEqual([401, 401]);
	});

	it('v1a: a whpk_ public key in the credential verifies Ed25519 deliveries (one run per webhook-id); a v1 HMAC entry alone is 401', async () => {
		// No library signs v1a: node:crypto with a throwaway key (the primitive is pinned by RFC 8032 vectors).
		const { publicKey, privateKey } = generateKeyPairSync('ed25519');
		const whpk = `whpk_${publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64')}`;
		const trigger = new TriggerHarness({
			nodeType: new StandardWebhooksVerifiedTrigger(),
			typeName: 'n8n-nodes-verified-webhooks.standardWebhooksVerifiedTrigger',
			credentialType: new StandardWebhooksVerifiedApi(),
			credentials: { signingSecret: whpk, previousSigningSecret: '' },
			parameters: { eventTypes: '', options: {} },
		});
		const send = async (id: string, signature: (content: Buffer) => string) => {
			const text = JSON.stringify({ type: 'invoice.paid', data: { id } });
			const timestamp = String(Math.floor(Date.now() / 1000));
			const response = new FakeResponse();
			const result = await trigger.webhook(
				fakeRequest(Buffer.from(text), {
					'webhook-id': id,
					'webhook-timestamp': timestamp,
					'webhook-signature': signature(Buffer.from(`${id}.${timestamp}.${text}`)),
				}),
				response,
			);
			return { status: response.statusCode, items: result.workflowData?.[0]?.length ?? 0 };
		};
		const v1a = (content: Buffer) =>
			`v1a,${cryptoSign(null, content, privateKey).toString('base64')}`;
		expect(await send('msg_v1a_1', v1a)).toEqual({ status: 200, items: 1 });
		expect(await send('msg_v1a_1', v1a)).toEqual({ status: 200, items: 0 });
		const other = generateKeyPairSync('ed25519').privateKey;
		expect(
			await send(
				'msg_v1a_2',
				(content) => `v1a,${cryptoSign(null, content, other).toString('base64')}`,
			),
		).toEqual({ status: 401, items: 0 });
		expect(
			await send('msg_v1a_3', () => new Webhook(CURRENT).sign('msg_v1a_3', new Date(), '{}')),
		).toEqual({ status: 401, items: 0 });
	});

	it('filters by event type at a configurable path', async () => {
		const trigger = harness({
			eventTypes: 'user.created',
			options: { eventTypePath: 'event.kind' },
		});
		const skipped = new FakeResponse();
		await trigger.webhook(delivery({ event: { kind: 'user.deleted' } }), skipped);
		expect(skipped.body).toEqual({ received: true, ignored: 'event type not selected' });
		expect(
			(await trigger.webhook(delivery({ event: { kind: 'user.created' } }), new FakeResponse()))
				.workflowData,
		).toHaveLength(1);
	});

	it("checks the credential's secret format in the credential test", async () => {
		const node = new StandardWebhooksVerifiedTrigger();
		const test = node.methods?.credentialTest?.standardWebhooksSecretTest;
		if (!test) throw new Error('the node offers no standardWebhooksSecretTest');
		const ok = await test.call({} as never, {
			id: '1',
			name: 'c',
			type: 't',
			data: { signingSecret: CURRENT },
		});
		const bad = await test.call({} as never, {
			id: '1',
			name: 'c',
			type: 't',
			data: { signingSecret: 'whsec_not base64!' },
		});
		expect([ok.status, bad.status]).toEqual(['OK', 'Error']);
		expect(bad.message).toContain('The signing secret is not whsec_ followed by base64');
		const short = `whsec_${Buffer.from('8 bytes!').toString('base64')}`;
		const shortPrevious = await test.call({} as never, {
			id: '1',
			name: 'c',
			type: 't',
			data: { signingSecret: CURRENT, previousSigningSecret: short },
		});
		expect(shortPrevious).toEqual({
			status: 'Error',
			message:
				'The previous signing secret has a key of 8 bytes, fewer than 16. Copy it again from the sender.',
		});
		// Activation refuses only a key that cannot verify: the short one is accepted there.
		expect(standardWebhooks.secretProblem?.(short)).toBeUndefined();
		expect(standardWebhooks.secretProblem?.(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBe(
			'decodes to zero bytes only, which verifies nothing',
		);
	});
});

describe('Standard Webhooks: id, timestamp and signature come from one header family', () => {
	it('a captured svix- delivery replayed with an added webhook-id runs nothing, and the item carries the signed svix-id', async () => {
		const trigger = harness();
		const original = delivery({ type: 'a' }, { prefix: 'svix-', id: 'msg_signed' });
		const first = await trigger.webhook(original, new FakeResponse());
		expect(first.workflowData![0][0].json).toMatchObject({
			verifiedWebhook: { eventId: 'msg_signed' },
		});
		let ran = 0;
		for (let i = 0; i < 50; i++) {
			const replay = fakeRequest(original.rawBody, {
				...original.headers,
				'webhook-id': `attacker_${i}`,
				'webhook-timestamp': '1',
			});
			const response = new FakeResponse();
			const result = await trigger.webhook(replay, response);
			expect(response.statusCode).toBe(200);
			if (result.workflowData) ran++;
		}
		expect(ran).toBe(0);
	});

	it('a forged webhook-signature next to valid svix- headers is refused (the webhook- family is the one verified)', async () => {
		const original = delivery({ type: 'a' }, { prefix: 'svix-' });
		const response = new FakeResponse();
		await harness().webhook(
			fakeRequest(original.rawBody, {
				...original.headers,
				'webhook-id': 'x',
				'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
				'webhook-signature': 'v1,AAAA',
			}),
			response,
		);
		expect(response.statusCode).toBe(401);
	});
});
