import { DEFAULT_TOLERANCE_SECONDS } from '../shared/descriptions';
import type { SchemeConfig } from './scheme';

/**
 * Presets are data: each is a filled-in SchemeConfig, and the node treats it exactly like a Custom
 * configuration; its handshake, if any, is in handshakes.ts. Sources: each provider's webhook documentation
 * (README, "Signed Webhook (any provider that signs with a shared secret)").
 */
export interface Preset {
	/** The provider's name as the Provider parameter lists it (a unit test keeps the two in step). */
	name: string;
	/** Where to find the secret: shown in the node when this preset is chosen. */
	secretHint: string;
	config: SchemeConfig;
}

/**
 * Slack's "v0" scheme, which Zoom took over: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`, the unix time in
 * a header of its own, 5 minutes either way.
 */
function v0Scheme(
	signatureHeader: string,
	timestampHeader: string,
): Pick<SchemeConfig, 'algorithm' | 'secretEncoding' | 'signature' | 'template' | 'timestamp'> {
	return {
		algorithm: 'sha256',
		secretEncoding: 'utf8',
		signature: {
			location: 'header',
			name: signatureHeader,
			format: 'prefix',
			prefix: 'v0=',
			encoding: 'hex',
		},
		template: 'v0:{timestamp}:{body}',
		timestamp: {
			source: 'header',
			name: timestampHeader,
			unit: 's',
			toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
		},
	};
}

