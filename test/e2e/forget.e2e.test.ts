/**
 * "Forget Event" end to end, in a real n8n (each pinned version) with the packed package and the fake Stripe
 * (signatures from the official SDK): a run whose Code node fails sends its event, on the error output, to the
 * Verified Webhooks node's "Forget Event"; the provider's resend of that event then runs, once. An event whose
 * run did not fail stays a duplicate.
 */
import { sleep, testedVersions } from '../../scripts/n8n';
import { sampleEvent } from '../fakes/fakeStripe';
import { activeStripeWorkflow, stripeSuite } from './support';

jest.setTimeout(300_000);

const TRIGGER = 'Stripe Verified Trigger';
const WEBHOOK_ID = '7e5d4c3b-2a19-4f08-8e7d-6c5b4a392817';

describe.each(testedVersions())('Forget Event in real n8n %s', (version) => {
	const { fake, n8n } = stripeSuite(version);

	it('a failed run forgets its event; the resend runs once; an event that did not fail stays a duplicate', async () => {
		const { id } = await activeStripeWorkflow(n8n, fake, {
			webhookId: WEBHOOK_ID,
			name: 'Forget Event on failure',
			edit: (workflow) => {
				const trigger = workflow.nodes.find((node) => node.name === TRIGGER)!;
				workflow.nodes = [
					trigger,
					{
						id: 'f0000000-0000-4000-8000-000000000001',
						name: 'Might Fail',
						type: 'n8n-nodes-base.code',
						typeVersion: 2,
						position: [260, 0],
						onError: 'continueErrorOutput',
						parameters: {
							jsCode:
								"if ($input.first().json.id.endsWith('_fails')) throw new Error('downstream failure');\nreturn $input.all();",
						},
					},
					{
						id: 'f0000000-0000-4000-8000-000000000002',
						name: 'Forget Event',
						type: 'n8n-nodes-verified-webhooks.verifiedWebhooks',
						typeVersion: 1,
						position: [520, 120],
						parameters: {
							operation: 'forgetEvent',
							eventId: `={{ $('${TRIGGER}').item.json.verifiedWebhook.eventId }}`,
							replayKey: `={{ $('${TRIGGER}').item.json.verifiedWebhook.replayKey }}`,
						},
					},
				];
				workflow.connections = {
					[TRIGGER]: { main: [[{ node: 'Might Fail', type: 'main', index: 0 }]] },
					'Might Fail': { main: [[], [{ node: 'Forget Event', type: 'main', index: 0 }]] },
				};
			},
		});
		await sleep(1000);
		const failing = sampleEvent('payment_intent.succeeded', {
			id: `evt_forget_${version.replace(/\./g, '_')}_fails`,
		});
		const fine = sampleEvent('payment_intent.succeeded', {
			id: `evt_forget_${version.replace(/\./g, '_')}_ok`,
		});
		const answer = async (event: object) => {
			const [result] = await fake.deliver(event);
			return `${result.status} ${result.body}`;
		};
		const ranFor = async (eventId: string) =>
			(await n8n.executionMatches(id, new RegExp(eventId, 'g'))).filter(
				(execution: { matches: string[] }) => execution.matches.length > 0,
			).length;
		/** Waits until `count` executions for the event exist and none of the workflow's is still running. */
		const executionsFor = async (eventId: string, count: number) =>
			await n8n.waitFor(
				async () => {
					const counts = await n8n.executionCounts(id);
					return !counts.running && !counts.new && (await ranFor(eventId)) >= count;
				},
				{ what: `${count} execution(s) for ${eventId}`, timeoutMs: 60_000 },
			);

		expect(await answer(failing)).toBe('200 {"received":true}');
		expect(await answer(fine)).toBe('200 {"received":true}');
		await executionsFor(failing.id, 1);
		await executionsFor(fine.id, 1);
		await sleep(1500); // the executions' static-data saves

		// The provider resends both (same event ids, signed anew).
		expect(await answer(failing)).toBe('200 {"received":true}');
		expect(await answer(fine)).toBe('200 {"received":true,"duplicate":true}');
		await executionsFor(failing.id, 2);
		await sleep(2500);
		expect(await ranFor(failing.id)).toBe(2);
		expect(await ranFor(fine.id)).toBe(1);
		const stored = await n8n.workflow(id);
		expect(JSON.stringify(stored.staticData)).not.toContain('sk_');
	});
});
