// A scripted stand-in for the OpenAI API, for n8n's "OpenAI Chat Model" node (its credential's
// Base URL points here): an HTTP server on loopback, on a port the OS picks, that answers each
// model call with the next turn of a script (call a tool, or answer with text) and records every
// request n8n sends, so a test can read the tool results an AI Agent handed back to the model.
//
// It serves what the chat model node calls:
// - POST /v1/responses: the Responses API, what lmChatOpenAi 1.3 (n8n 2.x's newest version) uses
//   by default ("Use Responses API" on), through @langchain/openai, not streaming unless the
//   workflow streams to a chat;
// - POST /v1/chat/completions: Chat Completions, for lmChatOpenAi before 1.3 or with that option off,
//   whole or streamed (`stream: true`, as server-sent events): AI Agent 1.x streams every model
//   call (its executor wraps the agent with LangChain's default, streamRunnable on);
// - GET /v1/models: the editor's model list and the credential's Test button.
// Nothing else: no real model, no network beyond loopback. A request the script has no answer for
// gets HTTP 400 (which the OpenAI client does not retry) with a message saying why, so a test
// fails on it instead of hanging.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The key to put in n8n's OpenAI credential; the server records it but accepts any. */
export const FAKE_OPENAI_KEY = 'sk-fake-model-for-tests-not-a-secret';
export const FAKE_MODEL_ID = 'tgo-fake-model';

export interface ToolCall {
	/** The tool's name as the agent offers it (n8n derives it from the node's name: spaces become `_`). */
	name: string;
	arguments: Record<string, unknown>;
}

/** One answer of the model: tool calls for the agent to run, or the final text. */
export type Turn = { toolCalls: ToolCall[] } | { text: string };

/** A turn, or a function of the request it answers (e.g. a final text quoting the last tool result). */
export type ScriptedTurn = Turn | ((request: ModelRequest) => Turn);

export const callTool = (name: string, args: Record<string, unknown>): Turn => ({ toolCalls: [{ name, arguments: args }] });
export const answer = (text: string): Turn => ({ text });

export type ModelApi = 'responses' | 'chat.completions' | 'models' | 'unknown';

export interface ModelRequest {
	api: ModelApi;
	method: string;
	path: string;
	/** Lower-cased names. */
	headers: Record<string, string>;
	/** Parsed JSON body (undefined for GET or a body that is not JSON). */
	body?: Record<string, unknown>;
	/** HTTP status the fake answered with. */
	status?: number;
	/** Why the fake refused the request, when it did. */
	refusal?: string;
}

