import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { stripeTriggerProperties } from './description';
import { stripe } from './provider';
import { STRIPE_CREDENTIAL } from './transport';

export class StripeVerifiedTrigger extends triggerNode({
	displayName: 'Stripe Verified Trigger',
	name: 'stripeVerifiedTrigger',
	icon: 'stripe',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on Stripe events: registers its endpoint, verifies every signature, drops retried duplicates',
	properties: stripeTriggerProperties,
	credential: STRIPE_CREDENTIAL,
	handlers: verifiedTrigger(stripe),
}) {}
