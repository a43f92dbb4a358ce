/**
 * Drives a trigger through n8n-core's real HookContext and WebhookContext over a real n8n-workflow
 * Workflow: parameters, static data (with n8n's change-tracking proxy), webhook URLs and the authenticated
 * request helper are n8n's own code. What n8n's server adds around them (body parsing, the static-data
 * load/save per request, activation retries) is exercised by the end-to-end tests in a real n8n.
 */
import { HookContext, InstanceSettings, TriggerContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeType,
	type INodeExecutionData,
	type INodeTypes,
	type ITriggerResponse,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { removeNow, waitingRemovals } from '../../nodes/shared/pendingRemoval';

export interface LogLine {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

export const logs: LogLine[] = [];

const logger = {
	debug: (message: string, meta?: unknown) => logs.push({ level: 'debug', message, meta }),
	info: (message: string, meta?: unknown) => logs.push({ level: 'info', message, meta }),
	warn: (message: string, meta?: unknown) => logs.push({ level: 'warn', message, meta }),
	error: (message: string, meta?: unknown) => logs.push({ level: 'error', message, meta }),
	scoped: () => logger,
};

/** n8n-core's own copies of @n8n/di and @n8n/backend-common (it may nest them), so its Container sees ours. */
function fromCore<T>(name: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(name, { paths: [require.resolve('n8n-core')] })) as T;
}
const { Container } = fromCore<typeof import('@n8n/di')>('@n8n/di');
const { Logger } = fromCore<typeof import('@n8n/backend-common')>('@n8n/backend-common');

let containerReady = false;
function prepareContainer() {
	if (containerReady) return;
	Container.set(Logger, logger as unknown as InstanceType<typeof Logger>);
	// Only binary-data and file helpers read it; a trigger that used them would fail loudly here.
	Container.set(InstanceSettings, {} as InstanceSettings);
	containerReady = true;
}

/** Resolves `={{$credentials.x}}` in a generic authenticate block, as n8n's CredentialsHelper does. */
function applyGenericAuth(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): IHttpRequestOptions {
	const auth = credentialType.authenticate;
	if (!auth || typeof auth === 'function' || auth.type !== 'generic') return options;
	const resolve = (value: unknown) =>
		String(value)
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) =>
				String(credentials[key] ?? ''),
			);
	const headers = { ...(options.headers ?? {}) } as IDataObject;
	for (const [name, value] of Object.entries(auth.properties.headers ?? {}))
		headers[name] = resolve(value);
	const basic = auth.properties.auth;
	if (!basic) return { ...options, headers };
	return {
		...options,
		headers,
		auth: { username: resolve(basic.username), password: resolve(basic.password) },
	};
}

export interface TriggerHarnessOptions {
	nodeType: INodeType;
	typeName: string;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	parameters: IDataObject;
	/** Shared across calls, like the workflow row's static data. */
	staticData?: IDataObject;
	webhookId?: string;
	baseUrl?: string;
	/** Defaults to one of its own per harness, so module-level caches never carry over between tests. */
	workflowId?: string;
	/** More credentials on the node (type name → decrypted data), e.g. the Redis dedup store's. */
	extraCredentials?: Record<string, ICredentialDataDecryptedObject>;
}

let harnesses = 0;

export class TriggerHarness {
	/** The whole workflow static data, as stored in the workflow row. */
	readonly staticData: IDataObject;
	readonly node: INode;
	readonly workflowId: string;
	/** How often n8n was asked to decrypt the credential (each a database read and a decryption in n8n). */
	credentialReads = 0;
	/** The same for the node's other credentials (extraCredentials). */
	extraCredentialReads = 0;

	/** Changes a credential field, as a user editing the credential in n8n does. */
	setCredential(field: string, value: string): void {
		this.options.credentials[field] = value;
	}

	/** What the node sees as getWorkflowStaticData('node'). */
	get nodeStaticData(): IDataObject {
		return (this.staticData[`node:${this.node.name}`] ?? {}) as IDataObject;
	}
	private readonly nodeTypes: INodeTypes;

	constructor(private readonly options: TriggerHarnessOptions) {
		prepareContainer();
		this.staticData = options.staticData ?? {};
		this.workflowId = options.workflowId ?? `wf-${++harnesses}`;
		this.node = {
			id: 'node-1',
			name: 'Trigger',
			type: options.typeName,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters as INode['parameters'],
			webhookId: options.webhookId ?? '4f7c1d9e-2a33-4b6e-9d1a-6a0b8c2e9f10',
			credentials: {
				[options.credentialType.name]: { id: 'cred-1', name: 'Test credential' },
				...Object.fromEntries(
					Object.keys(options.extraCredentials ?? {}).map((type, index) => [
						type,
						{ id: `cred-x${index}`, name: type },
					]),
				),
			},
		};
		const nodeType = options.nodeType;
		this.nodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
	}

