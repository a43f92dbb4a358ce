/** Shopify Verified Trigger end to end in each pinned real n8n, against the fake Shopify GraphQL API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeShopify, sampleOrder } from '../fakes/fakeShopify';
import { settledExecutionCount, triggerItems, waitForExecutions } from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Shopify Verified Trigger';
const WEBHOOK_ID = 'c26e8a5d-6f7b-4eaa-9f76-8d4cae5f7a04';

describe.each(testedVersions())('Shopify Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeShopify();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential(
			'Shopify (fake, loopback)',
			'shopifyVerifiedApi',
			{
				shopDomain: fake.shopDomain,
				accessToken: fake.accessToken,
				clientSecret: fake.clientSecret,
				previousClientSecret: '',
				apiBaseUrl: fake.url,
			},
		);
		const workflow = loadExample('shopify-verified-trigger', {
			credentials: { shopifyVerifiedApi: { id: credential.id, name: 'Shopify (fake, loopback)' } },
			webhookId: WEBHOOK_ID,
		});
		workflowId = (await n8n.createWorkflow(workflow)).id;
		url = `${n8n.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
	});

	afterAll(async () => {
		await n8n.stop();
		await fake.stop();
		n8n.cleanup();
	});

	it('subscribes each selected topic once with the production URL', async () => {
		await n8n.activate(workflowId);
		await n8n.waitFor(async () => fake.activeSubscriptions().length === 2, {
			what: 'subscriptions',
		});
		expect(
			fake
				.activeSubscriptions()
				.map((s) => [s.topic, s.callbackUrl])
				.sort(),
		).toEqual([
			['ORDERS_CREATE', url],
			['ORDERS_PAID', url],
		]);
	});

	it('runs once for a signed order, answers 401 to forgeries, and drops a retry of the same event id', async () => {
		const order = sampleOrder();
		const eventId = `ev-${version}-1`;
		const [first] = await fake.deliver('orders/create', order, { eventId });
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			id: order.id,
			verifiedWebhook: { provider: 'shopify', eventId, eventType: 'orders/create' },
		});
		const forged = await fake.deliver('orders/create', order, { secret: 'shpss_forged' });
		const unsigned = await fake.deliver('orders/create', order, { hmac: null });
		expect([forged[0].status, unsigned[0].status]).toEqual([401, 401]);
		const retry = await fake.deliver('orders/create', order, { eventId });
		expect(JSON.parse(retry[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('removes every subscription on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeSubscriptions().length === 0, {
			what: 'unsubscription',
		});
	});
});
