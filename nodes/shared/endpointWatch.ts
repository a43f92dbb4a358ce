import { createHash } from 'crypto';
import {
	NodeOperationError,
	type CronExpression,
	type IHookFunctions,
	type INodeExecutionData,
	type ITriggerFunctions,
	type ITriggerResponse,
	type IWebhookFunctions,
} from 'n8n-workflow';

import {
	catchUpRound,
	markStart,
	scheduleCatchUp,
	type CatchUpOutcome,
	type CatchUpRound,
	type CatchUpSettings,
} from './catchUp';
import type { DedupOptions } from './dedup';
import {
	createEndpoint,
	inspectEndpoint,
	outsideTheHook,
	type Registration,
	type StoredRegistration,
} from './registration';

/**
 * The node's trigger(). n8n (2.41.1 and 1.123.81 alike, measured) calls it on the leader on activation, at
 * start-up (activation mode `init`) and on a leadership change, and keeps what it registers with registerCron
 * until the workflow is deactivated.
 *
 * - At start-up it does nothing itself, and need not: n8n 2.40+ skips the registration hooks at start-up only for
 *   workflows whose triggers are all webhooks; once the node defines trigger(), n8n runs the full activation,
 *   `checkExists` included, so an endpoint the provider deleted or disabled while n8n was down is registered
 *   again or repaired before the first delivery (1.x runs `checkExists` at start-up anyway). A check of its own
 *   here would race that one (measured: two endpoints) — n8n runs both phases side by side.
 * - Every few minutes (the node's Endpoint Check option) a disabled endpoint is re-enabled and drifted events are
 *   set again, in place. A deleted one must be registered again, and its new id and secret saved — which n8n does
 *   not do for what a periodic check changes. So the check reports the loss through n8n (`emitError`), and n8n
 *   restarts the trigger: 2.41 calls trigger() again on the same workflow object and saves its static data
 *   afterwards, so trigger() registers the endpoint there (only then: `reregister`); 1.x deactivates and
 *   activates the whole workflow, whose `checkExists`/`create` register it. Either way n8n runs the workflow's
 *   error workflow, an alert worth having: an endpoint deleted at the provider lost events (catch-up gets them
 *   back where the provider allows).
 *
 * Defining trigger() changes one more thing: n8n then runs it, not a pass-through, when a manual execution
 * reaches the node — the run that follows a test event. webhook() keeps the test event's items here, and the
 * manual trigger() emits them (same process: n8n answers test webhooks and runs manual executions in main).
 */

const testDeliveries = new Map<string, { data: INodeExecutionData[][]; at: number }>();
/** Nodes whose endpoint the periodic check found deleted: the trigger() n8n starts next registers it again. */
const reregister = new Set<string>();
const TEST_DELIVERY_MAX_AGE_MS = 5 * 60_000;

type NodeContext = Pick<IWebhookFunctions, 'getWorkflow' | 'getNode'>;
const keyOf = (context: NodeContext) =>
	`${context.getWorkflow().id}\u0000${context.getNode().name}`;

/** Keeps the items of a test event for the manual run n8n starts next (see above). */
export function rememberTestDelivery(context: IWebhookFunctions, data: INodeExecutionData[][]) {
	const now = Date.now();
	for (const [key, entry] of testDeliveries)
		if (now - entry.at > TEST_DELIVERY_MAX_AGE_MS) testDeliveries.delete(key);
	testDeliveries.set(keyOf(context), { data, at: now });
}

function takeTestDelivery(context: NodeContext): INodeExecutionData[][] | undefined {
	const key = keyOf(context);
	const entry = testDeliveries.get(key);
	testDeliveries.delete(key);
	return entry && Date.now() - entry.at <= TEST_DELIVERY_MAX_AGE_MS ? entry.data : undefined;
}

/** Minutes between checks: the node's option, 1–60; 0 turns the periodic check off. */
function intervalMinutes(context: ITriggerFunctions): number {
	const options = context.getNodeParameter('options', {}) as { endpointCheckMinutes?: number };
	const minutes = Math.round(Number(options.endpointCheckMinutes ?? 10));
	return Number.isFinite(minutes) ? Math.min(60, Math.max(0, minutes)) : 10;
}

/** A cron expression for every `minutes`, at a second and minute derived from the node, so checks spread out. */
function cronFor(context: ITriggerFunctions, minutes: number): CronExpression {
	const hash = createHash('sha256').update(keyOf(context)).digest();
	const second = hash[0] % 60;
	const minute = hash[1] % minutes;
	const expression =
		minutes >= 60 ? `${second} ${minute} * * * *` : `${second} ${minute}-59/${minutes} * * * *`;
	return expression as CronExpression;
}

/**
 * The trigger context as the registration code expects a hook context: the URL is the one the endpoint was
 * registered for (a trigger context knows no webhook URL).
 */
function asHookContext(context: ITriggerFunctions, url: string): IHookFunctions {
	const hook = Object.create(context) as IHookFunctions;
	hook.getNodeWebhookUrl = () => url;
	return hook;
}

/** What catch-up needs of the node, read afresh in the trigger's context (see catchUp.ts). */
export type CatchUpPlan = (context: ITriggerFunctions) => Pick<
	CatchUpRound,
	'provider' | 'parse' | 'isSelected'
> & {
	settings: CatchUpSettings;
	dedup: DedupOptions;
};

export function endpointWatch(
	build: (context: IHookFunctions) => Promise<Registration | undefined>,
	catchUp?: CatchUpPlan,
): (this: ITriggerFunctions) => Promise<ITriggerResponse> {
	return async function trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await watch(this, build, catchUp);
	};
}