export const PRESETS: Record<string, Preset> = {
	typeform: {
		name: 'Typeform',
		secretHint: "The secret you set on the form's webhook (Connect → Webhooks → Edit)",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'Typeform-Signature',
				format: 'prefix',
				prefix: 'sha256=',
				encoding: 'base64',
			},
			template: '{body}',
			eventId: '{json:event_id}',
			eventType: '{json:event_type}',
		},
	},
	woocommerce: {
		name: 'WooCommerce',
		secretHint: "The webhook's Secret (WooCommerce → Settings → Advanced → Webhooks)",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'X-WC-Webhook-Signature',
				format: 'raw',
				encoding: 'base64',
			},
			template: '{body}',
			// WooCommerce sends no stable event id; a resource, its id and its modification time identify a change.
			eventId:
				'{header:x-wc-webhook-topic}:{json:id}:{json:date_modified_gmt} || {header:x-wc-webhook-delivery-id}',
			eventType: '{header:x-wc-webhook-topic}',
			challenge: 'woocommerce',
		},
	},
	linear: {
		name: 'Linear',
		secretHint: "The webhook's signing secret (Settings → API → Webhooks)",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: { location: 'header', name: 'Linear-Signature', format: 'raw', encoding: 'hex' },
			template: '{body}',
			timestamp: { source: 'body', name: 'webhookTimestamp', unit: 'ms', toleranceSeconds: 60 },
			eventId: '{header:linear-delivery} || {json:webhookId}:{json:createdAt}',
			eventType: '{json:type}.{json:action}',
		},
	},
	calendly: {
		name: 'Calendly',
		secretHint: 'The signing_key you gave when creating the webhook subscription',
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'Calendly-Webhook-Signature',
				format: 'kv',
				pairSeparator: ',',
				signatureKey: 'v1',
				timestampKey: 't',
				encoding: 'hex',
			},
			template: '{timestamp}.{body}',
			timestamp: { source: 'signature', unit: 's', toleranceSeconds: DEFAULT_TOLERANCE_SECONDS },
			eventId: '{json:event}:{json:payload.uri} || {json:event}:{json:created_at}',
			eventType: '{json:event}',
		},
	},
	lemonSqueezy: {
		name: 'Lemon Squeezy',
		secretHint: "The webhook's signing secret (Settings → Webhooks)",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: { location: 'header', name: 'X-Signature', format: 'raw', encoding: 'hex' },
			template: '{body}',
			eventId: '{json:meta.event_name}:{json:data.id}:{json:data.attributes.updated_at}',
			eventType: '{json:meta.event_name}',
		},
	},
	square: {
		name: 'Square',
		secretHint: "The subscription's Signature Key (Developer Console → Webhooks)",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'x-square-hmacsha256-signature',
				format: 'raw',
				encoding: 'base64',
			},
			// Square signs the notification URL exactly as registered, then the body.
			template: '{url}{body}',
			eventId: '{json:event_id}',
			eventType: '{json:type}',
		},
	},
	slack: {
		name: 'Slack (Events API, v0 signature)',
		secretHint: "The app's Signing Secret (Basic Information → App Credentials)",
		config: {
			...v0Scheme('X-Slack-Signature', 'X-Slack-Request-Timestamp'),
			eventId: '{json:event_id} || {header:x-slack-request-timestamp}:{json:type}',
			eventType: '{json:event.type} || {json:type}',
			challenge: 'slack',
		},
	},
	zoom: {
		name: 'Zoom',
		secretHint: "The app's Secret Token (Feature → Event Subscriptions)",
		config: {
			...v0Scheme('x-zm-signature', 'x-zm-request-timestamp'),
			eventId: '{json:event}:{json:event_ts}',
			eventType: '{json:event}',
			challenge: 'zoom',
		},
	},
	hubspot: {
		name: 'HubSpot (Webhooks API v3)',
		secretHint:
			"The app's Client secret (developer account → Apps → your app → Auth); HubSpot signs every app webhook with it",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'X-HubSpot-Signature-v3',
				format: 'raw',
				encoding: 'base64',
			},
			// Method, the exact URL HubSpot called (with its query), the raw body, then the millisecond time.
			template: '{method}{url}{body}{timestamp}',
			timestamp: {
				source: 'header',
				name: 'X-HubSpot-Request-Timestamp',
				unit: 'ms',
				toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
			},
			// A delivery is a JSON array of up to 100 events. HubSpot does not promise eventId unique on its own;
			// a retry repeats every field but attemptNumber, so the key is the event's whole identity.
			batchPath: '$',
			eventId:
				'{json:portalId}:{json:subscriptionId}:{json:eventId}:{json:occurredAt} || {json:eventId}',
			eventType: '{json:subscriptionType}',
		},
	},
	sendgrid: {
		name: 'SendGrid (Signed Event Webhook)',
		secretHint:
			'The Verification Key SendGrid shows when you enable Signed Event Webhook (Settings → Mail Settings → Event Webhooks): a public key, pasted as shown',
		config: {
			// ECDSA P-256: SendGrid signs with a private key; the credential holds its public key.
			algorithm: 'ecdsa-p256',
			secretEncoding: 'base64',
			signature: {
				location: 'header',
				name: 'X-Twilio-Email-Event-Webhook-Signature',
				format: 'raw',
				encoding: 'base64',
			},
			template: '{timestamp}{body}',
			timestamp: {
				source: 'header',
				name: 'X-Twilio-Email-Event-Webhook-Timestamp',
				unit: 's',
				toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
			},
			// A delivery is a JSON array of events, each with its own sg_event_id.
			batchPath: '$',
			eventId: '{json:sg_event_id}',
			eventType: '{json:event}',
		},
	},
	mailgun: {
		name: 'Mailgun',
		secretHint:
			"The HTTP webhook signing key (Mailgun → Settings → Security & Users → Webhook signing key); for a subaccount's domain, its own key or the primary account's",
		config: {
			algorithm: 'sha256',
			secretEncoding: 'utf8',
			// The signature is inside the JSON body, next to the (unsigned) event data; a subaccount's event also
			// carries the primary account's signature of the same timestamp and token.
			signature: {
				location: 'body',
				name: 'signature.signature',
				alternates: ['signature.parent-signature'],
				format: 'raw',
				encoding: 'hex',
			},
			template: '{json:signature.timestamp}{json:signature.token}',
			unsignedBody: true,
			timestamp: {
				source: 'body',
				name: 'signature.timestamp',
				unit: 's',
				toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
			},
			eventId: '{json:event-data.id}',
			eventType: '{json:event-data.event}',
		},
	},
	twilio: {
		name: 'Twilio (Event Streams and webhooks)',
		secretHint:
			"The account's Auth Token (Console → Account Info); Twilio signs every webhook with it. Register this node's exact Production URL: Twilio signs the URL it calls",
		config: {
			algorithm: 'sha1',
			secretEncoding: 'utf8',
			signature: {
				location: 'header',
				name: 'X-Twilio-Signature',
				format: 'raw',
				encoding: 'base64',
			},
			// The URL Twilio called, then the form fields sorted by name. Event Streams post JSON and add
			// ?bodySHA256=<hex> to the URL instead: the URL alone is signed and the body must hash to that value.
			template: '{url}{form}',
			bodyHashQuery: 'bodySHA256',
			eitherPort: true,
			// Event Streams: a CloudEvent or an array of them, each with its own id. Classic webhooks: a form
			// per status change of a message, call or recording, which the Sid and the status identify.
			batchPath: '$',
			batchOptional: true,
			eventId:
				'{json:id} || {json:MessageSid}:{json:MessageStatus} || {json:MessageSid}:{json:SmsStatus} || {json:CallSid}:{json:CallStatus} || {json:RecordingSid}:{json:RecordingStatus} || {header:i-twilio-idempotency-token}',
			eventType:
				'{json:type} || {json:MessageStatus} || {json:SmsStatus} || {json:CallStatus} || {json:RecordingStatus}',
		},
	},
	gitlab: {
		name: 'GitLab (secret token)',
		secretHint: 'The Secret token of the project or group webhook',
		config: {
			algorithm: 'token',
			secretEncoding: 'utf8',
			signature: { location: 'header', name: 'X-Gitlab-Token', format: 'raw', encoding: 'hex' },
			template: '{body}',
			eventId: '{header:idempotency-key} || {header:x-gitlab-event-uuid}',
			eventType: '{header:x-gitlab-event}',
		},
	},
};
