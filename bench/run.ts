// npm run bench [-- --json]
//
// Benchmarks of TGO Send Message inside real n8n-core against the TGO sandbox on loopback. They
// print figures and ratios measured in this one run; they assert nothing. With --json the same
// figures end the output as one JSON object on the last line.
//
//   seqVsRawFetch                 our node ÷ a plain fetch loop, sequential (time; the floor)
//   seqVsHttpRequestNode          our node ÷ n8n's HTTP Request node, sequential (time)
//   par8VsHttpRequestNodeBatch8   our node at concurrency 8 ÷ HTTP Request with batching 8, jittered latency (time)
//   conc16VsConc1Throughput       our throughput at concurrency 16 ÷ at concurrency 1, 20 ms latency
//   rssGrowthPerFile              peak RSS growth sending 50 documents of 5 MB ÷ 5 MB (child process)
//   load10kPeakRssMb              peak RSS of a process sending 10,000 texts in one execution (child process)
//   queueOneWorkerMessagesPerSec  messages/s through a webhook in n8n's queue mode with one worker, 20 ms latency
//   queueTwoWorkersMessagesPerSec the same with two workers (the real n8n app; bench/queue.ts)
//
// Times are n8n-core's own measure of the node (runData executionTime), medians of interleaved
// rounds after a warm-up.
import './env';

import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { startSandbox, type Sandbox } from '../tools/sandbox/server';
import { loadHttpRequestNode } from './httpRequestNode';
import { queueThroughput } from './queue';
import { median } from './stats';
import { RemoteSandbox } from './sandboxProcess';
import { recipients, sendWithFetch, sendWithHttpRequestNode, sendWithNode, type Target } from './scenarios';

const JSON_OUTPUT = process.argv.includes('--json');

const SEQUENTIAL_ITEMS = 500;
const SEQUENTIAL_AT_20MS_ITEMS = 100;
const PARALLEL_ITEMS = 400;
// The HTTP Request node cannot cap requests in flight; spacing batches of 8 by the mean latency
// is the closest a user can get to "8 at a time" with it.
const PACED_INTERVAL_MS = 25;
const SCALING_ITEMS = 240;
const DOCUMENTS = 50;
const DOCUMENT_MB = 5;
const LOAD_ITEMS = 10_000;
const ROUNDS = 5;

const round2 = (value: number) => Math.round(value * 100) / 100;
const ms = (value: number) => `${Math.round(value)} ms`.padStart(8);
const log = (line: string) => console.log(line);

interface ControllableSandbox {
	reset(): void | Promise<void>;
	setLatency(ms: number, jitterMs?: number): void | Promise<void>;
}

/**
 * Runs each contender once to warm up, then `rounds` interleaved rounds; median ms of each. The
 * sandbox is reset before every run (its request log would grow) and given `latency` again.
 */
