/**
 * The editor flow a user goes through, in a real browser (Debian's Chromium driven by playwright-core)
 * against a real n8n 2.41.1 with the packed package and a fake Stripe on 127.0.0.1: find the trigger in
 * the node panel, create its credential (a wrong key fails readably, the right one passes the credential
 * test), pick two events, see the webhook URLs, listen for a test event and see why a forged delivery was
 * refused, publish (one registration), unpublish (removed).
 * Screenshots go to test-results/browser/; the README shows copies kept in docs/.
 */
import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { loadExample } from '../../scripts/examples';
import { N8nInstance, OWNER, artifactDir } from '../../scripts/n8n';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';

jest.setTimeout(300_000);

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = artifactDir('browser');

describe('the n8n editor flow for the Stripe Verified Trigger (n8n 2.41.1, headless Chromium)', () => {
	const fake = new FakeStripe();
	const n8n = new N8nInstance({ version: '2.41.1' });
	let browser: Browser;
	let page: Page;

	const shot = async (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			// A fresh profile each run; background networking off, or Chromium tries to reach outside hosts.
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(30_000);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n.stop();
		await fake.stop();
		n8n.cleanup();
	});

	it('logs in and opens a new workflow', async () => {
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
		await page.fill('input[name="password"]', OWNER.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.includes('signin'));
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.getByTestId('canvas-add-button').waitFor();
	});

	it('lists the trigger in the node panel, with its icon, apart from the built-in Stripe Trigger', async () => {
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Stripe');
		const items = page.getByTestId('node-creator-item-name');
		await items.getByText('Stripe Verified', { exact: true }).waitFor();
		expect(await items.allInnerTexts()).toEqual(
			expect.arrayContaining(['Stripe', 'Stripe Verified']),
		);
		const ours = page.getByTestId('item-iterator-item').filter({ hasText: 'Stripe Verified' });
		await expect(ours.locator('img').first().getAttribute('src')).resolves.toMatch(/stripe\.svg/);
		await expect(ours.innerText()).resolves.toMatch(/verifies every signature/);
		await shot('1-node-panel');
		await items.getByText('Stripe Verified', { exact: true }).click();
		await page.getByText('On all events', { exact: true }).click();
		await page.getByTestId('ndv').waitFor();
	});

	it('creates the credential: masked secrets, a wrong key fails readably, the right one passes the test', async () => {
		// n8n opens the credential form by itself when the node needs one and none exists.
		const modal = page.getByTestId('editCredential-modal');
		await page.getByRole('button', { name: /Connect to Stripe \(Verified Webhooks\)/ }).click();
		await modal.waitFor();
		const secretKey = page.getByTestId('parameter-input-secretKey').locator('input');
		await expect(secretKey.getAttribute('type')).resolves.toBe('password');
		await expect(
			page.getByTestId('parameter-input-signingSecrets').locator('input').getAttribute('type'),
		).resolves.toBe('password');
		await expect(modal.innerText()).resolves.toMatch(
			/Secret Key[\s\S]*Signing Secrets[\s\S]*API Base URL/,
		);
		await secretKey.fill('sk_test_example_wrong');
		await page.getByTestId('parameter-input-baseUrl').locator('input').fill(fake.url);
		await page.getByTestId('credential-save-button').click();
		// The credential's test rule for a 401 names the problem in the user's terms, under n8n's banner.
		await modal.getByText(/Couldn.t connect with these settings/).waitFor();
		await modal.getByText('More details').click();
		await expect(
			modal
				.getByText(/Stripe rejected the Secret Key \(401\)/)
				.first()
				.waitFor(),
		).resolves.toBeUndefined();
		await shot('2-credential-wrong-key');
		const rejected = fake
			.callsTo('GET', '/v1/webhook_endpoints')
			.filter((call: { status?: number }) => call.status === 401);
		expect(rejected.length).toBeGreaterThanOrEqual(1);
		await secretKey.fill(fake.apiKey);
		await shot('3-credential-form');
		await page.getByTestId('credential-save-button').click();
		// The credential test request reached the fake with the right key and passed; n8n then closes the form.
		await n8n.waitFor(
			async () =>
				fake
					.callsTo('GET', '/v1/webhook_endpoints')
					.some((call: { status?: number }) => call.status === 200),
			{ what: 'a passing credential test' },
		);
		// n8n shows the success banner and may close the form by itself: wait for whichever comes first.
		const success = page.getByTestId('credentials-config-container-test-success');
		await Promise.race([success.waitFor(), modal.waitFor({ state: 'hidden' })]);
		if (await modal.isVisible()) await page.keyboard.press('Escape');
		await modal.waitFor({ state: 'hidden' });
		await expect(
			page.getByTestId('node-credentials-select').locator('input').inputValue(),
		).resolves.toMatch(/Stripe \(Verified Webhooks\) account/);
	});

	it('selects two events and shows the production and test webhook URLs', async () => {
		const events = page.getByTestId('parameter-input-events');
		await events.click();
		for (const event of ['payment_intent.succeeded', 'charge.refunded']) {
			// The search text stays after a pick: select it so the next name replaces it.
			await page.keyboard.press('Control+A');
			await page.keyboard.type(event);
			await page
				.locator('.el-select-dropdown__item:visible')
				.filter({ hasText: new RegExp(`^${event.replace('.', '\\.')}Occurs`) })
				.first()
				.click();
			await page.waitForTimeout(300);
		}
		await page.keyboard.press('Escape');
		// Drop the default "All Events (*)".
		await events
			.locator('.el-tag', { hasText: 'All Events' })
			.locator('.el-tag__close, .el-icon')
			.first()
			.click();
		await expect(events.innerText()).resolves.toMatch(
			/payment_intent\.succeeded[\s\S]*charge\.refunded|charge\.refunded[\s\S]*payment_intent\.succeeded/,
		);
		await page.getByText('Webhook URLs', { exact: true }).click();
		const ndv = page.getByTestId('ndv');
		await ndv
			.getByText(/\/webhook-test\//)
			.first()
			.waitFor();
		await shot('4-node-settings');
		const text = await ndv.innerText();
		expect(text).toMatch(/Test URL/i);
		expect(text).toMatch(/\/webhook-test\//);
		await ndv
			.getByText(/Production URL/i)
			.first()
			.click();
		await ndv
			.getByText(new RegExp(`${String(n8n.baseUrl).replace(/[.:/]/g, '\\$&')}/webhook/`))
			.first()
			.waitFor();
		await page.getByTestId('ndv-close-button').click();
	});

	it('a forged delivery during "Listen for test event" ends the listen with the diagnostic item in the node output', async () => {
		await page.keyboard.press('Control+s');
		await page.getByTestId('canvas-node').first().dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		// n8n labels it "Execute step" (not "Listen for test event") since the node also defines trigger().
		await ndv.getByTestId('node-execute-button').first().click();
		const testEndpoints = () =>
			fake
				.activeEndpoints()
				.filter((endpoint: { url: string }) => endpoint.url.includes('/webhook-test/'));
		const [endpoint] = await n8n.waitFor(
			async () => (testEndpoints().length ? testEndpoints() : undefined),
			{ what: 'the test registration' },
		);
		const [answer] = await fake.deliver(sampleEvent('payment_intent.succeeded'), {
			endpointId: endpoint.id,
			secret: 'whsec_forged',
		});
		expect(answer.status).toBe(401);
		await ndv
			.getByText(/signature_mismatch/)
			.first()
			.waitFor();
		await expect(ndv.innerText()).resolves.toMatch(/Stripe-Signature/);
		await shot('6-test-listen-diagnostic');
		await page.getByTestId('ndv-close-button').click();
		// The listen ended: n8n removes the temporary endpoint.
		await n8n.waitFor(async () => testEndpoints().length === 0, {
			what: 'removal of the test endpoint',
		});
	});

	it('publishing registers exactly one endpoint; unpublishing removes it', async () => {
		await page.keyboard.press('Control+s');
		await page.getByTestId('workflow-open-publish-modal-button').click();
		// The confirmation lives in the dialog; the header button of the same name is busy meanwhile.
		await page
			.getByRole('dialog')
			.getByRole('button', { name: /^Publish$/ })
			.click();
		const [endpoint] = await n8n.waitFor(
			async () => (fake.activeEndpoints().length ? fake.activeEndpoints() : undefined),
			{ what: 'the registration' },
		);
		expect(fake.activeEndpoints()).toHaveLength(1);
		expect([...endpoint.enabled_events].sort()).toEqual([
			'charge.refunded',
			'payment_intent.succeeded',
		]);
		await shot('5-published');
		const workflowId = new URL(page.url()).pathname.split('/').pop() as string;
		await n8n.deactivate(workflowId);
		await n8n.waitFor(async () => fake.activeEndpoints().length === 0, { what: 'the removal' });
	});

	it('a manual registration without a secret fails publishing with what to change; the Rejected output appears on the canvas', async () => {
		const credential = await n8n.createCredential(
			'Stripe, no signing secret',
			'stripeVerifiedApi',
			{
				secretKey: fake.apiKey,
				baseUrl: fake.url,
				signingSecrets: '',
			},
		);
		const workflow = loadExample('stripe-verified-trigger', {
			credentials: { stripeVerifiedApi: { id: credential.id, name: 'Stripe, no signing secret' } },
			webhookId: '0f1e2d3c-4b5a-4697-8877-665544332211',
			name: 'Manual registration, Rejected output',
		});
		const trigger = workflow.nodes.find(
			(node: { type: string }) => node.type === 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
		);
		trigger.parameters = {
			...trigger.parameters,
			registration: 'manual',
			options: { rejectedOutput: true },
		};
		const created = await n8n.createWorkflow(workflow);
		await page.goto(`${n8n.baseUrl}/workflow/${created.id}`);
		const node = page.getByTestId('canvas-node').first();
		await node.waitFor();
		// The option gives the node a second output, labelled on the canvas.
		await page.getByText('Rejected', { exact: true }).first().waitFor();
		await expect(page.getByText('Events', { exact: true }).count()).resolves.toBeGreaterThan(0);
		await page.waitForTimeout(1000); // the canvas fades in
		await shot('7-rejected-output');
		await page.getByTestId('workflow-open-publish-modal-button').click();
		await page
			.getByRole('dialog')
			.getByRole('button', { name: /^Publish$/ })
			.click();
		await page
			.getByText(/The credential holds no Stripe signing secret: put it into the credential/)
			.first()
			.waitFor();
		await page.waitForTimeout(1000); // the notification slides in
		await shot('8-activation-error');
		expect(fake.activeEndpoints()).toHaveLength(0);
	});
});
