// End to end: TGO Send Message under n8n's own node settings, in the REAL n8n app against the
// TGO sandbox and its fault injection.
// - "On Error" → "Continue (using error output)": n8n appends an output; every failure (documented
//   or not, whatever fields its input item had) lands there, once, with the input's fields.
// - "Retry On Fail": when a try stops on an unexpected failure, n8n runs the node again; messages
//   TGO already accepted are not sent twice, and when the node finally stops it says how many
//   items before it went out.
// Then the editor in a browser shows the node with "Continue (using error output)": a screenshot.
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { contacts, recipientIdFor, senders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Fault, type Sandbox } from '../../tools/sandbox/server';
import { openInEditor, RESULTS_DIR, screenshot, type Browser } from '../../tools/n8n/browser';
import { type ExecuteResult, N8nInstance, type N8nRun, PACKAGE_NAME } from '../../tools/n8n/n8n';
import { CREDENTIAL_TYPE, type ExampleWorkflow, type Json } from '../../tools/n8n/examples';

const CRED = { id: 'tgoSettingsCred1', name: 'TGO sandbox (node settings)' };
const SEND = 'Send to customers';
const PASS: Fault = { kind: 'pass' };
const SERVER_ERROR: Fault = { kind: 'status', status: 500 };
/** A refusal TGO cannot have acted on; the node repeats it at once (Retry-After: 0), 4 attempts in all. */
const REFUSED: Fault = { kind: 'status', status: 503, retryAfter: 0 };

interface RawItem {
	json: Json;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

/** Every output of a node's run (however many it has), with the raw items: json and pairedItem. */
function outputsOf(run: N8nRun | undefined, nodeName: string, runIndex = 0): RawItem[][] {
	const main = (run?.data.resultData.runData[nodeName]?.[runIndex]?.data?.main ?? []) as Array<RawItem[] | null>;
	return main.map((items) => items ?? []);
}
const pairedOf = (items: RawItem[]) => items.map((item) => item.pairedItem);

/** Manual Trigger → the input items (a Code node) → TGO Send Message with the given node settings → one No Op per output. */
function sendWorkflow(id: string, name: string, inputs: Json[], settings: Record<string, unknown>, outputNames: string[]): ExampleWorkflow {
	const node = (nodeName: string, type: string, position: [number, number], parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		id: randomUUID(),
		name: nodeName,
		type,
		typeVersion: type === 'n8n-nodes-base.code' ? 2 : 1,
		position,
		parameters,
		...extra,
	});
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', [0, 200], {}),
			node('Customers', 'n8n-nodes-base.code', [220, 200], { jsCode: `return ${JSON.stringify(inputs.map((json) => ({ json })))};` }),
			node(
				SEND,
				`${PACKAGE_NAME}.tgoSendMessage`,
				[460, 200],
				{
					sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
					// An input item without a phone (`{}`) is sent to Karim, who cannot receive.
					toPhone: `={{ $json.phone || '${contacts.cannotReceive.phone}' }}`,
					messageType: 'text',
					content: "=Hello {{ $json.name || 'there' }}, your order is ready.",
					options: {},
				},
				{ credentials: { [CREDENTIAL_TYPE]: CRED }, ...settings },
			),
			...outputNames.map((outputName, index) => node(outputName, 'n8n-nodes-base.noOp', [760, index * 200], {})),
		],
		connections: {
			Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: SEND, type: 'main', index: 0 }]] },
			[SEND]: { main: outputNames.map((outputName) => [{ node: outputName, type: 'main', index: 0 }]) },
		},
	};
}

// "Continue (using error output)": one item per kind of outcome, two of them failing alike with
// different input fields, and one unexpected failure (the 4th POST answers 500).
const ERROR_OUTPUT_INPUTS: Json[] = [
	{ name: 'Mona', phone: contacts.reachable.phone },
	{ name: 'Karim', phone: contacts.cannotReceive.phone },
	{},
	{ name: 'Salma', phone: '01010000016' }, // national form, no default country code: INVALID_INPUT, nothing sent
	{ name: 'Omar', phone: '+201010000020' },
];
const ERROR_OUTPUT_WORKFLOW = sendWorkflow('tgoE2eErrorOutput', 'e2e: Send Message with Continue (using error output)', ERROR_OUTPUT_INPUTS, { onError: 'continueErrorOutput' }, [
	'Sent',
	'TGO Error output',
	'On Error output',
]);

