/**
 * Registration under random provider faults, for every registering trigger: activate and deactivate again
 * and again while the fake provider fails a share of its API calls — a 500 before anything happens, the call
 * carried out and then answered 500, or carried out and answered 200 with an empty or non-JSON body. n8n's
 * own behaviour is reproduced: an activation is up to 5 attempts of checkExists → create, followed by delete
 * when all failed; a deactivation is up to 3 delete attempts.
 *
 * Counted per cycle: a duplicate is more than one endpoint of ours for the URL after an activation that
 * succeeded; an orphan is any endpoint of ours left after a deactivation that succeeded. Both must be 0.
 * A deactivation that still failed is reported to the user by n8n; its leftovers must be gone after the next
 * cycle, and after a final fault-free activation and deactivation nothing of ours may remain.
 *
 * Cycles: 80 per provider at p = 0.3 in `npm test`, 250 at p = 0.2 in the long mode. The seed is printed; SEED=<n> replays it.
 */
import { CalendlyVerifiedApi } from '../../credentials/CalendlyVerifiedApi.credentials';
import { GitHubVerifiedApi } from '../../credentials/GitHubVerifiedApi.credentials';
import { GitLabVerifiedApi } from '../../credentials/GitLabVerifiedApi.credentials';
import { LemonSqueezyVerifiedApi } from '../../credentials/LemonSqueezyVerifiedApi.credentials';
import { LinearVerifiedApi } from '../../credentials/LinearVerifiedApi.credentials';
import { PayPalVerifiedApi } from '../../credentials/PayPalVerifiedApi.credentials';
import { SquareVerifiedApi } from '../../credentials/SquareVerifiedApi.credentials';
import { TwilioVerifiedApi } from '../../credentials/TwilioVerifiedApi.credentials';
import { TypeformVerifiedApi } from '../../credentials/TypeformVerifiedApi.credentials';
import { PaddleVerifiedApi } from '../../credentials/PaddleVerifiedApi.credentials';
import { SendGridVerifiedApi } from '../../credentials/SendGridVerifiedApi.credentials';
import { ShopifyVerifiedApi } from '../../credentials/ShopifyVerifiedApi.credentials';
import { StripeVerifiedApi } from '../../credentials/StripeVerifiedApi.credentials';
import { WooCommerceVerifiedApi } from '../../credentials/WooCommerceVerifiedApi.credentials';
import { CalendlyVerifiedTrigger } from '../../nodes/CalendlyVerifiedTrigger/CalendlyVerifiedTrigger.node';
import { GitHubVerifiedTrigger } from '../../nodes/GitHubVerifiedTrigger/GitHubVerifiedTrigger.node';
import { GitLabVerifiedTrigger } from '../../nodes/GitLabVerifiedTrigger/GitLabVerifiedTrigger.node';
import { LemonSqueezyVerifiedTrigger } from '../../nodes/LemonSqueezyVerifiedTrigger/LemonSqueezyVerifiedTrigger.node';
import { LinearVerifiedTrigger } from '../../nodes/LinearVerifiedTrigger/LinearVerifiedTrigger.node';
import { PayPalVerifiedTrigger } from '../../nodes/PayPalVerifiedTrigger/PayPalVerifiedTrigger.node';
import { SquareVerifiedTrigger } from '../../nodes/SquareVerifiedTrigger/SquareVerifiedTrigger.node';
import { TwilioVerifiedTrigger } from '../../nodes/TwilioVerifiedTrigger/TwilioVerifiedTrigger.node';
import { TypeformVerifiedTrigger } from '../../nodes/TypeformVerifiedTrigger/TypeformVerifiedTrigger.node';
import { PaddleVerifiedTrigger } from '../../nodes/PaddleVerifiedTrigger/PaddleVerifiedTrigger.node';
import { SendGridVerifiedTrigger } from '../../nodes/SendGridVerifiedTrigger/SendGridVerifiedTrigger.node';
import { ShopifyVerifiedTrigger } from '../../nodes/ShopifyVerifiedTrigger/ShopifyVerifiedTrigger.node';
import { StripeVerifiedTrigger } from '../../nodes/StripeVerifiedTrigger/StripeVerifiedTrigger.node';
import { WooCommerceVerifiedTrigger } from '../../nodes/WooCommerceVerifiedTrigger/WooCommerceVerifiedTrigger.node';
import { FakeCalendly } from '../fakes/fakeCalendly';
import { FakeGitHub } from '../fakes/fakeGitHub';
import { FakeGitLab } from '../fakes/fakeGitLab';
import { FakeLemonSqueezy } from '../fakes/fakeLemonSqueezy';
import { FakeLinear } from '../fakes/fakeLinear';
import { FakePayPal } from '../fakes/fakePayPal';
import { FakeSquare } from '../fakes/fakeSquare';
import { FakeTwilio } from '../fakes/fakeTwilio';
import { FakeTypeform } from '../fakes/fakeTypeform';
import { FakePaddle } from '../fakes/fakePaddle';
import { FakeSendGrid } from '../fakes/fakeSendGrid';
import { FakeShopify } from '../fakes/fakeShopify';
import { FakeStripe } from '../fakes/fakeStripe';
import { FakeWooCommerce } from '../fakes/fakeWooCommerce';
import { TriggerHarness, logs } from '../support/n8nContexts';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { longMode, seed, report } = require('../support/modes.js') as {
	longMode(): boolean;
	seed(): number;
	report(line: string): void;
};

