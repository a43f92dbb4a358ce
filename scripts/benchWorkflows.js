'use strict';
/**
 * The workflows `npm run bench` compares end to end: what a user would build to receive Stripe events in n8n.
 * Each ends in a No Operation node, so every side runs its trigger (and checks) plus the same last step.
 *
 *   ours      this package's Stripe Verified Trigger (manual registration, signing secret in the credential)
 *   builtin   n8n's own Stripe Trigger (registers its endpoint, verifies with the secret Stripe returned; no dedup)
 *   diy       Webhook (raw body) → Extract From File → Crypto (HMAC-SHA256 of `t.body`) → If (compare with v1)
 *             → Remove Duplicates (event id, across executions) — what a careful user builds today
 *   webhook   n8n's Webhook node alone: no verification, no dedup (the floor)
 */
const { loadExample } = require('./examples');

const noOp = (id, x = 260) => ({
	id,
	name: 'No Operation',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [x, 0],
	parameters: {},
});
const to = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });

/** @param {{ credential: {id: string, name: string}, webhookId: string, name: string, staticData?: object }} options */
function oursWorkflow({ credential, webhookId, name, staticData }) {
	const workflow = loadExample('stripe-verified-trigger', {
		credentials: { stripeVerifiedApi: credential },
		webhookId,
		name,
	});
	const trigger = workflow.nodes[0];
	trigger.parameters = { registration: 'manual', events: ['*'], options: {} };
	workflow.nodes = [trigger, noOp(`${webhookId.slice(0, 30)}000001`)];
	workflow.connections = { [trigger.name]: to('No Operation') };
	if (staticData) workflow.staticData = { [`node:${trigger.name}`]: staticData };
	return workflow;
}

/** @param {{ credential: {id: string, name: string}, webhookId: string }} options */
function builtinWorkflow({ credential, webhookId }) {
	return {
		name: "bench: n8n's Stripe Trigger",
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000021',
				name: 'Stripe Trigger',
				type: 'n8n-nodes-base.stripeTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { events: ['*'] },
				credentials: { stripeApi: credential },
			},
			noOp('b0000000-0000-4000-8000-000000000022'),
		],
		connections: { 'Stripe Trigger': to('No Operation') },
		settings: { executionOrder: 'v1' },
	};
}

/** @param {{ credential: {id: string, name: string}, webhookId: string, path: string }} options */
function diyWorkflow({ credential, webhookId, path }) {
	const header = "$('Webhook').item.json.headers['stripe-signature']";
	return {
		name: 'bench: do-it-yourself verification',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000031',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: {
					httpMethod: 'POST',
					path,
					responseMode: 'onReceived',
					options: { rawBody: true },
				},
			},
			{
				id: 'b0000000-0000-4000-8000-000000000032',
				name: 'Extract From File',
				type: 'n8n-nodes-base.extractFromFile',
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'text', destinationKey: 'raw', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000033',
				name: 'Crypto',
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				position: [400, 0],
				parameters: {
					action: 'hmac',
					type: 'SHA256',
					value: `={{ ${header}.match(/t=(\\d+)/)[1] }}.{{ $json.raw }}`,
					dataPropertyName: 'expected',
					encoding: 'hex',
				},
				credentials: { crypto: credential },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000034',
				name: 'If',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [600, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [
							{
								id: 'b0000000-0000-4000-8000-000000000039',
								leftValue: '={{ $json.expected }}',
								rightValue: `={{ ${header}.match(/v1=([0-9a-f]+)/)[1] }}`,
								operator: { type: 'string', operation: 'equals' },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{
				id: 'b0000000-0000-4000-8000-000000000035',
				name: 'Remove Duplicates',
				type: 'n8n-nodes-base.removeDuplicates',
				typeVersion: 2,
				position: [800, 0],
				parameters: {
					operation: 'removeItemsSeenInPreviousExecutions',
					dedupeValue: '={{ JSON.parse($json.raw).id }}',
					options: {},
				},
			},
			noOp('b0000000-0000-4000-8000-000000000036', 1000),
		],
		connections: {
			Webhook: to('Extract From File'),
			'Extract From File': to('Crypto'),
			Crypto: to('If'),
			If: { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }], []] },
			'Remove Duplicates': to('No Operation'),
		},
		settings: { executionOrder: 'v1' },
	};
}

/** @param {{ webhookId: string, path: string }} options */
function webhookWorkflow({ webhookId, path }) {
	return {
		name: "bench: n8n's Webhook node",
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000041',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			noOp('b0000000-0000-4000-8000-000000000042'),
		],
		connections: { Webhook: to('No Operation') },
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { oursWorkflow, builtinWorkflow, diyWorkflow, webhookWorkflow };
