/** Shopify Verified Trigger end to end in each pinned real n8n, against the fake Shopify GraphQL API. */
import { FakeShopify, sampleOrder } from '../../fakes/fakeShopify';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	type N8n,
	providerWorkflow,
	deactivateForRemoval,
} from '../support';

const TRIGGER = 'Shopify Verified Trigger';
const WEBHOOK_ID = 'c26e8a5d-6f7b-4eaa-9f76-8d4cae5f7a04';

export function shopifyCases(n8n: N8n, version: string) {
	const fake = new FakeShopify();
	const workflow = providerWorkflow(n8n, fake, {
		provider: 'Shopify',
		credentialType: 'shopifyVerifiedApi',
		credential: (each) => ({
			shopDomain: each.shopDomain,
			accessToken: each.accessToken,
			clientSecret: each.clientSecret,
			previousClientSecret: '',
			apiBaseUrl: each.url,
		}),
		example: 'shopify-verified-trigger',
		webhookId: WEBHOOK_ID,
	});

	it('subscribes each selected topic once with the production URL', async () => {
		await n8n.activate(workflow.id);
		await n8n.waitFor(async () => fake.activeSubscriptions().length === 2, {
			what: 'subscriptions',
		});
		expect(
			fake
				.activeSubscriptions()
				.map((s) => [s.topic, s.callbackUrl])
				.sort(),
		).toEqual([
			['ORDERS_CREATE', workflow.url],
			['ORDERS_PAID', workflow.url],
		]);
	});

	it('runs once for a signed order, answers 401 to forgeries, and drops a retry of the same event id', async () => {
		const order = sampleOrder();
		const eventId = `ev-${version}-1`;
		const [first] = await fake.deliver('orders/create', order, { eventId });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflow.id, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			id: order.id,
			verifiedWebhook: { provider: 'shopify', eventId, eventType: 'orders/create' },
		});
		const forged = await fake.deliver('orders/create', order, { secret: 'shpss_forged' });
		const unsigned = await fake.deliver('orders/create', order, { hmac: null });
		expect([forged[0].status, unsigned[0].status]).toEqual([401, 401]);
		const retry = await fake.deliver('orders/create', order, { eventId });
		expect(JSON.parse(retry[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflow.id)).toBe(1);
	});

	it('removes every subscription on deactivation', async () => {
		await deactivateForRemoval(
			n8n,
			workflow.id,
			'Shopify subscriptions removed',
			() => fake.activeSubscriptions().length === 0,
		);
	});
}
