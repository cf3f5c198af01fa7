// Loads this package exactly as n8n does (n8n-core's PackageDirectoryLoader over the package
// root: it reads package.json's `n8n` section and requires the compiled files in dist/), and
// builds the INodeTypes a test workflow runs against.
import './env';

import * as path from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import { NodeHelpers, NodeConnectionTypes } from 'n8n-workflow';
import type {
	EngineRequest,
	EngineResponse,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

/**
 * The package under test: the repo root, or another package folder with the same layout
 * (set TGO_HARNESS_PACKAGE_ROOT, e.g. to exercise the harness against a throw-away package).
 */
export const PACKAGE_ROOT = path.resolve(
	process.env.TGO_HARNESS_PACKAGE_ROOT ?? path.join(__dirname, '..', '..'),
);

export interface LoadedPackage {
	/** The package name n8n prefixes node types with: `<packageName>.<node name>`. */
	packageName: string;
	/** Full node type names as they appear in workflows, e.g. `n8n-nodes-tgo-business.tgoGetUsage`. */
	nodeTypes: string[];
	/** Credential type names, e.g. `tgoBusinessApi` (credentials are not prefixed). */
	credentialTypes: string[];
	loader: PackageDirectoryLoader;
}

let loading: Promise<LoadedPackage> | undefined;

/** Loads the package once per test file; the loader's own errors surface unchanged. */
export async function loadedPackage(): Promise<LoadedPackage> {
	loading ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		const { packageName } = loader;
		return {
			packageName,
			// The n8n app registers a package's nodes under `<packageName>.<name>`; the loader
			// itself keys them by the bare description name.
			nodeTypes: Object.keys(loader.nodeTypes).map((name) => `${packageName}.${name}`),
			credentialTypes: Object.keys(loader.credentialTypes),
			loader,
		};
	})();
	try {
		return await loading;
	} catch (error) {
		loading = undefined; // let a later call see a rebuilt dist/
		throw error;
	}
}

export async function credentialType(name: string): Promise<ICredentialType> {
	const { loader } = await loadedPackage();
	return loader.getCredential(name).type;
}

/** Type of the harness-only node that feeds a test's items into the node under test. */
export const HARNESS_INPUT_TYPE = 'harness.input';

/** Stand-in for n8n's Manual Trigger, which example workflows start from (n8n-nodes-base is
 * not installed here). Like the real one in a manual run, it emits a single empty item. */
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

const sourceDescription = (name: string, displayName: string): INodeTypeDescription => ({
	displayName,
	name,
	group: ['trigger'],
	version: 1,
	description: 'Harness start node',
	defaults: { name: displayName },
	inputs: [],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
});

/** Starts a workflow by emitting exactly the items it was built with (json, binary, pairedItem). */
function inputNode(items: INodeExecutionData[]): INodeType {
	return {
		description: sourceDescription(HARNESS_INPUT_TYPE, 'Harness Input'),
		// A copy per execution, so a node under test that mutates its input cannot alter the fixture.
		execute: async () => [structuredClone(items)],
	};
}

const manualTrigger: INodeType = {
	description: sourceDescription(MANUAL_TRIGGER_TYPE, 'Manual Trigger'),
	execute: async () => [[{ json: {} }]],
};

/** Stand-in for n8n's AI Agent (2.x, "Tools Agent" V3), which calls its tools through the engine.
 * Its parameter `toolCalls` lists `{ tool: <node name>, args: {...} }`. On its first run it asks
 * n8n-core for those calls as one engine request (n8n-core then runs each tool node with the
 * arguments as the `$fromAI` values); resumed with the results, it emits one item per call with
 * `observation`: the text the real agent hands the model, built from the tool's first output the
 * way n8n's agent does (its items' JSON, else the error, else an empty string). */
export const HARNESS_AGENT_TYPE = 'harness.agent';

interface ToolCall {
	tool: string;
	args: IDataObject;
}

const agentStandIn: INodeType = {
	description: {
		...sourceDescription(HARNESS_AGENT_TYPE, 'Agent'),
		group: ['transform'],
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
		properties: [{ displayName: 'Tool Calls', name: 'toolCalls', type: 'json', default: '[]' }],
	},
	async execute(this: IExecuteFunctions, response?: EngineResponse) {
		const calls = JSON.parse(this.getNodeParameter('toolCalls', 0) as string) as ToolCall[];
		if (!response?.actionResponses?.length) {
			const request: EngineRequest = {
				actions: calls.map((call, index) => ({
					actionType: 'ExecutionNodeAction',
					nodeName: call.tool,
					input: call.args,
					type: NodeConnectionTypes.AiTool,
					id: `call_${index + 1}`,
					metadata: { itemIndex: 0 },
				})),
				metadata: {},
			};
			return request;
		}
		return [
			response.actionResponses.map(({ action, data }) => {
				const firstOutput = data.data?.[NodeConnectionTypes.AiTool]?.[0]?.map((item) => item?.json) ?? [];
				const observation = firstOutput.length
					? JSON.stringify(firstOutput)
					: JSON.stringify(data.error ? { error: data.error.message } : '');
				return { json: { callId: action.id, tool: action.nodeName, observation } };
			}),
		];
	},
};

