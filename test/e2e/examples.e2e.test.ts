// End to end: EVERY workflow in examples/ imported as shipped into the REAL n8n app (this package
// installed as a community node), the credential linked by its name, each run headless with
// `n8n execute --id … --rawOutput` against the TGO sandbox on loopback. Asserts each TGO node's
// Success and Error contents and what the sandbox received; one throw-away workflow takes every
// documented failure to the Error output, and a sandbox 500 stops a workflow with a non-zero exit.
import fs from 'node:fs';
import path from 'node:path';

import {
	AGENT_EXAMPLE,
	CREDENTIAL_TYPE,
	EXAMPLE_CREDENTIAL_NAME,
	type Example,
	exampleModelScript,
	type ExampleWorkflow,
	type Json,
	loadExamples,
	MODEL_CREDENTIAL_NAME,
	outputItems,
	allRunsItems,
	type TgoError,
} from '../../tools/n8n/examples';
import { apiKeys, contacts, expiryAfter, recipientIdFor, seededMessageLog, senders } from '../../tools/sandbox/fixtures';
import { messages, startSandbox, type RecordedRequest, type Sandbox } from '../../tools/sandbox/server';
import { type FakeModel, fakeOpenAiCredential, newToolResults, offeredTools, startFakeModel } from '../../tools/n8n/fake-model';
import { type ExecuteResult, N8nInstance, PACKAGE_NAME, type Provisioned, provision, REPO_ROOT, TGO_NODES } from '../../tools/n8n/n8n';

const examples = loadExamples(REPO_ROOT);
const byId = (id: string): ExampleWorkflow => {
	const found = examples.find((example) => example.workflow.id === id);
	if (!found) throw new Error(`no example with id ${id} in examples/`);
	return found.workflow;
};

// Each node, and its AI Agent tool form (n8n generates `<name>Tool` for a node that is usableAsTool).
const CONTRACT_NODE_TYPES = TGO_NODES.flatMap(({ name }) => [`${PACKAGE_NAME}.${name}`, `${PACKAGE_NAME}.${name}Tool`]);

const errorOf = (item: Json): TgoError => item.error as TgoError;
const codes = (items: Json[]): string[] => items.map((item) => errorOf(item).code);

/** n8n's own node packages the examples may use, with where each keeps its list of node types. */
const N8N_NODE_PACKAGES = {
	'n8n-nodes-base': 'n8n-nodes-base/dist/types/nodes.json',
	'@n8n/n8n-nodes-langchain': '@n8n/n8n-nodes-langchain/dist/types/nodes.json',
};

/** The node types (`package.name`) of n8n's own packages in each n8n install provisioned on this machine (the one in use first). */
function n8nNodeLists(provisioned: Provisioned): Array<{ install: string; types: Array<{ type: string; version: number | number[] }> }> {
	const cacheRoot = path.dirname(provisioned.N8N_DIR);
	const installs = [provisioned.N8N_DIR, ...fs.readdirSync(cacheRoot).map((name) => path.join(cacheRoot, name))]
		.filter((dir, index, all) => all.indexOf(dir) === index)
		.filter((dir) => fs.existsSync(path.join(dir, '.provisioned')))
		// Only n8n installs (the cache may hold other provisioned tools).
		.filter((dir) => fs.existsSync(path.join(dir, 'app/node_modules', N8N_NODE_PACKAGES['n8n-nodes-base'])));
	return installs.map((dir) => ({
		install: path.basename(dir),
		types: Object.entries(N8N_NODE_PACKAGES).flatMap(([pkg, list]) =>
			(JSON.parse(fs.readFileSync(path.join(dir, 'app/node_modules', list), 'utf8')) as Array<{ name: string; version: number | number[] }>).map(
				({ name, version }) => ({ type: `${pkg}.${name}`, version }),
			),
		),
	}));
}

