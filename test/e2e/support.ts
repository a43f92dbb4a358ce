/** Helpers the end-to-end suites share: reading executions through n8n's public API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, sleep } from '../../scripts/n8n';
import { FakeStripe } from '../fakes/fakeStripe';

export type N8n = InstanceType<typeof N8nInstance>;

/** How long a rejected or duplicate delivery is given to (wrongly) show up as an execution. */
export const SETTLE_MS = 2500;

export interface Execution {
	id: string;
	status?: string;
	finished?: boolean;
	mode?: string;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>
			>;
		};
	};
}

export function triggerItems(execution: Execution, trigger: string) {
	return execution.data?.resultData?.runData?.[trigger]?.[0]?.data?.main?.[0] ?? [];
}

export async function executions(n8n: N8n, workflowId: string): Promise<Execution[]> {
	return (await n8n.executions(workflowId)) as Execution[];
}

export async function waitForExecutions(
	n8n: N8n,
	workflowId: string,
	count: number,
): Promise<Execution[]> {
	return await n8n.waitFor(
		async () => {
			const list = await executions(n8n, workflowId);
			// Finished, with its data written (under load the row exists before the run data does).
			const done = (execution: Execution) =>
				execution.status !== 'running' &&
				execution.status !== 'new' &&
				execution.data?.resultData?.runData !== undefined;
			return list.length >= count && list.every(done) ? list : undefined;
		},
		{ what: `${count} execution(s) of ${workflowId}`, timeoutMs: 60_000 },
	);
}

/**
 * Waits until n8n has saved the trigger's registration (an endpoint id, or the given one, in the workflow's static data): the
 * provider holds the endpoint before n8n has stored its id and secret, and a delivery in between is refused.
 */
export async function waitForSavedRegistration(
	n8n: N8n,
	workflowId: string,
	endpointId = 'endpointId',
): Promise<void> {
	await n8n.waitFor(
		async () => {
			const workflow = (await n8n.workflow(workflowId)) as { staticData?: unknown };
			return JSON.stringify(workflow.staticData ?? {}).includes(endpointId) || undefined;
		},
		{ what: `the saved registration of ${workflowId}`, timeoutMs: 60_000 },
	);
}

/** The number of executions after giving stragglers time to appear. */
export async function settledExecutionCount(n8n: N8n, workflowId: string): Promise<number> {
	await sleep(SETTLE_MS);
	return (await executions(n8n, workflowId)).length;
}

/** What a shared n8n's suites leave for its end: fakes to stop, removals at providers to wait for. */
const atEnd = new WeakMap<
	N8n,
	{ stops: Array<() => Promise<unknown>>; removals: Array<{ what: string; gone: () => boolean }> }
>();

function endOf(n8n: N8n) {
	const found = atEnd.get(n8n);
	if (!found) throw new Error('n8nSuite(version) made no such n8n');
	return found;
}

/**
 * A real n8n of `version` (packed package installed, owner set up), started before the enclosing describe's tests
 * and stopped after them. Suites that need no restart of their own share one (test/e2e/providers.e2e.test.ts):
 * starting n8n takes 15–20 s on 2 cores, most of what a provider's suite would otherwise spend.
 */
export function n8nSuite(version: string): N8n {
	const n8n = new N8nInstance({ version });
	atEnd.set(n8n, { stops: [], removals: [] });
	beforeAll(async () => {
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
	});
	afterAll(async () => {
		for (const stop of endOf(n8n).stops) await stop();
		await n8n.stop();
		n8n.cleanup();
	});
	return n8n;
}

/**
 * Deactivates a registering trigger's workflow. Its endpoint must still be at the provider right after (the
 * removal waits a 15 s grace, so that an edit keeps it: pendingRemoval.ts) and gone once the grace has passed —
 * which `removalsAfterGrace` checks for every suite of the shared n8n at once, at its end, so the graces pass
 * together rather than one after another.
 */
export async function deactivateForRemoval(
	n8n: N8n,
	workflowId: string,
	what: string,
	gone: () => boolean,
): Promise<void> {
	await n8n.deactivate(workflowId);
	expect(gone()).toBe(false);
	endOf(n8n).removals.push({ what, gone });
}

