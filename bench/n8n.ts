// Runs one node on a list of items inside real n8n-core for the benchmarks: "Bench Input → node",
// executed by WorkflowExecute, the package loaded from dist/ by the test harness's loader, the
// credentials signed by the harness's credentials helper. Differences from the test harness's
// runNode, on purpose:
//   - other node types can be added (n8n's HTTP Request node);
//   - the input node hands over the items without copying them, so memory figures measure the
//     node under test and not a clone of 250 MB of input;
//   - nothing is recorded for the API key scan (serialising 10,000 items would be timed too);
//   - the node's time is n8n's own measure: runData[node].executionTime.
import './env';

import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { additionalDataFor, HarnessCredentialsHelper, loadedPackage, nodeTypesFor } from '../tools/harness';

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
	/** The node's execution time as n8n-core measured it (ms). */
	nodeMs: number;
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
}

/** Executes "Bench Input → node" once in WorkflowExecute. */
export async function runBenchNode(
	node: NodeUnderBench,
	items: INodeExecutionData[],
	extraTypes: Record<string, INodeType | IVersionedNodeType> = {},
): Promise<BenchRun> {
	const pkg = await loadedPackage();
	const nodeTypes = new BenchNodeTypes(await nodeTypesFor(), { ...extraTypes, [INPUT_TYPE]: inputNode(items) });
	const nodeName = 'Node Under Bench';
	const nodes: INode[] = [
		{ id: randomUUID(), name: 'Bench Input', type: INPUT_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: randomUUID(),
			name: nodeName,
			type: node.type,
			typeVersion: node.typeVersion,
			position: [200, 0],
			parameters: node.parameters,
			...(node.credentials ? { credentials: { tgoBusinessApi: CREDENTIAL } } : {}),
		},
	];
	const connections = { 'Bench Input': { main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]] } };
	const settings = { executionOrder: 'v1' as const };
	const workflow = new Workflow({ id: 'bench', name: 'Bench', nodes, connections, active: false, nodeTypes, settings });
	const workflowData: IWorkflowBase = {
		id: 'bench',
		name: 'Bench',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings,
	};
	const executionId = randomUUID();
	const additionalData = additionalDataFor(
		new HarnessCredentialsHelper(pkg, node.credentials ? { [CREDENTIAL.id]: { ...node.credentials } } : {}),
		executionId,
		'bench',
		{ hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData) },
	);

	const startNode = workflow.getNode('Bench Input');
	if (!startNode) throw new Error('no input node');
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode });
	const task = run.data.resultData.runData[nodeName]?.at(-1);
	return {
		nodeMs: task?.executionTime ?? Number.NaN,
		outputs: (task?.data?.main ?? []).map((output) => output ?? []),
		error: run.data.resultData.error,
	};
}

export const TGO_SEND_MESSAGE_TYPE = 'n8n-nodes-tgo-business.tgoSendMessage';
