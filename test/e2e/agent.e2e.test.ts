// End to end: the TGO nodes as tools of n8n's AI Agent in the REAL n8n app. The agent's OpenAI
// Chat Model points (through its credential's Base URL) at a scripted fake model on loopback
// (tools/n8n/fake-model.ts), so the test decides which tool the "model" calls with which
// arguments and reads what n8n hands back to the model afterwards; the TGO nodes talk to the
// sandbox.
//
// Run headless with `n8n execute`: a Manual Trigger starts the agent with a fixed prompt. (The
// Chat Trigger would need a running server, a webhook call and a session; the agent, its tools
// and what reaches the model are the same either way, and nothing here streams.)
import fs from 'node:fs';
import path from 'node:path';

import { contacts, recipientIdFor, senders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import {
	answer,
	callTool,
	type FakeModel,
	fakeOpenAiCredential,
	FAKE_MODEL_ID,
	newToolResults,
	offeredTools,
	startFakeModel,
	type ModelRequest,
	type ToolResult,
} from '../../tools/n8n/fake-model';
import { openInEditor, screenshot, type Browser } from '../../tools/n8n/browser';
import { type ExecuteResult, N8nInstance, type N8nRun, PACKAGE_NAME, provision, REPO_ROOT } from '../../tools/n8n/n8n';
import {
	AGENT_EXAMPLE,
	CREDENTIAL_TYPE,
	EXAMPLE_CREDENTIAL_NAME,
	type ExampleWorkflow,
	type Json,
	loadExamples,
	MODEL_CREDENTIAL_NAME,
	toolRunOutputs,
} from '../../tools/n8n/examples';

const TGO_CRED = { id: 'tgoAgentCred0001', name: 'TGO sandbox (agent tools)' };
const MODEL_CRED = { id: 'fakeOpenAiCred01', name: 'Fake OpenAI model (tests)' };

// n8n names a tool after its node: every run of characters other than letters, digits, _ and - becomes _.
const TOOLS = { send: 'Send Message', lookup: 'Lookup Contact', senders: 'Get Sender Numbers' } as const;
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

/** The newest AI Agent and OpenAI Chat Model versions of the n8n under test: what a user adding them today gets. */
function agentNodeVersions(): { agent: number; chatModel: number } {
	const list = path.join(provision().N8N_DIR, 'app/node_modules/@n8n/n8n-nodes-langchain/dist/types/nodes.json');
	const types = JSON.parse(fs.readFileSync(list, 'utf8')) as Array<{ name: string; version: number | number[] }>;
	const newest = (name: string) => Math.max(...types.filter((type) => type.name === name).flatMap((type) => [type.version].flat()));
	return { agent: newest('agent'), chatModel: newest('lmChatOpenAi') };
}

const PROMPT = 'Tell Mona Hassan (+201010000000) and Karim Adel (+201010000002) that their orders are ready for pickup.';

const AGENT_EXAMPLE_WORKFLOW = (() => {
	const found = loadExamples(REPO_ROOT).find((example) => example.workflow.id === AGENT_EXAMPLE.workflowId);
	if (!found) throw new Error(`no example with id ${AGENT_EXAMPLE.workflowId} in examples/`);
	return found.workflow;
})();

const WORKFLOW_ID = 'tgoE2eAgentTools';
const STOP_WORKFLOW_ID = 'tgoE2eAgentToolStop';

/** The agent with the three TGO tools; `sendSettings` are node settings of the Send Message tool (On Error …). */
function agentWorkflow(id: string, sendSettings: Record<string, unknown> = {}): ExampleWorkflow {
	const versions = agentNodeVersions();
	const node = (name: string, type: string, typeVersion: number, position: [number, number], parameters: Record<string, unknown>, credentials?: Record<string, { id: string; name: string }>) => ({
		id: `a9e00000-0000-4000-8000-${String(position[0] + 1000).padStart(6, '0')}${String(position[1] + 1000).padStart(6, '0')}`,
		name,
		type,
		typeVersion,
		position,
		parameters,
		...(credentials ? { credentials } : {}),
	});
	const tgo = (name: string, type: string, x: number, parameters: Record<string, unknown>, settings: Record<string, unknown> = {}) => ({
		...node(name, `${PACKAGE_NAME}.${type}Tool`, 1, [x, 260], parameters, { [CREDENTIAL_TYPE]: TGO_CRED }),
		...settings,
	});
	return {
		id,
		name: `e2e: TGO nodes as AI Agent tools (${id})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('AI Agent', '@n8n/n8n-nodes-langchain.agent', versions.agent, [240, 0], {
				promptType: 'define',
				text: PROMPT,
				options: { systemMessage: 'You send TGO Connect messages for a shop. Check that a customer can receive messages before sending.' },
			}),
			node('OpenAI Chat Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi', versions.chatModel, [0, 260], { model: { __rl: true, mode: 'id', value: FAKE_MODEL_ID }, options: {} }, { openAiApi: MODEL_CRED }),
			tgo(TOOLS.send, 'tgoSendMessage', 200, {
				sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
				toPhone: "={{ $fromAI('To_Phone', 'The customer phone number in international form, e.g. +201010000000', 'string') }}",
				messageType: 'text',
				content: "={{ $fromAI('Text', 'The message to send', 'string') }}",
				options: {},
			}, sendSettings),
			tgo(TOOLS.lookup, 'tgoLookupContact', 400, {
				phone: "={{ $fromAI('Phone', 'The phone number to check, in international form', 'string') }}",
				sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
				options: {},
			}),
			tgo(TOOLS.senders, 'tgoGetSenderNumbers', 600, { returnAll: true, filters: {} }),
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			...Object.fromEntries(Object.values(TOOLS).map((name) => [name, { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] }])),
		},
	};
}

/** Each run of a tool node: what each of its outputs held (see toolRunOutputs) and its error. */
function toolRuns(run: N8nRun | undefined, nodeName: string): Array<{ outputs: Json[][]; error?: { message?: string } }> {
	const runs = (run?.data.resultData.runData[nodeName] ?? []) as unknown as Array<{ data?: { ai_tool?: Array<Array<{ json: Json }> | null> }; error?: { message?: string } }>;
	return runs.map((r) => ({ outputs: toolRunOutputs(r.data?.ai_tool), ...(r.error ? { error: r.error } : {}) }));
}

/** n8n before 1.121 (n8n-core 1.120) answers the model with a tool's thrown error as text, so the agent goes on whatever On Error says. */
const toolErrorGoesToModel = (version: string) => {
	const [major, minor] = version.split('.').map(Number);
	return major === 1 && minor < 121;
};

/** The one tool result a model call brings back that the call before it did not. */
function resultOfLastTool(calls: ModelRequest[], index: number): ToolResult {
	const fresh = newToolResults(calls[index], calls[index - 1]);
	expect(fresh).toHaveLength(1);
	return fresh[0];
}

describe('TGO nodes as AI Agent tools in the real n8n, with a scripted model', () => {
	let sandbox: Sandbox;
	let model: FakeModel;
	let instance: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox();
		model = await startFakeModel();
		instance = await N8nInstance.create();
		await instance.importCredentials([
			{ ...TGO_CRED, type: CREDENTIAL_TYPE, data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full } },
			fakeOpenAiCredential(model, MODEL_CRED.id, MODEL_CRED.name),
			// The credentials example 8 names, for opening it in the editor.
			{ id: 'tgoExampleCred08', name: EXAMPLE_CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full } },
			fakeOpenAiCredential(model, 'fakeModelCred008', MODEL_CREDENTIAL_NAME),
		]);
		await instance.importWorkflows([agentWorkflow(WORKFLOW_ID), agentWorkflow(STOP_WORKFLOW_ID, { onError: 'stopWorkflow' }), AGENT_EXAMPLE_WORKFLOW]);
	});

	afterAll(async () => {
		await instance?.dispose();
		await model?.close();
		await sandbox?.close();
	});

	beforeEach(() => {
		sandbox.reset();
		model.reset();
	});

	async function execute(id = WORKFLOW_ID): Promise<ExecuteResult & { run: N8nRun }> {
		const result = await instance.execute(id);
		if (!result.run) throw new Error(`n8n execute printed no run (exit ${String(result.code)})\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-3000)}`);
		// The API key never reaches the model, n8n's output or the run data.
		for (const key of Object.values(sandbox.keys)) {
			expect(result.stdout + result.stderr).not.toContain(key);
			expect(JSON.stringify(model.requests)).not.toContain(key);
		}
		// Every model call was answered from the script, and the script was used up.
		expect(model.requests.filter((request) => request.refusal).map((request) => request.refusal)).toEqual([]);
		expect(model.pendingTurns).toBe(0);
		return result as ExecuteResult & { run: N8nRun };
	}

	it('the model sees each tool call: the contact found, the message TGO logged, then RECIPIENT_UNREACHABLE with what to do', async () => {
		const monaText = 'Hello Mona, your order A-10234 is ready for pickup at our Nasr City branch.';
		const karimText = 'Hello Karim, your order A-10235 is ready for pickup at our Maadi branch.';
		const finalText = 'Mona has been told. Karim cannot receive TGO Connect messages: please call him.';
		model.script(
			callTool(toolName(TOOLS.lookup), { Phone: contacts.reachable.phone }),
			callTool(toolName(TOOLS.send), { To_Phone: contacts.reachable.phone, Text: monaText }),
			callTool(toolName(TOOLS.send), { To_Phone: contacts.cannotReceive.phone, Text: karimText }),
			answer(finalText),
		);
		const r = await execute();
		expect(r.code).toBe(0);

		// n8n calls the Responses API (or Chat Completions on chat model versions before 1.3), once per step.
		const calls = model.modelCalls();
		expect(calls).toHaveLength(4);
		expect(calls.map((call) => call.api)).toEqual(calls.map(() => (agentNodeVersions().chatModel >= 1.3 ? 'responses' : 'chat.completions')));
		// AI Agent 1.x (the newest in n8n 1.85) streams every model call; 2 and later ask for whole answers.
		expect(calls.map((call) => [call.body?.model, call.body?.stream === true])).toEqual(calls.map(() => [FAKE_MODEL_ID, agentNodeVersions().agent < 2]));
		expect(calls[0].headers.authorization).toBe(`Bearer ${fakeOpenAiCredential(model, '', '').data.apiKey}`);

		// The agent offers the three TGO tools, with the $fromAI parameters as their arguments.
		const tools = offeredTools(calls[0]);
		expect(tools.map((tool) => tool.name).sort()).toEqual(Object.values(TOOLS).map(toolName).sort());
		const byName = (name: string) => tools.find((tool) => tool.name === toolName(name))!;
		expect(Object.keys(byName(TOOLS.send).parameters?.properties ?? {}).sort()).toEqual(['Text', 'To_Phone']);
		expect(byName(TOOLS.send).parameters?.properties?.To_Phone?.description).toMatch(/international form/);
		expect(Object.keys(byName(TOOLS.lookup).parameters?.properties ?? {})).toEqual(['Phone']);
		expect(byName(TOOLS.send).description).toEqual(expect.any(String));

		// The sandbox got exactly what the model asked for: one lookup, two sends, Mona's delivered.
		expect(sandbox.requestsTo('GET', '/contacts/lookup').map((q) => [q.query.phone, q.query.sender_number_id])).toEqual([
			[contacts.reachable.phone, String(senders.active.id)],
		]);
		const posts = sandbox.requestsTo('POST', '/messages');
		expect(posts.map((q) => q.json)).toEqual([
			{ sender_number_id: senders.active.id, to_phone: contacts.reachable.phone, type: 'text', content: monaText },
			{ sender_number_id: senders.active.id, to_phone: contacts.cannotReceive.phone, type: 'text', content: karimText },
		]);
		expect(posts.map((q) => q.status)).toEqual([201, 422]);
		expect(sandbox.sent.map((sent) => sent.toPhone)).toEqual([contacts.reachable.phone]);
		const logged = sandbox.sent[0].logEntry;

		// What n8n handed the model after each tool call: a JSON list of the tool node's first output.
		expect(resultOfLastTool(calls, 1).parsed).toEqual([expect.objectContaining({ can_receive: true, recipient_id: recipientIdFor(contacts.reachable.phone) })]);
		expect(resultOfLastTool(calls, 2).parsed).toEqual([
			expect.objectContaining({ message_id: logged.message_id, recipient_user_id: logged.recipient_user_id, status: 'sent', message_type: 'text' }),
		]);
		const unreachable = resultOfLastTool(calls, 3);
		expect(unreachable.parsed).toEqual([
			{
				error: expect.objectContaining({
					code: 'RECIPIENT_UNREACHABLE',
					message: expect.any(String),
					resolution: expect.stringMatching(/Nothing was sent/),
				}),
			},
		]);
		// Compact: no copy of the tool's input or of n8n's own fields.
		expect(Object.keys((unreachable.parsed as Json[])[0])).toEqual(['error']);

		// Each tool call is one run of its node; every call came out exactly once, on the first output.
		const sendRuns = toolRuns(r.run, TOOLS.send);
		expect(sendRuns.map((run) => run.outputs.flat().length)).toEqual([1, 1]);
		expect(sendRuns[0].outputs[0]).toEqual([expect.objectContaining({ message_id: logged.message_id, status: 'sent' })]);
		expect(sendRuns[1].outputs[0]).toEqual([{ error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE' }) }]);
		expect(toolRuns(r.run, TOOLS.lookup).map((run) => run.outputs[0])).toEqual([[expect.objectContaining({ can_receive: true })]]);

		// The agent finished with the model's final answer.
		const agentRuns = r.run.data.resultData.runData['AI Agent'];
		expect(agentRuns.at(-1)?.data?.main[0]?.map((item) => item.json)).toEqual([{ output: finalText }]);
	});

	it('Get Sender Numbers as a tool; an unexpected failure (HTTP 500) reaches the model as API_ERROR, and the agent goes on', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 500 });
		const finalText = 'The message could not be sent because TGO had a server error; please try again later.';
		model.script(
			callTool(toolName(TOOLS.senders), {}),
			callTool(toolName(TOOLS.send), { To_Phone: contacts.reachable.phone, Text: 'Your order is ready.' }),
			answer(finalText),
		);
		const r = await execute();
		expect(r.code).toBe(0);
		const calls = model.modelCalls();
		expect(calls).toHaveLength(3);

		// Every sender number, each with whether it can send.
		const senderList = resultOfLastTool(calls, 1).parsed as Json[];
		expect(senderList.map((s) => [s.id, s.phone, s.ready_to_send])).toEqual([
			[senders.active.id, senders.active.phone, true],
			[senders.activeSecond.id, senders.activeSecond.phone, true],
			[senders.pendingVerification.id, senders.pendingVerification.phone, false],
			[senders.pendingAccountVerification.id, senders.pendingAccountVerification.phone, false],
			[senders.activeButAccountUnverified.id, senders.activeButAccountUnverified.phone, false],
			[senders.rejected.id, senders.rejected.phone, false],
			[senders.suspended.id, senders.suspended.phone, false],
		]);

		// The send met a 500: not retried (a POST may have gone through); the tool answered the
		// model with the failure instead of throwing, so the agent could tell the user.
		expect(sandbox.requestsTo('POST', '/messages').map((q) => q.status)).toEqual([500]);
		expect(resultOfLastTool(calls, 2).parsed).toEqual([
			{
				error: {
					code: 'API_ERROR',
					message: expect.stringMatching(/HTTP 500/),
					// A send that TGO failed on may have gone out: the model is told to check before resending.
					resolution: expect.stringMatching(/look for the message in TGO Get Message Logs/),
					details: { attempts: 1 },
				},
			},
		]);
		const [sendRun] = toolRuns(r.run, TOOLS.send);
		expect(sendRun.error).toBeUndefined();
		expect(sendRun.outputs.flat()).toEqual([{ error: expect.objectContaining({ code: 'API_ERROR' }) }]);

		const agentRuns = r.run.data.resultData.runData['AI Agent'];
		expect(agentRuns.at(-1)?.data?.main[0]?.map((item) => item.json)).toEqual([{ output: finalText }]);
		expect(r.run.data.resultData.error).toBeUndefined();
	});

	it('with the tool\'s On Error set to "Stop Workflow", the same 500 is thrown: the agent stops (before n8n 1.121, n8n tells the model)', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 500 });
		const toModel = toolErrorGoesToModel(instance.provisioned.N8N_VERSION_EXACT);
		const finalText = 'TGO had a server error.';
		model.script(callTool(toolName(TOOLS.send), { To_Phone: contacts.reachable.phone, Text: 'Your order is ready.' }), ...(toModel ? [answer(finalText)] : []));
		const r = await execute(STOP_WORKFLOW_ID);
		expect(sandbox.requestsTo('POST', '/messages').map((q) => q.status)).toEqual([500]);

		// The node threw instead of answering with an item: n8n records the error on the tool's run
		// (2.x on the run it prepared for the call, 1.x on a run after it).
		const failed = toolRuns(r.run, TOOLS.send).filter((run) => run.error);
		expect(failed.map((run) => run.error?.message)).toEqual([expect.stringMatching(/HTTP 500/)]);
		const calls = model.modelCalls();
		if (toModel) {
			// n8n-core's tool wrapper answers the model in its own words (on 1.85 without the error's
			// text: it reads a description our NodeApiError does not carry), and the agent goes on.
			expect(calls).toHaveLength(2);
			expect(resultOfLastTool(calls, 1).output).toMatch(/^Error during node execution: /);
			expect(r.code).toBe(0);
			expect(r.run.data.resultData.error).toBeUndefined();
		} else {
			// The execution stops with it: the model is not called again.
			expect(calls).toHaveLength(1);
			expect(r.code).not.toBe(0);
			expect(r.run.data.resultData.error?.message).toBe(failed[0].error?.message);
		}
	});

	describe('example 8 in the editor', () => {
		let browser: Browser;

		afterAll(async () => {
			await browser?.close();
		});

		it('opens cleanly: every node on the canvas, model and TGO tools wired to the agent, no node with issues', async () => {
			browser = await openInEditor(instance, AGENT_EXAMPLE.workflowId);
			const { page } = browser;

			const nodes = AGENT_EXAMPLE_WORKFLOW.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
			const onCanvas = page.getByTestId('canvas-node');
			await onCanvas.nth(nodes.length - 1).waitFor();
			const edges = page.getByTestId('edge');
			const expectedEdges = Object.entries(AGENT_EXAMPLE_WORKFLOW.connections).flatMap(([source, byType]) =>
				Object.values(byType)
					.flat(2)
					.map((target) => `${source} → ${target.node}`),
			);
			await edges.nth(expectedEdges.length - 1).waitFor();
			// Icons load after the nodes render: wait until every image has settled.
			await onCanvas.evaluateAll(async (els) => {
				const imgs = els.flatMap((el) => Array.from(el.querySelectorAll('img')));
				await Promise.all(imgs.map((img) => (img.complete ? undefined : img.decode().catch(() => undefined))));
			});

			const shown = await onCanvas.evaluateAll((els) =>
				els.map((el) => ({
					name: el.getAttribute('data-node-name'),
					type: el.getAttribute('data-node-type'),
					issues: el.querySelectorAll('[data-test-id="node-issues"]').length,
				})),
			);
			const byName = (a: { name: string | null }, b: { name: string | null }) => String(a.name).localeCompare(String(b.name));
			expect(shown.sort(byName)).toEqual(nodes.map(({ name, type }) => ({ name, type, issues: 0 })).sort(byName));
			const wired = await edges.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-source-node-name')} → ${el.getAttribute('data-target-node-name')}`));
			expect(wired.sort()).toEqual(expectedEdges.sort());
			// The TGO tools show the package's own icons.
			const tgoIcons = await page.locator(`[data-test-id="canvas-node"][data-node-type^="${PACKAGE_NAME}."] img`).evaluateAll((imgs) =>
				imgs.map((img) => ({ src: new URL((img as HTMLImageElement).src).pathname, loaded: (img as HTMLImageElement).naturalWidth > 0 })),
			);
			expect(tgoIcons).toEqual([
				{ src: expect.stringContaining(`/icons/${PACKAGE_NAME}/`), loaded: true },
				{ src: expect.stringContaining(`/icons/${PACKAGE_NAME}/`), loaded: true },
			]);
			await screenshot(page, 'e2e-example-08-ai-agent');
		});
	});
});
