import type { INodeProperties } from 'n8n-workflow';

import { eventsParameter, triggerProperties } from '../shared/descriptions';
import { typeform } from './provider';

import events from './events.json';

export const typeformTriggerProperties: INodeProperties[] = triggerProperties({
	provider: 'Typeform',
	manualHint:
		"Add a webhook to the form in Typeform (Connect → Webhooks) with this node's production URL and a secret, and put that secret into the credential's Webhook Secrets.",
	parameters: [
		{
			displayName: 'Form ID',
			name: 'formId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'u6nXL7',
			description:
				"The form whose responses start the workflow: the part after /to/ in the form's link",
			displayOptions: { show: { registration: ['automatic'] } },
		},
		{
			...eventsParameter(
				'The responses that start the workflow. Typeform is asked to send only these.',
				events,
			),
			default: ['form_response'],
		},
	],
	retryWindow:
		'Typeform retries some failed deliveries for up to 10 hours; 24 hours covers them and a manual resend.',
	dedupHours: typeform.dedupHours,
});
