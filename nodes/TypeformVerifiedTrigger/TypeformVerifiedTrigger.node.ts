import { triggerNode } from '../shared/node';
import { verifiedTrigger } from '../shared/trigger';
import { typeformTriggerProperties } from './description';
import { typeform } from './provider';
import { TYPEFORM_CREDENTIAL } from './transport';

export class TypeformVerifiedTrigger extends triggerNode({
	displayName: 'Typeform Verified Trigger',
	name: 'typeformVerifiedTrigger',
	icon: 'typeform',
	subtitle: '={{ "events: " + $parameter["events"].join(", ") }}',
	description:
		'Starts the workflow on Typeform responses: registers its webhook on the form, verifies every signature, drops retried duplicates',
	properties: typeformTriggerProperties,
	credential: TYPEFORM_CREDENTIAL,
	handlers: verifiedTrigger(typeform),
}) {}
