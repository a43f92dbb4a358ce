import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The Redis server a trigger set to "Dedup Store: Redis" claims event ids in. The same fields as n8n's
 * built-in Redis credential, which a community package may not reference (n8n's no-credential-reuse rule).
 */
export class VerifiedWebhooksRedisApi implements ICredentialType {
	name = 'verifiedWebhooksRedisApi';

	displayName = 'Verified Webhooks Dedup Store (Redis) API';

	icon = {
		light: 'file:../icons/dedup-store.svg',
		dark: 'file:../icons/dedup-store.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/verified-webhooks/n8n-nodes-verified-webhooks#scaling-out';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			description:
				"The Redis server's host name; in queue mode usually the one in QUEUE_BULL_REDIS_HOST",
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 6379,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			hint: 'Leave blank for password-only auth',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			default: 0,
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'boolean',
			default: false,
		},
		{
			displayName: 'Disable TLS Verification (Insecure)',
			name: 'disableTlsVerification',
			type: 'boolean',
			displayOptions: { show: { ssl: [true] } },
			default: false,
			description:
				'Whether to accept a certificate that does not verify (self-signed). Anyone on the network path could then read and change the claims.',
		},
	];
}
