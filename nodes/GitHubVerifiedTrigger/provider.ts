import type { IDataObject } from 'n8n-workflow';

import { headerText, splitSecrets } from '../shared/delivery';
import { parseJsonObject } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import { gitHubSignature } from './signature';
import { DEFAULT_GITHUB_API_BASE_URL, GITHUB_CREDENTIAL, GitHubHookApi } from './transport';

interface GitHubCredential {
	accessToken: string;
	webhookSecrets?: string;
	baseUrl?: string;
}

/** GitHub: repository or organization hooks registered through the API with a secret we generate. */
export const gitHub: TriggerDeclaration<GitHubCredential> = {
	provider: 'github',
	credential: GITHUB_CREDENTIAL,
	dedupHours: 72,
	secretName: 'GitHub webhook secret',
	events: { parameter: 'events', wildcard: true },
	configuredSecrets: ({ webhookSecrets }) => splitSecrets(webhookSecrets),
	sealingKey: ({ accessToken }) => accessToken,
	verify: ({ rawBody, headers, secrets }) =>
		verifySignedHeader(gitHubSignature, { rawBody, headers, secrets }),
	parse(rawBody, headers) {
		const event = headerText(headers, 'x-github-event');
		const deliveryId = headerText(headers, 'x-github-delivery');
		if (!event) return 'the X-GitHub-Event header is missing';
		if (!deliveryId) return 'the X-GitHub-Delivery header is missing';
		if (event === 'ping') return { acknowledge: 'ping' };
		const payload = parseJsonObject(rawBody, " (is the webhook's content type application/json?)");
		if (typeof payload === 'string') return payload;
		const action = typeof payload.action === 'string' ? payload.action : null;
		const details: IDataObject = {
			event,
			action,
			hookId: headerText(headers, 'x-github-hook-id') ?? null,
		};
		return { id: deliveryId, type: event, payload, details };
	},
	endpoint(context, { baseUrl }) {
		const scope = {
			kind:
				context.getNodeParameter('scope', 'repository') === 'organization'
					? ('organization' as const)
					: ('repository' as const),
			owner: (context.getNodeParameter('owner', '') as string).trim(),
			repository: (context.getNodeParameter('repository', '') as string).trim(),
		};
		return { api: new GitHubHookApi(context, baseUrl || DEFAULT_GITHUB_API_BASE_URL, scope) };
	},
};
