// The example workflows in examples/, as `npm run demo`, `npm run dev` and the e2e test use them:
// loading them, the credential they name, and a short readable summary of one run.
import fs from 'node:fs';
import path from 'node:path';

import { answer, callTool, lastToolResult, type ScriptedTurn } from './fake-model';
import { type N8nRun, PACKAGE_NAME } from './n8n';

/** The credential every example names (by name only, so n8n links it to the user's own on import). */
export const EXAMPLE_CREDENTIAL_NAME = 'TGO Business account';
export const CREDENTIAL_TYPE = 'tgoBusinessApi';
/** The OpenAI credential the AI Agent example names: n8n's default name for the first one a user creates. */
export const MODEL_CREDENTIAL_NAME = 'OpenAi account';
export const MODEL_CREDENTIAL_TYPE = 'openAiApi';

/** Example 8's conversation: the customer its Code node hands the agent, and the text the model writes. */
export const AGENT_EXAMPLE = {
	workflowId: 'tgoExampleAgent08',
	customer: 'Mona Hassan',
	phone: '+201010000000',
	text: 'Hello Mona Hassan, your order A-10234 is ready for pickup at our Nasr City branch. Thank you for shopping with us!',
};

/**
 * What the stand-in model answers while an example with an AI Agent runs (`npm run demo`, the e2e
 * test), by workflow id: example 8 looks the customer up, sends the text, then reports what the
 * send returned. [] for the examples without an agent.
 */
export function exampleModelScript(workflowId: string): ScriptedTurn[] {
	if (workflowId !== AGENT_EXAMPLE.workflowId) return [];
	return [
		callTool('TGO_Lookup_Contact', { Phone: AGENT_EXAMPLE.phone }),
		callTool('TGO_Send_Message', { To_Phone: AGENT_EXAMPLE.phone, Text: AGENT_EXAMPLE.text }),
		(request) => {
			const [sent] = (lastToolResult(request)?.parsed ?? []) as Array<{ message_id?: number; error?: TgoError | string }>;
			if (sent?.error === undefined) return answer(`I sent ${AGENT_EXAMPLE.customer} a TGO Connect message (message ${String(sent?.message_id)}).`);
			const reason = typeof sent.error === 'string' ? sent.error : `${sent.error.code}: ${sent.error.resolution ?? sent.error.message}`;
			return answer(`I could not message ${AGENT_EXAMPLE.customer}. ${reason}`);
		},
	];
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string | null; name: string }>;
}

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	/** By source node, then by connection type (`main`, and `ai_tool`, `ai_languageModel` for an AI Agent's parts). */
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }>>>>;
	[k: string]: unknown;
}

export interface Example {
	file: string;
	workflow: ExampleWorkflow;
}

export function examplesDir(repoRoot: string): string {
	return path.join(repoRoot, 'examples');
}

/** Every examples/*.json, in file-name order. */
export function loadExamples(repoRoot: string): Example[] {
	const dir = examplesDir(repoRoot);
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => ({
			file: path.join('examples', name),
			workflow: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as ExampleWorkflow,
		}));
}

export const isTgoNode = (node: { type: string }): boolean => node.type.startsWith(`${PACKAGE_NAME}.`);
/** A TGO node in its AI Agent tool form (n8n's generated `…Tool` type). */
export const isToolNode = (node: { type: string }): boolean => isTgoNode(node) && node.type.endsWith('Tool');
export const AGENT_NODE_TYPE = '@n8n/n8n-nodes-langchain.agent';

// ---------------------------------------------------------------------------------------------
// Run data
// ---------------------------------------------------------------------------------------------

export type Json = Record<string, unknown>;

export interface TgoError {
	code: string;
	message: string;
	httpCode?: number;
	description?: string;
	resolution?: string;
	docsUrl?: string;
	details?: Json;
}

/** Items of a node's output (0 = Success, 1 = Error) in its first run; [] when it did not run or sent nothing there. */
export function outputItems(run: N8nRun | undefined, nodeName: string, output: 0 | 1, runIndex = 0): Json[] {
	const main = run?.data.resultData.runData[nodeName]?.[runIndex]?.data?.main;
	return (main?.[output] ?? []).map((item) => item.json);
}