/** A tool the agent offered the model, whichever API carried it. */
export interface OfferedTool {
	name: string;
	description?: string;
	parameters?: { properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

/** A tool result the agent sent back to the model, with its call id. */
export interface ToolResult {
	callId: string;
	/** The raw string n8n sent as the tool's output. */
	output: string;
	/** `output` parsed as JSON when it is JSON (n8n sends JSON text), else undefined. */
	parsed?: unknown;
}

export interface FakeModel {
	/** http://127.0.0.1:PORT/v1: the OpenAI credential's Base URL. */
	baseUrl: string;
	port: number;
	/** Every request received, in arrival order. */
	readonly requests: ModelRequest[];
	/** The model calls only (Responses or Chat Completions), in order. */
	modelCalls(): ModelRequest[];
	/** Replaces the script: the turns answer the next model calls, in order. */
	script(...turns: ScriptedTurn[]): void;
	/** Turns of the script not used yet. */
	readonly pendingTurns: number;
	/** Empties the script and the request log. */
	reset(): void;
	close(): Promise<void>;
}

export interface StartFakeModelOptions {
	/** Called once per answered request with `METHOD /path STATUS` (never headers: they carry the key). */
	accessLog?: (line: string) => void;
}

// --------------------------------------------------------------------- reading recorded requests

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The tools offered in a model call (Responses: `{type, name, parameters}`; Chat Completions: `{type, function}`). */
export function offeredTools(request: ModelRequest): OfferedTool[] {
	return asArray(request.body?.tools)
		.filter(isObject)
		.map((tool) => (isObject(tool.function) ? tool.function : tool))
		.filter((tool): tool is Json & { name: string } => typeof tool.name === 'string')
		.map((tool) => ({
			name: tool.name,
			description: typeof tool.description === 'string' ? tool.description : undefined,
			parameters: isObject(tool.parameters) ? (tool.parameters as OfferedTool['parameters']) : undefined,
		}));
}

/** Tool results in a model call, oldest first (Responses: `function_call_output` items; Chat Completions: `tool` messages). */
export function toolResults(request: ModelRequest): ToolResult[] {
	const fromResponses = asArray(request.body?.input)
		.filter(isObject)
		.filter((item) => item.type === 'function_call_output')
		.map((item) => ({ callId: String(item.call_id), output: outputText(item.output) }));
	const fromChat = asArray(request.body?.messages)
		.filter(isObject)
		.filter((message) => message.role === 'tool')
		.map((message) => ({ callId: String(message.tool_call_id), output: outputText(message.content) }));
	return [...fromResponses, ...fromChat].map((result) => ({ ...result, parsed: parseJson(result.output) }));
}

/** The newest tool result a model call carries (what the last tool call returned), if any. */
export function lastToolResult(request: ModelRequest): ToolResult | undefined {
	return toolResults(request).at(-1);
}

/** The tool results a call carries that the call before it did not: what the last tool runs returned. */
export function newToolResults(request: ModelRequest, previous: ModelRequest | undefined): ToolResult[] {
	const seen = new Set(previous ? toolResults(previous).map((result) => result.callId) : []);
	return toolResults(request).filter((result) => !seen.has(result.callId));
}

/** Every text of the conversation a model call carries (system, user and assistant), in order. */
export function conversationTexts(request: ModelRequest): string[] {
	const texts: string[] = [];
	const collect = (content: unknown) => {
		if (typeof content === 'string') texts.push(content);
		for (const part of asArray(content)) if (isObject(part) && typeof part.text === 'string') texts.push(part.text);
	};
	if (typeof request.body?.instructions === 'string') texts.push(request.body.instructions);
	for (const item of [...asArray(request.body?.input), ...asArray(request.body?.messages)]) {
		if (isObject(item) && item.type !== 'function_call_output' && item.role !== 'tool') collect(item.content);
	}
	return texts;
}

function outputText(output: unknown): string {
	if (typeof output === 'string') return output;
	// Content given as parts: join their texts (n8n sends a plain string; this keeps other shapes readable).
	const parts = asArray(output).filter(isObject);
	if (parts.length) return parts.map((part) => String(part.text ?? '')).join('');
	return JSON.stringify(output);
}

// --------------------------------------------------------------------- answers in each API's shape

class Refusal extends Error {}

function responsesBody(turn: Turn, model: string, serial: number): Json {
	const output =
		'text' in turn
			? [
					{
						type: 'message',
						id: `msg_${serial}`,
						role: 'assistant',
						status: 'completed',
						content: [{ type: 'output_text', text: turn.text, annotations: [] }],
					},
				]
			: turn.toolCalls.map((call, index) => ({
					type: 'function_call',
					id: `fc_${serial}_${index}`,
					call_id: `call_${serial}_${index}`,
					name: call.name,
					arguments: JSON.stringify(call.arguments),
					status: 'completed',
				}));
	return {
		id: `resp_${serial}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model,
		output,
		output_text: 'text' in turn ? turn.text : '',
		error: null,
		incomplete_details: null,
		parallel_tool_calls: true,
		tool_choice: 'auto',
		tools: [],
		metadata: {},
		usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
	};
}

function chatCompletionBody(turn: Turn, model: string, serial: number): Json {
	const message =
		'text' in turn
			? { role: 'assistant', content: turn.text }
			: {
					role: 'assistant',
					content: null,
					tool_calls: turn.toolCalls.map((call, index) => ({
						id: `call_${serial}_${index}`,
						type: 'function',
						function: { name: call.name, arguments: JSON.stringify(call.arguments) },
					})),
				};
	return {
		id: `chatcmpl-${serial}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, finish_reason: 'text' in turn ? 'stop' : 'tool_calls', logprobs: null }],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

/** The same answer as Chat Completions streams it: the role, the text or each tool call, the finish reason, then usage if asked. */
function chatCompletionChunks(completion: Json, includeUsage: boolean): Json[] {
	const [choice] = completion.choices as Array<{ message: Json; finish_reason: string }>;
	const { id, created, model } = completion;
	const chunk = (delta: Json, finishReason: string | null = null): Json => ({
		id,
		object: 'chat.completion.chunk',
		created,
		model,
		choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
	});
	const toolCalls = asArray(choice.message.tool_calls).filter(isObject);
	return [
		chunk({ role: 'assistant', content: toolCalls.length ? null : '' }),
		...(typeof choice.message.content === 'string' ? [chunk({ content: choice.message.content })] : []),
		...toolCalls.map((call, index) => chunk({ tool_calls: [{ index, ...call }] })),
		chunk({}, choice.finish_reason),
		...(includeUsage ? [{ id, object: 'chat.completion.chunk', created, model, choices: [], usage: completion.usage }] : []),
	];
}

// --------------------------------------------------------------------- the server

class ScriptedModel implements FakeModel {
	baseUrl = '';
	port = 0;
	readonly requests: ModelRequest[] = [];
	private turns: ScriptedTurn[] = [];
	private serial = 0;
	private readonly server = http.createServer((req, res) => {
		this.handle(req, res).catch((error: Error) => {
			if (!res.headersSent) this.send(res, 500, { error: { message: `fake model bug: ${error.message}`, type: 'server_error' } });
		});
	});

	constructor(private readonly accessLog?: (line: string) => void) {}

	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		this.baseUrl = `http://127.0.0.1:${this.port}/v1`;
	}

	get pendingTurns(): number {
		return this.turns.length;
	}

	modelCalls(): ModelRequest[] {
		return this.requests.filter((request) => request.api === 'responses' || request.api === 'chat.completions');
	}

	script(...turns: ScriptedTurn[]): void {
		this.turns = [...turns];
	}

	reset(): void {
		this.turns = [];
		this.requests.length = 0;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname.replace(/\/+$/, '');
		const method = (req.method ?? 'GET').toUpperCase();
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = String(value);
		const body = parseJson(text);
		const api: ModelApi =
			method === 'POST' && path.endsWith('/responses')
				? 'responses'
				: method === 'POST' && path.endsWith('/chat/completions')
					? 'chat.completions'
					: method === 'GET' && path.endsWith('/models')
						? 'models'
						: 'unknown';
		const request: ModelRequest = { api, method, path, headers, body: isObject(body) ? body : undefined };
		this.requests.push(request);

		let status = 200;
		let reply: Json;
		try {
			reply = this.reply(request);
		} catch (error) {
			if (!(error instanceof Refusal)) throw error;
			request.refusal = error.message;
			status = 400;
			reply = { error: { message: `fake model: ${error.message}`, type: 'invalid_request_error', code: null, param: null } };
		}
		request.status = status;
		if (status === 200 && request.api === 'chat.completions' && request.body?.stream === true) {
			const usage = isObject(request.body.stream_options) && request.body.stream_options.include_usage === true;
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of chatCompletionChunks(reply, usage)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		} else {
			this.send(res, status, reply);
		}
		this.accessLog?.(`${method} ${path} ${status}${request.refusal ? ` (${request.refusal})` : ''}`);
	}

	private reply(request: ModelRequest): Json {
		if (request.api === 'models') {
			return { object: 'list', data: [{ id: FAKE_MODEL_ID, object: 'model', created: 1_700_000_000, owned_by: 'tgo-tests' }] };
		}
		if (request.api === 'unknown') throw new Refusal(`${request.method} ${request.path} is not an API the fake serves`);
		if (!request.body) throw new Refusal('the body is not a JSON object');
		if (request.body.stream === true && request.api === 'responses') throw new Refusal('streaming was requested from the Responses API; the fake streams Chat Completions only');
		const next = this.turns.shift();
		if (!next) throw new Refusal(`no scripted turn left for model call ${this.modelCalls().length}`);
		const turn = typeof next === 'function' ? next(request) : next;
		if ('toolCalls' in turn) {
			const offered = offeredTools(request).map((tool) => tool.name);
			const unknown = turn.toolCalls.find((call) => !offered.includes(call.name));
			if (unknown) throw new Refusal(`the script calls tool "${unknown.name}", but the agent offered only: ${offered.join(', ') || 'none'}`);
		}
		const model = typeof request.body.model === 'string' ? request.body.model : FAKE_MODEL_ID;
		this.serial++;
		return request.api === 'responses' ? responsesBody(turn, model, this.serial) : chatCompletionBody(turn, model, this.serial);
	}

	private send(res: http.ServerResponse, status: number, body: Json): void {
		const payload = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
		res.end(payload);
	}
}

/** Starts the fake on 127.0.0.1 with a port the OS picks; stop it with close(). */
export async function startFakeModel(options: StartFakeModelOptions = {}): Promise<FakeModel> {
	const model = new ScriptedModel(options.accessLog);
	await model.listen();
	return model;
}

/** The n8n credential (type `openAiApi`) pointing at a fake model: import it with N8nInstance.importCredentials. */
export function fakeOpenAiCredential(model: FakeModel, id: string, name: string) {
	return { id, name, type: 'openAiApi', data: { apiKey: FAKE_OPENAI_KEY, organizationId: '', url: model.baseUrl, header: false } };
}
