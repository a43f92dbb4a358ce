import { isEcdsaDerSignature } from '../shared/publicKey';
import type { HeaderScheme } from '../shared/signature';

const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/**
 * SendGrid's Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is the base64 of a DER ECDSA P-256 /
 * SHA-256 signature over the `X-Twilio-Email-Event-Webhook-Timestamp` header's text followed by the raw body, no
 * separator. The key is the webhook's public key (SendGrid holds the private one). The signed timestamp is the
 * header's exact text, as SendGrid's SDK concatenates it.
 */
export const sendGridSignature: HeaderScheme = {
	headers: ['x-twilio-email-event-webhook-signature'],
	name: 'X-Twilio-Email-Event-Webhook-Signature',
	encoding: 'base64',
	bytes: { form: 'a DER ECDSA signature', accepts: isEcdsaDerSignature },
	layout: { kind: 'single' },
	timestampHeader: TIMESTAMP_HEADER,
	content: (rawBody, _timestamp, headers) => [String(headers[TIMESTAMP_HEADER]), rawBody],
};
