// Figure 6 of `npm run bench`: messages per second through a production webhook in n8n's queue
// mode (main → Redis → `n8n worker`s, PostgreSQL), with one worker and then with two, against the
// TGO sandbox at 20 ms latency. The cluster is tools/n8n/queue.ts: the real n8n 2.41.1, the
// package installed by name from a local registry on every process, everything on loopback.
import { performance } from 'node:perf_hooks';

import { bulkSendWorkflow, installQueueServices, QUEUE_CREDENTIAL, QueueCluster } from '../tools/n8n/queue';
import { startSandbox } from '../tools/sandbox/server';
import { median } from './stats';

const EXECUTIONS = 20;
const MESSAGES = 25;
const ROUNDS = 3;
const LATENCY_MS = 20;
const NODE_CONCURRENCY = 4;

export interface QueueThroughput {
	executions: number;
	messagesPerExecution: number;
	oneWorker: number;
	twoWorkers: number;
}

export async function queueThroughput(): Promise<QueueThroughput> {
	installQueueServices();
	const sandbox = await startSandbox();
	sandbox.setLatency(LATENCY_MS);
	const workflow = bulkSendWorkflow({ id: 'benchQueueBulk01', path: 'tgo-bench', concurrency: NODE_CONCURRENCY });
	const cluster = await QueueCluster.start({
		workers: 1, // n8n's default worker concurrency (10)
		credentials: [{ ...QUEUE_CREDENTIAL, data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full } }],
		workflows: [workflow],
	});
	let burstNumber = 0;
	/** 20 webhook calls at once, 25 messages each; messages per second until the last answer. */
	const burst = async (): Promise<number> => {
		const run = burstNumber++;
		sandbox.reset();
		sandbox.setLatency(LATENCY_MS);
		const started = performance.now();
		const answers = await Promise.all(
			Array.from({ length: EXECUTIONS }, async (_, execution) => {
				const messages = Array.from({ length: MESSAGES }, (_, item) => ({
					to: `+2010${40_000_000 + (run * EXECUTIONS + execution) * 100 + item}`,
					text: `bench ${run}.${execution}.${item}`,
				}));
				const res = await cluster.webhook('tgo-bench', { messages });
				return res.ok ? ((await res.json()) as unknown[]).length : -res.status;
			}),
		);
		const seconds = (performance.now() - started) / 1000;
		const sent = sandbox.sent.length;
		if (answers.some((count) => count !== MESSAGES) || sent !== EXECUTIONS * MESSAGES) {
			throw new Error(`queue burst ${run}: answers ${answers.join(',')}, ${sent} messages accepted by the sandbox`);
		}
		return sent / seconds;
	};
	const measure = async () => {
		await burst(); // warm-up
		const rates: number[] = [];
		for (let round = 0; round < ROUNDS; round++) rates.push(await burst());
		return median(rates);
	};
	try {
		const oneWorker = await measure();
		await cluster.addWorker();
		const twoWorkers = await measure();
		return { executions: EXECUTIONS, messagesPerExecution: MESSAGES, oneWorker, twoWorkers };
	} finally {
		await cluster.stop();
		await sandbox.close();
	}
}
