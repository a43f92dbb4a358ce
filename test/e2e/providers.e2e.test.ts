/**
 * Every provider's trigger (and the Signed Webhook Trigger's presets) end to end in each pinned real n8n — one
 * n8n per version shared by the providers' suites (test/e2e/providers/*.ts), each with its own fake provider,
 * credential and workflow, deactivated at its end (the removals at the providers, after their grace, are checked
 * together at the very end). None of them restarts n8n; the suites that do (restarts,
 * crashes, edits, queue mode) keep an n8n of their own in their own files.
 */
import { testedVersions } from '../../scripts/n8n';
import { calendlyCases } from './providers/calendly';
import { gitHubCases } from './providers/github';
import { gitLabCases } from './providers/gitlab';
import { lemonSqueezyCases } from './providers/lemonSqueezy';
import { linearCases } from './providers/linear';
import { paddleCases } from './providers/paddle';
import { payPalCases } from './providers/payPal';
import { sendGridCases } from './providers/sendGrid';
import { shopifyCases } from './providers/shopify';
import { signedWebhookCases } from './providers/signedWebhook';
import { squareCases } from './providers/square';
import { standardWebhooksCases } from './providers/standardWebhooks';
import { twilioCases } from './providers/twilio';
import { typeformCases } from './providers/typeform';
import { wooCommerceCases } from './providers/wooCommerce';
import { n8nSuite, removalsAfterGrace } from './support';

jest.setTimeout(240_000);

const suites = [
	['Calendly Verified Trigger', calendlyCases],
	['GitHub Verified Trigger', gitHubCases],
	['GitLab Verified Trigger', gitLabCases],
	['Lemon Squeezy Verified Trigger', lemonSqueezyCases],
	['Linear Verified Trigger', linearCases],
	['Paddle Billing Verified Trigger', paddleCases],
	['PayPal Verified Trigger', payPalCases],
	['SendGrid Verified Trigger', sendGridCases],
	['Shopify Verified Trigger', shopifyCases],
	['Signed Webhook Trigger', signedWebhookCases],
	['Square Verified Trigger', squareCases],
	['Standard Webhooks Verified Trigger', standardWebhooksCases],
	['Twilio Verified Trigger', twilioCases],
	['Typeform Verified Trigger', typeformCases],
	['WooCommerce Verified Trigger', wooCommerceCases],
] as const;

describe.each(testedVersions())('provider triggers in one real n8n %s', (version) => {
	const n8n = n8nSuite(version);
	for (const [name, cases] of suites) describe(name, () => cases(n8n, version));
	removalsAfterGrace(n8n);
});
