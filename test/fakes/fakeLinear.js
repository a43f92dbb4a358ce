'use strict';
/**
 * A fake Linear GraphQL API (webhooks) on 127.0.0.1, and deliveries signed like Linear:
 * `Linear-Signature: <hex HMAC-SHA256(secret, raw body)>`, with `webhookTimestamp` (ms) in the body and a
 * `Linear-Delivery` id that stays the same across retries. `@linear/sdk` verifies (LinearWebhookClient) but does
 * not sign, so signing is node:crypto here; the tests check the SDK accepts these bytes. The fake answers the
 * operations the trigger sends (webhookCreate / webhookUpdate / webhookDelete, webhook, webhooks, viewer) with
 * GraphQL's shapes: `data`, or `errors` with Linear's extensions (providers.md §2.12).
 */
const { createHmac, randomUUID } = require('node:crypto');

const { FakeProviderServer } = require('./fakeHttp');

const RESOURCE_TYPES = [
	'Attachment',
	'Comment',
	'Customer',
	'CustomerNeed',
	'Cycle',
	'Document',
	'Initiative',
	'Issue',
	'IssueLabel',
	'Project',
	'ProjectUpdate',
	'Reaction',
];

function linearSignature(secret, payload) {
	return createHmac('sha256', secret).update(payload).digest('hex');
}

function graphQlError(message, code, status = 200) {
	return {
		status,
		body: {
			errors: [
				{
					message,
					extensions: { type: code.toLowerCase(), code, userPresentableMessage: message },
				},
			],
		},
	};
}

class FakeLinear extends FakeProviderServer {
	constructor({
		apiKey = 'lin_api_fake_key_for_loopback_only',
		teamIds = ['9cfb482a-81e3-4154-b5b9-2c805e70a02d'],
		port = 0,
	} = {}) {
		super({ port });
		this.apiKey = apiKey;
		this.teamIds = teamIds;
		this.webhooks = new Map();
	}

	faultResponse(status) {
		return status >= 500
			? graphQlError('Internal server error', 'INTERNAL_SERVER_ERROR', status)
			: graphQlError(`Injected failure ${status}`, 'INJECTED', status);
	}

	activeWebhooks() {
		return [...this.webhooks.values()];
	}

	view(webhook) {
		const { secret: _secret, ...rest } = webhook;
		return rest;
	}

