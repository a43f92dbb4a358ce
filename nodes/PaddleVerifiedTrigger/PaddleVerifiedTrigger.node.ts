import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { paddleTriggerProperties } from './description';
import { paddle } from './provider';
import { PADDLE_CREDENTIAL } from './transport';

export class PaddleVerifiedTrigger extends triggerNode({
	displayName: 'Paddle Billing Verified Trigger',
	name: 'paddleVerifiedTrigger',
	icon: 'paddle',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on Paddle Billing events: registers its notification destination, verifies every signature, drops retried duplicates',
	properties: paddleTriggerProperties,
	credential: PADDLE_CREDENTIAL,
	handlers: verifiedTrigger(paddle),
}) {}
