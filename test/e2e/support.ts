/** Helpers the end-to-end suites share: reading executions through n8n's public API. */
import { N8nInstance, sleep } from '../../scripts/n8n';

type N8n = InstanceType<typeof N8nInstance>;

/** How long a rejected or duplicate delivery is given to (wrongly) show up as an execution. */
export const SETTLE_MS = 2500;

export interface Execution {
	id: string;
	status?: string;
	finished?: boolean;
	mode?: string;
	data?: { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
}

export function triggerItems(execution: Execution, trigger: string) {
	return execution.data?.resultData?.runData?.[trigger]?.[0]?.data?.main?.[0] ?? [];
}

export async function executions(n8n: N8n, workflowId: string): Promise<Execution[]> {
	return (await n8n.executions(workflowId)) as Execution[];
}

export async function waitForExecutions(n8n: N8n, workflowId: string, count: number): Promise<Execution[]> {
	return await n8n.waitFor(
		async () => {
			const list = await executions(n8n, workflowId);
			// Finished, with its data written (under load the row exists before the run data does).
			const done = (execution: Execution) =>
				execution.status !== 'running' && execution.status !== 'new' && execution.data?.resultData?.runData !== undefined;
			return list.length >= count && list.every(done) ? list : undefined;
		},
		{ what: `${count} execution(s) of ${workflowId}`, timeoutMs: 60_000 },
	);
}

/** The number of executions after giving stragglers time to appear. */
export async function settledExecutionCount(n8n: N8n, workflowId: string): Promise<number> {
	await sleep(SETTLE_MS);
	return (await executions(n8n, workflowId)).length;
}
