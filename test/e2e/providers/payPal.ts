/**
 * PayPal Verified Trigger end to end in each pinned real n8n, against the fake PayPal REST API: n8n registers
 * the webhook with a client-credentials token, fetches the signing certificate the delivery names from the
 * credential's (Custom) origin through its own request helper, and verifies each RSA signature. Deliveries are
 * signed by the fake under a node-forge test CA's certificate (PayPal publishes no signer; see
 * test/support/paypal.ts for the node-forge cross-check).
 */
import { FakePayPal, samplePayPalEvent } from '../../fakes/fakePayPal';
import { forgeAccepts } from '../../support/paypal';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'PayPal Verified Trigger';
const WEBHOOK_ID = 'b7d9f1a3-5c6e-4a8b-9d0f-1e2a3b4c5d08';

export function payPalCases(n8n: N8n, version: string) {
	const fake = new FakePayPal();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'PayPal',
		credentialType: 'payPalVerifiedApi',
		credential: (each) => ({
			clientId: each.clientId,
			clientSecret: each.clientSecret,
			environment: 'custom',
			baseUrl: each.url,
			webhookIds: '',
		}),
		example: 'paypal-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it("n8n's credential test gets a token with the Client ID and Secret, and says what to change when PayPal refuses them", async () => {
		const data = (clientSecret: string) => ({
			clientId: fake.clientId,
			clientSecret,
			environment: 'custom',
			baseUrl: fake.url,
			webhookIds: '',
		});
		const { id } = await n8n.createCredential(
			'PayPal credential test',
			'payPalVerifiedApi',
			data(fake.clientSecret),
		);
		const test = async (clientSecret: string) =>
			(await n8n.rest('POST', '/credentials/test', {
				credentials: {
					id,
					name: 'PayPal credential test',
					type: 'payPalVerifiedApi',
					data: data(clientSecret),
				},
			})) as { data?: { status?: string; message?: string } };
		expect((await test(fake.clientSecret)).data).toMatchObject({ status: 'OK' });
		expect((await test('EwrongSecret')).data).toMatchObject({
			status: 'Error',
			// n8n 2.x shows the credential's own message; 1.x its generic one for a 401.
			message: expect.stringMatching(
				version.startsWith('1.')
					? /^Authorization failed/
					: /PayPal rejected the Client ID and Secret \(401\)/,
			),
		});
	});

	it('creates one webhook for the production URL and the selected events', async () => {
		await n8n.activate(workflow.id);
		const [webhook] = await n8n.waitFor(
			async () => (fake.activeWebhooks().length ? fake.activeWebhooks() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflow.id);
		expect(webhook).toMatchObject({
			url: workflow.url,
			event_types: ['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED'],
		});
		expect(fake.activeWebhooks()).toHaveLength(1);
	});

	it('runs once for a signed event, fetching the certificate once; refuses forgeries; drops a retry', async () => {
		const event = samplePayPalEvent('PAYMENT.CAPTURE.COMPLETED');
		const [first] = await fake.deliver(event);
		expect(
			forgeAccepts(
				fake.chain.pem,
				fake.chain.root.pem,
				first.headers,
				Buffer.from(JSON.stringify(event)),
				first.webhookId,
			),
		).toBe(true);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			id: event.id,
			verifiedWebhook: { provider: 'paypal', eventType: 'PAYMENT.CAPTURE.COMPLETED' },
		});
		const otherId = await fake.deliver(event, { webhookId: 'WRONG0WEBHOOK0ID0' });
		const tampered = await fake.deliver(event, {
			tamper: (payload: string) => payload.replace('19.99', '0.01'),
		});
		const unsigned = await fake.deliver(event, { signature: null });
		const elsewhere = await fake.deliver(event, {
			certificateUrl: `http://127.0.0.1:9/v1/notifications/certs/${fake.certificateId}`,
		});
		expect([otherId, tampered, unsigned, elsewhere].map(([result]) => result.status)).toEqual([
			401, 401, 401, 401,
		]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
		expect(fake.callsTo('GET', '/v1/notifications/certs/')).toHaveLength(1);
	});

	it('deletes the webhook on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'PayPal webhook removed',
			() => fake.activeWebhooks().length === 0,
		);
	});
}
