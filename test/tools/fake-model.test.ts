// The fake OpenAI model the AI Agent e2e tests and the demo use (tools/n8n/fake-model.ts):
// each API answers in the shape @langchain/openai reads, the script is followed in order, and
// what it cannot answer is refused with a 400 that names the reason.
import {
	answer,
	callTool,
	conversationTexts,
	FAKE_MODEL_ID,
	type FakeModel,
	newToolResults,
	offeredTools,
	startFakeModel,
	toolResults,
} from '../../tools/n8n/fake-model';

let model: FakeModel;

beforeAll(async () => {
	model = await startFakeModel();
});
afterEach(() => model.reset());
afterAll(async () => model.close());

const sendTool = {
	type: 'function',
	name: 'Send_Message',
	description: 'Sends a TGO Connect message',
	parameters: { type: 'object', properties: { To_Phone: { type: 'string' }, Text: { type: 'string' } }, required: ['To_Phone', 'Text'] },
};

// Answers are asserted field by field against the OpenAI shapes; typing each one would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
	const response = await fetch(`${model.baseUrl}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

test('Responses API: a tool call, then a text that quotes the tool result it was sent', async () => {
	model.script(callTool('Send_Message', { To_Phone: '+201010000000', Text: 'Hi' }), (request) =>
		answer(`Done: ${toolResults(request)[0].output}`),
	);
	const first = await post('/responses', { model: FAKE_MODEL_ID, input: [{ role: 'user', content: 'Say hi to Mona' }], tools: [sendTool] });
	expect(first.status).toBe(200);
	expect(first.body.output).toEqual([
		expect.objectContaining({ type: 'function_call', name: 'Send_Message', arguments: '{"To_Phone":"+201010000000","Text":"Hi"}', call_id: expect.any(String) }),
	]);
	const callId = first.body.output[0].call_id as string;

	const second = await post('/responses', {
		model: FAKE_MODEL_ID,
		input: [
			{ role: 'user', content: 'Say hi to Mona' },
			{ type: 'function_call', call_id: callId, name: 'Send_Message', arguments: first.body.output[0].arguments },
			{ type: 'function_call_output', call_id: callId, output: '[{"status":"sent"}]' },
		],
		tools: [sendTool],
	});
	expect(second.body.output).toEqual([
		expect.objectContaining({ type: 'message', role: 'assistant', content: [expect.objectContaining({ type: 'output_text', text: 'Done: [{"status":"sent"}]' })] }),
	]);
	expect(second.body.output_text).toBe('Done: [{"status":"sent"}]');

	const [call1, call2] = model.modelCalls();
	expect(call1.api).toBe('responses');
	expect(offeredTools(call1)).toEqual([expect.objectContaining({ name: 'Send_Message', parameters: expect.objectContaining({ required: ['To_Phone', 'Text'] }) })]);
	expect(conversationTexts(call1)).toEqual(['Say hi to Mona']);
	expect(newToolResults(call2, call1)).toEqual([{ callId, output: '[{"status":"sent"}]', parsed: [{ status: 'sent' }] }]);
	expect(newToolResults(call2, call2)).toEqual([]);
	expect(model.pendingTurns).toBe(0);
});

test('Chat Completions: tool_calls, then the tool message is read back', async () => {
	model.script(callTool('Send_Message', { To_Phone: '+201010000002', Text: 'Hi' }), answer('It could not be sent.'));
	const chatTool = { type: 'function', function: { name: sendTool.name, description: sendTool.description, parameters: sendTool.parameters } };
	const first = await post('/chat/completions', { model: FAKE_MODEL_ID, messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Hi Karim' }], tools: [chatTool] });
	expect(first.body.choices[0]).toEqual(
		expect.objectContaining({
			finish_reason: 'tool_calls',
			message: expect.objectContaining({ tool_calls: [expect.objectContaining({ type: 'function', function: { name: 'Send_Message', arguments: '{"To_Phone":"+201010000002","Text":"Hi"}' } })] }),
		}),
	);
	const callId = first.body.choices[0].message.tool_calls[0].id as string;
	const second = await post('/chat/completions', {
		model: FAKE_MODEL_ID,
		messages: [{ role: 'user', content: 'Hi Karim' }, first.body.choices[0].message, { role: 'tool', tool_call_id: callId, content: '[{"error":{"code":"RECIPIENT_UNREACHABLE"}}]' }],
		tools: [chatTool],
	});
	expect(second.body.choices[0]).toEqual(expect.objectContaining({ finish_reason: 'stop', message: { role: 'assistant', content: 'It could not be sent.' } }));
	const [call1, call2] = model.modelCalls();
	expect(call1.api).toBe('chat.completions');
	expect(offeredTools(call1).map((tool) => tool.name)).toEqual(['Send_Message']);
	expect(conversationTexts(call1)).toEqual(['Be brief', 'Hi Karim']);
	expect(toolResults(call2)).toEqual([{ callId, output: '[{"error":{"code":"RECIPIENT_UNREACHABLE"}}]', parsed: [{ error: { code: 'RECIPIENT_UNREACHABLE' } }] }]);
});

test('Chat Completions streamed (stream: true): server-sent chunks that add up to the same tool call, then the same text', async () => {
	model.script(callTool('Send_Message', { To_Phone: '+201010000000', Text: 'Hi' }), answer('Sent.'));
	const chatTool = { type: 'function', function: { name: sendTool.name, parameters: sendTool.parameters } };
	const streamed = async (body: Json) => {
		const response = await fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const events = (await response.text()).split('\n\n').filter(Boolean);
		expect(events.every((event) => event.startsWith('data: '))).toBe(true);
		expect(events.at(-1)).toBe('data: [DONE]');
		return { type: response.headers.get('content-type'), chunks: events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)) as Json) };
	};
	const request = { model: FAKE_MODEL_ID, messages: [{ role: 'user', content: 'Hi Mona' }], tools: [chatTool], stream: true };

	const first = await streamed({ ...request, stream_options: { include_usage: true } });
	expect(first.type).toBe('text/event-stream');
	expect(first.chunks.every((chunk: Json) => chunk.object === 'chat.completion.chunk')).toBe(true);
	const deltas = first.chunks.flatMap((chunk: Json) => chunk.choices.map((choice: Json) => choice.delta));
	expect(deltas.flatMap((delta: Json) => delta.tool_calls ?? [])).toEqual([
		{ index: 0, id: expect.any(String), type: 'function', function: { name: 'Send_Message', arguments: '{"To_Phone":"+201010000000","Text":"Hi"}' } },
	]);
	expect(first.chunks.flatMap((chunk: Json) => chunk.choices.map((choice: Json) => choice.finish_reason)).filter(Boolean)).toEqual(['tool_calls']);
	expect(first.chunks.at(-1)).toEqual(expect.objectContaining({ choices: [], usage: expect.objectContaining({ total_tokens: expect.any(Number) }) }));

	const second = await streamed(request);
	const text = second.chunks.flatMap((chunk: Json) => chunk.choices.map((choice: Json) => choice.delta.content ?? '')).join('');
	expect(text).toBe('Sent.');
	expect(second.chunks.at(-1).choices[0].finish_reason).toBe('stop');
	expect(model.modelCalls().map((call) => [call.api, call.status, call.refusal])).toEqual([
		['chat.completions', 200, undefined],
		['chat.completions', 200, undefined],
	]);
	expect(model.pendingTurns).toBe(0);
});

test('the model list answers GET /models', async () => {
	const response = await fetch(`${model.baseUrl}/models`);
	expect(await response.json()).toEqual({ object: 'list', data: [expect.objectContaining({ id: FAKE_MODEL_ID })] });
	expect(model.requests.map((request) => request.api)).toEqual(['models']);
	expect(model.modelCalls()).toEqual([]);
});

test('refuses with a 400 naming the reason: no turn left, a tool not offered, a streamed Responses call, an unknown path', async () => {
	const noTurn = await post('/responses', { model: FAKE_MODEL_ID, input: [] });
	model.script(callTool('Lookup_Contact', { Phone: '+201010000000' }));
	const notOffered = await post('/responses', { model: FAKE_MODEL_ID, input: [], tools: [sendTool] });
	model.script(answer('streamed?'));
	const streamed = await post('/responses', { model: FAKE_MODEL_ID, input: [], stream: true });
	const unknown = await post('/embeddings', { input: 'x' });
	expect([noTurn, notOffered, streamed, unknown].map((reply) => [reply.status, reply.body.error.message])).toEqual([
		[400, expect.stringMatching(/no scripted turn left/)],
		[400, expect.stringMatching(/"Lookup_Contact", but the agent offered only: Send_Message/)],
		[400, expect.stringMatching(/streaming/)],
		[400, expect.stringMatching(/POST \/v1\/embeddings is not an API/)],
	]);
	expect(model.requests.map((request) => request.refusal)).toEqual([
		expect.any(String),
		expect.any(String),
		expect.any(String),
		expect.any(String),
	]);
	// Streaming is refused before a turn is taken: the script's text is still there.
	expect(model.pendingTurns).toBe(1);
});
