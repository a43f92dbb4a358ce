import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { squareTriggerProperties } from './description';
import { square } from './provider';
import { SQUARE_CREDENTIAL } from './transport';

export class SquareVerifiedTrigger extends triggerNode({
	displayName: 'Square Verified Trigger',
	name: 'squareVerifiedTrigger',
	icon: 'square',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on Square events: registers its webhook subscription, verifies every signature, drops retried duplicates',
	properties: squareTriggerProperties,
	credential: SQUARE_CREDENTIAL,
	handlers: verifiedTrigger(square),
}) {}
