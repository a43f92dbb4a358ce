import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { fingerprint } from '../shared/dedup';
import { addForgotten } from '../shared/forget';

/**
 * Operations on the verified triggers of the same workflow. "Forget Event" lets an event that a trigger
 * already received run again on its next delivery (a provider's "Resend" after a failed run), which the dedup
 * record would otherwise drop as a duplicate.
 */
export class VerifiedWebhooks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Verified Webhooks',
		name: 'verifiedWebhooks',
		icon: {
			light: 'file:../../icons/verified-webhooks.svg',
			dark: 'file:../../icons/verified-webhooks.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			"Lets an event that this workflow's verified triggers already received run again on the provider's next delivery",
		defaults: { name: 'Verified Webhooks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Forget Event',
						value: 'forgetEvent',
						action: 'Forget an event so its next delivery runs',
						description:
							'Removes an event from the dedup record of every verified trigger in this workflow, so the provider\'s next delivery of it (a "Resend") starts the workflow again. Takes effect when this execution ends; only production executions save it.',
					},
				],
				default: 'forgetEvent',
			},
			{
				displayName: 'Event ID',
				name: 'eventId',
				type: 'string',
				default: '={{ $json.verifiedWebhook.eventId }}',
				required: true,
				description: "The event ID a verified trigger emitted (its item's verifiedWebhook.eventId)",
			},
			{
				displayName: 'Replay Key',
				name: 'replayKey',
				type: 'string',
				default: '={{ $json.verifiedWebhook.replayKey }}',
				description:
					"The item's verifiedWebhook.replayKey: a provider that resends the same signed bytes (GitHub, Shopify) is otherwise dropped as a replay. Leave empty for an event ID typed by hand.",
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const global = this.getWorkflowStaticData('global') as Record<string, unknown>;
		const prints: string[] = [];
		const output: INodeExecutionData[] = [];
		for (let index = 0; index < items.length; index++) {
			const eventId = String(this.getNodeParameter('eventId', index, '') ?? '').trim();
			if (!eventId) {
				throw new NodeOperationError(
					this.getNode(),
					"Event ID is empty: map the event ID of a verified trigger's item ({{ $json.verifiedWebhook.eventId }})",
					{ itemIndex: index },
				);
			}
			prints.push(fingerprint(eventId));
			const replayKey = String(this.getNodeParameter('replayKey', index, '') ?? '').trim();
			if (/^[A-Za-z0-9_-]{12}$/.test(replayKey)) prints.push(replayKey);
			output.push({
				json: { ...items[index].json, forgottenEventId: eventId },
				pairedItem: { item: index },
			});
		}
		addForgotten(global, this.getWorkflow().id, prints, Date.now());
		return [output];
	}
}
