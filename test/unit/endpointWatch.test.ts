/**
 * The parts of endpointWatch.ts a real n8n does not show quickly: the manual run after a test event gets that
 * event's items (once), the periodic check is scheduled with a well-formed cron expression spread per node, and a
 * failing check is logged, never thrown. (That n8n calls trigger() at start-up and runs the cron, and what the
 * checks do at the provider, is measured in test/e2e/endpointWatch.e2e.test.ts.)
 */
import {
	sleep,
	type INodeExecutionData,
	type ITriggerFunctions,
	type IWebhookFunctions,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import { endpointWatch, rememberTestDelivery } from '../../nodes/shared/endpointWatch';

interface Scheduled {
	expression: string;
	onTick: () => void;
}

function context(options: {
	mode: 'manual' | 'trigger';
	activation?: WorkflowActivateMode;
	workflowId?: string;
	nodeName?: string;
	minutes?: number;
	staticData?: Record<string, unknown>;
}) {
	const emitted: INodeExecutionData[][][] = [];
	const scheduled: Scheduled[] = [];
	const errors: string[] = [];
	const raised: Error[] = [];
	const fake = {
		emitError: (error: Error) => raised.push(error),
		getMode: () => options.mode,
		getActivationMode: () => options.activation ?? 'activate',
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', active: true }),
		getNode: () => ({ name: options.nodeName ?? 'Trigger' }),
		getNodeParameter: (name: string, fallback: unknown) =>
			name === 'options' ? { endpointCheckMinutes: options.minutes } : fallback,
		getWorkflowStaticData: () => options.staticData ?? {},
		emit: (data: INodeExecutionData[][]) => emitted.push(data),
		helpers: {
			registerCron: ({ expression }: { expression: string }, onTick: () => void) =>
				scheduled.push({ expression, onTick }),
		},
		logger: {
			error: (message: string) => errors.push(message),
			warn: () => undefined,
			info: () => undefined,
		},
	};
	return { fake: fake as unknown as ITriggerFunctions, emitted, scheduled, errors, raised };
}

const items = (id: string): INodeExecutionData[][] => [[{ json: { id } }]];

describe('the manual run after a test event', () => {
	const trigger = endpointWatch(async () => undefined);

	it('emits the items webhook() received for this workflow and node, once', async () => {
		const webhook = context({ mode: 'manual' }).fake as unknown as IWebhookFunctions;
		rememberTestDelivery(webhook, items('evt_1'));
		const first = context({ mode: 'manual' });
		await (
			await trigger.call(first.fake)
		).manualTriggerFunction!();
		expect(first.emitted).toEqual([items('evt_1')]);
		const second = context({ mode: 'manual' });
		await (
			await trigger.call(second.fake)
		).manualTriggerFunction!();
		expect(second.emitted).toEqual([[]]);
	});

	it("never hands one node's test event to another node or workflow", async () => {
		rememberTestDelivery(
			context({ mode: 'manual', nodeName: 'A' }).fake as unknown as IWebhookFunctions,
			items('evt_a'),
		);
		const other = context({ mode: 'manual', nodeName: 'B' });
		await (
			await trigger.call(other.fake)
		).manualTriggerFunction!();
		const otherWorkflow = context({ mode: 'manual', nodeName: 'A', workflowId: 'wf-2' });
		await (
			await trigger.call(otherWorkflow.fake)
		).manualTriggerFunction!();
		expect([other.emitted, otherWorkflow.emitted]).toEqual([[[]], [[]]]);
	});
});

describe('the periodic check', () => {
	it('is scheduled every N minutes at a second and minute derived from the node; 0 schedules nothing', async () => {
		const expressions: string[] = [];
		for (const nodeName of ['A', 'B', 'C', 'D']) {
			const active = context({ mode: 'trigger', nodeName, minutes: 10 });
			await endpointWatch(async () => undefined).call(active.fake);
			expect(active.scheduled).toHaveLength(1);
			expressions.push(active.scheduled[0].expression);
		}
		for (const expression of expressions)
			expect(expression).toMatch(/^([0-9]|[1-5][0-9]) [0-9]-59\/10 \* \* \* \*$/);
		expect(new Set(expressions).size).toBeGreaterThan(1);
		const hourly = context({ mode: 'trigger', minutes: 60 });
		await endpointWatch(async () => undefined).call(hourly.fake);
		expect(hourly.scheduled[0].expression).toMatch(/^\d+ \d+ \* \* \* \*$/);
		const off = context({ mode: 'trigger', minutes: 0 });
		await endpointWatch(async () => undefined).call(off.fake);
		expect(off.scheduled).toHaveLength(0);
	});

	it('does nothing itself at start-up (n8n runs checkExists then; a check here would race it)', async () => {
		let built = 0;
		const starting = context({
			mode: 'trigger',
			activation: 'init',
			staticData: { endpointId: 'we_1', endpointUrl: 'https://n8n.example.com/webhook/x/webhook' },
		});
		await endpointWatch(async () => {
			built++;
			return undefined;
		}).call(starting.fake);
		expect(built).toBe(0);
		expect(starting.scheduled).toHaveLength(1);
	});

	it('a periodic check that fails is logged, never thrown; without a stored endpoint it checks nothing', async () => {
		const active = context({
			mode: 'trigger',
			staticData: { endpointId: 'we_1', endpointUrl: 'https://n8n.example.com/webhook/x/webhook' },
		});
		await endpointWatch(async () => {
			throw new Error('Stripe is down');
		}).call(active.fake);
		active.scheduled[0].onTick();
		await sleep(20);
		expect(active.errors).toEqual([
			expect.stringMatching(/checking the endpoint .* failed: Stripe is down/),
		]);
		let built = 0;
		for (const staticData of [
			{},
			{ endpointId: 'we_1', endpointUrl: 'https://n8n.example.com/webhook-test/x/webhook' },
		]) {
			const idle = context({ mode: 'trigger', staticData });
			await endpointWatch(async () => {
				built++;
				return undefined;
			}).call(idle.fake);
			idle.scheduled[0].onTick();
		}
		await sleep(20);
		expect(built).toBe(0);
	});

	it('an endpoint deleted at the provider: reported through n8n (emitError), and the trigger() n8n starts next registers it again, once', async () => {
		const url = 'https://n8n.example.com/webhook/x/webhook';
		const remote: Array<{
			id: string;
			url: string;
			events: string[];
			enabled: boolean;
			ours: boolean;
		}> = [];
		let created = 0;
		const api = {
			get: async (id: string) => remote.find((endpoint) => endpoint.id === id),
			findByUrl: async (wanted: string) => remote.filter((endpoint) => endpoint.url === wanted),
			create: async (at: string, events: string[]) => {
				const endpoint = { id: `we_${++created + 1}`, url: at, events, enabled: true, ours: true };
				remote.push(endpoint);
				return { endpoint };
			},
			repair: async () => undefined,
			remove: async () => 'gone' as const,
		};
		const build = async () => ({
			api,
			url,
			events: ['a'],
			sealingKey: '',
			needsStoredSecret: false,
		});
		const staticData: Record<string, unknown> = { endpointId: 'we_1', endpointUrl: url };
		const active = context({ mode: 'trigger', staticData, nodeName: 'Deleted' });
		await endpointWatch(build).call(active.fake);
		active.scheduled[0].onTick();
		await sleep(20);
		expect(active.raised).toHaveLength(1);
		expect(active.raised[0].message).toMatch(
			/no longer exists at the provider .* registered again/,
		);
		expect(created).toBe(0);
		// n8n restarts the trigger: this one registers it again, with the static data n8n saves afterwards.
		// n8n restarts it with the workflow's first activation mode (here a user's activation): the catch-up start
		// point stays, so the events of the time the endpoint was gone can still be caught up.
		staticData.catchUpFrom = 1_000;
		const catchUp = () => ({
			provider: 'test',
			parse: () => 'unused',
			isSelected: () => true,
			settings: { enabled: true, maxAgeSeconds: 3600 },
			dedup: { ttlSeconds: 3600, maxEntries: 10 },
		});
		const restarted = context({ mode: 'trigger', staticData, nodeName: 'Deleted' });
		await endpointWatch(build, catchUp).call(restarted.fake);
		expect(created).toBe(1);
		expect(staticData.endpointId).toBe('we_2');
		expect(staticData.catchUpFrom).toBe(1_000);
		// Only once: a later start of the trigger (a restart of n8n) registers nothing.
		await endpointWatch(build).call(
			context({ mode: 'trigger', staticData, nodeName: 'Deleted' }).fake,
		);
		expect(created).toBe(1);
	});
});