	/** A new Workflow over the stored static data, as n8n builds one per request/activation. */
	private workflow(staticData: IDataObject = this.staticData): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: 'Test workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			staticData,
		});
	}

	/** The static data the last webhook() call loaded (with n8n's hidden change flag on it). */
	lastLoadedStaticData: IDataObject = {};

	/** n8n's save after a request: the whole blob replaces the row's, and only if the change flag is set. */
	private saveStaticData(loaded: IDataObject): void {
		if ((loaded as { __dataChanged?: boolean }).__dataChanged !== true) return;
		const copy = JSON.parse(JSON.stringify(loaded)) as IDataObject;
		for (const key of Object.keys(this.staticData)) delete this.staticData[key];
		Object.assign(this.staticData, copy);
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		const { credentialType, credentials } = this.options;
		const base = this.options.baseUrl ?? 'http://127.0.0.1:5678';
		return {
			webhookBaseUrl: `${base}/webhook`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			instanceBaseUrl: base,
			restApiUrl: `${base}/rest`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			variables: {},
			currentNodeParameters: undefined,
			credentialsHelper: {
				getParentTypes: () => [],
				isCredentialUsableByNode: async () => true,
				getDecrypted: async (_data: unknown, _nodeCredentials: unknown, type: string) => {
					const extra = this.options.extraCredentials?.[type];
					if (extra) {
						this.extraCredentialReads++;
						return { ...extra };
					}
					this.credentialReads++;
					return { ...credentials };
				},
				authenticate: async (_c: unknown, _t: string, requestOptions: IHttpRequestOptions) =>
					applyGenericAuth(credentialType, credentials, requestOptions),
				preAuthentication: async () => undefined,
				getCredentialsProperties: () => credentialType.properties,
			},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	async hook(
		method: 'checkExists' | 'create' | 'delete',
		{
			mode = 'trigger',
			activation = 'activate',
			isTest = false,
			keepWaiting = false,
		}: {
			mode?: WorkflowExecuteMode;
			activation?: WorkflowActivateMode;
			isTest?: boolean;
			keepWaiting?: boolean;
		} = {},
	): Promise<boolean> {
		const workflow = this.workflow();
		const webhookData = {
			isTest,
			webhookDescription: { name: 'default' },
		} as unknown as IWebhookData;
		const context = new HookContext(
			workflow,
			this.node,
			this.additionalData(),
			mode,
			activation,
			webhookData,
		);
		const methods = this.options.nodeType.webhookMethods?.default;
		if (!methods) throw new Error('node has no webhookMethods.default');
		const result = await methods[method].call(context);
		// delete only schedules the removal at the provider (an edit being published re-creates right after).
		// Unless the test looks at the grace itself, the grace passes now: the removal runs, and its failure is
		// the delete's failure here.
		if (method === 'delete' && !keepWaiting) {
			for (const url of waitingRemovals()) {
				const failure = await removeNow(url);
				if (failure !== undefined) throw failure;
			}
		}
		return result;
	}

	/** Calls webhook() as n8n does for one request; `request`/`response` are Express-shaped fakes. */
	async webhook(
		request: FakeRequest,
		response: FakeResponse,
		mode: WorkflowExecuteMode = 'webhook',
	): Promise<IWebhookResponseData> {
		// Each request loads its own copy of the row's static data; n8n saves it in its answer step (test
		// listens never save). The answer step runs when the node answered itself, or when n8n answers 2xx.
		const loaded = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		this.lastLoadedStaticData = loaded;
		const workflow = this.workflow(loaded);
		const webhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: 'webhook',
			webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' },
			workflowId: this.workflowId,
			isTest: mode === 'manual',
		} as unknown as IWebhookData;
		const additionalData = this.additionalData();
		(additionalData as unknown as { httpRequest: unknown; httpResponse: unknown }).httpRequest =
			request;
		(additionalData as unknown as { httpRequest: unknown; httpResponse: unknown }).httpResponse =
			response;
		const context = new WebhookContext(
			workflow,
			this.node,
			additionalData,
			mode,
			webhookData,
			[],
			null,
		);
		if (!this.options.nodeType.webhook) throw new Error('node has no webhook()');
		const result = await this.options.nodeType.webhook.call(context);
		if (mode !== 'manual') {
			if (result.noWebhookResponse === true) this.saveStaticData(loaded);
			else
				response.once('finish', () => {
					if ((response.statusCode ?? 200) < 300) this.saveStaticData(loaded);
				});
		}
		// What n8n does next: unless the node answered itself, n8n answers — for a delivery that starts an
		// execution (responseMode onReceived, n8n 2.x), once the execution exists; or 500 if it could not be
		// created (`failNextExecution`).
		if (result.noWebhookResponse !== true && !response.ended && !this.holdAnswers) {
			if (result.workflowData && this.failNextExecution) {
				this.failNextExecution = false;
				response.status(500).json({ message: 'Error in workflow' });
			} else if (result.workflowData) {
				response.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
			} else {
				response.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
			}
		}
		return result;
	}

	/**
	 * Starts trigger() as n8n does when it activates the workflow (`activation`): n8n-core's TriggerContext over
	 * a Workflow with its own copy of the static data, which n8n saves whole after the activation and whenever
	 * the trigger emits. Cron jobs are kept for the test to fire (`tick`); emitted data is collected.
	 */
	async trigger(activation: WorkflowActivateMode = 'activate'): Promise<StartedTrigger> {
		const loaded = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		const workflow = this.workflow(loaded);
		const jobs: Array<() => void> = [];
		const started: StartedTrigger = {
			emitted: [],
			tick: () => jobs.forEach((job) => job()),
			response: {},
		};
		const emit = (data: INodeExecutionData[][]) => {
			started.emitted.push(data);
			this.saveStaticData(workflow.staticData as IDataObject);
		};
		const context = new TriggerContext(
			workflow,
			this.node,
			this.additionalData(),
			'trigger',
			activation,
			emit,
			undefined,
			undefined,
			{
				registerCron: (_cron: unknown, onTick: () => void) => {
					jobs.push(onTick);
				},
			} as unknown as ConstructorParameters<typeof TriggerContext>[8],
		);
		if (!this.options.nodeType.trigger) throw new Error('node has no trigger()');
		started.response = (await this.options.nodeType.trigger.call(context)) ?? {};
		this.saveStaticData(workflow.staticData as IDataObject);
		return started;
	}

	/** The next delivery that would start an execution gets n8n's 500 instead (its execution was not created). */
	failNextExecution = false;
	/** n8n is still creating the executions: answers that n8n would send are left to the test. */
	holdAnswers = false;
}