/** Every item a node produced on its main output 0 over all its runs (a node with two inputs may run twice). */
export function allRunsItems(run: N8nRun | undefined, nodeName: string): Json[] {
	return (run?.data.resultData.runData[nodeName] ?? []).flatMap((r) => (r.data?.main?.[0] ?? []).map((item) => item.json));
}

/** Codes a workflow may meet in normal operation: the documented ones (anything else is unexpected). */
export const DOCUMENTED_CODES = new Set([
	'SENDER_NOT_ACTIVE',
	'ACCOUNT_NOT_VERIFIED',
	'MISSING_SCOPE',
	'UNAUTHORIZED',
	'TENANT_NOT_FOUND',
	'VALIDATION_FAILED',
	'RECIPIENT_UNREACHABLE',
	'INVALID_INPUT',
	'RATE_LIMITED',
	'ENDPOINT_UNAVAILABLE',
]);

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

export interface RunSummary {
	lines: string[];
	/** What went wrong beyond the documented, expected failures (empty when all is well). */
	problems: string[];
}

const MAX_ITEM_LINES = 8;

interface RawItem {
	json: Json;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
}

interface RawRun {
	source?: Array<{ previousNode: string; previousNodeOutput?: number; previousNodeRun?: number } | null>;
	/** `main` for a node in the flow; `ai_tool` for a node an AI Agent called as a tool. */
	data?: { main?: Array<RawItem[] | null>; ai_tool?: Array<RawItem[] | null> };
	error?: { message?: string };
}

function rawRuns(run: N8nRun, nodeName: string): RawRun[] {
	return (run.data.resultData.runData[nodeName] ?? []) as unknown as RawRun[];
}

/**
 * The JSON on each output of one run of a node an AI Agent called as a tool (n8n logs them under
 * `ai_tool`). An agent that runs its tools through n8n-core's tool wrapper (AI Agent 1.x: the
 * newest on n8n 1.85, and example 8's) logs one item `{ response }` holding the first output's
 * JSON, the only output the wrapper reads; an agent that runs them as workflow nodes logs the outputs.
 */
export function toolRunOutputs(outputs: Array<Array<{ json: Json }> | null> | undefined): Json[][] {
	const json = (outputs ?? []).map((items) => (items ?? []).map((item) => item.json));
	const [[only] = []] = json;
	const wrapped = json.length === 1 && json[0].length === 1 && Object.keys(only).join() === 'response' && Array.isArray(only.response);
	return wrapped ? [only.response as Json[]] : json;
}

/** Who an item is about, from the fields the examples' data carries. */
function subjectOf(json: Json): string | undefined {
	const parts = [json.name ?? json.customerName ?? json.branchName, json.phone ?? json.toPhone].filter((v) => typeof v === 'string' && v !== '');
	return parts.length ? parts.join(' ') : undefined;
}

/** Follows paired items back through the nodes before `nodeName` until an item says who it is about. */
function subjectThroughPairing(run: N8nRun, nodeName: string, item: RawItem, hops = 5): string | undefined {
	let node = nodeName;
	let current: RawItem | undefined = item;
	for (let hop = 0; current && hop < hops; hop++) {
		const own = subjectOf(current.json);
		if (own) return own;
		const paired: RawItem['pairedItem'] = Array.isArray(current.pairedItem) ? current.pairedItem[0] : current.pairedItem;
		const pairing: { item: number; input?: number } | undefined = typeof paired === 'number' ? { item: paired } : paired;
		const source: NonNullable<RawRun['source']>[number] | undefined = rawRuns(run, node)[0]?.source?.[pairing?.input ?? 0];
		if (!pairing || !source) return undefined;
		node = source.previousNode;
		current = rawRuns(run, node)[source.previousNodeRun ?? 0]?.data?.main?.[source.previousNodeOutput ?? 0]?.[pairing.item];
	}
	return undefined;
}

