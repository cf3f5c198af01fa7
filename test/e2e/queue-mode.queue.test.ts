// n8n's queue mode end to end (npm run test:queue): Redis and PostgreSQL (Debian's packages), a
// main n8n that takes the webhooks and two `n8n worker` processes that run the executions, sharing
// one database and one encryption key; binary data in the mode n8n defaults to in queue mode
// (database). Each process has its own user folder, as on separate machines, with this package
// installed there by name from a local npm registry. The TGO sandbox's request log is the judge.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import { contacts } from '../../tools/sandbox/fixtures';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../tools/sandbox/server';
import type { N8nServer } from '../../tools/n8n/n8n';
import { sleep, type Service } from '../../tools/n8n/proc';
import { bulkSendWorkflow, QUEUE_CREDENTIAL, QueueCluster, webhookWorkflow } from '../../tools/n8n/queue';
import type { PostgresServer } from '../../tools/n8n/services';

const EXECUTIONS = 20;
const ITEMS = 25;
const SLOW_ITEMS = 80;

const BULK = bulkSendWorkflow({ id: 'queueBulk0000001', path: 'tgo-bulk', concurrency: 4 });
const DOCUMENT = webhookWorkflow({
	id: 'queueDocument001',
	path: 'tgo-document',
	responseMode: 'lastNode',
	splitMessages: false,
	send: { toPhone: '={{ $json.body.to }}', messageType: 'document', content: 'Your invoice', binaryPropertyName: 'document', options: {} },
});
// Answers at once; sends one at a time, slowly enough to kill its worker in the middle.
const SLOW = bulkSendWorkflow({ id: 'queueSlowSend001', path: 'tgo-slow', concurrency: 1, responseMode: 'onReceived' });

/** A unique reachable number per message (any non-fixture number is a reachable TGO user). */
const phoneFor = (run: number, item: number) => `+2010${30_000_000 + run * 1000 + item}`;

const sentTexts = (requests: RecordedRequest[]) =>
	requests.filter((r) => r.method === 'POST' && r.path === '/messages').map((r) => String((r.json as { content?: unknown } | undefined)?.content));

/** Execution ids a worker's log says it started ("Worker started execution N (job J)"). */
const startedBy = (worker: Service, since = 0) =>
	[...worker.output.slice(since).matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);

interface ExecutionSummary {
	id: string;
	status: string;
	workflowId: string;
}

