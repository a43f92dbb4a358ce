/**
 * Standard Webhooks Verified Trigger end to end in each pinned real n8n, with deliveries signed by
 * `standardwebhooks` (v1), and v1a (Ed25519) deliveries signed by node:crypto with a throwaway key, whose `whpk_`
 * public key is the credential's previous secret (a sender migrating from v1 to v1a).
 */
import { generateKeyPairSync, sign as cryptoSign } from 'crypto';
import { Webhook } from 'standardwebhooks';

import { loadExample } from '../../../scripts/examples';
import { settledExecutionCount, triggerItems, waitForExecutions, type N8n } from '../support';

const TRIGGER = 'Standard Webhooks Verified Trigger';
const WEBHOOK_ID = 'e48a0c7f-8b9d-4acc-9b98-af6ec07b9c05';
const SECRET = `whsec_${Buffer.from('standard-webhooks-e2e-signing-key!').toString('base64')}`;
const ED25519 = generateKeyPairSync('ed25519');
const WHPK = `whpk_${ED25519.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64')}`;

export function standardWebhooksCases(n8n: N8n) {
	let workflowId = '';
	let url = '';

	async function send(payload: object, options: { id: string; secret?: string; tamper?: boolean }) {
		const text = JSON.stringify(payload);
		const now = new Date();
		const headers = {
			'content-type': 'application/json',
			'webhook-id': options.id,
			'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
			'webhook-signature': new Webhook(options.secret ?? SECRET).sign(options.id, now, text),
		};
		const response = await fetch(url, {
			method: 'POST',
			headers,
			body: options.tamper ? text.replace('}', ',"x":1}') : text,
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	beforeAll(async () => {
		const credential = await n8n.createCredential(
			'Standard Webhooks (e2e)',
			'standardWebhooksVerifiedApi',
			{ signingSecret: SECRET, previousSigningSecret: WHPK },
		);
		const workflow = loadExample('standard-webhooks-verified-trigger', {
			credentials: {
				standardWebhooksVerifiedApi: { id: credential.id, name: 'Standard Webhooks (e2e)' },
			},
			webhookId: WEBHOOK_ID,
		});
		workflowId = (await n8n.createWorkflow(workflow)).id;
		await n8n.activate(workflowId);
		url = `${n8n.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
		await n8n.waitFor(async () => (await fetch(url, { method: 'POST' })).status === 401, {
			what: 'the webhook to be live',
		});
	});

	// The n8n is shared with the other providers' suites: leave nothing of this one listening.
	afterAll(async () => {
		if (workflowId) await n8n.deactivate(workflowId);
	});

	it('runs once for a signed delivery, answers 401 to forgeries, and drops a retry of the same webhook-id', async () => {
		const payload = { type: 'invoice.paid', data: { id: 'in_1' } };
		const first = await send(payload, { id: 'msg_e2e_1' });
		expect(first).toEqual({ status: 200, body: { received: true } });
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			type: 'invoice.paid',
			verifiedWebhook: { eventId: 'msg_e2e_1', eventType: 'invoice.paid' },
		});
		const forged = await send(payload, {
			id: 'msg_e2e_2',
			secret: `whsec_${Buffer.from('not-the-endpoint-secret-key-at-all').toString('base64')}`,
		});
		const tampered = await send(payload, { id: 'msg_e2e_3', tamper: true });
		expect([forged.status, tampered.status]).toEqual([401, 401]);
		const retry = await send(payload, { id: 'msg_e2e_1' });
		expect(retry).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('v1a: an Ed25519-signed delivery verifies with the whpk_ key (once per webhook-id); another key is 401', async () => {
		const v1a = async (id: string, privateKey = ED25519.privateKey) => {
			const text = JSON.stringify({ type: 'invoice.voided', data: { id } });
			const timestamp = String(Math.floor(Date.now() / 1000));
			const signature = cryptoSign(null, Buffer.from(`${id}.${timestamp}.${text}`), privateKey);
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': id,
					'webhook-timestamp': timestamp,
					'webhook-signature': `v1a,${signature.toString('base64')}`,
				},
				body: text,
			});
			return response.status;
		};
		const before = await settledExecutionCount(n8n, workflowId);
		expect(await v1a('msg_v1a_1')).toBe(200);
		const executions = await waitForExecutions(n8n, workflowId, before + 1);
		const items = executions.flatMap((each) => triggerItems(each, TRIGGER));
		expect(items.map((item) => item.json.verifiedWebhook)).toContainEqual(
			expect.objectContaining({ eventId: 'msg_v1a_1', eventType: 'invoice.voided' }),
		);
		expect(await v1a('msg_v1a_1')).toBe(200);
		expect(await v1a('msg_v1a_2', generateKeyPairSync('ed25519').privateKey)).toBe(401);
		expect(await settledExecutionCount(n8n, workflowId)).toBe(before + 1);
	});
}
