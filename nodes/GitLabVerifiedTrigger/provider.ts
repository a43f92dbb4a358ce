import { NodeOperationError } from 'n8n-workflow';

import { headerText, splitSecrets } from '../shared/delivery';
import { parseJsonObject, textField } from '../shared/json';
import type { TriggerDeclaration } from '../shared/trigger';
import { verifySignedHeader } from '../shared/signature';
import events from './events.json';
import { gitLabToken } from './signature';
import { DEFAULT_GITLAB_URL, GITLAB_CREDENTIAL, GitLabHookApi } from './transport';

interface GitLabCredential {
	accessToken: string;
	secretTokens?: string;
	baseUrl?: string;
}

/** The event flag a delivery belongs to, from the body's object_kind (and event_type for confidential ones). */
const KIND_TO_EVENT: Record<string, string> = {
	push: 'push_events',
	tag_push: 'tag_push_events',
	issue: 'issues_events',
	confidential_issue: 'confidential_issues_events',
	merge_request: 'merge_requests_events',
	note: 'note_events',
	confidential_note: 'confidential_note_events',
	pipeline: 'pipeline_events',
	build: 'job_events',
	wiki_page: 'wiki_page_events',
	deployment: 'deployment_events',
	release: 'releases_events',
};

/** GitLab: project or group hooks registered through the API with a secret token we generate. */
export const gitLab: TriggerDeclaration<GitLabCredential> = {
	provider: 'gitlab',
	credential: GITLAB_CREDENTIAL,
	dedupHours: 72,
	secretName: 'GitLab secret token',
	events: { parameter: 'events', wildcard: true, catalogue: events },
	configuredSecrets: ({ secretTokens }) => splitSecrets(secretTokens),
	sealingKey: ({ accessToken }) => accessToken,
	verify: ({ rawBody, headers, secrets }) =>
		verifySignedHeader(gitLabToken, { rawBody, headers, secrets }),
	parse(rawBody, headers) {
		const payload = parseJsonObject(rawBody);
		if (typeof payload === 'string') return payload;
		const kind = textField(payload, 'object_kind');
		if (!kind) return 'the event has no object_kind';
		const eventType = textField(payload, 'event_type');
		const type = KIND_TO_EVENT[eventType?.startsWith('confidential_') ? eventType : kind] ?? kind;
		// Idempotency-Key (GitLab 17.4+) stays the same across redeliveries; X-Gitlab-Event-UUID before that.
		const id = headerText(headers, 'idempotency-key', 'x-gitlab-event-uuid');
		if (!id) return 'neither Idempotency-Key nor X-Gitlab-Event-UUID was sent';
		return {
			id,
			type,
			payload,
			details: {
				objectKind: kind,
				hookEvent: headerText(headers, 'x-gitlab-event') ?? null,
				instance: headerText(headers, 'x-gitlab-instance') ?? null,
			},
		};
	},
	endpoint(context, { baseUrl }) {
		const kind = context.getNodeParameter('scope', 'project') === 'group' ? 'group' : 'project';
		const path = String(
			context.getNodeParameter(kind === 'group' ? 'group' : 'project', ''),
		).trim();
		// A numeric ID, or a path: a project's always has its namespace (group/project).
		const isPath = /^[\w.-]+(\/[\w.-]+)*$/.test(path) && (kind === 'group' || path.includes('/'));
		if (!/^\d+$/.test(path) && !isPath) {
			throw new NodeOperationError(
				context.getNode(),
				`${kind === 'group' ? 'Group' : 'Project'} must be an ID or a full path`,
				{
					description:
						kind === 'group'
							? 'Set Group to the numeric group ID or its path (e.g. my-group or my-group/subgroup).'
							: 'Set Project to the numeric project ID (Settings → General) or its full path (e.g. my-group/my-project).',
				},
			);
		}
		const api = new GitLabHookApi(context, (baseUrl || DEFAULT_GITLAB_URL).replace(/\/+$/, ''), {
			kind,
			path,
		});
		return { api };
	},
};
