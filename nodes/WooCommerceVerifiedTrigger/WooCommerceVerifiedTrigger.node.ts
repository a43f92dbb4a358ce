import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { wooCommerceTriggerProperties } from './description';
import { wooCommerce } from './provider';
import { WOOCOMMERCE_CREDENTIAL } from './transport';

export class WooCommerceVerifiedTrigger extends triggerNode({
	displayName: 'WooCommerce Verified Trigger',
	name: 'wooCommerceVerifiedTrigger',
	icon: 'woocommerce',
	subtitle: '={{ "topics: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on WooCommerce store events: registers its webhooks, verifies every signature, drops duplicates and replays',
	properties: wooCommerceTriggerProperties,
	credential: WOOCOMMERCE_CREDENTIAL,
	handlers: verifiedTrigger(wooCommerce),
}) {}
