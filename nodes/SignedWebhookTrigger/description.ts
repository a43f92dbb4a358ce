import { triggerProperties } from '../shared/descriptions';
import type { INodeProperties } from 'n8n-workflow';

import { PRESETS } from './presets';

const custom = { show: { preset: ['custom'] } };

export const signedWebhookProperties: INodeProperties[] = triggerProperties({
	provider: 'the provider',
	notice: {
		displayName:
			"Register this node's Production URL (shown above) in the provider's webhook settings and put the webhook's secret into the credential. The provider must reach n8n over the internet (set WEBHOOK_URL when n8n is behind a tunnel or proxy: URL-signing providers such as Square sign that public URL).",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	parameters: [
		{
			displayName: 'Provider',
			name: 'preset',
			type: 'options',
			// Listed literally (not derived from PRESETS) so n8n's lint can check the default; a unit test keeps
			// this list and PRESETS in step.
			options: [
				{ name: 'Calendly', value: 'calendly' },
				{ name: 'Custom', value: 'custom', description: 'Describe the scheme yourself' },
				{ name: 'GitLab (Secret Token)', value: 'gitlab' },
				{ name: 'HubSpot (Webhooks API V3)', value: 'hubspot' },
				{ name: 'Lemon Squeezy', value: 'lemonSqueezy' },
				{ name: 'Linear', value: 'linear' },
				{ name: 'Mailgun', value: 'mailgun' },
				{ name: 'SendGrid (Signed Event Webhook)', value: 'sendgrid' },
				{ name: 'Slack (Events API, V0 Signature)', value: 'slack' },
				{ name: 'Square', value: 'square' },
				{ name: 'Twilio (Event Streams and Webhooks)', value: 'twilio' },
				{ name: 'Typeform', value: 'typeform' },
				{ name: 'WooCommerce', value: 'woocommerce' },
				{ name: 'Zoom', value: 'zoom' },
			],
			default: 'slack',
		},
		...Object.entries(PRESETS).map(
			([value, preset]): INodeProperties => ({
				displayName: `The credential's secret: ${preset.secretHint}`,
				name: `secretHint_${value}`,
				type: 'notice',
				default: '',
				displayOptions: { show: { preset: [value] } },
			}),
		),
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			displayOptions: custom,
			default: 'sha256',
			options: [
				{
					name: 'ECDSA P-256 (Public Key)',
					value: 'ecdsa-p256',
					description:
						"SHA-256 signed with the provider's private key, a DER signature; the credential holds the public key",
				},
				{ name: 'HMAC-SHA1', value: 'sha1' },
				{ name: 'HMAC-SHA256', value: 'sha256' },
				{ name: 'HMAC-SHA512', value: 'sha512' },
				{ name: 'Shared Token (Plain Comparison)', value: 'token' },
			],
		},
		{
			displayName: 'Secret Encoding',
			name: 'secretEncoding',
			type: 'options',
			displayOptions: { show: { preset: ['custom'] }, hide: { algorithm: ['ecdsa-p256'] } },
			default: 'utf8',
			options: [
				{ name: 'Base64', value: 'base64' },
				{ name: 'Hex', value: 'hex' },
				{ name: 'Text (UTF-8)', value: 'utf8' },
				{ name: 'Whsec_ + Base64 (Standard Webhooks)', value: 'whsec' },
			],
		},
		{
			displayName: 'Signature Location',
			name: 'signatureLocation',
			type: 'options',
			displayOptions: custom,
			default: 'header',
			options: [
				{ name: 'Header', value: 'header' },
				{ name: 'Query Parameter', value: 'query' },
			],
		},
		{
			displayName: 'Signature Name',
			name: 'signatureName',
			type: 'string',
			displayOptions: custom,
			default: 'X-Signature',
			description: 'The header or query parameter that carries the signature',
		},
		{
			displayName: 'Signature Format',
			name: 'signatureFormat',
			type: 'options',
			displayOptions: custom,
			default: 'raw',
			options: [
				{ name: 'Key=Value List (e.g. T=…,v1=…)', value: 'kv' },
				{ name: 'Prefixed (e.g. Sha256=…)', value: 'prefix' },
				{ name: 'Raw Value', value: 'raw' },
				{ name: 'Space-Separated Version,Signature List', value: 'list' },
			],
		},
		{
			displayName: 'Prefix',
			name: 'signaturePrefix',
			type: 'string',
			default: 'sha256=',
			displayOptions: { show: { preset: ['custom'], signatureFormat: ['prefix'] } },
		},
		{
			displayName: 'Pair Separator',
			name: 'pairSeparator',
			type: 'string',
			default: ',',
			displayOptions: { show: { preset: ['custom'], signatureFormat: ['kv'] } },
		},
		{
			displayName: 'Signature Key',
			name: 'signatureKey',
			type: 'string',
			default: 'v1',
			description: 'Every value under this key is a candidate signature',
			displayOptions: { show: { preset: ['custom'], signatureFormat: ['kv'] } },
		},
		{
			displayName: 'Timestamp Key',
			name: 'timestampKey',
			type: 'string',
			default: 't',
			displayOptions: { show: { preset: ['custom'], signatureFormat: ['kv'] } },
		},
		{
			displayName: 'List Version',
			name: 'listVersion',
			type: 'string',
			default: 'v1',
			displayOptions: { show: { preset: ['custom'], signatureFormat: ['list'] } },
		},
		{
			displayName: 'Signature Encoding',
			name: 'signatureEncoding',
			type: 'options',
			displayOptions: custom,
			default: 'hex',
			options: [
				{ name: 'Base64', value: 'base64' },
				{ name: 'Base64url', value: 'base64url' },
				{ name: 'Hex', value: 'hex' },
			],
		},
		{
			displayName: 'Signed Content',
			name: 'template',
			type: 'string',
			displayOptions: custom,
			default: '{body}',
			description:
				'What was signed: literal text and tokens in braces for the raw body, the timestamp, the method, the public URL, a header, a query parameter, a body field or the sorted fields of a form body (see the README). Example: {timestamp}.{body}.',
		},
		{
			displayName: 'Timestamp Source',
			name: 'timestampSource',
			type: 'options',
			displayOptions: custom,
			default: 'none',
			options: [
				{ name: 'Body Field', value: 'body' },
				{ name: 'Header', value: 'header' },
				{ name: 'None', value: 'none' },
				{ name: 'Signature Key (Above)', value: 'signature' },
			],
		},
		{
			displayName: 'Timestamp Header or Field',
			name: 'timestampName',
			type: 'string',
			default: '',
			displayOptions: { show: { preset: ['custom'], timestampSource: ['header', 'body'] } },
		},
		{
			displayName: 'Timestamp Unit',
			name: 'timestampUnit',
			type: 'options',
			default: 's',
			displayOptions: {
				show: { preset: ['custom'], timestampSource: ['header', 'body', 'signature'] },
			},
			options: [
				{ name: 'ISO 8601', value: 'iso' },
				{ name: 'Milliseconds', value: 'ms' },
				{ name: 'Seconds', value: 's' },
			],
		},
		{
			displayName: 'Event ID',
			name: 'eventIdTemplate',
			type: 'string',
			displayOptions: custom,
			default: '{json:id}',
			description:
				'The dedup key, as a template; alternatives separated by || are tried in order (see the README)',
		},
		{
			displayName: 'Event Type',
			name: 'eventTypeTemplate',
			type: 'string',
			displayOptions: custom,
			default: '{json:type}',
		},
		{
			displayName: 'Batch Path',
			name: 'batchPath',
			type: 'string',
			displayOptions: custom,
			default: '',
			description:
				'When the body is an array of events: $ (the body itself) or the JSON path of the array. Each event is deduplicated and emitted on its own, and body-field tokens read from the event.',
		},
		{
			displayName: 'Handshake',
			name: 'challenge',
			type: 'options',
			displayOptions: custom,
			default: 'none',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Slack Url_verification', value: 'slack' },
				{ name: 'WooCommerce Creation Ping', value: 'woocommerce' },
				{ name: 'Zoom Endpoint.url_validation', value: 'zoom' },
			],
		},
		{
			displayName: 'Event Types',
			name: 'eventTypes',
			type: 'string',
			default: '',
			placeholder: 'order.created, order.paid',
			description: 'Comma-separated event types that start the workflow; empty accepts every type',
		},
	],
	retryWindow:
		'72 hours covers the longest common retry windows (Square, Stripe-like senders); lower it for providers that retry for hours only.',
	dedupHours: 72,
	options: [
		{
			displayName: 'Rejection Status',
			name: 'failureStatus',
			type: 'number',
			default: 401,
			description:
				'Status for deliveries that fail verification (Mailgun-style senders stop retrying on 406). 410 is refused: it makes some senders disable the endpoint.',
		},
	],
	tolerance: "Overrides the provider's tolerance when the scheme has a timestamp.",
});