describe('the example workflows, as shipped', () => {
	it.each(examples.map((example): [string, Example] => [example.file, example]))('%s is importable: id, sticky note, credential by name, known node types', (_file, { workflow }) => {
		expect(workflow.id).toMatch(/^[A-Za-z0-9]{8,36}$/);
		expect(workflow.name).toMatch(/^TGO example \d: /);
		expect(workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote')).toHaveLength(1);
		expect(workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.manualTrigger')).toHaveLength(1);
		const names = workflow.nodes.map((node) => node.name);
		expect(new Set(names).size).toBe(names.length);
		for (const [from, byType] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const target of Object.values(byType).flat(2)) expect(names).toContain(target.node);
		}
		const tgoNodes = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
		expect(tgoNodes.length).toBeGreaterThan(0);
		for (const node of tgoNodes) {
			expect(CONTRACT_NODE_TYPES).toContain(node.type);
			expect(node.typeVersion).toBe(1);
			// By name only: n8n links it to the user's credential of that name on import.
			expect(node.credentials).toEqual({ [CREDENTIAL_TYPE]: { id: null, name: EXAMPLE_CREDENTIAL_NAME } });
		}
		expect(JSON.stringify(workflow)).not.toMatch(/tgo_[A-Za-z0-9]{8,}/); // no API key in a shipped file
	});

	it('ids are unique across examples/', () => {
		const ids = examples.map((example) => example.workflow.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBeGreaterThanOrEqual(5);
	});

	it("uses only n8n's own node types and versions (n8n-nodes-base, AI nodes) that every provisioned n8n has", () => {
		const lists = n8nNodeLists(provision());
		expect(lists.length).toBeGreaterThan(0);
		for (const { install, types } of lists) {
			for (const { file, workflow } of examples) {
				for (const node of workflow.nodes.filter((n) => !n.type.startsWith(`${PACKAGE_NAME}.`))) {
					const known = types.filter((type) => type.type === node.type).flatMap((type) => [type.version].flat());
					expect({ install, file, node: node.name, type: node.type, typeVersion: known.includes(node.typeVersion) }).toEqual({
						install,
						file,
						node: node.name,
						type: node.type,
						typeVersion: true,
					});
				}
			}
		}
	});
});

// --------------------------------------------------------------------------------------------
// A throw-away workflow taking every documented failure to an Error output in one execution.
// --------------------------------------------------------------------------------------------

const CRED = {
	examples: { id: 'tgoExampleCred01', name: EXAMPLE_CREDENTIAL_NAME },
	expired: { id: 'tgoExpiredCred01', name: 'TGO sandbox (expired key)' },
	unknownTenant: { id: 'tgoUnknownTen01', name: 'TGO sandbox (unknown tenant domain)' },
	sendOnly: { id: 'tgoSendOnlyCrd01', name: 'TGO sandbox (send-only key)' },
	full: { id: 'tgoFullCredent01', name: 'TGO sandbox (full key, by id)' },
};

/** One Send Message item per case: which sender, which phone, and the code it must end with. */
const SEND_CASES = [
	{ case: 'rate limited', senderId: String(senders.active.id), phone: contacts.reachable.phone, code: 'RATE_LIMITED' },
	{ case: 'sender waiting for its OTP', senderId: String(senders.pendingVerification.id), phone: contacts.reachable.phone, code: 'SENDER_NOT_ACTIVE' },
	{ case: 'sender suspended', senderId: String(senders.suspended.id), phone: contacts.reachable.phone, code: 'SENDER_NOT_ACTIVE' },
	{ case: 'owner account not verified', senderId: String(senders.pendingAccountVerification.id), phone: contacts.reachable.phone, code: 'ACCOUNT_NOT_VERIFIED' },
	{ case: 'active, account verification pending', senderId: String(senders.activeButAccountUnverified.id), phone: contacts.reachable.phone, code: 'ACCOUNT_NOT_VERIFIED' },
	{ case: 'no such sender id', senderId: '999', phone: contacts.reachable.phone, code: 'VALIDATION_FAILED' },
	{ case: 'invalid phone', senderId: String(senders.active.id), phone: '+20 10 CALL ME', code: 'INVALID_INPUT' },
	{ case: 'blocked this sender', senderId: String(senders.activeSecond.id), phone: contacts.unreachableFromSecondSender.phone, code: 'RECIPIENT_UNREACHABLE' },
	{ case: 'all good', senderId: String(senders.active.id), phone: '+201010000050', code: undefined },
] as const;

function failureMatrixWorkflow(): ExampleWorkflow {
	const trigger = { id: 'f0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 300] as [number, number], parameters: {} };
	const cases = {
		id: 'f0000000-0000-4000-8000-000000000002',
		name: 'Cases',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 300] as [number, number],
		parameters: { jsCode: `return ${JSON.stringify(SEND_CASES.map(({ code: _code, ...fields }) => ({ json: fields })))};` },
	};
	const tgo = (name: string, type: string, y: number, credential: { id: string; name: string }, parameters: Record<string, unknown>) => ({
		id: `f0000000-0000-4000-8000-0000000000${String(10 + y / 100).padStart(2, '0')}`,
		name,
		type: `${PACKAGE_NAME}.${type}`,
		typeVersion: 1,
		position: [480, y] as [number, number],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: credential },
	});
	return {
		id: 'tgoE2eFailureMatrix',
		name: 'e2e: every documented failure',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			trigger,
			cases,
			tgo('Send cases', 'tgoSendMessage', 100, CRED.full, {
				sender: { __rl: true, mode: 'id', value: '={{ $json.senderId }}' },
				toPhone: '={{ $json.phone }}',
				messageType: 'text',
				content: '=Case: {{ $json.case }}',
				options: {},
			}),
			tgo('Expired key', 'tgoGetSenderNumbers', 300, CRED.expired, { returnAll: true }),
			tgo('Unknown tenant', 'tgoLookupContact', 500, CRED.unknownTenant, { phone: contacts.reachable.phone, options: {} }),
			tgo('Send-only key', 'tgoGetUsage', 700, CRED.sendOnly, { options: {} }),
		],
		connections: {
			Start: { main: [[{ node: 'Cases', type: 'main', index: 0 }, { node: 'Unknown tenant', type: 'main', index: 0 }, { node: 'Send-only key', type: 'main', index: 0 }]] },
			Cases: { main: [[{ node: 'Send cases', type: 'main', index: 0 }, { node: 'Expired key', type: 'main', index: 0 }]] },
		},
	};
}