async function compare(
	sandbox: ControllableSandbox,
	latency: { ms: number; jitterMs?: number },
	contenders: Record<string, () => Promise<number>>,
	rounds = ROUNDS,
): Promise<Record<string, number>> {
	const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
	const fresh = async () => {
		await sandbox.reset();
		await sandbox.setLatency(latency.ms, latency.jitterMs);
	};
	for (const run of Object.values(contenders)) {
		await fresh();
		await run();
	}
	for (let round = 0; round < rounds; round++) {
		for (const [name, run] of Object.entries(contenders)) {
			await fresh();
			times[name].push(await run());
		}
	}
	return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

/** Runs a scenario of child.ts in a fresh process (asynchronously: the sandbox in this one must keep answering). */
async function inChild(scenario: string, target: Target, options: Record<string, number>): Promise<Record<string, number>> {
	const child = promisify(execFile)(process.execPath, ['--expose-gc', path.join(__dirname, 'child.js'), scenario, JSON.stringify(target), JSON.stringify(options)], {
		encoding: 'utf8',
		maxBuffer: 1024 * 1024,
	});
	child.child.stderr?.pipe(process.stderr);
	const { stdout } = await child;
	return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

async function main() {
	const { nodeType: httpRequest, version: nodesBaseVersion } = loadHttpRequestNode();
	log(`TGO Send Message benchmarks — Node ${process.version} on ${os.cpus().length} cores, n8n-core 2.41 in-process, HTTP Request node 4.2 from n8n-nodes-base ${nodesBaseVersion}`);
	// Other work on the machine skews every figure; say how busy it was.
	log(`load average at start: ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);

	// 1. Sequential, no server latency: what each request costs the n8n process. The sandbox runs
	//    in this process, so everything shares one thread and the HTTP Request node (which starts
	//    every item's request without waiting for the previous answer) gains nothing from that.
	const local: Sandbox = await startSandbox();
	const localTarget: Target = { domain: local.credentialDomain, apiKey: local.keys.full };
	let items = recipients(SEQUENTIAL_ITEMS);
	const sequential = await compare(local, { ms: 0 }, {
		ours: () => sendWithNode(localTarget, items, 1),
		httpRequestNode: () => sendWithHttpRequestNode(httpRequest, localTarget, items),
		fetch: () => sendWithFetch(localTarget, items, 1),
	});
	await local.close();
	const perItem = (ms: number, count: number) => `${(ms / count).toFixed(2)} ms/item`;
	const seqVsRawFetch = sequential.ours / sequential.fetch;
	const seqVsHttpRequestNode = sequential.ours / sequential.httpRequestNode;
	log(`\n1. Sequential, ${SEQUENTIAL_ITEMS} text messages, 0 ms server latency, sandbox in-process (median of ${ROUNDS}):`);
	log(`   TGO Send Message (concurrency 1)  ${ms(sequential.ours)}  ${perItem(sequential.ours, SEQUENTIAL_ITEMS)}`);
	log(`   HTTP Request node                 ${ms(sequential.httpRequestNode)}  ${perItem(sequential.httpRequestNode, SEQUENTIAL_ITEMS)}`);
	log(`   fetch loop                        ${ms(sequential.fetch)}  ${perItem(sequential.fetch, SEQUENTIAL_ITEMS)}`);
	log(`   ours ÷ fetch ${seqVsRawFetch.toFixed(2)}× (target ≤ 1.3)    ours ÷ HTTP Request ${seqVsHttpRequestNode.toFixed(2)}× (target ≤ 1.0)`);

	// From here the sandbox is its own process, like a real server: its CPU is not billed to n8n.
	const remote = await RemoteSandbox.start();
	const target: Target = { domain: remote.credentialDomain, apiKey: remote.apiKey };

	// 1b. Sequential against a 20 ms server, for context.
	items = recipients(SEQUENTIAL_AT_20MS_ITEMS);
	const sequentialAt20 = await compare(remote, { ms: 20 }, {
		ours: () => sendWithNode(target, items, 1),
		fetch: () => sendWithFetch(target, items, 1),
	}, 3);
	log(`\n1b. Sequential, ${SEQUENTIAL_AT_20MS_ITEMS} text messages, 20 ms server latency, sandbox in its own process:`);
	log(`   ours ${ms(sequentialAt20.ours)}, fetch ${ms(sequentialAt20.fetch)}: ours ÷ fetch ${(sequentialAt20.ours / sequentialAt20.fetch).toFixed(2)}×`);

	// 2. Eight at a time against jittered latency.
	items = recipients(PARALLEL_ITEMS);
	const inFlight: Record<string, number> = {};
	const observe = (name: string, run: () => Promise<number>) => async () => {
		const took = await run();
		inFlight[name] = Math.max(inFlight[name] ?? 0, (await remote.stats()).maxInFlight);
		return took;
	};
	const parallel = await compare(remote, { ms: 10, jitterMs: 30 }, {
		ours: observe('ours', () => sendWithNode(target, items, 8)),
		httpRequestNode: observe('httpRequestNode', () => sendWithHttpRequestNode(httpRequest, target, items, 8)),
		httpRequestNodePaced: observe('httpRequestNodePaced', () => sendWithHttpRequestNode(httpRequest, target, items, 8, PACED_INTERVAL_MS)),
		fetch: observe('fetch', () => sendWithFetch(target, items, 8)),
	}, 3);
	const par8VsHttpRequestNodeBatch8 = parallel.ours / parallel.httpRequestNode;
	log(`\n2. ${PARALLEL_ITEMS} text messages, server latency 10-40 ms (uniform), sandbox in its own process:`);
	log(`   TGO Send Message, concurrency 8                                ${ms(parallel.ours)}  (max ${inFlight.ours} in flight)`);
	log(`   HTTP Request node, batching 8 items / 0 ms                     ${ms(parallel.httpRequestNode)}  (max ${inFlight.httpRequestNode} in flight)`);
	log(`   HTTP Request node, batching 8 items / ${PACED_INTERVAL_MS} ms (≈ 8 in flight)     ${ms(parallel.httpRequestNodePaced)}  (max ${inFlight.httpRequestNodePaced} in flight)`);
	log(`   fetch, 8 workers                                               ${ms(parallel.fetch)}  (max ${inFlight.fetch} in flight)`);
	log(`   ours ÷ HTTP Request batching 8/0 ms ${par8VsHttpRequestNodeBatch8.toFixed(2)}× (target ≤ 0.8); ours ÷ HTTP Request 8/${PACED_INTERVAL_MS} ms ${(parallel.ours / parallel.httpRequestNodePaced).toFixed(2)}×`);

	// 3. Scaling with the concurrency option at 20 ms latency. Throughput is per item, so each
	//    level gets enough items for a steady state; fetch at 1 and 16 shows what this machine and
	//    sandbox allow at all (the ceiling for any client).
	const scalingItems = { c1: SCALING_ITEMS / 2, c4: SCALING_ITEMS, c16: SCALING_ITEMS * 2 };
	const scalingBatches = { c1: recipients(scalingItems.c1), c4: recipients(scalingItems.c4), c16: recipients(scalingItems.c16) };
	const scaling = await compare(remote, { ms: 20 }, {
		c1: () => sendWithNode(target, scalingBatches.c1, 1),
		c4: () => sendWithNode(target, scalingBatches.c4, 4),
		c16: () => sendWithNode(target, scalingBatches.c16, 16),
		fetch1: () => sendWithFetch(target, scalingBatches.c1, 1),
		fetch16: () => sendWithFetch(target, scalingBatches.c16, 16),
	}, 2);
	const throughput = (took: number, count: number) => count / (took / 1000);
	const rate = {
		c1: throughput(scaling.c1, scalingItems.c1),
		c4: throughput(scaling.c4, scalingItems.c4),
		c16: throughput(scaling.c16, scalingItems.c16),
		fetch1: throughput(scaling.fetch1, scalingItems.c1),
		fetch16: throughput(scaling.fetch16, scalingItems.c16),
	};
	const conc16VsConc1Throughput = rate.c16 / rate.c1;
	log(`\n3. Concurrency, 20 ms server latency, sandbox in its own process:`);
	log(`   concurrency 1   ${String(scalingItems.c1).padStart(4)} messages ${ms(scaling.c1)}  ${Math.round(rate.c1)} messages/s`);
	log(`   concurrency 4   ${String(scalingItems.c4).padStart(4)} messages ${ms(scaling.c4)}  ${Math.round(rate.c4)} messages/s`);
	log(`   concurrency 16  ${String(scalingItems.c16).padStart(4)} messages ${ms(scaling.c16)}  ${Math.round(rate.c16)} messages/s`);
	log(`   concurrency 16 ÷ 1: ${conc16VsConc1Throughput.toFixed(1)}× the throughput (target ≥ 12)`);
	log(`   fetch on the same machine and sandbox: ${Math.round(rate.fetch1)} → ${Math.round(rate.fetch16)} messages/s, ${(rate.fetch16 / rate.fetch1).toFixed(1)}× (the ceiling here)`);

	// 4. Memory, each in a fresh process.
	await remote.reset();
	await remote.setLatency(0);
	const documents = await inChild('documents', target, { files: DOCUMENTS, fileMb: DOCUMENT_MB });
	await remote.reset();
	const fewerDocuments = await inChild('documents', target, { files: DOCUMENTS / 5, fileMb: DOCUMENT_MB });
	await remote.reset();
	const documentsLiveSet = await inChild('documents', target, { files: DOCUMENTS / 5, fileMb: DOCUMENT_MB, liveSet: 1 });
	await remote.reset();
	log(`\n4. Memory, ${DOCUMENTS} documents of ${DOCUMENT_MB} MB sent one at a time (fresh child process each):`);
	log(`   RSS ${Math.round(documents.baselineMb)} MB with the inputs loaded, peak ${Math.round(documents.peakMb)} MB: growth ${documents.growthMb.toFixed(1)} MB = ${documents.rssGrowthPerFile.toFixed(2)} × one file (target < 3)`);
	log(`   the same with ${DOCUMENTS / 5} documents: growth ${fewerDocuments.growthMb.toFixed(1)} MB (${fewerDocuments.rssGrowthPerFile.toFixed(2)} × one file): flat, it does not grow with the number of files`);
	log(`   what is held at once (ArrayBuffers, full GC before every 5 ms sample): ${documentsLiveSet.liveArrayBuffersMb.toFixed(1)} MB = ${documentsLiveSet.liveArrayBuffersPerFile.toFixed(2)} × one file`);

	const load = await inChild('texts', target, { items: LOAD_ITEMS, concurrency: 8 });
	await remote.close();
	log(`\n5. Memory, ${LOAD_ITEMS.toLocaleString('en')} text messages in one execution at concurrency 8 (fresh child process):`);
	log(`   RSS ${Math.round(load.baselineMb)} MB before, peak ${Math.round(load.peakMb)} MB (+${Math.round(load.growthMb)} MB); ${(load.nodeMs / 1000).toFixed(1)} s, ${Math.round(LOAD_ITEMS / (load.nodeMs / 1000))} messages/s`);

	// 6. The real n8n app in queue mode: webhook → Redis → workers (bench/queue.ts).
	const queue = await queueThroughput();
	log(`\n6. n8n queue mode, ${queue.executions} webhook executions at once of ${queue.messagesPerExecution} messages each (Concurrency 4), 20 ms server latency:`);
	log(`   one worker   ${Math.round(queue.oneWorker)} messages/s`);
	log(`   two workers  ${Math.round(queue.twoWorkers)} messages/s (${(queue.twoWorkers / queue.oneWorker).toFixed(2)}×; main, workers, Redis, PostgreSQL and the sandbox share ${os.cpus().length} cores)`);

	log(`\nload average at end: ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);

	if (JSON_OUTPUT) {
		console.log(
			JSON.stringify({
				seqVsRawFetch: round2(seqVsRawFetch),
				seqVsHttpRequestNode: round2(seqVsHttpRequestNode),
				par8VsHttpRequestNodeBatch8: round2(par8VsHttpRequestNodeBatch8),
				conc16VsConc1Throughput: round2(conc16VsConc1Throughput),
				rssGrowthPerFile: round2(documents.rssGrowthPerFile),
				load10kPeakRssMb: Math.round(load.peakMb),
				// Context for the two memory figures above (not targets).
				liveArrayBuffersPerFile: round2(documentsLiveSet.liveArrayBuffersPerFile),
				seqVsRawFetchAt20msLatency: round2(sequentialAt20.ours / sequentialAt20.fetch),
				par8VsHttpRequestNodePaced: round2(parallel.ours / parallel.httpRequestNodePaced),
				fetchConc16VsConc1Throughput: round2(rate.fetch16 / rate.fetch1),
				queueOneWorkerMessagesPerSec: Math.round(queue.oneWorker),
				queueTwoWorkersMessagesPerSec: Math.round(queue.twoWorkers),
			}),
		);
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
