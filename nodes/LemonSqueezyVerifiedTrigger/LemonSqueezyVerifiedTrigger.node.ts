import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { lemonSqueezyTriggerProperties } from './description';
import { lemonSqueezy } from './provider';
import { LEMON_SQUEEZY_CREDENTIAL } from './transport';

export class LemonSqueezyVerifiedTrigger extends triggerNode({
	displayName: 'Lemon Squeezy Verified Trigger',
	name: 'lemonSqueezyVerifiedTrigger',
	icon: 'lemonsqueezy',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on Lemon Squeezy events: registers its webhook, verifies every signature, drops retried duplicates',
	properties: lemonSqueezyTriggerProperties,
	credential: LEMON_SQUEEZY_CREDENTIAL,
	handlers: verifiedTrigger(lemonSqueezy),
}) {}
