// Runs workflows in real n8n-core: a `Workflow` built from workflow JSON, executed by
// `WorkflowExecute`, with n8n-core's own node execution contexts, expression engine, request
// helpers and error handling. What the n8n app would add around it (database, credentials
// store, webhooks) is replaced by the smallest stand-ins in this folder.
import { capturedLogs } from './env';

import { randomUUID } from 'node:crypto';
import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import { UnexpectedError, Workflow } from 'n8n-workflow';
import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IRunData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialsHelper } from './credentials';
import { recordApiKeys, recordArtifact } from './secrets';
import type { CredentialStore } from './credentials';
import { HARNESS_AGENT_TYPE, HARNESS_INPUT_TYPE, HARNESS_LANGCHAIN_AGENT_TYPE, loadedPackage, MANUAL_TRIGGER_TYPE, nodeTypesFor, toItems } from './loader';

export interface TgoCredentialData {
	domain: string;
	apiKey: string;
}

export interface NodeRunResult {
	/** Output 0 of the node under test ('Success'). */
	success: INodeExecutionData[];
	/** Output 1 of the node under test ('Error'). */
	error: INodeExecutionData[];
	/** Output 2: the error output n8n appends under "On Error: Continue (using error output)". */
	n8nError: INodeExecutionData[];
	/**
	 * Set when the node stopped the workflow: the execution's error as n8n-core records it, a
	 * plain-object copy of the thrown error (own fields plus message and stack: `name`,
	 * `description`, `httpCode` (a string), `context.itemIndex`, `node`, …), not an instance, so
	 * test `thrown.name === 'NodeApiError'` rather than `instanceof`.
	 */
	thrown?: ExecutionBaseError | Error;
	runData: IRunData;
	/** Log lines n8n-core / n8n-workflow wrote while this run was in flight. */
	logs: string[];
}

/** The settings tab of a node, as saved in the workflow. */
export type NodeSettings = Pick<INode, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'executeOnce' | 'alwaysOutputData'>;

export interface WorkflowRunResult {
	runData: IRunData;
	thrown?: ExecutionBaseError | Error;
	logs: string[];
	/** The outputs of the node's last run, one array per output ([] for an output with no items). */
	outputsOf(nodeName: string): INodeExecutionData[][];
}

export interface WorkflowJson {
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	name?: string;
	id?: string;
}

// The mode a user's "Execute workflow" click runs in.
const MODE: WorkflowExecuteMode = 'manual';
// Absolute, as in a configured instance: nodes may build URLs from these (n8n-core reads them
// for $execution.resumeUrl and friends) and relative ones break URL parsing.
const BASE_URL = 'http://127.0.0.1:5678';
const HARNESS_CREDENTIAL = { id: 'harness-credential', name: 'TGO Business (harness)' };

