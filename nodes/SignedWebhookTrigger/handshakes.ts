import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Acknowledgement, IncomingHeaders } from '../shared/delivery';
import { wooCommercePing } from '../WooCommerceVerifiedTrigger/signature';

/**
 * The handshakes a provider sends to prove an endpoint is ours, beside the presets (presets.ts) that name
 * them in `challenge`. A handshake answers without an execution, so none of them can start the workflow.
 */
export interface Handshake {
	/**
	 * Runs before verification, for a handshake the provider sends unsigned. It may only look at a few bytes:
	 * nothing larger is decoded before the signature has matched.
	 */
	unsigned?(rawBody: Buffer, headers: IncomingHeaders): Acknowledgement | undefined;
	/** Runs on a verified JSON body; `key` is the first secret's key bytes, for answers that must be signed. */
	signed?(body: IDataObject, key: Buffer | undefined): Acknowledgement | string | undefined;
}

export const HANDSHAKES: Record<string, Handshake> = {
	none: {},
	// Slack's Events API checks a new request URL with a signed `url_verification` and expects its challenge back.
	slack: {
		signed: (body) =>
			body.type === 'url_verification'
				? { acknowledge: 'url_verification', body: { challenge: String(body.challenge ?? '') } }
				: undefined,
	},
	// Zoom validates an endpoint with a signed `endpoint.url_validation`: the answer is the plain token and its
	// HMAC-SHA256 under the webhook secret token.
	zoom: {
		signed(body, key) {
			if (body.event !== 'endpoint.url_validation') return undefined;
			const plainToken = String((body.payload as IDataObject | undefined)?.plainToken ?? '');
			if (!key) return 'no usable secret for the validation answer';
			const encryptedToken = createHmac('sha256', key).update(plainToken).digest('hex');
			return { acknowledge: 'endpoint.url_validation', body: { plainToken, encryptedToken } };
		},
	},
	// WooCommerce pings a new webhook with an unsigned form body `webhook_id=<n>` and needs a 200.
	woocommerce: { unsigned: wooCommercePing },
};
