import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { linearTriggerProperties } from './description';
import { linear } from './provider';
import { LINEAR_CREDENTIAL } from './transport';

export class LinearVerifiedTrigger extends triggerNode({
	displayName: 'Linear Verified Trigger',
	name: 'linearVerifiedTrigger',
	icon: 'linear',
	subtitle: '={{ "resources: " + $parameter["resourceTypes"].join(", ") }}',
	description:
		'Starts the workflow on Linear events: registers its webhook, verifies every signature, drops retried duplicates',
	properties: linearTriggerProperties,
	credential: LINEAR_CREDENTIAL,
	handlers: verifiedTrigger(linear),
}) {}
