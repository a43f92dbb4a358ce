import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { getHmac } from '@shopify/shopify-api/test-helpers';

import { shopify } from '../../nodes/ShopifyVerifiedTrigger/provider';

/** The verifier the trigger runs (its provider declaration). */
function verifyShopifySignature(input: {
	rawBody: Buffer;
	headers: Record<string, string | string[]>;
	secrets: string[];
}) {
	return shopify.verify({ nowSeconds: 0, toleranceSeconds: 0, ...input });
}

const SIGNING_FIXTURE = 'shpss_test_secret';
const BODY = Buffer.from('{"id":"evt_test_1","type":"test.event","data":{"amount":1999}}');

function verify(
	headers: Record<string, string | string[]>,
	extra: { body?: Buffer; secrets?: string[] } = {},
) {
	return verifyShopifySignature({
		rawBody: extra.body ?? BODY,
		headers,
		secrets: extra.secrets ?? [SIGNING_FIXTURE],
	});
}

describe('verifyShopifySignature', () => {
	const hmac = getHmac(BODY.toString(), SIGNING_FIXTURE);

	it('matches the known-answer vector, which the official getHmac produces', () => {
		expect(hmac).toBe('/KyxaajdxRm4t25iCGvJ5Lm08fy4Dpw5hqexLuhluIY=');
		expect(verify({ 'x-shopify-hmac-sha256': hmac }).ok).toBe(true);
	});

	it('agrees with the official shopify.webhooks.validate on the same request', async () => {
		const shopify = shopifyApi({
			apiKey: 'example-key',
			apiSecretKey: SIGNING_FIXTURE,
			scopes: ['read_orders'],
			hostName: 'example.com',
			apiVersion: ApiVersion.July25,
			isEmbeddedApp: false,
			logger: { level: 0, log: async () => undefined },
		});
		const headers = {
			'x-shopify-hmac-sha256': hmac,
			'x-shopify-topic': 'orders/create',
			'x-shopify-api-version': '2025-07',
			'x-shopify-shop-domain': 'example.myshopify.com',
			'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
			'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
		};
		const result = await shopify.webhooks.validate({
			rawBody: BODY.toString(),
			rawRequest: { headers } as never,
		});
		expect(result.valid).toBe(true);
		expect(verify(headers).ok).toBe(true);
		const forged = { ...headers, 'x-shopify-hmac-sha256': getHmac(BODY.toString(), 'shpss_other') };
		expect(
			(
				await shopify.webhooks.validate({
					rawBody: BODY.toString(),
					rawRequest: { headers: forged } as never,
				})
			).valid,
		).toBe(false);
		expect(verify(forged)).toMatchObject({ reason: 'signature_mismatch' });
	});

	it('reads the unprefixed headers of "events" deliveries', () => {
		expect(verify({ 'shopify-hmac-sha256': hmac }).ok).toBe(true);
	});

	it('rejects a changed body, a missing or garbled header, and no secret; accepts the previous secret', () => {
		expect(
			verify({ 'x-shopify-hmac-sha256': hmac }, { body: Buffer.from(`${BODY} `) }),
		).toMatchObject({ reason: 'signature_mismatch' });
		expect(verify({})).toMatchObject({ reason: 'missing_signature' });
		expect(verify({ 'x-shopify-hmac-sha256': 'not base64!' })).toMatchObject({
			reason: 'malformed_signature',
		});
		expect(verify({ 'x-shopify-hmac-sha256': hmac }, { secrets: [] })).toMatchObject({
			reason: 'no_secret',
		});
		expect(
			verify({ 'x-shopify-hmac-sha256': hmac }, { secrets: ['shpss_new', SIGNING_FIXTURE] }),
		).toMatchObject({ ok: true, secretIndex: 1 });
	});
});
