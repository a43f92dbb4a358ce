import type { HeaderScheme } from '../shared/signature';

/**
 * GitLab (classic webhooks): `X-Gitlab-Token` carries the hook's secret token itself. Nothing is signed: the
 * token proves who sent the request, not that its bytes are unchanged (see the README's security model).
 */
export const gitLabToken: HeaderScheme = {
	headers: ['x-gitlab-token'],
	name: 'X-Gitlab-Token',
	encoding: 'hex',
	bytes: 0,
	layout: { kind: 'token' },
	content: (rawBody) => [rawBody],
};
