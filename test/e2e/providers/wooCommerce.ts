/**
 * WooCommerce Verified Trigger end to end in each pinned real n8n, against the fake WooCommerce API: the fake
 * pings each new webhook's URL before it answers the create, as WooCommerce does, so n8n itself answers the
 * unsigned ping while the trigger is being activated.
 */
import { loadExample } from '../../../scripts/examples';
import { FakeWooCommerce, sampleWooCommerceOrder } from '../../fakes/fakeWooCommerce';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'WooCommerce Verified Trigger';
const WEBHOOK_ID = 'd3e5f7a9-2b4c-4d6e-8f1a-1b3c5d7e9f06';

export function wooCommerceCases(n8n: N8n) {
	const fake = new FakeWooCommerce();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'WooCommerce',
		credentialType: 'wooCommerceVerifiedApi',
		credential: (each) => ({
			url: each.url,
			consumerKey: each.consumerKey,
			consumerSecret: each.consumerSecret,
			signingSecrets: '',
		}),
		example: 'woocommerce-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('registers one webhook per selected topic with the production URL and its own secret', async () => {
		await n8n.activate(workflow.id);
		const webhooks: Array<{ topic: string; secret: string }> = await n8n.waitFor(
			async () => (fake.activeWebhooks().length === 2 ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		expect(webhooks.map((webhook) => webhook.topic).sort()).toEqual([
			'order.created',
			'order.updated',
		]);
		for (const webhook of webhooks) {
			expect(webhook).toMatchObject({ deliveryUrl: workflow.url, status: 'active' });
			expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
		}
		expect(webhooks[0].secret).not.toBe(webhooks[1].secret);
		await waitForSavedRegistration(n8n, workflow.id);
		// Each creation ping reached n8n and was answered 200, without an execution.
		expect(fake.pings).toHaveLength(2);
		expect(fake.pings.map((ping) => ping.status)).toEqual([200, 200]);
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(0);
	});

	it('runs once for a signed order, refuses forgeries and a topic swap, and drops the same change sent again', async () => {
		const order = sampleWooCommerceOrder();
		const [first] = await fake.deliver('order.created', order);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			id: order.id,
			verifiedWebhook: { provider: 'wooCommerce', eventType: 'order.created' },
		});
		const forged = await fake.deliver('order.created', order, { secret: 'forged-secret' });
		const unsigned = await fake.deliver('order.created', order, { signature: null });
		const altered = await fake.deliver('order.created', order, {
			tamper: (payload: string) => payload.replace('"total":"19.99"', '"total":"0.01"'),
		});
		// The captured order.created delivery, replayed as order.updated (the topic header is not signed).
		const swapped = await fake.post(workflow.url, first.body, {
			...first.headers,
			'x-wc-webhook-topic': 'order.updated',
		});
		expect([forged[0].status, unsigned[0].status, altered[0].status, swapped.status]).toEqual([
			401, 401, 401, 401,
		]);
		const again = await fake.deliver('order.created', order);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('refuses to activate a manual-registration trigger whose credential holds no secret, saying what to change', async () => {
		const credential = await n8n.createCredential(
			'WooCommerce (no secret)',
			'wooCommerceVerifiedApi',
			{
				url: fake.url,
				consumerKey: fake.consumerKey,
				consumerSecret: fake.consumerSecret,
				signingSecrets: '',
			},
		);
		const manual = loadExample('woocommerce-verified-trigger', {
			credentials: {
				wooCommerceVerifiedApi: { id: credential.id, name: 'WooCommerce (no secret)' },
			},
			webhookId: 'e4f6a8b0-3c5d-4e7f-9a1b-2c4d6e8f0a17',
			name: 'Manual without a secret',
		}) as { nodes: Array<{ parameters: Record<string, unknown> }> };
		manual.nodes[0].parameters.registration = 'manual';
		const { id } = await n8n.createWorkflow(manual);
		const calls = fake.calls.length;
		// 1.x reports the failure to the activation call; 2.x activates in the background and records the error.
		let message = '';
		await n8n.activate(id).catch((error: Error) => {
			message = error.message;
		});
		if (!message) {
			// 2.x: the publication status of the workflow's triggers carries the error.
			message = await n8n.waitFor(
				async () => {
					const status = JSON.stringify(
						await n8n.rest('GET', `/workflows/${id}/publication-status`),
					);
					return /holds no/.test(status) ? status : undefined;
				},
				{ what: 'the activation error in the publication status', timeoutMs: 60_000 },
			);
		}
		expect(message).toMatch(/The credential holds no WooCommerce webhook secret/);
		expect(fake.calls.length).toBe(calls);
		await n8n.deactivate(id).catch(() => undefined);
	});

	it('deletes every webhook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'WooCommerce webhooks removed',
			() => fake.activeWebhooks().length === 0,
		);
	});
}
