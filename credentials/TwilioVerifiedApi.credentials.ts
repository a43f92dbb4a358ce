import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { environmentBaseUrl, environmentFields, refusals, secretField } from './common';

const TWILIO_ENVIRONMENTS = [{ name: 'Twilio', value: 'twilio', url: 'https://events.twilio.com' }];

export class TwilioVerifiedApi implements ICredentialType {
	name = 'twilioVerifiedApi';

	displayName = 'Twilio (Verified Webhooks) API';

	icon = { light: 'file:../icons/twilio.svg', dark: 'file:../icons/twilio.dark.svg' } as const;

	documentationUrl =
		'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#twilio-event-streams';

	properties: INodeProperties[] = [
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'AC…',
			description: "The account's SID (Console → Account Info)",
		},
		secretField(
			'Auth Token',
			'authToken',
			"The account's Auth Token (Console → Account Info). It manages Event Streams and is the key Twilio signs every delivery with.",
			{ required: true },
		),
		secretField(
			'Previous Auth Token',
			'previousAuthToken',
			'Optional. While the Auth Token is rotated (a secondary token promoted in the Console), deliveries signed with this one are accepted too.',
		),
		...environmentFields(TWILIO_ENVIRONMENTS, 'http://127.0.0.1:12124'),
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.accountSid}}', password: '={{$credentials.authToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: environmentBaseUrl(TWILIO_ENVIRONMENTS),
			url: '/v1/Sinks?PageSize=1',
		},
		rules: refusals({
			401: 'Twilio rejected the Account SID and Auth Token (401): copy both again from Console → Account Info.',
		}),
	};
}