function successLines(type: string, items: Json[]): string[] {
	const lines = (describe: (json: Json) => string) => {
		const shown = items.slice(0, MAX_ITEM_LINES).map(describe);
		if (items.length > MAX_ITEM_LINES) shown.push(`… and ${items.length - MAX_ITEM_LINES} more`);
		return shown;
	};
	switch (type) {
		case 'tgoSendMessage':
			return lines((json) => `${String(json.message_type)} message ${String(json.message_id)} ${String(json.status)}`);
		case 'tgoLookupContact':
			return lines((json) => (json.can_receive ? 'can receive messages' : `cannot receive (${String(json.reason_code)})`));
		case 'tgoGetSenderNumbers':
			return lines((json) => {
				const head = `${String(json.phone)} ${String(json.display_name ?? '')}`;
				const status = json.verification_status ? `${String(json.status)}, ${String(json.verification_status)}` : String(json.status);
				return json.ready_to_send ? `${head}: ready to send` : `${head}: NOT ready (${status}): ${clip(String(json.hint), 130)}`;
			});
		case 'tgoRegisterSenderNumber':
			return lines((json) => {
				const head = `${String(json.phone)} ${String(json.display_name ?? '')}: registered as sender ${String(json.id)} (${String(json.status)})`;
				return json.ready_to_send ? `${head}, ready to send` : `${head}, next: ${clip(String(json.hint), 110)}`;
			});
		case 'tgoGetUsage':
			return lines((json) =>
				json.sender_phone !== undefined
					? `${String(json.sender_phone)} (${String(json.display_name ?? '')}): ${String(json.messages_sent)} sent, ${String(json.messages_failed)} failed`
					: `usage report with ${Object.keys(json).join(', ')}`,
			);
		case 'tgoGetAccount':
			return lines((json) => {
				const expiry = typeof json.key_expires_in_days === 'number' ? `key expires in ${json.key_expires_in_days} days (${String(json.expires_at)})` : 'key expiry not stated';
				const scopes = Array.isArray(json.scopes) ? `, scopes ${json.scopes.join(' ')}` : '';
				const planObject = (json.plan ?? {}) as Json;
				const planName = typeof json.plan === 'string' ? json.plan : String(planObject.name ?? planObject.code ?? 'unnamed');
				const plan =
					json.subscription_available === false ? ', subscription not offered' : json.plan !== undefined ? `, plan ${planName} (${String(json.status ?? 'status not stated')})` : '';
				return `${expiry}${scopes}${plan}`;
			});
		case 'tgoGetMessageLogs': {
			if (!items.length) return [];
			const byStatus = new Map<string, number>();
			for (const json of items) byStatus.set(String(json.status), (byStatus.get(String(json.status)) ?? 0) + 1);
			return [`${items.length} log entries: ${[...byStatus].map(([status, count]) => `${count} ${status}`).join(', ')}`];
		}
		default:
			return lines((json) => clip(JSON.stringify(json), 120));
	}
}

/** One line per call an AI Agent made to a TGO tool: what the tool handed the model (its first output). */
function toolCallLines(run: N8nRun, nodeName: string, type: string, width: number, problems: string[]): string[] {
	const runs = rawRuns(run, nodeName);
	const lines = [`${nodeName.padEnd(width)}  called ${runs.length} time${runs.length === 1 ? '' : 's'} by the agent`];
	for (const [index, toolRun] of runs.entries()) {
		const call = `    call ${index + 1}`;
		for (const json of toolRunOutputs(toolRun.data?.ai_tool)[0] ?? []) {
			const error = json.error as TgoError | string | undefined;
			if (error === undefined) {
				lines.push(`${call}  ok     ${successLines(type, [json])[0] ?? ''}`);
			} else if (typeof error === 'string') {
				lines.push(`${call}  failed: ${clip(error)}`);
				problems.push(`${nodeName} call ${index + 1} failed: ${clip(error)}`);
			} else {
				lines.push(`${call}  error  ${error.code}: ${clip(error.message, 200)}`);
				if (error.resolution) lines.push(`           what to do: ${clip(error.resolution, 150)}`);
				if (!DOCUMENTED_CODES.has(error.code)) problems.push(`${nodeName}: undocumented failure ${error.code}: ${clip(error.message)}`);
			}
		}
	}
	return lines;
}