/** Stand-in for the agents that take their tools as LangChain tools (n8n 1.x, and 2.x's older
 * agent versions): it asks n8n-core for the connected tools (`getInputConnectionData`, which wraps
 * each TGO tool node with `createNodeAsTool`) and invokes them with each call's arguments. Each
 * item's `observation` is the tool's answer, or `Error: <message>` when the tool threw. */
export const HARNESS_LANGCHAIN_AGENT_TYPE = 'harness.langchainAgent';

const langchainAgentStandIn: INodeType = {
	description: { ...agentStandIn.description, name: HARNESS_LANGCHAIN_AGENT_TYPE },
	async execute(this: IExecuteFunctions) {
		const calls = JSON.parse(this.getNodeParameter('toolCalls', 0) as string) as ToolCall[];
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
			invoke(args: IDataObject): Promise<string>;
		}>;
		const items: INodeExecutionData[] = [];
		for (const [index, call] of calls.entries()) {
			let observation: string;
			try {
				observation = await tools[0].invoke(call.args);
			} catch (error) {
				observation = `Error: ${(error as Error).message}`;
			}
			items.push({ json: { callId: `call_${index + 1}`, tool: call.tool, observation } });
		}
		return [items];
	},
};

/** A package node as n8n offers it to an agent: type `<name>Tool`, no main input, one ai_tool
 * output (what n8n's NodeTypes makes of a `usableAsTool` node; `execute` is the node's own). */
function asAgentTool(nodeType: INodeType): INodeType {
	const description = Object.create(nodeType.description, {
		name: { value: `${nodeType.description.name}Tool` },
		displayName: { value: `${nodeType.description.displayName} Tool` },
		inputs: { value: [] },
		outputs: { value: [NodeConnectionTypes.AiTool] },
	}) as INodeTypeDescription;
	return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

/** Turns what a test passes (full items or plain JSON objects) into n8n items. */
export function toItems(items: INodeExecutionData[] | IDataObject[] = [{}]): INodeExecutionData[] {
	return items.map((item) =>
		item && typeof item === 'object' && 'json' in item && typeof item.json === 'object'
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

class HarnessNodeTypes implements INodeTypes {
	constructor(
		private readonly pkg: LoadedPackage,
		private readonly extra: Record<string, INodeType>,
	) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		if (nodeType in this.extra) return this.extra[nodeType];
		const prefix = `${this.pkg.packageName}.`;
		if (nodeType.startsWith(prefix) && this.pkg.nodeTypes.includes(nodeType)) {
			return this.pkg.loader.getNode(nodeType.slice(prefix.length)).type;
		}
		const toolOf = nodeType.replace(/Tool$/, '');
		if (toolOf !== nodeType && toolOf.startsWith(prefix) && this.pkg.nodeTypes.includes(toolOf)) {
			return asAgentTool(NodeHelpers.getVersionedNodeType(this.getByName(toolOf)));
		}
		throw new Error(
			`Unknown node type "${nodeType}". The harness knows: ${[...Object.keys(this.extra), ...this.pkg.nodeTypes].join(', ')}. ` +
				'Is the node listed in package.json `n8n.nodes`, and has `npm run build` run?',
		);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.entries(this.pkg.loader.known.nodes).map(([name, details]) => [
				`${this.pkg.packageName}.${name}`,
				{ ...details },
			]),
		);
	}
}

/** The node types of one execution: the package's nodes plus the harness start nodes. */
export async function nodeTypesFor(inputItems: INodeExecutionData[] = []): Promise<INodeTypes> {
	return new HarnessNodeTypes(await loadedPackage(), {
		[HARNESS_INPUT_TYPE]: inputNode(inputItems),
		[MANUAL_TRIGGER_TYPE]: manualTrigger,
		[HARNESS_AGENT_TYPE]: agentStandIn,
		[HARNESS_LANGCHAIN_AGENT_TYPE]: langchainAgentStandIn,
	});
}
