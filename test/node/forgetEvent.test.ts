/**
 * "Forget Event" (the Verified Webhooks node) together with a trigger of the same workflow: the node writes
 * the workflow's forget list into global static data; the trigger lets the next delivery of that event run
 * once. The trigger runs in n8n-core's real WebhookContext; the Forget node gets a minimal execute context
 * over the same static data (its n8n-level behaviour — saved at the end of a production execution — is
 * proven end to end in test/e2e/forget.e2e.test.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { GitHubVerifiedApi } from '../../credentials/GitHubVerifiedApi.credentials';
import { GitHubVerifiedTrigger } from '../../nodes/GitHubVerifiedTrigger/GitHubVerifiedTrigger.node';
import { VerifiedWebhooks } from '../../nodes/VerifiedWebhooks/VerifiedWebhooks.node';
import { FORGOTTEN_FIELD } from '../../nodes/shared/forget';
import { octokitSign } from '../fakes/officialSdk';
import { FakeResponse, TriggerHarness, fakeRequest } from '../support/n8nContexts';

const SECRET = 'manual-forget-secret';

function harness() {
	return new TriggerHarness({
		nodeType: new GitHubVerifiedTrigger(),
		typeName: 'n8n-nodes-verified-webhooks.gitHubVerifiedTrigger',
		credentialType: new GitHubVerifiedApi(),
		credentials: { accessToken: 'unused', baseUrl: 'http://127.0.0.1:9', webhookSecrets: SECRET },
		parameters: { registration: 'manual', events: ['issues'], options: {} },
	});
}

/** GitHub's "Redeliver": the same body and signature, a new delivery GUID. */
function delivery(payload: object, guid: string) {
	const text = JSON.stringify(payload);
	return fakeRequest(Buffer.from(text), {
		'x-github-event': 'issues',
		'x-github-delivery': guid,
		'x-hub-signature-256': octokitSign(SECRET, text),
	});
}

/** Runs the Forget node on `items` over the workflow's global static data, as a production execution would. */
async function forget(
	global: IDataObject,
	items: INodeExecutionData[],
	parameters: Record<string, string> = {},
	workflowId = 'wf-forget-standalone',
) {
	const node = new VerifiedWebhooks();
	const context = {
		getInputData: () => items,
		getNode: () => ({
			name: 'Verified Webhooks',
			type: 'n8n-nodes-verified-webhooks.verifiedWebhooks',
		}),
		getWorkflow: () => ({ id: workflowId }),
		getWorkflowStaticData: (type: string) => {
			if (type !== 'global') throw new Error('the Forget node only uses the global static data');
			return global;
		},
		getNodeParameter: (name: string, index: number) => {
			const json = items[index].json as { verifiedWebhook?: IDataObject };
			if (name in parameters) return parameters[name];
			if (name === 'eventId') return json.verifiedWebhook?.eventId;
			if (name === 'replayKey') return json.verifiedWebhook?.replayKey;
			return undefined;
		},
	} as unknown as IExecuteFunctions;
	return await node.execute.call(context);
}

async function send(trigger: TriggerHarness, payload: object, guid: string) {
	const response = new FakeResponse();
	const result = await trigger.webhook(delivery(payload, guid), response);
	return { response, items: result.workflowData?.[0] ?? [] };
}

describe('Forget Event', () => {
	const payload = { action: 'opened', issue: { number: 7 } };

	it('lets the redelivery of a forgotten event run once (same bytes, so the replay key is forgotten too); after that it is a duplicate again', async () => {
		const trigger = harness();
		const first = await send(trigger, payload, 'guid-1');
		expect(first.items).toHaveLength(1);
		expect((await send(trigger, payload, 'guid-1')).response.body).toEqual({
			received: true,
			duplicate: true,
		});

		const global: IDataObject = {};
		// Another workflow's forget list (its own id) is not this one's.
		await forget({}, first.items, {}, 'wf-some-other-workflow');
		expect((await send(trigger, payload, 'guid-1')).items).toHaveLength(0);
		const [output] = await forget(global, first.items, {}, 'wf-unrelated');
		expect(output[0].json.forgottenEventId).toBe('guid-1');
		expect(Object.keys(global[FORGOTTEN_FIELD] as IDataObject)).toHaveLength(2);
		trigger.staticData.global = global; // what the execution's save of static data does

		const redelivered = await send(trigger, payload, 'guid-1');
		expect(redelivered.items).toHaveLength(1);
		expect(redelivered.response.body).toEqual({ received: true });
		expect(trigger.staticData.global).toEqual({}); // the entry went when the event ran again
		expect((await send(trigger, payload, 'guid-1')).response.body).toEqual({
			received: true,
			duplicate: true,
		});
	});

	it('without the replay key, a redelivery of the same signed bytes stays a replay (what the key is for)', async () => {
		const trigger = harness();
		const first = await send(trigger, payload, 'guid-2');
		const global: IDataObject = {};
		await forget(global, first.items, { replayKey: '' }, 'wf-unrelated-2');
		trigger.staticData.global = global;
		expect((await send(trigger, payload, 'guid-2')).items).toHaveLength(0);
	});

	it('keeps a forget that a stale save erased, in the process that knows it, and writes it back', async () => {
		const trigger = harness();
		const first = await send(trigger, payload, 'guid-3');
		const global: IDataObject = {};
		await forget(global, first.items, {}, trigger.workflowId);
		// The Forget node's execution saved the list, but a delivery that loaded the row before saved over it.
		expect(trigger.staticData.global ?? {}).toEqual({});
		const other = await send(trigger, { action: 'opened', issue: { number: 8 } }, 'guid-4');
		expect(other.items).toHaveLength(1);
		expect(
			Object.keys((trigger.staticData.global as IDataObject)[FORGOTTEN_FIELD] as IDataObject),
		).toHaveLength(2); // written back
		expect((await send(trigger, payload, 'guid-3')).items).toHaveLength(1);
		expect((await send(trigger, payload, 'guid-3')).items).toHaveLength(0);
	});

	it('refuses an empty event ID with an error that says what to map', async () => {
		await expect(forget({}, [{ json: {} }])).rejects.toThrow(
			/Event ID is empty.*verifiedWebhook\.eventId/,
		);
	});
});
