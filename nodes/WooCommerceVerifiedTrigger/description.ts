import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { wooCommerce } from './provider';

import events from './events.json';

export const wooCommerceTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'WooCommerce',
	manualHint:
		"Create a webhook per topic in WooCommerce (Settings → Advanced → Webhooks) with this node's production URL, API version WP REST API v3 and a secret, and put that secret into the credential's Signing Secrets.",
	parameters: [
		{
			...eventsParameter(
				'The topics that start the workflow. WooCommerce gets one webhook per topic ("All Events" registers every topic listed).',
				events,
			),
			default: ['order.created'],
		},
	],
	retryWindow:
		'WooCommerce never retries a delivery; 24 hours drops a replayed delivery and the same change sent twice.',
	dedupHours: wooCommerce.dedupHours,
});