// "Retry On Fail" (2 tries, no wait): four customers who can all receive.
const RETRY_PHONES = ['+201010000030', '+201010000031', '+201010000032', '+201010000033'];
const RETRY_WORKFLOW = sendWorkflow(
	'tgoE2eRetryOnFail',
	'e2e: Send Message with Retry On Fail',
	RETRY_PHONES.map((phone, index) => ({ name: `Customer ${index + 1}`, phone })),
	{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
	['Sent', 'Not sent'],
);

describe('TGO Send Message under n8n node settings, in the real n8n', () => {
	let sandbox: Sandbox;
	let instance: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox();
		instance = await N8nInstance.create();
		await instance.importCredentials([{ ...CRED, type: CREDENTIAL_TYPE, data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full } }]);
		await instance.importWorkflows([ERROR_OUTPUT_WORKFLOW, RETRY_WORKFLOW]);
	});

	afterAll(async () => {
		await instance?.dispose();
		await sandbox?.close();
	});

	beforeEach(() => sandbox.reset());

	async function execute(id: string): Promise<ExecuteResult & { run: N8nRun }> {
		const result = await instance.execute(id);
		if (!result.run) throw new Error(`n8n execute --id=${id} printed no run (exit ${String(result.code)})\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-3000)}`);
		for (const key of Object.values(sandbox.keys)) expect(result.stdout + result.stderr).not.toContain(key);
		return result as ExecuteResult & { run: N8nRun };
	}
	const postedPhones = () => sandbox.requestsTo('POST', '/messages').map((q) => (q.json as Json).to_phone);
	const count = (values: unknown[], value: unknown) => values.filter((v) => v === value).length;

	it('"Continue (using error output)": every failure on the appended output, once, with its input fields; our Error output empty', async () => {
		sandbox.inject('POST /messages', PASS, PASS, PASS, SERVER_ERROR); // the 4th send (Omar's) meets a 500
		const r = await execute(ERROR_OUTPUT_WORKFLOW.id);
		expect(r.code).toBe(0);

		const [success, tgoError, onErrorOutput, ...more] = outputsOf(r.run, SEND);
		expect(more).toEqual([]);
		expect(success.map((item) => item.json)).toEqual([expect.objectContaining({ status: 'sent', recipient_user_id: recipientIdFor(contacts.reachable.phone) })]);
		expect(pairedOf(success)).toEqual([{ item: 0 }]);
		expect(tgoError).toEqual([]);
		// The two RECIPIENT_UNREACHABLE alike, whether the input had fields or was `{}`; fields kept.
		expect(onErrorOutput.map((item) => item.json)).toEqual([
			{ name: 'Karim', phone: contacts.cannotReceive.phone, error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE', resolution: expect.stringMatching(/Nothing was sent/) }) },
			{ error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE', resolution: expect.stringMatching(/Nothing was sent/) }) },
			{ name: 'Salma', phone: '01010000016', error: expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('01010000016') }) },
			{ name: 'Omar', phone: '+201010000020', error: expect.objectContaining({ message: expect.stringMatching(/500|Server Error/) }) },
		]);
		expect(pairedOf(onErrorOutput)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }, { item: 4 }]);

		// What the next nodes got: the same, each item once.
		const received = (nodeName: string) => (r.run.data.resultData.runData[nodeName] ?? []).flatMap((run) => run.data?.main[0] ?? []).length;
		expect([received('Sent'), received('TGO Error output'), received('On Error output')]).toEqual([1, 0, 4]);

		// The sandbox: one POST per item that could be sent (not Salma's), none repeated.
		expect(postedPhones()).toEqual([contacts.reachable.phone, contacts.cannotReceive.phone, contacts.cannotReceive.phone, '+201010000020']);
		expect(sandbox.sent.map((sent) => sent.toPhone)).toEqual([contacts.reachable.phone]);
	});

	it('"Retry On Fail": TGO refuses the 3rd of 4 sends (503) until the node stops; n8n retries, customers 1 and 2 are not sent to again', async () => {
		sandbox.inject('POST /messages', PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED);
		const r = await execute(RETRY_WORKFLOW.id);
		expect(r.code).toBe(0);

		// Every customer got exactly one message; only refused POSTs were repeated.
		const phones = postedPhones();
		expect(RETRY_PHONES.map((phone) => count(phones, phone))).toEqual([1, 1, 5, 1]); // the 3rd: 4 refusals, then the retry
		expect(sandbox.sent.map((sent) => sent.toPhone).sort()).toEqual([...RETRY_PHONES].sort());
		expect(sandbox.requestsTo('POST', '/messages').map((q) => q.status)).toEqual([201, 201, 503, 503, 503, 503, 201, 201]);

		// Success in input order, with pairedItem; 1 and 2 carry what TGO answered the first time.
		const [success, notSent] = outputsOf(r.run, SEND);
		expect(notSent).toEqual([]);
		expect(pairedOf(success)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		const byPhone = new Map(sandbox.sent.map((sent) => [sent.toPhone, sent.logEntry]));
		expect(success.map((item) => item.json.message_id)).toEqual(RETRY_PHONES.map((phone) => byPhone.get(phone)?.message_id));
		expect(success.every((item) => item.json.status === 'sent')).toBe(true);
		expect(r.run.data.resultData.error).toBeUndefined();
	});

	it('"Retry On Fail" and a 500 on the 3rd send (TGO may have sent it): nothing is POSTed twice; the node stops once, saying that 2 items were already sent', async () => {
		sandbox.inject('POST /messages', PASS, PASS, SERVER_ERROR);
		const r = await execute(RETRY_WORKFLOW.id);
		expect(r.code).not.toBe(0);

		const phones = postedPhones();
		expect(RETRY_PHONES.map((phone) => count(phones, phone))).toEqual([1, 1, 1, 0]);
		expect(sandbox.sent.map((sent) => sent.toPhone)).toEqual(RETRY_PHONES.slice(0, 2));

		const sendRuns = r.run.data.resultData.runData[SEND];
		expect(sendRuns).toHaveLength(1);
		// The error n8n shows: what failed (message), and below it what may have happened, what to
		// check and how many items had gone out (description).
		const error = sendRuns[0].error as { message?: string; description?: string } | undefined;
		expect(error?.message).toMatch(/HTTP 500/);
		expect(error?.description).toMatch(/the message may have been sent/);
		expect(error?.description).toMatch(/2 of the 4 input items had already been sent before this failure \(item index 0, 1\)/);
		expect(r.run.data.resultData.error).toEqual(expect.objectContaining({ message: error?.message, description: error?.description }));
		expect(outputsOf(r.run, 'Sent')).toEqual([]);
	});

	describe('in the editor', () => {
		let browser: Browser;

		afterAll(async () => {
			await browser?.close();
		});

		it('shows a TGO node with "Continue (using error output)" and its three outputs', async () => {
			browser = await openInEditor(instance, ERROR_OUTPUT_WORKFLOW.id);
			const { page } = browser;
			const handles = page.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${SEND}"]`);
			await handles.nth(2).waitFor();
			const labels = await handles.evaluateAll((els) =>
				els
					.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
					.map((el) => (el as HTMLElement).innerText.trim()),
			);
			await screenshot(page, 'e2e-continue-using-error-output');
			// A close-up of the node and its output labels, at twice the size.
			await page.getByTestId('zoom-in-button').click();
			await page.getByTestId('zoom-in-button').click();
			const box = await page.locator(`[data-test-id="canvas-node"][data-node-name="${SEND}"]`).boundingBox();
			if (!box) throw new Error(`the node "${SEND}" is not on the canvas`);
			await page.screenshot({
				path: path.join(RESULTS_DIR, 'e2e-continue-using-error-output-node.png'),
				clip: { x: Math.max(0, box.x - 60), y: Math.max(0, box.y - 40), width: box.width + 260, height: box.height + 110 },
			});
			// n8n keeps the node's own two outputs and appends its error output.
			expect(labels).toHaveLength(3);
			expect(labels[0]).toBe('Success');
			expect(labels[2]).toBe('Error');
		});
	});
});