/** The additional data n8n's app would give an execution; exported for the benchmarks. */
export function additionalDataFor(
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
	workflowId: string,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not available in the test harness`);
	};
	return {
		credentialsHelper,
		// No external secrets manager: `$secrets` resolves to nothing, as on an instance without one.
		externalSecretsProxy: new ExternalSecretsProxy(),
		executionId,
		workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: unsupported('Executing a sub-workflow'),
		startRunnerTask: unsupported('The task runner (Code node)'),
		...extra,
	};
}

function toStore(credentials: Record<string, TgoCredentialData> = {}): CredentialStore {
	return Object.fromEntries(
		Object.entries(credentials).map(([key, data]) => [key, { ...data } as ICredentialDataDecryptedObject]),
	);
}

/** Executes a workflow in WorkflowExecute and waits for it to finish. */
async function execute(
	workflowJson: WorkflowJson,
	store: CredentialStore,
	startNodeName: string | undefined,
	inputItems: INodeExecutionData[] = [],
): Promise<WorkflowRunResult> {
	const pkg = await loadedPackage();
	const logStart = capturedLogs.length;
	recordApiKeys(Object.values(store).map((credential) => credential.apiKey));
	const executionId = randomUUID();
	const workflowId = workflowJson.id ?? 'harness-workflow';
	// WorkflowExecute and Workflow fill in parameter defaults in place: work on a copy.
	const nodes = structuredClone(workflowJson.nodes);
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...workflowJson.settings };

	const workflow = new Workflow({
		id: workflowId,
		name: workflowJson.name ?? 'Harness workflow',
		nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes: await nodeTypesFor(inputItems),
		settings,
	});

	const startNode = startNodeName
		? workflow.getNode(startNodeName)
		: nodes.find((node) => !node.disabled && !workflow.connectionsByDestinationNode[node.name]);
	if (!startNode) {
		throw new UnexpectedError(`No start node "${startNodeName ?? '(a node without inputs)'}" in the workflow`);
	}

	const workflowData = savedWorkflowOf(workflow);
	// Hooks with no handlers: nothing is saved or pushed to an editor, as in `n8n execute`.
	const hooks = new ExecutionLifecycleHooks(MODE, executionId, workflowData);
	const additionalData = additionalDataFor(
		new HarnessCredentialsHelper(pkg, store),
		executionId,
		workflowId,
		{ hooks },
	);

	const run = await new WorkflowExecute(additionalData, MODE).run({ workflow, startNode });
	const runData = run.data.resultData.runData;
	recordArtifact(`workflow "${workflow.name}" run data`, runData);
	recordArtifact(`workflow "${workflow.name}" execution error`, run.data.resultData.error);
	return {
		runData,
		thrown: run.data.resultData.error,
		logs: capturedLogs.slice(logStart),
		outputsOf(nodeName: string) {
			const runs = runData[nodeName];
			if (!runs?.length) throw new UnexpectedError(`Node "${nodeName}" did not run`);
			return (runs[runs.length - 1].data?.main ?? []).map((output) => output ?? []);
		},
	};
}

/** Runs an importable workflow (nodes reference credentials by id or name). */
export async function runWorkflow(
	workflowJson: WorkflowJson,
	options: { credentials?: Record<string, TgoCredentialData>; startNode?: string } = {},
): Promise<WorkflowRunResult> {
	return await execute(workflowJson, toStore(options.credentials), options.startNode);
}

/** A node type of this package by short name, at the given version (default: the newest). */
async function packageNodeType(type: string, typeVersion?: number) {
	const pkg = await loadedPackage();
	const fullType = `${pkg.packageName}.${type}`;
	const nodeType = (await nodeTypesFor()).getByNameAndVersion(fullType, typeVersion);
	const { version } = nodeType.description;
	return {
		fullType,
		nodeType,
		typeVersion: typeVersion ?? (Array.isArray(version) ? Math.max(...version) : version),
	};
}

function nodeCredentials(nodeType: INodeType): INodeCredentials {
	const credentialName = nodeType.description.credentials?.[0]?.name ?? 'tgoBusinessApi';
	return { [credentialName]: HARNESS_CREDENTIAL };
}

/** Runs one node of this package on the given items: Input → node under test. */
export async function runNode(options: {
	/** Short name, e.g. 'tgoSendMessage'; the harness adds the package prefix. */
	type: string;
	parameters: INodeParameters;
	/** Fed by the input node; plain objects become `{ json }`. Default: one empty item. */
	items?: INodeExecutionData[] | IDataObject[];
	/** Omitted: the node has no credentials set. */
	credentials?: TgoCredentialData;
	/** Sets the node's `onError: 'continueRegularOutput'`. */
	continueOnFail?: boolean;
	/** The node's settings tab: On Error, Retry On Fail (with Max Tries and Wait Between Tries),
	 * Execute Once, Always Output Data. */
	settings?: NodeSettings;
	typeVersion?: number;
}): Promise<NodeRunResult> {
	const { fullType, nodeType, typeVersion } = await packageNodeType(options.type, options.typeVersion);
	const nodeName = nodeType.description.defaults.name ?? nodeType.description.displayName;
	const inputName = 'Harness Input';

	const node: INode = {
		id: randomUUID(),
		name: nodeName,
		type: fullType,
		typeVersion,
		position: [200, 0],
		parameters: options.parameters,
		...(options.credentials && { credentials: nodeCredentials(nodeType) }),
		...(options.continueOnFail && { onError: 'continueRegularOutput' as const }),
		...options.settings,
	};
	const input: INode = {
		id: randomUUID(),
		name: inputName,
		type: HARNESS_INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const result = await execute(
		{
			nodes: [input, node],
			connections: { [inputName]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		},
		options.credentials ? { [HARNESS_CREDENTIAL.id]: { ...options.credentials } } : {},
		inputName,
		toItems(options.items),
	);
	const nodeRuns = result.runData[nodeName] ?? [];
	const outputs = nodeRuns.at(-1)?.data?.main ?? [];
	return {
		success: outputs[0] ?? [],
		error: outputs[1] ?? [],
		n8nError: outputs[2] ?? [],
		thrown: result.thrown,
		runData: result.runData,
		logs: result.logs,
	};
}

export interface ToolRunResult {
	/** Per tool call, in call order: the text n8n's agent would hand the model. */
	observations: string[];
	/** Every run of the tool node (one per call, more with Retry On Fail), as n8n records them. */
	toolRuns: IRunData[string];
	thrown?: ExecutionBaseError | Error;
	logs: string[];
}

/**
 * Runs a node of this package as an AI Agent tool. Through n8n-core's engine path (n8n 2.x), an
 * agent stand-in asks the engine to call the tool once per entry of `calls` (each entry is the
 * `$fromAI` values the model chose); n8n-core runs the `<name>Tool` node for each and resumes the
 * agent with the results. With `via: 'langchain'`, n8n-core wraps the tool node as a LangChain
 * tool (its `createNodeAsTool`) and the stand-in invokes it, as n8n 1.x's agents do.
 */
export async function runAsTool(options: {
	type: string;
	parameters: INodeParameters;
	calls: IDataObject[];
	credentials?: TgoCredentialData;
	settings?: NodeSettings;
	/** 'engine' (default): n8n 2.x's agent. 'langchain': agents that invoke LangChain tools (n8n 1.x). */
	via?: 'engine' | 'langchain';
}): Promise<ToolRunResult> {
	const { fullType, nodeType, typeVersion } = await packageNodeType(options.type);
	const toolName = `${nodeType.description.defaults.name ?? nodeType.description.displayName} Tool`;
	const tool: INode = {
		id: randomUUID(),
		name: toolName,
		type: `${fullType}Tool`,
		typeVersion,
		position: [200, 200],
		parameters: options.parameters,
		...(options.credentials && { credentials: nodeCredentials(nodeType) }),
		...options.settings,
	};
	const agent: INode = {
		id: randomUUID(),
		name: 'Agent',
		type: options.via === 'langchain' ? HARNESS_LANGCHAIN_AGENT_TYPE : HARNESS_AGENT_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: { toolCalls: JSON.stringify(options.calls.map((args) => ({ tool: toolName, args }))) },
	};
	const trigger: INode = { id: randomUUID(), name: 'Manual Trigger', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
	const result = await execute(
		{
			nodes: [trigger, agent, tool],
			connections: {
				[trigger.name]: { main: [[{ node: agent.name, type: 'main', index: 0 }]] },
				[toolName]: { ai_tool: [[{ node: agent.name, type: 'ai_tool', index: 0 }]] },
			},
		},
		options.credentials ? { [HARNESS_CREDENTIAL.id]: { ...options.credentials } } : {},
		trigger.name,
	);
	const agentOutput = result.runData[agent.name]?.at(-1)?.data?.main?.[0] ?? [];
	return {
		observations: agentOutput.map((item) => item.json.observation as string),
		toolRuns: result.runData[toolName] ?? [],
		thrown: result.thrown,
		logs: result.logs,
	};
}

/** A real ILoadOptionsFunctions (n8n-core's LoadOptionsContext) for a node of this package,
 * built the way n8n's DynamicNodeParametersService builds it for the editor. */
async function loadOptionsContext(
	type: string,
	credentials: TgoCredentialData | undefined,
	parameters: INodeParameters,
) {
	const pkg = await loadedPackage();
	const { fullType, nodeType, typeVersion } = await packageNodeType(type);
	const node: INode = {
		id: randomUUID(),
		name: 'Temp-Node',
		type: fullType,
		typeVersion,
		position: [0, 0],
		parameters,
		...(credentials && { credentials: nodeCredentials(nodeType) }),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: await nodeTypesFor(),
	});
	const store = credentials ? { [HARNESS_CREDENTIAL.id]: { ...credentials } } : {};
	const additionalData = additionalDataFor(
		new HarnessCredentialsHelper(pkg, store),
		randomUUID(),
		'harness-workflow',
		{ currentNodeParameters: parameters },
	);
	return {
		context: new LoadOptionsContext(workflow, workflow.nodes[node.name], additionalData, 'parameters'),
		methods: nodeType.methods,
	};
}

/** Calls `methods.listSearch.<methodName>` of a node, as the editor does for a resource locator's list mode. */
export async function listSearch(
	type: string,
	methodName: string,
	credentials?: TgoCredentialData,
	filter?: string,
	options: { paginationToken?: string; parameters?: INodeParameters } = {},
): Promise<INodeListSearchResult> {
	const { context, methods } = await loadOptionsContext(type, credentials, options.parameters ?? {});
	const method = methods?.listSearch?.[methodName];
	if (typeof method !== 'function') {
		throw new UnexpectedError(`Node "${type}" has no listSearch method "${methodName}"`);
	}
	recordApiKeys([credentials?.apiKey]);
	try {
		const result = await method.call(context, filter, options.paginationToken);
		recordArtifact(`listSearch ${type}.${methodName} result`, result);
		return result;
	} catch (error) {
		// What the editor would show the user in the dropdown.
		recordArtifact(`listSearch ${type}.${methodName} error`, error);
		throw error;
	}
}

/** Calls `methods.loadOptions.<methodName>` of a node, as the editor does for an options list. */
export async function loadOptions(
	type: string,
	methodName: string,
	credentials?: TgoCredentialData,
	parameters: INodeParameters = {},
): Promise<INodePropertyOptions[]> {
	const { context, methods } = await loadOptionsContext(type, credentials, parameters);
	const method = methods?.loadOptions?.[methodName];
	if (typeof method !== 'function') {
		throw new UnexpectedError(`Node "${type}" has no loadOptions method "${methodName}"`);
	}
	return await method.call(context);
}

/** The workflow as n8n would have saved it (inactive, never stored): what execution hooks are given. */
export function savedWorkflowOf(workflow: Workflow): IWorkflowBase {
	return {
		id: workflow.id,
		name: workflow.name ?? '',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
	};
}