// --------------------------------------------------------------------------------------------

describe('the example workflows in the real n8n, against the TGO sandbox', () => {
	let sandbox: Sandbox;
	let instance: N8nInstance;
	let model: FakeModel; // the AI Agent example's OpenAI credential points at it
	const allKeys = () => Object.values(sandbox.keys);

	beforeAll(async () => {
		sandbox = await startSandbox();
		model = await startFakeModel();
		instance = await N8nInstance.create();
		const cred = (c: { id: string; name: string }, data: { domain: string; apiKey: string }) => ({ ...c, type: CREDENTIAL_TYPE, data });
		await instance.importCredentials([
			cred(CRED.examples, { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full }),
			cred(CRED.full, { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full }),
			cred(CRED.expired, { domain: sandbox.credentialDomain, apiKey: sandbox.keys.expired }),
			cred(CRED.unknownTenant, { domain: sandbox.unknownTenantDomain, apiKey: sandbox.keys.full }),
			cred(CRED.sendOnly, { domain: sandbox.credentialDomain, apiKey: sandbox.keys.send }),
			fakeOpenAiCredential(model, 'fakeModelCred001', MODEL_CREDENTIAL_NAME),
		]);
		// The files exactly as shipped (and the throw-away workflow), in one import.
		await instance.importWorkflows([...examples.map((example) => example.workflow), failureMatrixWorkflow()]);
	});

	afterAll(async () => {
		await instance?.dispose();
		await model?.close();
		await sandbox?.close();
	});

	beforeEach(() => {
		sandbox.reset(); // fixtures, request log, faults and latency back to the start
		model.reset();
	});

	/** Runs a workflow; checks the run was printed and that no API key shows up anywhere in it. */
	async function execute(id: string): Promise<ExecuteResult> {
		const result = await instance.execute(id);
		if (!result.run) throw new Error(`n8n execute --id=${id} printed no run (exit ${String(result.code)})\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-3000)}`);
		for (const key of allKeys()) expect(result.stdout + result.stderr).not.toContain(key);
		return result;
	}

	const posts = (): RecordedRequest[] => sandbox.requestsTo('POST', '/messages');

	it('1. order confirmation: reachable customer gets the text, the unreachable one reaches the notifier', async () => {
		const r = await execute('tgoExampleText01');
		expect(r.code).toBe(0);

		const [lookupOk, lookupError] = [outputItems(r.run, 'Can the customer receive?', 0), outputItems(r.run, 'Can the customer receive?', 1)];
		expect(lookupOk).toEqual([expect.objectContaining({ can_receive: true, reason_code: 'ok', recipient_id: recipientIdFor(contacts.reachable.phone) })]);
		expect(lookupError).toEqual([
			expect.objectContaining({
				orderId: 'A-10235',
				customerName: 'Karim Adel',
				phone: contacts.cannotReceive.phone,
				error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE', details: { reasonCode: 'recipient_blocked' }, resolution: expect.stringMatching(/Nothing was sent/) }),
			}),
		]);

		const sent = outputItems(r.run, 'Send order confirmation', 0);
		expect(outputItems(r.run, 'Send order confirmation', 1)).toEqual([]);
		expect(sent).toEqual([
			expect.objectContaining({ sender_number_id: senders.active.id, recipient_user_id: recipientIdFor(contacts.reachable.phone), message_type: 'text', status: 'sent' }),
		]);

		// The notifier stand-in got Karim's order, with the reason and what to do.
		expect(allRunsItems(r.run, 'Notify the team (stand-in)')).toEqual([
			expect.objectContaining({ orderId: 'A-10235', code: 'RECIPIENT_UNREACHABLE', alert: expect.stringContaining('recipient_blocked'), whatToDo: expect.any(String) }),
		]);

		// The sandbox: both lookups from the chosen sender, then one JSON send, to Mona only.
		const lookups = sandbox.requestsTo('GET', '/contacts/lookup');
		expect(lookups.map((q) => [q.query.phone, q.query.sender_number_id])).toEqual([
			[contacts.reachable.phone, String(senders.active.id)],
			[contacts.cannotReceive.phone, String(senders.active.id)],
		]);
		expect(posts()).toHaveLength(1);
		expect(posts()[0].contentType).toBe('application/json');
		expect(posts()[0].headers['x-api-key']).toBe(sandbox.keys.full);
		expect(posts()[0].json).toEqual({
			sender_number_id: senders.active.id,
			to_phone: contacts.reachable.phone,
			type: 'text',
			content: 'Hello Mona Hassan, your order A-10234 (1,250.00 EGP) is ready for pickup at our Nasr City branch. Thank you for shopping with us!',
		});
	});

	it('2. bulk announcement: 3 sends in flight, Success in list order, INVALID_INPUT and RECIPIENT_UNREACHABLE collected', async () => {
		sandbox.setLatency(400); // slow answers, so the concurrency of 3 shows at the sandbox
		const r = await execute('tgoExampleBulk02');
		expect(r.code).toBe(0);

		const delivered = ['+201010000000', '+201010000015', '+201010000017', '+201010000018'];
		const sent = outputItems(r.run, 'Send announcement', 0);
		// Output order follows the list, whatever order the answers came back in.
		expect(sent.map((item) => item.recipient_user_id)).toEqual(delivered.map(recipientIdFor));
		expect(sent.every((item) => item.status === 'sent' && item.message_type === 'text')).toBe(true);

		const failed = outputItems(r.run, 'Send announcement', 1);
		expect(failed.map((item) => [item.name, errorOf(item).code])).toEqual([
			['Salma Nabil', 'INVALID_INPUT'],
			['Ahmed Samir', 'RECIPIENT_UNREACHABLE'],
		]);
		expect(errorOf(failed[0])).toEqual(expect.objectContaining({ message: expect.stringContaining('01010000016'), details: { field: 'toPhone', value: '01010000016' } }));
		expect(errorOf(failed[1])).toEqual(expect.objectContaining({ httpCode: 422, details: { reasonCode: 'not_found' } }));

		expect(allRunsItems(r.run, 'Collect failures')).toEqual([
			{ failed: 2, failures: [expect.objectContaining({ name: 'Salma Nabil', code: 'INVALID_INPUT' }), expect.objectContaining({ name: 'Ahmed Samir', code: 'RECIPIENT_UNREACHABLE' })] },
		]);
		expect(allRunsItems(r.run, 'Delivery summary')).toEqual([expect.objectContaining({ sent: 4 })]);

		// Numbers normalised (spaces, 00); nothing sent for the national number; Ahmed's send refused by TGO.
		expect(posts().map((q) => (q.json as Json).to_phone).sort()).toEqual([...delivered, contacts.notOnTgoConnect.phone].sort());
		expect(sandbox.requests.some((q) => q.rawBody.toString().includes('1010000016'))).toBe(false);
		expect(sandbox.sent.map((s) => s.toPhone).sort()).toEqual([...delivered].sort());
		expect(sandbox.maxInFlight).toBe(3);
		// Three sends in flight: which arrives first is not defined, so find Mona's by her phone.
		const monasPost = posts().find((q) => (q.json as Json).to_phone === delivered[0]);
		expect((monasPost?.json as Json).content).toBe('Hi Mona Hassan, during Ramadan our Nasr City and Maadi branches are open from 10:00 until 02:00. Ramadan Kareem!');
	});

	it('3. usage report: one row per sender with the sandbox counts; the log read across its pages', async () => {
		const r = await execute('tgoExampleUsage03');
		expect(r.code).toBe(0);

		const log = seededMessageLog();
		const countsFor = (senderId: number) => {
			const entries = log.filter((entry) => entry.sender_number_id === senderId);
			return { messages_sent: entries.filter((e) => e.status !== 'failed').length, messages_failed: entries.filter((e) => e.status === 'failed').length };
		};
		const rows = outputItems(r.run, 'Usage by sender', 0);
		expect(outputItems(r.run, 'Usage by sender', 1)).toEqual([]);
		expect(rows).toEqual([
			expect.objectContaining({ sender_number_id: senders.active.id, sender_phone: senders.active.phone, ...countsFor(senders.active.id), period: expect.any(Object) }),
			expect.objectContaining({ sender_number_id: senders.activeSecond.id, sender_phone: senders.activeSecond.phone, ...countsFor(senders.activeSecond.id), period: expect.any(Object) }),
		]);
		const [report] = allRunsItems(r.run, 'Usage report');
		expect(report).toEqual(expect.objectContaining({ totalSent: log.filter((e) => e.status !== 'failed').length, totalFailed: log.filter((e) => e.status === 'failed').length }));
		expect(String(report.report)).toContain(`${senders.active.phone} (Support)`);

		const logs = outputItems(r.run, 'Latest messages', 0);
		expect(logs.map((entry) => entry.id)).toEqual(log.map((entry) => entry.id)); // all 40 (limit 50), newest first
		const [failedReport] = allRunsItems(r.run, 'Failed messages');
		expect(failedReport).toEqual(expect.objectContaining({ checked: log.length, failed: log.filter((e) => e.status === 'failed').length }));

		expect(sandbox.requestsTo('GET', '/usage')).toHaveLength(1);
		const pages = sandbox.requestsTo('GET', '/messages');
		expect(pages.length).toBeGreaterThanOrEqual(1);
		expect(pages.every((page) => page.status === 200)).toBe(true);
		expect(sandbox.requests.every((q) => q.headers['x-api-key'] === sandbox.keys.full)).toBe(true);
	});

	it('4. sender health check: every sender with ready_to_send; the ones that cannot send flagged with their hint', async () => {
		const r = await execute('tgoExampleSenders04');
		expect(r.code).toBe(0);
		const all = outputItems(r.run, 'All sender numbers', 0);
		expect(all.map((s) => [s.phone, s.ready_to_send])).toEqual([
			[senders.active.phone, true],
			[senders.activeSecond.phone, true],
			[senders.pendingVerification.phone, false],
			[senders.pendingAccountVerification.phone, false],
			[senders.activeButAccountUnverified.phone, false],
			[senders.rejected.phone, false],
			[senders.suspended.phone, false],
		]);
		const flagged = allRunsItems(r.run, 'Alert the owner (stand-in)');
		expect(flagged.map((f) => [f.status, f.hint])).toEqual([
			['pending_verification', expect.stringMatching(/^Waiting for OTP: /)],
			['pending_account_verification', expect.stringMatching(/verify their TGO Connect account/)],
			['active', expect.stringMatching(/verify their TGO Connect account/)], // active, but verification_status says otherwise
			['rejected', expect.stringMatching(/Register another sender number/)],
			['suspended', expect.stringMatching(/administrator/)],
		]);
		expect(sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /sender-numbers']);
	});

	it('5. invoice document: the exact PDF bytes, file name and MIME type reach the sandbox as multipart', async () => {
		const r = await execute('tgoExampleDocument05');
		expect(r.code).toBe(0);
		const sent = outputItems(r.run, 'Send invoice', 0);
		expect(outputItems(r.run, 'Send invoice', 1)).toEqual([]);
		expect(sent).toEqual([expect.objectContaining({ message_type: 'document', status: 'sent', recipient_user_id: recipientIdFor(contacts.reachable.phone) })]);
		expect(allRunsItems(r.run, 'Invoice sent')).toHaveLength(1);

		const invoice = byId('tgoExampleDocument05').nodes.find((node) => node.name === 'Invoice to send')!;
		const fields = (invoice.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
		const pdf = Buffer.from(fields.find((field) => field.name === 'pdfBase64')!.value, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

		expect(posts()).toHaveLength(1);
		const [post] = posts();
		expect(post.contentType).toBe('multipart/form-data');
		expect(post.fields).toEqual({
			sender_number_id: String(senders.active.id),
			to_phone: contacts.reachable.phone,
			type: 'document',
			content: 'Hello Mona Hassan, here is your invoice INV-2026-0042 for 1,250.00 EGP. Thank you!',
		});
		expect(post.files).toHaveLength(1);
		const [file] = post.files!;
		expect({ field: file.field, filename: file.filename, contentType: file.contentType, size: file.data.length }).toEqual({
			field: 'media',
			filename: 'INV-2026-0042.pdf',
			contentType: 'application/pdf',
			size: pdf.length,
		});
		expect(file.data.equals(pdf)).toBe(true);
		expect(sandbox.sent).toEqual([expect.objectContaining({ file: { filename: 'INV-2026-0042.pdf', contentType: 'application/pdf', size: pdf.length } })]);
	});

	it('6. register a branch sender number: the new number pending its OTP with the next step; taken and non-TGO-Connect numbers reach the notifier', async () => {
		const r = await execute('tgoExampleRegister06');
		expect(r.code).toBe(0);

		const registered = outputItems(r.run, 'Register sender number', 0);
		expect(registered).toEqual([
			expect.objectContaining({
				id: expect.any(Number),
				phone: '+201001187200', // typed in national form, with Default Country Code 20
				display_name: 'Maadi Branch',
				status: 'pending_verification',
				ready_to_send: false,
				hint: expect.stringMatching(/Waiting for OTP.*TGO Business dashboard/),
			}),
		]);
		expect(allRunsItems(r.run, 'Tell the manager the next step (stand-in)')).toEqual([
			expect.objectContaining({ to: 'maadi.manager@example.com', senderNumberId: registered[0].id, readyToSend: false, nextStep: registered[0].hint }),
		]);

		const failed = outputItems(r.run, 'Register sender number', 1);
		expect(failed.map((item) => [item.branchName, errorOf(item).code, errorOf(item).message])).toEqual([
			['Downtown Branch', 'VALIDATION_FAILED', messages.phoneTaken],
			['Zamalek Branch', 'VALIDATION_FAILED', messages.phoneNotOnTgoConnect],
		]);
		expect(errorOf(failed[0])).toEqual(expect.objectContaining({ httpCode: 422, details: { fields: { phone: [messages.phoneTaken] } } }));
		expect(allRunsItems(r.run, 'Notify the team (stand-in)')).toEqual([
			expect.objectContaining({ branchName: 'Downtown Branch', code: 'VALIDATION_FAILED', alert: expect.stringContaining(messages.phoneTaken), whatToDo: expect.any(String) }),
			expect.objectContaining({ branchName: 'Zamalek Branch', code: 'VALIDATION_FAILED', alert: expect.stringContaining(messages.phoneNotOnTgoConnect) }),
		]);

		// The sandbox: one JSON registration per branch, phones in E.164; only Maadi's was created.
		const registrations = sandbox.requestsTo('POST', '/sender-numbers');
		expect(registrations.map((q) => q.json)).toEqual([
			{ phone: '+201001187200', display_name: 'Maadi Branch' },
			{ phone: senders.active.phone, display_name: 'Downtown Branch' },
			{ phone: contacts.notOnTgoConnect.phone, display_name: 'Zamalek Branch' },
		]);
		expect(sandbox.registered).toEqual([expect.objectContaining({ id: registered[0].id, phone: '+201001187200', status: 'pending_verification' })]);
	});

	it('every documented failure reaches an Error output with its code (one throw-away workflow)', async () => {
		// The first send meets a 429 asking for 2 minutes: longer than the node waits, so RATE_LIMITED at once.
		sandbox.inject('POST /messages', { kind: 'status', status: 429, retryAfter: 120 });
		const r = await execute('tgoE2eFailureMatrix');
		expect(r.code).toBe(0);

		const sendErrors = outputItems(r.run, 'Send cases', 1);
		expect(sendErrors.map((item) => [item.case, errorOf(item).code])).toEqual(
			SEND_CASES.filter((c) => c.code).map((c) => [c.case, c.code]),
		);
		const find = (name: string) => errorOf(sendErrors.find((item) => item.case === name)!);
		expect(find('rate limited')).toEqual(expect.objectContaining({ httpCode: 429, details: { retryAfterSeconds: 120 } }));
		expect(find('sender waiting for its OTP')).toEqual(expect.objectContaining({ message: messages.senderNotActive, resolution: expect.stringMatching(/OTP/) }));
		expect(find('owner account not verified').message).toBe(messages.accountNotVerified);
		expect(find('owner account not verified').resolution).toMatch(/TGO Connect app/);
		expect(find('no such sender id')).toEqual(
			expect.objectContaining({ httpCode: 422, details: { fields: { sender_number_id: ['The selected sender number id is invalid.'] } } }),
		);
		expect(find('invalid phone')).toEqual(expect.objectContaining({ message: expect.stringContaining('+20 10 CALL ME'), details: expect.objectContaining({ field: 'toPhone' }) }));
		expect(find('blocked this sender').details).toEqual({ reasonCode: 'sender_blocked_by_recipient' });
		expect(outputItems(r.run, 'Send cases', 0)).toEqual([expect.objectContaining({ status: 'sent', recipient_user_id: recipientIdFor('+201010000050') })]);

		// Credential problems, each on its own node: every item to Error, one request in all.
		const expired = outputItems(r.run, 'Expired key', 1);
		expect(outputItems(r.run, 'Expired key', 0)).toEqual([]);
		expect(codes(expired)).toEqual(SEND_CASES.map(() => 'UNAUTHORIZED'));
		expect(expired[0].case).toBe('rate limited'); // Error items keep the input fields
		expect(codes(outputItems(r.run, 'Unknown tenant', 1))).toEqual(['TENANT_NOT_FOUND']);
		const scope = outputItems(r.run, 'Send-only key', 1);
		expect(codes(scope)).toEqual(['MISSING_SCOPE']);
		expect(errorOf(scope[0]).details).toEqual({ requiredScope: 'usage.read' });

		// The sandbox: one send per case except the invalid phone, the 429 not retried; one call per bad credential.
		const sendCases = posts().map((q) => String((q.json as Json).content).replace(/^Case: /, ''));
		expect(sendCases).toEqual(SEND_CASES.filter((c) => c.code !== 'INVALID_INPUT').map((c) => c.case));
		expect(posts()[0].status).toBe(429);
		expect(sandbox.requestsTo('GET', '/sender-numbers').map((q) => q.headers['x-api-key'])).toEqual([sandbox.keys.expired]);
		expect(sandbox.requestsTo('GET', '/contacts/lookup').map((q) => [q.status, q.headers.host])).toEqual([[404, expect.stringMatching(/^localhost:/)]]);
		expect(sandbox.requestsTo('GET', '/usage').map((q) => [q.status, q.headers['x-api-key']])).toEqual([[403, sandbox.keys.send]]);
	});

	it('an undocumented failure (sandbox 500 on POST /messages) stops the workflow: n8n execute exits non-zero, no retry', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 500 });
		const r = await execute('tgoExampleText01');
		expect(r.code).not.toBe(0);

		const send = r.run!.data.resultData.runData['Send order confirmation'];
		expect(send?.[0]?.error).toBeDefined();
		expect(JSON.stringify(send[0].error)).toMatch(/500|Server Error/);
		expect(r.run!.data.resultData.error).toBeDefined();
		expect(r.run!.data.resultData.lastNodeExecuted).toBe('Send order confirmation');
		// The lookups ran; the send went out once and was not repeated (a duplicate message is worse than a failure).
		expect(outputItems(r.run, 'Can the customer receive?', 1)).toHaveLength(1);
		expect(posts().map((q) => q.status)).toEqual([500]);
		expect(sandbox.sent).toEqual([]);
		expect(allRunsItems(r.run, 'Confirmation sent')).toEqual([]);
	});

	// Started by its Manual Trigger, as n8n execute does; the daily Schedule Trigger is what an active workflow uses.
	it('7. key expiry: the sandbox key expires in 10 days, so the alert says so; sender numbers at 7 of 8 raise the plan alert', async () => {
		const r = await execute('tgoExampleAccount07');
		expect(r.code).toBe(0);

		expect(outputItems(r.run, 'Account and plan', 1)).toEqual([]);
		const [account] = outputItems(r.run, 'Account and plan', 0);
		expect(account).toEqual(
			expect.objectContaining({ scopes: ['*'], key_expires_in_days: apiKeys.full.expiresInDays, subscription_available: true, status: 'active' }),
		);
		expect(allRunsItems(r.run, 'Key expiry alert (stand-in)')).toEqual([
			{
				alert: `The TGO API key expires in ${apiKeys.full.expiresInDays} days: create a new one in TGO Business → Settings → API Keys`,
				expiresAt: account.expires_at,
				organization: 'Sandbox Trading Co.',
			},
		]);
		expect(allRunsItems(r.run, 'Plan limit alert (stand-in)')).toEqual([
			expect.objectContaining({ key: 'sender_numbers', used: 7, limit: 8, percent: 88, text: expect.stringContaining('TGO plan Business: sender_numbers is at 7 of 8 (88%)') }),
		]);
		expect(allRunsItems(r.run, 'Account check failed (stand-in)')).toEqual([]);
		expect(sandbox.requests.map((q) => `${q.method} ${q.path} ${String(q.status)}`)).toEqual(['GET /me 200', 'GET /subscription 200']);
	});

	it('7. key expiry: a key with 90 days left on a tenant without GET /subscription raises no alert', async () => {
		sandbox.setKeyExpiry(sandbox.keys.full, expiryAfter(90));
		sandbox.setRouteAvailability('GET /subscription', 'missing');
		const r = await execute('tgoExampleAccount07');
		expect(r.code).toBe(0);

		const [account] = outputItems(r.run, 'Account and plan', 0);
		expect(account).toEqual(expect.objectContaining({ key_expires_in_days: 90, subscription_available: false }));
		expect(account).not.toHaveProperty('limits');
		expect(allRunsItems(r.run, 'Key expiry alert (stand-in)')).toEqual([]);
		expect(allRunsItems(r.run, 'Plan limit alert (stand-in)')).toEqual([]);
		expect(allRunsItems(r.run, 'Account check failed (stand-in)')).toEqual([]);
	});

	it('7. key expiry: a tenant without GET /me reaches the failure alert with ENDPOINT_UNAVAILABLE and what to do', async () => {
		sandbox.setRouteAvailability('GET /me', 'missing');
		const r = await execute('tgoExampleAccount07');
		expect(r.code).toBe(0);

		expect(codes(outputItems(r.run, 'Account and plan', 1))).toEqual(['ENDPOINT_UNAVAILABLE']);
		expect(allRunsItems(r.run, 'Account check failed (stand-in)')).toEqual([
			{
				alert: expect.stringMatching(/^The daily TGO account check failed \(ENDPOINT_UNAVAILABLE\): This TGO tenant does not offer account details .*GET \/me answered HTTP 404\.$/),
				whatToDo: expect.stringContaining('Settings → API Keys'),
			},
		]);
		expect(allRunsItems(r.run, 'Key expiry alert (stand-in)')).toEqual([]);
		expect(sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /me']);
	});

	it('8. AI agent: the model looks the customer up, sends the text, and is told what TGO logged', async () => {
		model.script(...exampleModelScript(AGENT_EXAMPLE.workflowId));
		const r = await execute(AGENT_EXAMPLE.workflowId);
		expect(r.code).toBe(0);
		expect(model.requests.filter((request) => request.refusal)).toEqual([]);
		expect(model.pendingTurns).toBe(0);

		// What TGO received: the lookup from the Support sender, then the model's text to that phone.
		expect(sandbox.requestsTo('GET', '/contacts/lookup').map((q) => [q.query.phone, q.query.sender_number_id])).toEqual([[AGENT_EXAMPLE.phone, String(senders.active.id)]]);
		expect(posts().map((q) => q.json)).toEqual([{ sender_number_id: senders.active.id, to_phone: AGENT_EXAMPLE.phone, type: 'text', content: AGENT_EXAMPLE.text }]);
		const logged = sandbox.sent[0].logEntry;

		// What the model got: the customer request, the two TGO tools, and each tool's answer.
		const calls = model.modelCalls();
		expect(calls).toHaveLength(3);
		expect(JSON.stringify(calls[0].body)).toContain('Tell Mona Hassan (phone +201010000000) that order A-10234 is ready for pickup');
		expect(offeredTools(calls[0]).map((tool) => tool.name).sort()).toEqual(['TGO_Lookup_Contact', 'TGO_Send_Message']);
		expect(newToolResults(calls[1], calls[0]).map((result) => result.parsed)).toEqual([[expect.objectContaining({ can_receive: true, recipient_id: recipientIdFor(AGENT_EXAMPLE.phone) })]]);
		expect(newToolResults(calls[2], calls[1]).map((result) => result.parsed)).toEqual([[expect.objectContaining({ message_id: logged.message_id, status: 'sent' })]]);
		for (const key of allKeys()) expect(JSON.stringify(model.requests)).not.toContain(key);

		expect(allRunsItems(r.run, 'Customer messaging agent')).toEqual([{ output: `I sent Mona Hassan a TGO Connect message (message ${logged.message_id}).` }]);
	});
});