// The long mode runs the figure (p = 0.2, 250 cycles); the quick one faults more often, so that
// fewer cycles still reach the compound faults (a create that succeeded, then an unreadable list).
const CYCLES = longMode() ? 250 : 80;
const FAULT_RATE = longMode() ? 0.2 : 0.3;
const SEED = seed();

interface Fake {
	url: string;
	start(): Promise<string>;
	stop(): Promise<void>;
	randomFaults(options: { p: number; seed?: number }): void;
	injected: Record<string, number>;
}

interface Case {
	name: string;
	fake: () => Fake;
	harness: (fake: Fake) => TriggerHarness;
	/** Endpoints of ours at the provider for `url`, read from the fake's state (never through a fault). */
	ours: (fake: Fake, url: string) => number;
	/** How many make one registration (Shopify: one subscription per topic). */
	perRegistration: number;
}

const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10/webhook';

const cases: Case[] = [
	{
		name: 'Stripe',
		fake: () => new FakeStripe() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new StripeVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.stripeVerifiedTrigger',
				credentialType: new StripeVerifiedApi(),
				credentials: {
					secretKey: (fake as unknown as { apiKey: string }).apiKey,
					baseUrl: fake.url,
					signingSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					events: ['payment_intent.succeeded'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(
				fake as unknown as {
					activeEndpoints(): Array<{ url: string; metadata?: Record<string, string> }>;
				}
			)
				.activeEndpoints()
				.filter(
					(endpoint) => endpoint.url === url && endpoint.metadata?.n8n_verified_webhooks === '1',
				).length,
		perRegistration: 1,
	},
	{
		name: 'GitHub',
		fake: () => new FakeGitHub() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new GitHubVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.gitHubVerifiedTrigger',
				credentialType: new GitHubVerifiedApi(),
				credentials: {
					accessToken: (fake as unknown as { token: string }).token,
					baseUrl: fake.url,
					webhookSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					scope: 'repository',
					owner: 'octo',
					repository: 'hello',
					events: ['push'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeHooks(): Array<{ config: { url: string } }> })
				.activeHooks()
				.filter((hook) => hook.config.url === url).length,
		perRegistration: 1,
	},
	{
		name: 'Paddle',
		fake: () => new FakePaddle() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new PaddleVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.paddleVerifiedTrigger',
				credentialType: new PaddleVerifiedApi(),
				credentials: {
					apiKey: (fake as unknown as { apiKey: string }).apiKey,
					environment: 'custom',
					baseUrl: fake.url,
					endpointSecretKeys: '',
				},
				parameters: { registration: 'automatic', events: ['transaction.completed'], options: {} },
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeSettings(): Array<{ destination: string }> })
				.activeSettings()
				.filter((setting) => setting.destination === url).length,
		perRegistration: 1,
	},
	{
		name: 'Lemon Squeezy',
		fake: () => new FakeLemonSqueezy() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new LemonSqueezyVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.lemonSqueezyVerifiedTrigger',
				credentialType: new LemonSqueezyVerifiedApi(),
				credentials: {
					apiKey: (fake as unknown as { apiKey: string }).apiKey,
					baseUrl: fake.url,
					signingSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					storeId: '12345',
					events: ['order_created'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeWebhooks(): Array<{ url: string }> })
				.activeWebhooks()
				.filter((webhook) => webhook.url === url).length,
		perRegistration: 1,
	},
	{
		name: 'Typeform',
		fake: () => new FakeTypeform() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new TypeformVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.typeformVerifiedTrigger',
				credentialType: new TypeformVerifiedApi(),
				credentials: {
					accessToken: (fake as unknown as { token: string }).token,
					baseUrl: fake.url,
					webhookSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					formId: 'u6nXL7',
					events: ['form_response'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeWebhooks(): Array<{ url: string }> })
				.activeWebhooks()
				.filter((webhook) => webhook.url === url).length,
		perRegistration: 1,
	},
	{
		name: 'Square',
		fake: () => new FakeSquare() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new SquareVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.squareVerifiedTrigger',
				credentialType: new SquareVerifiedApi(),
				credentials: {
					accessToken: (fake as unknown as { accessToken: string }).accessToken,
					environment: 'custom',
					baseUrl: fake.url,
					signatureSecrets: '',
				},
				parameters: { registration: 'automatic', events: ['payment.updated'], options: {} },
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeSubscriptions(): Array<{ notification_url: string }> })
				.activeSubscriptions()
				.filter((subscription) => subscription.notification_url === url).length,
		perRegistration: 1,
	},
	{
		name: 'PayPal',
		fake: () => new FakePayPal() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new PayPalVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.payPalVerifiedTrigger',
				credentialType: new PayPalVerifiedApi(),
				credentials: {
					clientId: (fake as unknown as FakePayPal).clientId,
					clientSecret: (fake as unknown as FakePayPal).clientSecret,
					environment: 'custom',
					baseUrl: fake.url,
					webhookIds: '',
				},
				parameters: {
					registration: 'automatic',
					events: ['PAYMENT.CAPTURE.COMPLETED'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as FakePayPal)
				.activeWebhooks()
				.filter((webhook: { url: string }) => webhook.url === url).length,
		perRegistration: 1,
	},
	{
		name: 'Twilio',
		fake: () => new FakeTwilio() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new TwilioVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.twilioVerifiedTrigger',
				credentialType: new TwilioVerifiedApi(),
				credentials: {
					accountSid: (fake as unknown as FakeTwilio).accountSid,
					authToken: (fake as unknown as FakeTwilio).authToken,
					previousAuthToken: '',
					environment: 'custom',
					baseUrl: fake.url,
				},
				parameters: {
					registration: 'automatic',
					events: ['com.twilio.messaging.message.delivered'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as FakeTwilio)
				.activeSinks()
				.filter(
					(sink: { sink_configuration: { destination: string } }) =>
						sink.sink_configuration.destination === url,
				).length,
		perRegistration: 1,
	},
	{
		name: 'Calendly',
		fake: () => new FakeCalendly() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new CalendlyVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.calendlyVerifiedTrigger',
				credentialType: new CalendlyVerifiedApi(),
				credentials: {
					accessToken: (fake as unknown as { token: string }).token,
					baseUrl: fake.url,
					signingSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					scope: 'user',
					events: ['invitee.created'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeSubscriptions(): Array<{ callback_url: string }> })
				.activeSubscriptions()
				.filter((subscription) => subscription.callback_url === url).length,
		perRegistration: 1,
	},
	{
		name: 'Linear',
		fake: () => new FakeLinear() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new LinearVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.linearVerifiedTrigger',
				credentialType: new LinearVerifiedApi(),
				credentials: {
					apiKey: (fake as unknown as { apiKey: string }).apiKey,
					apiUrl: `${fake.url}/graphql`,
					webhookSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					teamId: '',
					resourceTypes: ['Issue'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeWebhooks(): Array<{ url: string }> })
				.activeWebhooks()
				.filter((webhook) => webhook.url === url).length,
		perRegistration: 1,
	},
	{
		name: 'GitLab',
		fake: () => new FakeGitLab() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new GitLabVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.gitLabVerifiedTrigger',
				credentialType: new GitLabVerifiedApi(),
				credentials: {
					accessToken: (fake as unknown as { token: string }).token,
					baseUrl: fake.url,
					secretTokens: '',
				},
				parameters: {
					registration: 'automatic',
					scope: 'project',
					project: 'acme/app',
					events: ['push_events'],
					options: {},
				},
			}),
		ours: (fake, url) =>
			(fake as unknown as { activeHooks(): Array<{ url: string }> })
				.activeHooks()
				.filter((hook) => hook.url === url).length,
		perRegistration: 1,
	},
	{
		name: 'Shopify',
		fake: () => new FakeShopify() as unknown as Fake,
		harness: (fake) => {
			const shop = fake as unknown as {
				shopDomain: string;
				accessToken: string;
				clientSecret: string;
			};
			return new TriggerHarness({
				nodeType: new ShopifyVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.shopifyVerifiedTrigger',
				credentialType: new ShopifyVerifiedApi(),
				credentials: {
					shopDomain: shop.shopDomain,
					accessToken: shop.accessToken,
					clientSecret: shop.clientSecret,
					previousClientSecret: '',
					apiBaseUrl: fake.url,
				},
				parameters: {
					registration: 'automatic',
					topics: ['orders/create', 'draft_orders/update'],
					options: {},
				},
			});
		},
		ours: (fake, url) =>
			(fake as unknown as { activeSubscriptions(): Array<{ callbackUrl: string }> })
				.activeSubscriptions()
				.filter((sub) => sub.callbackUrl === url).length,
		perRegistration: 2,
	},
	{
		name: 'WooCommerce',
		fake: () => new FakeWooCommerce() as unknown as Fake,
		harness: (fake) => {
			const store = fake as unknown as { consumerKey: string; consumerSecret: string };
			return new TriggerHarness({
				nodeType: new WooCommerceVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.wooCommerceVerifiedTrigger',
				credentialType: new WooCommerceVerifiedApi(),
				credentials: {
					url: fake.url,
					consumerKey: store.consumerKey,
					consumerSecret: store.consumerSecret,
					signingSecrets: '',
				},
				parameters: {
					registration: 'automatic',
					events: ['order.created', 'product.updated'],
					options: {},
				},
			});
		},
		// One webhook per topic, each named as ours.
		ours: (fake, url) =>
			(fake as unknown as { activeWebhooks(): Array<{ deliveryUrl: string; name: string }> })
				.activeWebhooks()
				.filter(
					(webhook) =>
						webhook.deliveryUrl === url && webhook.name.startsWith('n8n Verified Webhooks: '),
				).length,
		perRegistration: 2,
	},
	{
		name: 'SendGrid',
		fake: () => new FakeSendGrid() as unknown as Fake,
		harness: (fake) =>
			new TriggerHarness({
				nodeType: new SendGridVerifiedTrigger(),
				typeName: 'n8n-nodes-verified-webhooks.sendGridVerifiedTrigger',
				credentialType: new SendGridVerifiedApi(),
				credentials: {
					apiKey: (fake as unknown as { apiKey: string }).apiKey,
					environment: 'custom',
					baseUrl: fake.url,
					verificationKeys: '',
				},
				parameters: { registration: 'automatic', events: ['delivered'], options: {} },
			}),
		// Every webhook of ours for the URL, signed or not: one left unsigned by a failed activation counts too.
		ours: (fake, url) =>
			(
				fake as unknown as {
					activeWebhooks(): Array<{ url: string; friendly_name: string | null }>;
				}
			)
				.activeWebhooks()
				.filter(
					(webhook) =>
						webhook.url === url &&
						(webhook.friendly_name ?? '').startsWith('n8n verified webhooks:'),
				).length,
		perRegistration: 1,
	},
];

