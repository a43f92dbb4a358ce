/** Calendly Verified Trigger end to end in each pinned real n8n, against the fake Calendly API v2. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, testedVersions } from '../../scripts/n8n';
import { FakeCalendly, sampleCalendlyEvent } from '../fakes/fakeCalendly';
import {
	settledExecutionCount,
	triggerItems,
	waitForExecutions,
	waitForSavedRegistration,
} from './support';

jest.setTimeout(240_000);

const TRIGGER = 'Calendly Verified Trigger';
const WEBHOOK_ID = 'f5a7b9c1-4d6e-4f8a-8b2c-3d5e7f9a1b08';

describe.each(testedVersions())('Calendly Verified Trigger in real n8n %s', (version) => {
	const fake = new FakeCalendly();
	const n8n = new N8nInstance({ version });
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		const credential = await n8n.createCredential(
			'Calendly (fake, loopback)',
			'calendlyVerifiedApi',
			{
				accessToken: fake.token,
				signingSecrets: '',
				baseUrl: fake.url,
			},
		);
		const workflow = loadExample('calendly-verified-trigger', {
			credentials: {
				calendlyVerifiedApi: { id: credential.id, name: 'Calendly (fake, loopback)' },
			},
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

	it("creates one user-scope subscription for the production URL with the token's user and organization", async () => {
		await n8n.activate(workflowId);
		const [subscription] = await n8n.waitFor(
			async () => (fake.activeSubscriptions().length ? fake.activeSubscriptions() : undefined),
			{ what: 'registration' },
		);
		await waitForSavedRegistration(n8n, workflowId);
		expect(subscription).toMatchObject({
			callback_url: url,
			scope: 'user',
			user: fake.user,
			organization: fake.organization,
			events: ['invitee.canceled', 'invitee.created'],
		});
		expect(fake.activeSubscriptions()).toHaveLength(1);
	});

	it('runs once for a signed event, refuses forgeries, and drops a retry', async () => {
		const event = sampleCalendlyEvent('invitee.created');
		const [first] = await fake.deliver(event);
		expect(first.status).toBe(200);
		const [execution] = await waitForExecutions(n8n, workflowId, 1);
		expect(triggerItems(execution, TRIGGER)[0].json).toMatchObject({
			event: 'invitee.created',
			verifiedWebhook: {
				provider: 'calendly',
				eventType: 'invitee.created',
				resource: event.payload.uri,
			},
		});
		const forged = await fake.deliver(event, { key: 'forged-key' });
		const stale = await fake.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 900 });
		const unsigned = await fake.deliver(event, { signature: null });
		expect([forged[0].status, stale[0].status, unsigned[0].status]).toEqual([401, 401, 401]);
		const again = await fake.deliver(event);
		expect(JSON.parse(again[0].body)).toEqual({ received: true, duplicate: true });
		expect(await settledExecutionCount(n8n, workflowId)).toBe(1);
	});

	it('deletes the subscription on deactivation', async () => {
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeSubscriptions().length === 0, { what: 'removal' });
	});
});