describe('n8n queue mode: main, two workers, Redis and PostgreSQL', () => {
	let sandbox: Sandbox;
	let cluster: QueueCluster;
	let server: N8nServer;
	let postgres: PostgresServer;
	let workers: Service[] = [];
	let parseFlatted: (text: string) => unknown;

	beforeAll(async () => {
		sandbox = await startSandbox();
		cluster = await QueueCluster.start({
			workers: 2,
			// Two executions at a time per worker: with 20 queued at once, both workers must take some.
			workerConcurrency: 2,
			credentials: [{ ...QUEUE_CREDENTIAL, data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full } }],
			workflows: [BULK, DOCUMENT, SLOW],
		});
		({ server, workers } = cluster);
		postgres = cluster.postgres!;
		// n8n stores execution data as "flatted" JSON; read it with n8n's own copy of the library.
		const n8nPackage = path.join(cluster.main.provisioned.N8N_DIR, 'app', 'node_modules', 'n8n', 'package.json');
		parseFlatted = (createRequire(n8nPackage)('flatted') as { parse: (text: string) => unknown }).parse;
	}, 10 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sandbox?.close();
	});

	const post = (webhookPath: string, body: unknown) => cluster.webhook(webhookPath, body);

	async function executionsOf(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const r = await server.rest<{ data: { results: ExecutionSummary[] } }>('GET', `/rest/executions?filter=${filter}&limit=100`);
		if (r.status !== 200) throw new Error(`GET /rest/executions: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		return r.body.data.results;
	}

	/** Items on each output of a node in an execution, read from the database through n8n's REST API. */
	async function outputsOf(executionId: string, nodeName: string): Promise<Array<Array<{ json: Record<string, unknown> }>>> {
		const r = await server.rest<{ data: { data: string } }>('GET', `/rest/executions/${executionId}`);
		if (r.status !== 200) throw new Error(`GET /rest/executions/${executionId}: HTTP ${r.status}`);
		const data = parseFlatted(r.body.data.data) as {
			resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
		};
		return (data.resultData.runData[nodeName]?.[0]?.data?.main ?? []).map((items) => items ?? []);
	}

	it('20 webhook executions of 25 sends each: 500 POSTs, each message once, on both workers', async () => {
		sandbox.setLatency(20);
		const before = sandbox.requests.length;
		const logMarks = workers.map((worker) => worker.output.length);
		const bodies = Array.from({ length: EXECUTIONS }, (_, run) => ({
			messages: Array.from({ length: ITEMS }, (_, item) => ({
				// The last message of each run goes to a number that is not on TGO Connect: TGO refuses it.
				to: item === ITEMS - 1 ? contacts.notOnTgoConnect.phone : phoneFor(run, item),
				text: `queue run ${run} message ${item}`,
			})),
		}));
		const responses = await Promise.all(bodies.map((body) => post('tgo-bulk', body)));
		const answers = await Promise.all(responses.map(async (res) => ({ status: res.status, items: (await res.json()) as Array<Record<string, unknown>> })));
		// The webhook answers with the last node's first output: the Success items, in input order.
		expect(answers.map((a) => ({ status: a.status, success: a.items.length }))).toEqual(bodies.map(() => ({ status: 200, success: ITEMS - 1 })));

		const expectedTexts = bodies.flatMap((body) => body.messages.map((m) => m.text));
		const texts = sentTexts(sandbox.requests.slice(before));
		expect(texts).toHaveLength(EXECUTIONS * ITEMS);
		expect(new Set(texts)).toEqual(new Set(expectedTexts));
		for (const r of sandbox.requests.slice(before)) expect(r.headers['x-api-key']).toBe(sandbox.keys.full);

		// n8n's own record of each execution (in PostgreSQL): success, 24 on Success and 1 on Error.
		const executions = await executionsOf(BULK.id);
		expect(executions).toHaveLength(EXECUTIONS);
		expect(executions.map((e) => e.status)).toEqual(executions.map(() => 'success'));
		for (const { id } of executions) {
			const [success, error] = await outputsOf(id, 'TGO Send Message');
			expect({ id, success: success.length, error: error.map((item) => (item.json.error as { code?: string }).code) }).toEqual({
				id,
				success: ITEMS - 1,
				error: [expect.any(String)],
			});
		}
		// Each execution ran on exactly one worker, and both workers ran some.
		const perWorker = workers.map((worker, i) => new Set(startedBy(worker, logMarks[i])));
		expect(perWorker.map((ids) => ids.size).every((n) => n > 0)).toBe(true);
		expect(perWorker[0].size + perWorker[1].size).toBe(EXECUTIONS);
		expect(new Set([...perWorker[0], ...perWorker[1]])).toEqual(new Set(executions.map((e) => e.id)));
		process.stderr.write(`[queue] executions per worker: ${perWorker.map((ids) => ids.size).join(' + ')}\n`);
	});

	it('a document that arrives with the webhook on main is sent by a worker: same bytes, name and type', async () => {
		const before = sandbox.requests.length;
		const logMarks = workers.map((worker) => worker.output.length);
		const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(64 * 1024)]);
		const form = new FormData();
		form.append('to', phoneFor(99, 0));
		form.append('document', new Blob([bytes], { type: 'application/pdf' }), 'invoice-0042.pdf');
		const res = await fetch(`${server.baseUrl}/webhook/tgo-document`, { method: 'POST', body: form, signal: AbortSignal.timeout(120_000) });
		expect(res.status).toBe(200);
		const sends = sandbox.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/messages');
		expect(sends).toHaveLength(1);
		expect(sends[0].fields).toEqual(expect.objectContaining({ type: 'document', to_phone: phoneFor(99, 0) }));
		expect(sends[0].files?.map((f) => ({ filename: f.filename, contentType: f.contentType, same: f.data.equals(bytes) }))).toEqual([
			{ filename: 'invoice-0042.pdf', contentType: 'application/pdf', same: true },
		]);
		// Run by a worker, with the file handed over through the database (queue mode's default).
		expect(workers.flatMap((worker, i) => startedBy(worker, logMarks[i]))).toHaveLength(1);
		expect(Number(await postgres.sql('SELECT count(*) FROM binary_data', postgres.database))).toBeGreaterThan(0);
	});

	it('the credential is stored encrypted in PostgreSQL, and the workers use it', async () => {
		const stored = await postgres.sql(`SELECT type, data FROM credentials_entity WHERE id = '${QUEUE_CREDENTIAL.id}'`, postgres.database);
		const [type, data] = stored.split('\t');
		expect(type).toBe(QUEUE_CREDENTIAL.type);
		expect(data.length).toBeGreaterThan(40);
		expect(data).not.toContain(sandbox.keys.full);
		expect(data).not.toContain(sandbox.credentialDomain);
		// Every send above came from a worker and carried the decrypted key.
		const sends = sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/messages');
		expect(sends.length).toBeGreaterThan(0);
		expect(new Set(sends.map((r) => r.headers['x-api-key']))).toEqual(new Set([sandbox.keys.full]));
	});

	it('a worker killed mid-send: no message twice, the execution ends failed, the other worker goes on', async () => {
		sandbox.setLatency(100);
		const before = sandbox.requests.length;
		const logMarks = workers.map((worker) => worker.output.length);
		const messages = Array.from({ length: SLOW_ITEMS }, (_, item) => ({ to: phoneFor(50, item), text: `slow message ${item}` }));
		expect((await post('tgo-slow', { messages })).status).toBe(200);
		// Wait until the run is well under way, then kill the worker that runs it.
		const deadline = Date.now() + 120_000;
		while (sentTexts(sandbox.requests.slice(before)).length < 10) {
			if (Date.now() > deadline) throw new Error('the slow run did not start sending');
			await sleep(100);
		}
		const runner = workers.findIndex((worker, i) => startedBy(worker, logMarks[i]).length > 0);
		expect(runner).toBeGreaterThanOrEqual(0);
		const [executionId] = startedBy(workers[runner], logMarks[runner]);
		await workers[runner].kill();
		const survivor = workers[1 - runner];
		await sleep(1000);
		sandbox.setLatency(20);
		const sentBeforeKill = sentTexts(sandbox.requests.slice(before));
		expect(sentBeforeKill.length).toBeLessThan(SLOW_ITEMS);

		// n8n notices the lost job and marks the execution failed (or crashed).
		const t0 = Date.now();
		let status = '';
		while (Date.now() - t0 < 4 * 60_000) {
			const r = await server.rest<{ data: { status: string } }>('GET', `/rest/executions/${executionId}`);
			status = r.body.data.status;
			if (['error', 'crashed', 'failed'].includes(status)) break;
			await sleep(2000);
		}
		process.stderr.write(`[queue] execution ${executionId} was marked ${status} ${Math.round((Date.now() - t0) / 1000)} s after the kill\n`);
		expect(['error', 'crashed', 'failed']).toContain(status);

		// The surviving worker takes new executions.
		const survivorMark = survivor.output.length;
		const res = await post('tgo-bulk', { messages: [0, 1, 2].map((item) => ({ to: phoneFor(60, item), text: `after the crash ${item}` })) });
		expect(res.status).toBe(200);
		expect(((await res.json()) as unknown[]).length).toBe(3);
		expect(startedBy(survivor, survivorMark)).toHaveLength(1);

		// Nothing was sent twice, not even after n8n dealt with the lost job.
		const slowTexts = sentTexts(sandbox.requests.slice(before)).filter((text) => text.startsWith('slow message'));
		expect(slowTexts).toEqual([...new Set(slowTexts)]);
		expect(slowTexts.length).toBe(sentBeforeKill.length);
	});

	it('the API key appears in no process log', () => {
		const logs = cluster.logs();
		expect(Object.keys(logs)).toEqual(['main', 'worker 1', 'worker 2', 'registry', 'redis', 'postgres']);
		expect(Object.values(logs).join('').length).toBeGreaterThan(0);
		const leaks = Object.entries(logs).filter(([, text]) => text.includes(sandbox.keys.full)).map(([name]) => name);
		expect(leaks).toEqual([]);
	});
});
