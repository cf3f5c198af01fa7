// Runs one node on a list of items inside real n8n-core for the benchmarks: "Bench Input → node",
// executed by WorkflowExecute, the package loaded from dist/ by the test harness's loader, the
// credentials signed by the harness's credentials helper. Differences from the test harness's
// runNode, on purpose:
//   - other node types can be added (n8n's HTTP Request node);
//   - the input node hands over the items without copying them, so memory figures measure the
//     node under test and not a clone of 250 MB of input;
//   - nothing is recorded for the API key scan (serialising 10,000 items would be timed too);
//   - the node's time is n8n's own measure: runData[node].executionTime; the process's CPU time
//     (user + system, process.cpuUsage) is measured around the whole execution;
//   - optionally the node runs inside a "Loop Over Items" (batch size 1) loop, the way a user makes
//     a node that cannot wait for each answer (the HTTP Request node) send one item at a time.
import './env';

import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

import { additionalDataFor, HarnessCredentialsHelper, loadedPackage, nodeTypesFor, savedWorkflowOf } from '../tools/harness';

const INPUT_TYPE = 'bench.input';
const CREDENTIAL = { id: 'bench-credential', name: 'TGO Business (bench)' };

class BenchNodeTypes implements INodeTypes {
	constructor(
		private readonly base: INodeTypes,
		private readonly extra: Record<string, INodeType | IVersionedNodeType>,
	) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.extra[nodeType] ?? this.base.getByName(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const extra = this.extra[nodeType];
		return extra ? NodeHelpers.getVersionedNodeType(extra, version) : this.base.getByNameAndVersion(nodeType, version);
	}

	getKnownTypes(): IDataObject {
		return this.base.getKnownTypes();
	}
}

function inputNode(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Bench Input',
			name: INPUT_TYPE,
			group: ['trigger'],
			version: 1,
			description: 'Emits the benchmark items as they are',
			defaults: { name: 'Bench Input' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		execute: async () => [items],
	};
}

export interface BenchRun {
	/**
	 * The node's execution time as n8n-core measured it (ms). In a loop: the whole execution's
	 * wall time (the loop's runs and n8n's scheduling between them are what the user waits for).
	 */
	nodeMs: number;
	/** User + system CPU time of this process during the execution (µs). */
	cpuUs: number;
	/** The node's outputs; in a loop, each output of every run, concatenated. */
	outputs: INodeExecutionData[][];
	error?: Error;
}

export interface NodeUnderBench {
	/** Full node type: 'n8n-nodes-tgo-business.tgoSendMessage' or 'n8n-nodes-base.httpRequest'. */
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	/** The tgoBusinessApi credential, for this package's nodes. */
	credentials?: { domain: string; apiKey: string };
	/** Run the node once per item behind n8n's Loop Over Items (batch size 1; needs its type in extraTypes). */
	loopOverItems?: boolean;
}

export const LOOP_OVER_ITEMS_TYPE = 'n8n-nodes-base.splitInBatches';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Executes "Bench Input → node" once in WorkflowExecute. */
export async function runBenchNode(
	node: NodeUnderBench,
	items: INodeExecutionData[],
	extraTypes: Record<string, INodeType | IVersionedNodeType> = {},
): Promise<BenchRun> {
	const pkg = await loadedPackage();
	const nodeTypes = new BenchNodeTypes(await nodeTypesFor(), { ...extraTypes, [INPUT_TYPE]: inputNode(items) });
	const nodeName = 'Node Under Bench';
	const loopName = 'Loop Over Items';
	const nodes: INode[] = [
		{ id: randomUUID(), name: 'Bench Input', type: INPUT_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: randomUUID(),
			name: nodeName,
			type: node.type,
			typeVersion: node.typeVersion,
			position: [400, 0],
			parameters: node.parameters,
			...(node.credentials ? { credentials: { tgoBusinessApi: CREDENTIAL } } : {}),
		},
	];
	const to = (name: string) => [{ node: name, type: NodeConnectionTypes.Main, index: 0 }];
	let connections: IConnections = { 'Bench Input': { main: [to(nodeName)] } };
	if (node.loopOverItems) {
		nodes.push({ id: randomUUID(), name: loopName, type: LOOP_OVER_ITEMS_TYPE, typeVersion: 3, position: [200, 0], parameters: { batchSize: 1 } });
		// Input → loop; the loop's second output ("loop") → node → back into the loop, until its first ("done") fires.
		connections = { 'Bench Input': { main: [to(loopName)] }, [loopName]: { main: [[], to(nodeName)] }, [nodeName]: { main: [to(loopName)] } };
	}
	const settings = { executionOrder: 'v1' as const };
	const workflow = new Workflow({ id: 'bench', name: 'Bench', nodes, connections, active: false, nodeTypes, settings });
	const workflowData = savedWorkflowOf(workflow);
	const executionId = randomUUID();
	const additionalData = additionalDataFor(
		new HarnessCredentialsHelper(pkg, node.credentials ? { [CREDENTIAL.id]: { ...node.credentials } } : {}),
		executionId,
		'bench',
		{ hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData) },
	);

	const startNode = workflow.getNode('Bench Input');
	if (!startNode) throw new Error('no input node');
	// The garbage of the previous run is collected before this one, not billed to it.
	gc();
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode });
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	const tasks = run.data.resultData.runData[nodeName] ?? [];
	const outputs: INodeExecutionData[][] = [];
	for (const task of tasks) {
		(task.data?.main ?? []).forEach((output, index) => (outputs[index] ??= []).push(...(output ?? [])));
	}
	return {
		nodeMs: node.loopOverItems ? wallMs : (tasks.at(-1)?.executionTime ?? Number.NaN),
		cpuUs: cpu.user + cpu.system,
		outputs,
		error: run.data.resultData.error,
	};
}

export const TGO_SEND_MESSAGE_TYPE = 'n8n-nodes-tgo-business.tgoSendMessage';