async function watch(
	context: ITriggerFunctions,
	build: (context: IHookFunctions) => Promise<Registration | undefined>,
	catchUp: CatchUpPlan | undefined,
): Promise<ITriggerResponse> {
	if (context.getMode() === 'manual') {
		const data = takeTestDelivery(context);
		return { manualTriggerFunction: async () => context.emit(data ?? []) };
	}
	const workflowId = context.getWorkflow().id;
	// n8n restarting the trigger after the check below found the endpoint deleted (see the top of this file).
	const restartedForEndpoint = reregister.delete(keyOf(context));
	if (restartedForEndpoint) await registerAgain(context, build);
	const check = async () => {
		const data = context.getWorkflowStaticData('node') as StoredRegistration;
		const url = data.endpointUrl;
		if (!data.endpointId || !url || url.includes('/webhook-test/')) return;
		const hook = asHookContext(context, url);
		try {
			const wanted = await build(hook);
			if (!wanted) return;
			const state = await inspectEndpoint(hook, wanted);
			if (state === 'repaired') {
				context.logger.warn(
					`Verified Webhooks: endpoint ${data.endpointId} was disabled or had other events at the provider; repaired`,
					{ workflowId },
				);
			} else if (state === 'stale') {
				context.logger.info(
					`Verified Webhooks: the endpoint for ${url} needs a repair that this process's copy of the workflow ` +
						'cannot make safely; it is made on the next activation or restart of n8n',
					{ workflowId },
				);
			} else if (state === 'missing') {
				const message =
					`the webhook this node registered for ${url} no longer exists at the provider (deleted there); ` +
					'it is registered again now';
				context.logger.error(`Verified Webhooks: ${message}`, { workflowId });
				reregister.add(keyOf(context));
				context.emitError(new NodeOperationError(context.getNode(), `The trigger's ${message}`));
			}
		} catch (error) {
			context.logger.error(
				`Verified Webhooks: checking the endpoint for ${url} failed: ${(error as Error).message}`,
				{ workflowId },
			);
		}
	};
	const minutes = intervalMinutes(context);
	const plan = catchUp?.(context);
	if (plan)
		markStart(
			context.getWorkflowStaticData('node'),
			plan.settings,
			// n8n restarts it with the workflow's first activation mode: the start point stays.
			restartedForEndpoint ? 'init' : context.getActivationMode(),
			Date.now(),
		);
	if (catchUp && plan?.settings.enabled)
		scheduleCatchUp(context, {
			key: keyOf(context),
			minutes,
			round: async () => await catchUpOnce(context, build, catchUp),
		});
	if (minutes > 0) {
		context.helpers.registerCron({ expression: cronFor(context, minutes) }, () => {
			const data = context.getWorkflowStaticData('node') as StoredRegistration;
			outsideTheHook(asHookContext(context, data.endpointUrl ?? ''), async () => {
				await check();
			}).catch(() => undefined);
		});
	}
	return {};
}

/**
 * One catch-up round (see catchUp.ts), when the endpoint is registered. A failure is logged; the round runs
 * again after a back-off (see scheduleCatchUp).
 */
async function catchUpOnce(
	context: ITriggerFunctions,
	build: (context: IHookFunctions) => Promise<Registration | undefined>,
	catchUp: CatchUpPlan,
): Promise<CatchUpOutcome> {
	const data = context.getWorkflowStaticData('node') as StoredRegistration;
	const url = data.endpointUrl;
	if (!data.endpointId || !url || url.includes('/webhook-test/')) return 'waiting';
	const workflowId = context.getWorkflow().id;
	const hook = asHookContext(context, url);
	try {
		return await outsideTheHook(hook, async () => {
			const wanted = await build(hook);
			if (!wanted || !data.endpointId) return 'waiting';
			const plan = catchUp(context);
			const result = await catchUpRound(context, {
				...plan,
				api: wanted.api,
				endpointId: data.endpointId,
				nowMs: Date.now(),
			});
			if (result.emitted + result.redeliveries > 0)
				context.logger.info(
					`Verified Webhooks: caught up ${plan.provider} events that were not delivered: ` +
						`${result.emitted} run from the provider's API, ${result.redeliveries} redelivery request(s)`,
					{ workflowId, ...result },
				);
			return 'done' as const;
		});
	} catch (error) {
		context.logger.error(
			`Verified Webhooks: catching up missed events failed (tried again after a back-off): ${(error as Error).message}`,
			{ workflowId },
		);
		return 'failed';
	}
}

/**
 * Registers the endpoint again after the periodic check found it deleted (see the top of this file): in the
 * trigger() n8n starts after `emitError`, whose static data n8n saves once it returns. On 1.x the workflow's own
 * activation has registered it already, and this finds it in place.
 */
async function registerAgain(
	context: ITriggerFunctions,
	build: (context: IHookFunctions) => Promise<Registration | undefined>,
): Promise<void> {
	const data = context.getWorkflowStaticData('node') as StoredRegistration;
	const url = data.endpointUrl;
	if (!url) return;
	const hook = asHookContext(context, url);
	try {
		const wanted = await build(hook);
		if (!wanted) return;
		await createEndpoint(hook, wanted);
		context.logger.warn(
			`Verified Webhooks: registered the webhook for ${url} again (endpoint ${data.endpointId})`,
			{ workflowId: context.getWorkflow().id },
		);
	} catch (error) {
		context.logger.error(
			`Verified Webhooks: registering the webhook for ${url} again failed: ${(error as Error).message}. ` +
				'Deactivate and activate the workflow to try again.',
			{ workflowId: context.getWorkflow().id },
		);
	}
}