/** n8n 2.x activation: up to 5 attempts; when all fail, delete (up to 3 attempts). True when it activated. */
async function activate(trigger: TriggerHarness): Promise<boolean> {
	for (let attempt = 0; attempt < 5; attempt++) {
		try {
			if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
			return true;
		} catch {
			// n8n retries with backoff; the backoff itself does not matter here.
		}
	}
	await deactivate(trigger);
	return false;
}

/** n8n deregistration: up to 3 attempts. True when it succeeded. */
async function deactivate(trigger: TriggerHarness): Promise<boolean> {
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			await trigger.hook('delete', { mode: 'internal', activation: 'update' });
			return true;
		} catch {
			// counted by the caller
		}
	}
	return false;
}

describe(`registration under random provider faults (p = ${FAULT_RATE}, seed ${SEED}, ${CYCLES} cycles per provider)`, () => {
	beforeAll(() => logs.splice(0));

	it.each(cases.map((each) => [each.name, each] as const))(
		'%s: 0 duplicates while active, 0 orphans after deactivation',
		async (_name, each) => {
			const fake = each.fake();
			await fake.start();
			const trigger = each.harness(fake);
			const tally = {
				activated: 0,
				activationFailed: 0,
				deactivated: 0,
				deactivationFailed: 0,
				duplicates: 0,
				orphans: 0,
				leftoverAfterFailure: 0,
			};
			try {
				fake.randomFaults({ p: FAULT_RATE, seed: SEED + cases.indexOf(each) * 7919 });
				let previousDeactivationFailed = false;
				for (let cycle = 0; cycle < CYCLES; cycle++) {
					if (await activate(trigger)) {
						tally.activated++;
						if (each.ours(fake, PRODUCTION_URL) !== each.perRegistration) tally.duplicates++;
					} else {
						tally.activationFailed++;
					}
					previousDeactivationFailed = false;
					if (await deactivate(trigger)) {
						tally.deactivated++;
						if (each.ours(fake, PRODUCTION_URL) !== 0) tally.orphans++;
					} else {
						tally.deactivationFailed++;
						previousDeactivationFailed = true;
					}
				}
				fake.randomFaults({ p: 0 });
				expect(previousDeactivationFailed ? await deactivate(trigger) : true).toBe(true);
				expect(await activate(trigger)).toBe(true);
				expect(each.ours(fake, PRODUCTION_URL)).toBe(each.perRegistration);
				expect(await deactivate(trigger)).toBe(true);
				tally.leftoverAfterFailure = each.ours(fake, PRODUCTION_URL);
			} finally {
				report(
					`[registration faults] ${each.name} seed ${SEED}: ${JSON.stringify({ ...tally, injected: fake.injected })}`,
				);
				await fake.stop();
			}
			expect(tally.activated).toBeGreaterThan(CYCLES / 2);
			expect(Object.values(fake.injected).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(
				CYCLES / 4,
			);
			expect({
				duplicates: tally.duplicates,
				orphans: tally.orphans,
				leftoverAfterFailure: tally.leftoverAfterFailure,
			}).toEqual({
				duplicates: 0,
				orphans: 0,
				leftoverAfterFailure: 0,
			});
		},
		600_000,
	);
});
