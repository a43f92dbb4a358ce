/**
 * Publishing an edit of an active trigger must keep its endpoint (issue: every edit made n8n call delete and
 * then create, so Stripe saw DELETE, GET, POST — a new endpoint and signing secret, the old endpoint's pending
 * retries thrown away, and the events between the calls lost). In a real n8n (each pinned version) with the
 * packed package and a fake Stripe that signs with the official SDK and retries failed deliveries to the
 * endpoint they were meant for (as Stripe does, compressed to seconds): a steady stream of events runs while the
 * workflow is edited through n8n's public API (which republishes an active workflow on 2.x and re-activates it
 * on 1.x): the trigger's events, its name, an unrelated node, its credential. For each edit: the endpoint id and
 * secret before and after, the provider calls in between. Over the whole stream: events lost and events run
 * twice. Then a real deactivation must still remove the endpoint (after the grace).
 */
import { sleep, testedVersions } from '../../scripts/n8n';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';
import { activeStripeWorkflow, executions, stripeSuite, triggerItems } from './support';

/* eslint-disable @typescript-eslint/no-require-imports */
const { longMode, report } = require('../support/modes.js') as {
	longMode(): boolean;
	report(line: string): void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

jest.setTimeout(600_000);

const WEBHOOK_ID = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const STREAM_INTERVAL_MS = 100;
/** How long each edit is given to be published while the stream runs. */
const EDIT_SETTLE_MS = longMode() ? 8_000 : 4_000;
/** Stripe retries a failed delivery hours later; here every second, up to this many times. */
const RETRY_INTERVAL_MS = 1_000;
const MAX_RETRIES = 30;

type Fake = InstanceType<typeof FakeStripe>;
type Workflow = {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, unknown>;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
};

/** Events sent like Stripe sends them: each to the endpoints subscribed at the time, retried to the same one. */
class EventStream {
	sent = 0;
	/** Deliveries n8n did not answer 2xx (each retried later). */
	failedAttempts = 0;
	/** Event ids whose delivery was answered 2xx by n8n. */
	readonly acknowledged = new Set<string>();
	/** Event ids Stripe gave up on (the endpoint was gone, or the retries ran out). */
	readonly dropped = new Set<string>();
	private readonly retries: Array<{
		id: string;
		endpointId: string;
		due: number;
		attempts: number;
	}> = [];
	private running = false;
	private loop?: Promise<void>;

	constructor(
		private readonly fake: Fake,
		private readonly tag: string,
	) {}

	start() {
		this.running = true;
		this.loop = this.run();
	}

	private async run() {
		while (this.running) {
			const event = sampleEvent('payment_intent.succeeded', {
				id: `evt_edit_${this.tag}_${this.sent}`,
			});
			this.sent++;
			for (const result of await this.fake.deliver(event)) this.record(event.id, result);
			await this.retryDue();
			await sleep(STREAM_INTERVAL_MS);
		}
	}

	private record(id: string, result: { endpointId: string; status: number }, attempts = 0) {
		if (result.status >= 200 && result.status < 300) {
			this.acknowledged.add(id);
			return;
		}
		this.failedAttempts++;
		this.retries.push({
			id,
			endpointId: result.endpointId,
			due: Date.now() + RETRY_INTERVAL_MS,
			attempts: attempts + 1,
		});
	}

	private async retryDue() {
		const now = Date.now();
		const due = this.retries.filter((retry) => retry.due <= now);
		for (const retry of due) {
			this.retries.splice(this.retries.indexOf(retry), 1);
			if (retry.attempts > MAX_RETRIES) {
				this.dropped.add(retry.id);
				continue;
			}
			const event = sampleEvent('payment_intent.succeeded', { id: retry.id });
			const results = await this.fake.deliver(event, { endpointId: retry.endpointId });
			// The endpoint no longer exists (or was disabled): Stripe has nowhere to retry to.
			if (results.length === 0) this.dropped.add(retry.id);
			for (const result of results) this.record(retry.id, result, retry.attempts);
		}
	}

	/** Stops sending new events and waits until every retry was answered or given up. */
	async stop() {
		this.running = false;
		await this.loop;
		while (this.retries.length > 0) {
			await this.retryDue();
			await sleep(200);
		}
	}
}

interface EditReport {
	edit: string;
	endpointBefore: string;
	endpointAfter: string;
	secretKept: boolean;
	providerCalls: string[];
}

describe.each(testedVersions())(
	'publishing edits of an active Stripe trigger in real n8n %s',
	(version) => {
		const { fake, n8n } = stripeSuite(version);
		const tag = version.replace(/\./g, '_');

		function ourEndpoints(url: string) {
			return fake.activeEndpoints().filter((endpoint: { url: string }) => endpoint.url === url);
		}

		async function publish(id: string, change: (workflow: Workflow) => void) {
			const workflow = (await n8n.workflow(id)) as Workflow;
			change(workflow);
			await n8n.api('PUT', `/workflows/${id}`, {
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings ?? {},
			});
		}

		it('keeps the endpoint and its secret through every edit, loses no event and runs none twice; deactivation still removes it', async () => {
			const { id, url, secret } = await activeStripeWorkflow(n8n, fake, {
				webhookId: WEBHOOK_ID,
				name: `Edits ${version}`,
			});
			const other = await n8n.createCredential(
				'Stripe (second credential, same account)',
				'stripeVerifiedApi',
				{
					secretKey: fake.apiKey,
					baseUrl: fake.url,
					signingSecrets: '',
				},
			);
			const [original] = ourEndpoints(url);
			const stream = new EventStream(fake, tag);
			stream.start();
			await sleep(1_000);

			const trigger = (workflow: Workflow) =>
				workflow.nodes.find((node) => node.type.endsWith('stripeVerifiedTrigger'))!;
			const edits: Array<[string, (workflow: Workflow) => void]> = [
				[
					'events',
					(workflow) => {
						trigger(workflow).parameters.events = ['customer.created', 'payment_intent.succeeded'];
					},
				],
				[
					'rename the trigger',
					(workflow) => {
						const node = trigger(workflow);
						const connections = workflow.connections[node.name];
						delete workflow.connections[node.name];
						node.name = 'Stripe events (renamed)';
						workflow.connections[node.name] = connections;
					},
				],
				[
					'an unrelated node',
					(workflow) => {
						const summary = workflow.nodes.find((node) => node.name === 'Event Summary')!;
						(summary.parameters.options as Record<string, unknown>).dotNotation = false;
					},
				],
				[
					'switch the credential',
					(workflow) => {
						trigger(workflow).credentials = {
							stripeVerifiedApi: { id: other.id, name: other.name },
						};
					},
				],
			];
			const reports: EditReport[] = [];
			for (const [edit, change] of edits) {
				const before = ourEndpoints(url)[0]?.id ?? 'none';
				const callsBefore = fake.calls.length;
				await publish(id, change);
				await sleep(EDIT_SETTLE_MS);
				const after = ourEndpoints(url);
				reports.push({
					edit,
					endpointBefore: before,
					endpointAfter: after.map((endpoint: { id: string }) => endpoint.id).join(',') || 'none',
					secretKept: after.length === 1 && fake.endpoints.get(after[0].id).secret === secret,
					providerCalls: fake.calls
						.slice(callsBefore)
						.map(
							(call: { method: string; path: string }) =>
								`${call.method} ${call.path.replace(/we_\w+/, 'we_…')}`,
						),
				});
			}
			await stream.stop();
			for (const line of reports) report(`[edits] ${version} ${JSON.stringify(line)}`);

			// Every event the stream sent ran exactly once.
			const ran = await n8n.waitFor(
				async () => {
					const list = await executions(n8n, id);
					const ids = list.map((execution) => {
						const runData = execution.data?.resultData?.runData ?? {};
						const name = Object.keys(runData).find((each) => each.startsWith('Stripe'));
						return name ? String(triggerItems(execution, name)[0]?.json.id ?? '') : '';
					});
					return ids.length >= stream.acknowledged.size && ids.every(Boolean) ? ids : undefined;
				},
				{ what: `${stream.acknowledged.size} executions`, timeoutMs: 120_000 },
			);
			const distinct = new Set(ran);
			const lost = [...Array(stream.sent).keys()]
				.map((index) => `evt_edit_${tag}_${index}`)
				.filter((event) => !distinct.has(event));
			report(
				`[edits] ${version}: sent ${stream.sent}, acknowledged ${stream.acknowledged.size}, attempts answered non-2xx and retried ${stream.failedAttempts}, ` +
					`dropped by the provider ${stream.dropped.size}, ` +
					`executions ${ran.length}, lost ${lost.length}, ran twice ${ran.length - distinct.size}`,
			);
			// The edits were published: the events changed at the provider (a trigger n8n did not republish would
			// still hold the old ones).
			expect(ourEndpoints(url)[0]?.enabled_events).toEqual([
				'customer.created',
				'payment_intent.succeeded',
			]);
			for (const line of reports) {
				expect({
					edit: line.edit,
					endpoint: line.endpointAfter,
					secretKept: line.secretKept,
				}).toEqual({
					edit: line.edit,
					endpoint: original.id,
					secretKept: true,
				});
				expect(
					line.providerCalls.filter(
						(call) => call.startsWith('DELETE') || call === 'POST /v1/webhook_endpoints',
					),
				).toEqual([]);
			}
			expect(fake.activeEndpoints()).toHaveLength(1);

			expect({
				lost: lost.length,
				dropped: stream.dropped.size,
				ranTwice: ran.length - distinct.size,
			}).toEqual({
				lost: 0,
				dropped: 0,
				ranTwice: 0,
			});
			expect(stream.sent).toBeGreaterThan(edits.length * 10);

			// A real deactivation: the endpoint stays for the grace (an edit's create could still claim it), then goes.
			const deactivatedAt = Date.now();
			await n8n.deactivate(id);
			await n8n.waitFor(async () => (ourEndpoints(url).length === 0 ? true : undefined), {
				what: 'the endpoint removal after deactivation',
				timeoutMs: 60_000,
				intervalMs: 500,
			});
			const removedAfterMs = Date.now() - deactivatedAt;
			report(`[edits] ${version}: endpoint removed ${removedAfterMs} ms after deactivation`);
			expect(removedAfterMs).toBeGreaterThanOrEqual(10_000);
			expect(fake.activeEndpoints()).toHaveLength(0);
		});
	},
);
