import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { calendlyTriggerProperties } from './description';
import { calendly } from './provider';
import { CALENDLY_CREDENTIAL } from './transport';

export class CalendlyVerifiedTrigger extends triggerNode({
	displayName: 'Calendly Verified Trigger',
	name: 'calendlyVerifiedTrigger',
	icon: 'calendly',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on Calendly events: registers its webhook subscription, verifies every signature, drops retried duplicates',
	properties: calendlyTriggerProperties,
	credential: CALENDLY_CREDENTIAL,
	handlers: verifiedTrigger(calendly),
}) {}
