/** Helpers the end-to-end suites share: reading executions through n8n's public API. */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, sleep } from '../../scripts/n8n';
import { FakeStripe } from '../fakes/fakeStripe';

type N8n = InstanceType<typeof N8nInstance>;

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

/** A real n8n of `version` (packed package installed) and a fake Stripe, up for the suite's tests. */
export function stripeSuite(version: string) {
	const fake = new FakeStripe();
	const n8n = new N8nInstance({ version });
	beforeAll(async () => {
		await fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
	});
	afterAll(async () => {
		await n8n.stop();
		await fake.stop();
		n8n.cleanup();
	});
	return { fake, n8n };
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
