import { splitSecrets } from '../shared/delivery';
import { jsonEvent, textField, valueAtPath } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import type { VerificationResult } from '../shared/verdict';
import { signingCertificate } from './certificates';
import { PAYPAL_CERTIFICATE_ORIGINS, verifyPayPal } from './signature';
import { PAYPAL_API_BASE_URLS, PAYPAL_CREDENTIAL, PayPalWebhookApi } from './transport';

interface PayPalCredential {
	clientId: string;
	clientSecret: string;
	environment?: 'sandbox' | 'production' | 'custom';
	baseUrl?: string;
	webhookIds?: string;
}

function apiBaseUrl({ environment, baseUrl }: PayPalCredential): string {
	if (environment === 'custom' && baseUrl) return baseUrl;
	return environment === 'production'
		? PAYPAL_API_BASE_URLS.production
		: PAYPAL_API_BASE_URLS.sandbox;
}

/**
 * Where signing certificates may be fetched from: PayPal's hosts of the credential's environment over https; for
 * a Custom environment (a proxy or a mock), its own origin only.
 */
function certificateOrigins({ environment, baseUrl }: PayPalCredential): readonly string[] {
	if (environment === 'custom') {
		try {
			return baseUrl ? [new URL(baseUrl).origin] : [];
		} catch {
			return [];
		}
	}
	return environment === 'production'
		? PAYPAL_CERTIFICATE_ORIGINS.production
		: PAYPAL_CERTIFICATE_ORIGINS.sandbox;
}

/**
 * PayPal: a webhook of the REST app per workflow, registered through the API. PayPal signs with its own RSA
 * certificate; what the trigger holds in place of a secret is the webhook id PayPal issued (stored sealed like
 * a secret), since each signature covers it.
 */
export const payPal: TriggerDeclaration<PayPalCredential, Promise<VerificationResult>> = {
	provider: 'paypal',
	credential: PAYPAL_CREDENTIAL,
	// PayPal retries a failed delivery for up to 3 days.
	dedupHours: 73,
	secretName: 'PayPal webhook ID',
	events: { parameter: 'events', wildcard: true },
	configuredSecrets: ({ webhookIds }) => splitSecrets(webhookIds),
	secretProblem: (secret) =>
		/^[A-Za-z0-9-]{1,64}$/.test(secret)
			? undefined
			: 'is not a PayPal webhook ID (letters and digits, as the Developer Dashboard shows it)',
	sealingKey: ({ clientSecret }) => clientSecret,
	verificationSettings: (credential) => certificateOrigins(credential),
	verify: async ({
		rawBody,
		headers,
		secrets,
		nowSeconds,
		toleranceSeconds,
		settings,
		fetchText,
	}) =>
		await verifyPayPal({
			rawBody,
			headers,
			webhookIds: secrets,
			nowSeconds,
			toleranceSeconds,
			origins: Array.isArray(settings) ? (settings as string[]) : [],
			certificate: async (url) => await signingCertificate(url, fetchText, nowSeconds * 1000),
		}),
	parse(rawBody) {
		const event = jsonEvent(rawBody, { id: 'id', type: 'event_type' });
		if (typeof event === 'string') return event;
		const resourceId = valueAtPath(event.payload, 'resource.id');
		return {
			...event,
			details: {
				resourceType: textField(event.payload, 'resource_type') ?? null,
				resourceId: typeof resourceId === 'string' ? resourceId : null,
				summary: textField(event.payload, 'summary') ?? null,
			},
		};
	},
	endpoint(context, credential) {
		return { api: new PayPalWebhookApi(context, apiBaseUrl(credential), credential) };
	},
};