/** The test that every endpoint `deactivateForRemoval` left is gone at its provider after the grace. */
export function removalsAfterGrace(n8n: N8n): void {
	it("after the grace, every deactivated trigger's endpoint is gone at its provider", async () => {
		const { removals } = endOf(n8n);
		expect(removals.length).toBeGreaterThan(0);
		const outcomes = await Promise.allSettled(
			removals.map(
				async ({ what, gone }) =>
					await n8n.waitFor(async () => gone() || undefined, { what, timeoutMs: 60_000 }),
			),
		);
		const left = removals.filter((_, index) => outcomes[index].status === 'rejected');
		expect(left.map(({ what }) => what)).toEqual([]);
	});
}

/**
 * A provider suite's fixture in a shared n8n: its fake provider, started for the suite and stopped after it; a
 * credential of `credentialType` named "<provider> (fake, loopback)" built from the fake; and the provider's
 * example workflow with `webhookId`, created inactive. `id` and `url` are set once the suite's beforeAll ran.
 */
export function providerWorkflow<
	Fake extends { start(): Promise<unknown>; stop(): Promise<unknown> },
>(
	n8n: N8n,
	fake: Fake,
	options: {
		provider: string;
		credentialType: string;
		credential: (fake: Fake) => Record<string, unknown>;
		example: string;
		webhookId: string;
	},
): { id: string; url: string } {
	const workflow = { id: '', url: '' };
	beforeAll(async () => {
		await fake.start();
		const name = `${options.provider} (fake, loopback)`;
		const credential = await n8n.createCredential(
			name,
			options.credentialType,
			options.credential(fake),
		);
		const created = loadExample(options.example, {
			credentials: { [options.credentialType]: { id: credential.id, name } },
			webhookId: options.webhookId,
		});
		workflow.id = (await n8n.createWorkflow(created)).id;
		workflow.url = `${n8n.baseUrl}/webhook/${options.webhookId}/webhook`;
	});
	// Stopped with the shared n8n: a removal after the grace still reaches it.
	endOf(n8n).stops.push(async () => await fake.stop());
	return workflow;
}

/** A real n8n of `version` (see n8nSuite) and a fake Stripe, up for the suite's tests. */
export function stripeSuite(version: string) {
	const fake = new FakeStripe();
	beforeAll(async () => {
		await fake.start();
	});
	afterAll(async () => {
		await fake.stop();
	});
	return { fake, n8n: n8nSuite(version) };
}

type Workflow = {
	nodes: Array<Record<string, unknown> & { name: string }>;
	connections: Record<string, unknown>;
};

/**
 * Creates the Stripe credential and the example Stripe workflow (changed by `edit`), activates it and waits
 * until the fake Stripe holds its endpoint. Returns the workflow id, its production URL and the endpoint's
 * signing secret.
 */
export async function activeStripeWorkflow(
	n8n: N8n,
	fake: InstanceType<typeof FakeStripe>,
	options: { webhookId: string; name: string; edit?: (workflow: Workflow) => void },
): Promise<{ id: string; url: string; secret: string }> {
	const credential = await n8n.createCredential('Stripe (fake, loopback)', 'stripeVerifiedApi', {
		secretKey: fake.apiKey,
		baseUrl: fake.url,
		signingSecrets: '',
	});
	const workflow = loadExample('stripe-verified-trigger', {
		credentials: { stripeVerifiedApi: { id: credential.id, name: 'Stripe (fake, loopback)' } },
		webhookId: options.webhookId,
		name: options.name,
	}) as Workflow;
	options.edit?.(workflow);
	const { id } = await n8n.createWorkflow(workflow);
	await n8n.activate(id);
	const url = `${n8n.baseUrl}/webhook/${options.webhookId}/webhook`;
	const endpoint = await n8n.waitFor(
		async () => fake.activeEndpoints().find((each: { url: string }) => each.url === url),
		{ what: 'the endpoint registration' },
	);
	return { id, url, secret: fake.endpoints.get(endpoint.id).secret };
}