	async handle(call) {
		if (call.path !== '/graphql' || call.method !== 'POST')
			return { status: 404, body: { message: 'Not found' } };
		if (call.headers.authorization !== this.apiKey)
			return graphQlError(
				'Authentication required, not authenticated',
				'AUTHENTICATION_ERROR',
				400,
			);
		const { query = '', variables = {} } = call.raw ? JSON.parse(call.raw) : {};
		if (/\bviewer\b/.test(query))
			return { status: 200, body: { data: { viewer: { id: 'user-1' } } } };
		if (/webhookCreate\(/.test(query)) {
			const input = variables.input ?? {};
			if (typeof input.url !== 'string' || !/^https?:\/\//.test(input.url))
				return graphQlError(
					'Argument Validation Error: url must be a URL address',
					'INVALID_INPUT',
				);
			if (
				!Array.isArray(input.resourceTypes) ||
				input.resourceTypes.length === 0 ||
				input.resourceTypes.some((type) => !RESOURCE_TYPES.includes(type))
			)
				return graphQlError(
					'Argument Validation Error: resourceTypes are invalid',
					'INVALID_INPUT',
				);
			if (input.teamId && !this.teamIds.includes(input.teamId))
				return graphQlError('Could not find referenced Team.', 'INVALID_INPUT');
			if (!input.teamId && input.allPublicTeams !== true)
				return graphQlError('Either teamId or allPublicTeams must be given', 'INVALID_INPUT');
			const webhook = {
				id: randomUUID(),
				url: input.url,
				enabled: input.enabled !== false,
				resourceTypes: input.resourceTypes,
				label: input.label ?? null,
				teamId: input.teamId ?? null,
				allPublicTeams: input.allPublicTeams === true,
				secret: input.secret ?? `lin_wh_${randomUUID().replace(/-/g, '')}`,
			};
			this.webhooks.set(webhook.id, webhook);
			return {
				status: 200,
				body: { data: { webhookCreate: { success: true, webhook: this.view(webhook) } } },
			};
		}
		if (/webhookUpdate\(/.test(query)) {
			const webhook = this.webhooks.get(variables.id);
			if (!webhook) return graphQlError('Entity not found: Webhook', 'INVALID_INPUT');
			const input = variables.input ?? {};
			for (const key of ['resourceTypes', 'enabled', 'url', 'label'])
				if (input[key] !== undefined) webhook[key] = input[key];
			return { status: 200, body: { data: { webhookUpdate: { success: true } } } };
		}
		if (/webhookDelete\(/.test(query)) {
			if (!this.webhooks.delete(variables.id))
				return graphQlError('Entity not found: Webhook', 'INVALID_INPUT');
			return { status: 200, body: { data: { webhookDelete: { success: true } } } };
		}
		if (/webhooks\(/.test(query)) {
			const all = this.activeWebhooks();
			const start = variables.after ? Number(variables.after) : 0;
			const first = 100;
			const page = all.slice(start, start + first);
			return {
				status: 200,
				body: {
					data: {
						webhooks: {
							nodes: page.map((webhook) => this.view(webhook)),
							pageInfo: {
								hasNextPage: start + first < all.length,
								endCursor: String(start + page.length),
							},
						},
					},
				},
			};
		}
		if (/webhook\(id/.test(query)) {
			const webhook = this.webhooks.get(variables.id);
			if (!webhook)
				return {
					status: 200,
					body: { data: null, ...graphQlError('Entity not found: Webhook', 'INVALID_INPUT').body },
				};
			return { status: 200, body: { data: { webhook: this.view(webhook) } } };
		}
		return graphQlError(
			`Unknown operation in: ${query.slice(0, 60)}`,
			'GRAPHQL_VALIDATION_FAILED',
			400,
		);
	}

	/** Delivers `event` to every enabled webhook subscribed to its type. Options: `secret`, `signature` (null = none), `tamper`, `deliveryId`, `timestamp` (ms). */
	async deliver(event, options = {}) {
		const results = [];
		for (const webhook of this.webhooks.values()) {
			if (!webhook.enabled || !webhook.resourceTypes.includes(event.type)) continue;
			const payload = JSON.stringify({
				...event,
				webhookId: webhook.id,
				webhookTimestamp: options.timestamp ?? Date.now(),
			});
			const headers = {
				'content-type': 'application/json; charset=utf-8',
				'user-agent': 'Linear-Webhook',
				'linear-delivery': options.deliveryId ?? randomUUID(),
				'linear-event': event.type,
			};
			const signature =
				options.signature !== undefined
					? options.signature
					: linearSignature(options.secret ?? webhook.secret, payload);
			if (signature !== null) headers['linear-signature'] = signature;
			results.push({
				webhookId: webhook.id,
				...(await this.post(
					webhook.url,
					options.tamper ? options.tamper(payload) : payload,
					headers,
				)),
			});
		}
		return results;
	}
}

/** An entity event as Linear sends it (without webhookId / webhookTimestamp, which deliver() adds). */
function sampleLinearEvent(type = 'Issue', action = 'create') {
	const now = new Date().toISOString();
	return {
		action,
		type,
		actor: { id: 'user-1', name: 'Ada', type: 'user' },
		createdAt: now,
		data: {
			id: randomUUID(),
			title: 'Verify webhooks',
			priority: 2,
			createdAt: now,
			updatedAt: now,
		},
		url: 'https://linear.app/acme/issue/ACM-1',
		organizationId: 'org-1',
	};
}

/** How `npm start` runs this fake beside the demo n8n: scripts/start.js discovers every fake that exports this. */
const demo = {
	provider: 'linear',
	port: 12119,
	create: (port) => new FakeLinear({ port }),
	credentialType: 'linearVerifiedApi',
	credentialName: 'Linear (local fake)',
	credential: (fake) => ({
		apiKey: fake.apiKey,
		webhookSecrets: '',
		apiUrl: `${fake.url}/graphql`,
	}),
};

module.exports = { demo, FakeLinear, linearSignature, RESOURCE_TYPES, sampleLinearEvent };