export interface StartedTrigger {
	/** What the trigger emitted, one entry per emit (an execution each). */
	emitted: INodeExecutionData[][][];
	/** Fires every cron job the trigger registered once (their work runs on; wait for its effect). */
	tick(): void;
	response: ITriggerResponse;
}

export interface FakeRequest {
	headers: Record<string, string | string[]>;
	rawBody?: Buffer;
	body?: unknown;
	readRawBody(): Promise<void>;
	contentType?: string;
	/** The query as Express parses it, and the path with its query string (for URL-signing schemes). */
	query?: Record<string, string>;
	originalUrl?: string;
}

export function fakeRequest(
	rawBody: Buffer | undefined,
	headers: Record<string, string | string[]>,
	unread?: Buffer,
): FakeRequest {
	const request: FakeRequest = {
		headers: { 'content-type': 'application/json', ...headers },
		rawBody,
		readRawBody: async () => {
			request.rawBody = unread;
		},
	};
	return request;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EventEmitter } = require('./events.js') as {
	EventEmitter: typeof import('events').EventEmitter;
};

/** Express's response, as far as the triggers use it: status, json/send/end, and 'finish'/'close' events. */
export class FakeResponse extends EventEmitter {
	statusCode?: number;
	body?: unknown;
	ended = false;
	writableFinished = false;
	status(code: number) {
		this.statusCode = code;
		return this;
	}
	json(body: unknown) {
		this.body = body;
		return this.end();
	}
	send(body: unknown) {
		this.body = body;
		return this.end();
	}
	end() {
		if (this.ended) return this;
		this.ended = true;
		this.writableFinished = true;
		this.emit('finish');
		this.emit('close');
		return this;
	}
	/** The connection dropped before any answer (the sender gave up, or n8n died). */
	abort() {
		if (this.ended) return;
		this.ended = true;
		this.emit('close');
	}
}
