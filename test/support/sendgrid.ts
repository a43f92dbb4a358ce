import { EventWebhook } from '@sendgrid/eventwebhook';
import { generateKeyPairSync, sign } from 'crypto';

/**
 * SendGrid's Signed Event Webhook for tests. Two sources of signatures nobody here computed:
 * - SENDGRID_VECTORS: deliveries signed by SendGrid, published as the test vectors of its official SDK
 *   (@sendgrid/eventwebhook 8.0.0, src/eventwebhook.spec.js). `publishedVectorsText()` reads that file from
 *   the installed package, so a test can show each vector stands there as written here.
 * - sendGridSdkAccepts(): the SDK's own verifier (EventWebhook#verifySignature, on starkbank-ecdsa).
 * SendGrid's SDK has no signer; `throwawaySigner()` signs with node:crypto and a fresh P-256 key, and tests
 * use a delivery only after the SDK's verifier has accepted it.
 */

export interface SendGridVector {
	name: string;
	/** SendGrid's Verification Key: a public key (base64 SPKI DER), not a secret. */
	spki: string;
	signature: string;
	timestamp: string;
	payload: string;
}

const multiple = [
	{
		email: 'invalid@gmail.com',
		event: 'processed',
		send_at: 0,
		sg_event_id: 'cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA',
		sg_message_id: 'qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0',
		'smtp-id': '<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>',
		timestamp: 1619651146,
	},
	{
		email: 'invalid@gmail.com',
		event: 'bounce',
		ip: '167.89.101.76',
		reason:
			'552 5.2.2 The email account that you tried to reach is over quota and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm c17si1130468pgv.34 - gsmtp',
		sg_event_id: 'Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w',
		sg_message_id: 'qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0',
		'smtp-id': '<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>',
		status: '5.2.2',
		timestamp: 1619651147,
		tls: 1,
		type: 'blocked',
	},
];

export const SENDGRID_VECTORS: SendGridVector[] = [
	{
		name: 'single event',
		spki: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==',
		signature:
			'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
		timestamp: '1600112502',
		payload:
			JSON.stringify([
				{
					email: 'hello@world.com',
					event: 'dropped',
					reason: 'Bounced Address',
					sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
					sg_message_id:
						'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
					'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
					timestamp: 1600112492,
				},
			]) + '\r\n',
	},
	{
		name: 'two events',
		spki: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==',
		signature:
			'MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5',
		timestamp: '1619651159',
		payload: JSON.stringify(multiple).split('},{').join('},\r\n{') + '\r\n',
	},
];

/** The SDK's test file as installed (where SENDGRID_VECTORS are published). */
export function publishedVectorsText(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { readRepoFile } = require('./repoFiles.js') as { readRepoFile(path: string): string };
	return readRepoFile('node_modules/@sendgrid/eventwebhook/src/eventwebhook.spec.js');
}

/** SendGrid's official verifier on one delivery. */
export function sendGridSdkAccepts(
	publicKey: string,
	payload: string | Buffer,
	signature: string,
	timestamp: string,
): boolean {
	const webhook = new EventWebhook();
	try {
		return webhook.verifySignature(
			webhook.convertPublicKeyToECDSA(publicKey),
			payload,
			signature,
			timestamp,
		);
	} catch {
		return false; // starkbank-ecdsa throws on an unreadable signature
	}
}

/** A fresh P-256 key: its public key as SendGrid shows one (base64 SPKI DER) and a signer of `{timestamp}{body}`. */
export function throwawaySigner(): {
	publicKey: string;
	sign(timestamp: string, body: string): string;
} {
	const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	return {
		publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
		sign: (timestamp, body) =>
			sign('sha256', Buffer.from(timestamp + body), pair.privateKey).toString('base64'),
	};
}