function clip(text: string, max = 160): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A short, readable account of one run: for every TGO node, the items on Success and Error,
 * each error code with its message and, once per code, what to do about it; then what the
 * workflow's last nodes received.
 */
export function summarizeRun(workflow: ExampleWorkflow, run: N8nRun | undefined): RunSummary {
	const lines: string[] = [];
	const problems: string[] = [];
	if (!run) return { lines: ['(no run data)'], problems: ['n8n printed no run data'] };
	const tgoNodes = workflow.nodes.filter(isTgoNode);
	const width = Math.max(...tgoNodes.map((n) => n.name.length), 10);

	for (const node of tgoNodes) {
		const type = node.type.slice(PACKAGE_NAME.length + 1);
		if (isToolNode(node)) {
			lines.push(...toolCallLines(run, node.name, type.replace(/Tool$/, ''), width, problems));
			continue;
		}
		const first = rawRuns(run, node.name)[0];
		if (!first) {
			lines.push(`${node.name.padEnd(width)}  did not run`);
			continue;
		}
		if (first.error) {
			const message = first.error.message ?? 'failed';
			lines.push(`${node.name.padEnd(width)}  STOPPED: ${clip(message)}`);
			problems.push(`${node.name} stopped: ${clip(message)}`);
			continue;
		}
		const success = first.data?.main?.[0] ?? [];
		const errors = first.data?.main?.[1] ?? [];
		lines.push(`${node.name.padEnd(width)}  Success ${success.length}   Error ${errors.length}`);
		if (type === 'tgoSendMessage') {
			for (const item of success.slice(0, MAX_ITEM_LINES)) {
				const who = subjectThroughPairing(run, node.name, item);
				lines.push(`    ok     ${who ? `${who}: ` : ''}${String(item.json.message_type)} message ${String(item.json.message_id)} ${String(item.json.status)}`);
			}
			if (success.length > MAX_ITEM_LINES) lines.push(`    ok     … and ${success.length - MAX_ITEM_LINES} more`);
		} else {
			for (const line of successLines(type, success.map((item) => item.json))) lines.push(`    ok     ${line}`);
		}
		const explained = new Set<string>();
		for (const item of errors) {
			const error = item.json.error as TgoError | undefined;
			const code = error?.code ?? '(no code)';
			const who = subjectThroughPairing(run, node.name, item);
			const reasonCode = error?.details?.reasonCode;
			const reason = reasonCode && !error?.message.includes(String(reasonCode)) ? ` [${String(reasonCode)}]` : '';
			lines.push(`    error  ${code}${who ? ` (${who})` : ''}: ${clip(error?.message ?? '', 200)}${reason}`);
			if (error?.resolution && !explained.has(code)) {
				explained.add(code);
				lines.push(`           what to do: ${clip(error.resolution, 150)}`);
			}
			if (!DOCUMENTED_CODES.has(code)) problems.push(`${node.name}: undocumented failure ${code}: ${clip(error?.message ?? '')}`);
		}
	}

	// The ends of the workflow (notifier stand-ins, reports): how many items reached each.
	const hasOutgoing = new Set(Object.keys(workflow.connections));
	const ends = workflow.nodes.filter((n) => !isTgoNode(n) && !hasOutgoing.has(n.name) && !n.type.endsWith('.stickyNote'));
	const reached = ends.map((n) => {
		const count = rawRuns(run, n.name).reduce((sum, r) => sum + (r.data?.main?.[0]?.length ?? 0), 0);
		return `${n.name} ${count} item${count === 1 ? '' : 's'}`;
	});
	if (reached.length) lines.push(`then: ${reached.join(' · ')}`);
	for (const agent of workflow.nodes.filter((n) => n.type === AGENT_NODE_TYPE)) {
		const answers = (rawRuns(run, agent.name).at(-1)?.data?.main?.[0] ?? []).map((item) => item.json.output);
		for (const answer of answers) lines.push(`${agent.name} answered: "${clip(String(answer), 200)}"`);
	}

	const workflowError = run.data.resultData.error;
	if (workflowError && !problems.length) problems.push(`workflow error: ${clip(workflowError.message ?? 'unknown')}`);
	return { lines, problems };
}
