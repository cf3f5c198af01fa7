// npm run bench [-- --json] [-- --quick]
//
// Benchmarks of TGO Send Message inside real n8n-core against the TGO sandbox on loopback. They
// print figures and ratios measured in this one run; they assert nothing. With --json the same
// figures end the output as one JSON object on the last line. --quick is for development: fewer
// items and rounds, no queue mode (its two keys are null), the chart written under build/.
//
// The contenders (bench/scenarios.ts): TGO Send Message ("ours"); the helper floor, the least a
// community node can do (bench/floorNode.ts: the recipient read, one request through n8n's
// request helper with the same credential, per item); n8n's HTTP Request node; a fetch loop.
//
//   seqVsHelperFloor                ours ÷ floor, sequential, 0 ms latency (time)
//   cpuPerMessageVsHelperFloor      the same in CPU time (user + system) per message
//   seqVsHttpRequestNode            ours ÷ HTTP Request node behind Loop Over Items (its only way to wait for each answer), time
//   cpuPerMessageVsHttpRequestNode  the same in CPU time per message
//   …OneExecution                   the same two against the HTTP Request node alone (every request in flight at once)
//   seqVsRawFetch                   ours ÷ a keep-alive fetch loop (no n8n; not reachable by a node)
//   seqVsRawFetchAt20msLatency      the same against a 20 ms server
//   par8VsHttpRequestNodePaced      ours at concurrency 8 ÷ HTTP Request in batches of 8 every 25 ms (≈ 8 in flight), 10–40 ms latency
//   par8VsHttpRequestNodeBatch8     the same ÷ HTTP Request in batches of 8 every 0 ms (everything in flight at once)
//   conc16VsHelperFloorConc16       ours ÷ floor at concurrency 16, 20 ms latency (time)
//   httpsSeqVsHttpRequestNode       over HTTPS (throwaway CA), 20 ms latency: ours ÷ HTTP Request behind Loop Over Items
//   httpsPar8VsHttpRequestNodePaced the same at concurrency 8 ÷ HTTP Request in batches of 8 spaced by a request's mean time
//   httpsVsHttpSeq                  ours over HTTPS ÷ over HTTP, sequential (what a TLS connection per request costs)
//   conc16VsConc1Throughput         our throughput at concurrency 16 ÷ at 1, 20 ms latency
//   fetchConc16VsConc1Throughput    the same for the fetch loop (what this machine allows at all)
//   rssGrowthPerFile                peak RSS growth sending documents of 5 MB ÷ 5 MB (child process)
//   liveArrayBuffersPerFile         what is held at once while sending them ÷ 5 MB (full GC before each sample)
//   load10kPeakRssMb                peak RSS of a process sending 10,000 texts in one execution (child process)
//   queueOneWorkerMessagesPerSec    messages/s through a webhook in n8n's queue mode with one worker, 20 ms latency
//   queueTwoWorkersMessagesPerSec   the same with two workers (the real n8n app; bench/queue.ts)
//
// Every comparison runs its contenders in interleaved rounds (the order rotating each round)
// after a warm-up; a ratio is of the medians. The sandbox runs in its own process
// (bench/sandboxProcess.ts), so its CPU is not billed to the n8n process measured here. Times
// are n8n-core's own measure of the node (runData executionTime); CPU is process.cpuUsage()
// around each execution of this process, after a full GC.
import './env';

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { makeThrowawayTls } from '../tools/tls';
import { benchChartSvg } from './chart';
import { type Compared, compare, type Contenders, ratioText } from './compare';
import { REPO_ROOT } from './env';
import type { HttpsOptions, HttpsResult } from './https';
import { loadHttpRequestNode } from './httpRequestNode';
import { queueThroughput } from './queue';
import { RemoteSandbox } from './sandboxProcess';
import { type Measured, recipients, sendWithFetch, sendWithFloor, sendWithHttpRequestNode, sendWithNode, type Target } from './scenarios';

const JSON_OUTPUT = process.argv.includes('--json');
const QUICK = process.argv.includes('--quick');

const ROUNDS = QUICK ? 3 : 9;
const SEQUENTIAL_ITEMS = QUICK ? 150 : 500;
const SEQUENTIAL_AT_20MS_ITEMS = QUICK ? 25 : 50;
const PARALLEL_ITEMS = QUICK ? 160 : 400;
// Spacing batches of 8 by the mean latency is the closest the HTTP Request node gets to "8 at a time".
const PACED_INTERVAL_MS = 25;
const SCALING_LATENCY_MS = 20;
const CONCURRENCY_LEVELS = [1, 4, 8, 16];
/** Items per unit of concurrency, so every level runs about as long (≈ 1 s at 20 ms). */
const SCALING_ITEMS_PER_SLOT = QUICK ? 15 : 50;
const HTTPS_LATENCY_MS = 20;
const HTTPS_ITEMS_PER_SLOT = QUICK ? 15 : 40;
const DOCUMENTS = QUICK ? 10 : 50;
const DOCUMENT_MB = 5;
const LOAD_ITEMS = 10_000;

const CHART_PATH = QUICK ? path.join(REPO_ROOT, 'build', 'bench', 'bench-quick.svg') : path.join(REPO_ROOT, 'bench', 'results', 'bench.svg');

const round2 = (value: number) => Math.round(value * 100) / 100;
const ms = (value: number) => `${Math.round(value)} ms`.padStart(8);
const us = (value: number) => `${Math.round(value)} µs`.padStart(7);
const log = (line: string) => console.log(line);
const loadAverage = () => os.loadavg().map((load) => load.toFixed(2)).join(' ');

/**
 * Runs a bench script in a fresh process and resolves to its output (asynchronously: the
 * sandbox processes must keep answering); `env` is added to this process's environment.
 */
async function inChild(script: string, args: string[], env: Record<string, string> = {}): Promise<string> {
	const child = promisify(execFile)(process.execPath, ['--expose-gc', path.join(__dirname, script), ...args], {
		encoding: 'utf8',
		maxBuffer: 16 * 1024 * 1024,
		env: { ...process.env, ...env },
	});
	child.child.stderr?.pipe(process.stderr);
	return (await child).stdout;
}

/** Runs a scenario of child.ts (memory figures, clean heap) and returns its figures. */
async function childScenario(scenario: string, target: Target, options: Record<string, number>): Promise<Record<string, number>> {
	const stdout = await inChild('child.js', [scenario, JSON.stringify(target), JSON.stringify(options)]);
	return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

async function main() {
	if (!(globalThis as { gc?: unknown }).gc) throw new Error('run the bench with node --expose-gc (npm run bench does)');
	const base = loadHttpRequestNode();
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 1024 ** 3)} GB, ${os.platform()} ${os.release()}`;
	log(`TGO Send Message benchmarks${QUICK ? ' (--quick)' : ''} — Node ${process.version}, n8n-core 2.41 in-process, HTTP Request node 4.2 from n8n-nodes-base ${base.version}`);
	log(`machine: ${machine}`);
	// Other work on the machine skews every figure; say how busy it was.
	const loadAtStart = loadAverage();
	log(`load average at start: ${loadAtStart}`);
	log(`${ROUNDS} interleaved rounds after a warm-up; ratios are of the medians. The sandbox runs in its own process.`);

	const sandbox = await RemoteSandbox.start();
	const target: Target = { domain: sandbox.credentialDomain, apiKey: sandbox.apiKey };

	// 1. Sequential, no server latency: what each message costs the n8n process.
	let items = recipients(SEQUENTIAL_ITEMS);
	const sequential = await compare(sandbox, { ms: 0 }, {
		ours: () => sendWithNode(target, items, 1),
		floor: () => sendWithFloor(target, items, 1),
		httpRequestNode: () => sendWithHttpRequestNode(base, target, items),
		httpRequestNodeLooped: () => sendWithHttpRequestNode(base, target, items, { loopOverItems: true }),
		fetch: () => sendWithFetch(target, items, 1),
	}, ROUNDS);
	const perMessage = (compared: Compared, name: string) => compared.cpuUs[name] / SEQUENTIAL_ITEMS;
	const row = (label: string, name: string) =>
		log(`   ${label.padEnd(52)} ${ms(sequential.ms[name])}  ${(sequential.ms[name] / SEQUENTIAL_ITEMS).toFixed(2)} ms/message  CPU ${us(perMessage(sequential, name))}/message`);
	log(`\n1. Sequential, ${SEQUENTIAL_ITEMS} text messages, 0 ms server latency:`);
	row('TGO Send Message (concurrency 1)', 'ours');
	row('helper floor (concurrency 1)', 'floor');
	row('HTTP Request node (one execution, see below)', 'httpRequestNode');
	row('HTTP Request node behind Loop Over Items (batch 1)', 'httpRequestNodeLooped');
	row('fetch loop (keep-alive, no n8n)', 'fetch');
	log(`   ours ÷ floor: time ${ratioText(sequential, 'ours', 'floor')} (target ≤ 1.05), CPU ${ratioText(sequential, 'ours', 'floor', 'cpuUs')} (target ≤ 1.05)`);
	log(`   The HTTP Request node cannot send sequentially on its own: it starts every item's request without waiting for`);
	log(`   the previous answer and awaits them all at the end (its batching options only space the starts of batches).`);
	log(`   Waiting for each answer takes Loop Over Items around it, its sequential form here:`);
	log(`   ours ÷ HTTP Request node behind Loop Over Items: time ${ratioText(sequential, 'ours', 'httpRequestNodeLooped')}, CPU ${ratioText(sequential, 'ours', 'httpRequestNodeLooped', 'cpuUs')} (target ≤ 0.95)`);
	log(`   ours ÷ its one-execution form (every request in flight at once, not like for like): time ${ratioText(sequential, 'ours', 'httpRequestNode')},`);
	log(`   CPU ${ratioText(sequential, 'ours', 'httpRequestNode', 'cpuUs')}; the floor ÷ it: CPU ${ratioText(sequential, 'floor', 'httpRequestNode', 'cpuUs')}`);
	log(`   ours ÷ fetch ${ratioText(sequential, 'ours', 'fetch')}: n8n's request helper opens a new connection per request; no node can avoid it.`);

	// 1b. Sequential against a 20 ms server, for context.
	items = recipients(SEQUENTIAL_AT_20MS_ITEMS);
	const sequentialAt20 = await compare(sandbox, { ms: 20 }, {
		ours: () => sendWithNode(target, items, 1),
		floor: () => sendWithFloor(target, items, 1),
		fetch: () => sendWithFetch(target, items, 1),
	}, ROUNDS);
	log(`\n1b. Sequential, ${SEQUENTIAL_AT_20MS_ITEMS} text messages, 20 ms server latency:`);
	log(`   ours ${ms(sequentialAt20.ms.ours)}, floor ${ms(sequentialAt20.ms.floor)}, fetch ${ms(sequentialAt20.ms.fetch)}: ours ÷ floor ${ratioText(sequentialAt20, 'ours', 'floor')}, ours ÷ fetch ${ratioText(sequentialAt20, 'ours', 'fetch')}`);

	// 2. Eight at a time against jittered latency.
	items = recipients(PARALLEL_ITEMS);
	const inFlight: Record<string, number> = {};
	const observe = (name: string, run: () => Promise<Measured>) => async () => {
		const took = await run();
		inFlight[name] = Math.max(inFlight[name] ?? 0, (await sandbox.stats()).maxInFlight);
		return took;
	};
	const parallel = await compare(sandbox, { ms: 10, jitterMs: 30 }, {
		ours: observe('ours', () => sendWithNode(target, items, 8)),
		floor: observe('floor', () => sendWithFloor(target, items, 8)),
		httpRequestNode: observe('httpRequestNode', () => sendWithHttpRequestNode(base, target, items, { batchSize: 8 })),
		httpRequestNodePaced: observe('httpRequestNodePaced', () => sendWithHttpRequestNode(base, target, items, { batchSize: 8, batchIntervalMs: PACED_INTERVAL_MS })),
		fetch: observe('fetch', () => sendWithFetch(target, items, 8)),
	}, ROUNDS);
	log(`\n2. ${PARALLEL_ITEMS} text messages, server latency 10–40 ms (uniform):`);
	log(`   TGO Send Message, concurrency 8                                 ${ms(parallel.ms.ours)}  (max ${inFlight.ours} in flight)`);
	log(`   helper floor, concurrency 8                                     ${ms(parallel.ms.floor)}  (max ${inFlight.floor} in flight)`);
	log(`   HTTP Request node, batches of 8 every ${PACED_INTERVAL_MS} ms (≈ 8 in flight)         ${ms(parallel.ms.httpRequestNodePaced)}  (max ${inFlight.httpRequestNodePaced} in flight)`);
	log(`   HTTP Request node, batches of 8 every 0 ms (no cap at all)        ${ms(parallel.ms.httpRequestNode)}  (max ${inFlight.httpRequestNode} in flight)`);
	log(`   fetch, 8 workers                                                ${ms(parallel.ms.fetch)}  (max ${inFlight.fetch} in flight)`);
	log(`   ours ÷ HTTP Request paced ${ratioText(parallel, 'ours', 'httpRequestNodePaced')} (target ≤ 0.9); ours ÷ floor ${ratioText(parallel, 'ours', 'floor')}`);
	log(`   ours ÷ HTTP Request 8/0 ms ${ratioText(parallel, 'ours', 'httpRequestNode')} (it had ${inFlight.httpRequestNode} requests in flight; a rate-limited API answers 429)`);

	// 3. Scaling with concurrency at 20 ms latency: ours, the floor, and HTTP Request paced to the
	//    same number in flight (batches of N every 20 ms). Each level gets N × ITEMS_PER_SLOT items.
	const scalingItems = Object.fromEntries(CONCURRENCY_LEVELS.map((level) => [level, recipients(level * SCALING_ITEMS_PER_SLOT)]));
	const scalingContenders: Contenders = {};
	const scalingInFlight: Record<string, number> = {};
	for (const level of CONCURRENCY_LEVELS) {
		scalingContenders[`ours${level}`] = () => sendWithNode(target, scalingItems[level], level);
		scalingContenders[`floor${level}`] = () => sendWithFloor(target, scalingItems[level], level);
		scalingContenders[`httpRequestNode${level}`] = async () => {
			const took = await sendWithHttpRequestNode(base, target, scalingItems[level], { batchSize: level, batchIntervalMs: SCALING_LATENCY_MS });
			scalingInFlight[level] = Math.max(scalingInFlight[level] ?? 0, (await sandbox.stats()).maxInFlight);
			return took;
		};
	}
	const [lowest, highest] = [CONCURRENCY_LEVELS[0], CONCURRENCY_LEVELS.at(-1)!];
	scalingContenders[`fetch${lowest}`] = () => sendWithFetch(target, scalingItems[lowest], lowest);
	scalingContenders[`fetch${highest}`] = () => sendWithFetch(target, scalingItems[highest], highest);
	const scaling = await compare(sandbox, { ms: SCALING_LATENCY_MS }, scalingContenders, ROUNDS);
	const rateOf = (name: string, level: number) => (level * SCALING_ITEMS_PER_SLOT) / (scaling.ms[name] / 1000);
	const rates = (prefix: string) => CONCURRENCY_LEVELS.map((level) => rateOf(`${prefix}${level}`, level));
	const ourRates = rates('ours');
	const floorRates = rates('floor');
	const httpRequestRates = rates('httpRequestNode');
	const conc16VsConc1Throughput = ourRates.at(-1)! / ourRates[0];
	const fetchScaling = rateOf(`fetch${highest}`, highest) / rateOf(`fetch${lowest}`, lowest);
	log(`\n3. Concurrency, ${SCALING_LATENCY_MS} ms server latency, ${SCALING_ITEMS_PER_SLOT} messages per unit of concurrency (messages/s):`);
	log(`   concurrency          ${CONCURRENCY_LEVELS.map((level) => String(level).padStart(6)).join('')}`);
	const rateRow = (label: string, values: number[]) => log(`   ${label.padEnd(21)}${values.map((value) => String(Math.round(value)).padStart(6)).join('')}`);
	rateRow('TGO Send Message', ourRates);
	rateRow('helper floor', floorRates);
	rateRow(`HTTP Request, N/${SCALING_LATENCY_MS} ms`, httpRequestRates);
	log(`   (the HTTP Request node in batches of N every ${SCALING_LATENCY_MS} ms had at most ${CONCURRENCY_LEVELS.map((level) => scalingInFlight[level]).join(', ')} requests in flight)`);
	log(`   ours ÷ floor at concurrency ${highest}: ${ratioText(scaling, `ours${highest}`, `floor${highest}`)} in time (target ≤ 1.03)`);
	log(`   ours at ${highest} ÷ at ${lowest}: ${conc16VsConc1Throughput.toFixed(1)}× the throughput; a fetch loop here: ${fetchScaling.toFixed(1)}× (${Math.round(rateOf(`fetch${lowest}`, lowest))} → ${Math.round(rateOf(`fetch${highest}`, highest))}/s, what this machine and sandbox allow)`);

	// 4. HTTPS, in a child process that trusts a throwaway CA (bench/https.ts).
	const tls = makeThrowawayTls();
	let secure: HttpsResult;
	try {
		const options: HttpsOptions = { keyFile: tls.keyFile, certFile: tls.certFile, rounds: ROUNDS, latencyMs: HTTPS_LATENCY_MS, itemsPerSlot: HTTPS_ITEMS_PER_SLOT };
		secure = JSON.parse((await inChild('https.js', [JSON.stringify(options)], { NODE_EXTRA_CA_CERTS: tls.caFile })).trim().split('\n').at(-1) ?? '{}') as HttpsResult;
	} finally {
		tls.remove();
	}
	const cpuPerMessage = (name: string, count: number) => us(secure.cpuUs[name] / count);
	log(`\n4. HTTPS, ${HTTPS_LATENCY_MS} ms server latency: a new TLS connection per request (n8n's request helper keeps none alive); the`);
	log(`   sandbox's certificate comes from a throwaway CA the measuring process trusts through NODE_EXTRA_CA_CERTS:`);
	log(`   concurrency 1, ${HTTPS_ITEMS_PER_SLOT} messages: TGO Send Message ${ms(secure.ms.ours1)} (CPU ${cpuPerMessage('ours1', HTTPS_ITEMS_PER_SLOT)}/message), HTTP Request node behind Loop Over Items ${ms(secure.ms.httpRequestNode1)} (CPU ${cpuPerMessage('httpRequestNode1', HTTPS_ITEMS_PER_SLOT)}/message)`);
	log(`      ours ÷ HTTP Request ${ratioText(secure, 'ours1', 'httpRequestNode1')}`);
	log(`   concurrency 8, ${8 * HTTPS_ITEMS_PER_SLOT} messages: TGO Send Message ${ms(secure.ms.ours8)} (max ${secure.inFlight.ours8} in flight), HTTP Request node in batches`);
	log(`      of 8 every ${secure.perRequestMs} ms (a request's mean time at 8 in flight over TLS) ${ms(secure.ms.httpRequestNode8)} (max ${secure.inFlight.httpRequestNode8} in flight)`);
	log(`      ours ÷ HTTP Request ${ratioText(secure, 'ours8', 'httpRequestNode8')}`);
	log(`   what TLS costs ours, HTTPS ÷ HTTP: ${ratioText(secure, 'ours1', 'oursHttp1')} in time at concurrency 1, ${ratioText(secure, 'ours8', 'oursHttp8')} at 8;`);
	log(`      CPU ${cpuPerMessage('ours1', HTTPS_ITEMS_PER_SLOT)}/message over HTTPS, ${cpuPerMessage('oursHttp1', HTTPS_ITEMS_PER_SLOT)} over HTTP (${(secure.cpuUs.ours1 / secure.cpuUs.oursHttp1).toFixed(2)}×)`);

	// 5. Memory, each in a fresh process.
	await sandbox.reset();
	await sandbox.setLatency(0);
	const documents = await childScenario('documents', target, { files: DOCUMENTS, fileMb: DOCUMENT_MB });
	await sandbox.reset();
	const fewerDocuments = await childScenario('documents', target, { files: DOCUMENTS / 5, fileMb: DOCUMENT_MB });
	await sandbox.reset();
	const documentsLiveSet = await childScenario('documents', target, { files: DOCUMENTS / 5, fileMb: DOCUMENT_MB, liveSet: 1 });
	await sandbox.reset();
	log(`\n5. Memory, ${DOCUMENTS} documents of ${DOCUMENT_MB} MB sent one at a time (fresh child process each):`);
	log(`   RSS ${Math.round(documents.baselineMb)} MB with the inputs loaded, peak ${Math.round(documents.peakMb)} MB: growth ${documents.growthMb.toFixed(1)} MB = ${documents.rssGrowthPerFile.toFixed(2)} × one file`);
	log(`   the same with ${DOCUMENTS / 5} documents: growth ${fewerDocuments.growthMb.toFixed(1)} MB (${fewerDocuments.rssGrowthPerFile.toFixed(2)} × one file): it does not grow with the number of files`);
	log(`   what is held at once (ArrayBuffers, full GC before every 5 ms sample): ${documentsLiveSet.liveArrayBuffersMb.toFixed(1)} MB = ${documentsLiveSet.liveArrayBuffersPerFile.toFixed(2)} × one file (target ≤ 2)`);

	const load = await childScenario('texts', target, { items: LOAD_ITEMS, concurrency: 8 });
	await sandbox.close();
	log(`\n6. Memory, ${LOAD_ITEMS.toLocaleString('en')} text messages in one execution at concurrency 8 (fresh child process):`);
	log(`   RSS ${Math.round(load.baselineMb)} MB before, peak ${Math.round(load.peakMb)} MB (+${Math.round(load.growthMb)} MB); ${(load.nodeMs / 1000).toFixed(1)} s, ${Math.round(LOAD_ITEMS / (load.nodeMs / 1000))} messages/s`);

	// 7. The real n8n app in queue mode: webhook → Redis → workers (bench/queue.ts).
	let queue: { oneWorker: number; twoWorkers: number } | undefined;
	if (QUICK) {
		log(`\n7. n8n queue mode: skipped with --quick`);
	} else {
		const measuredQueue = await queueThroughput();
		queue = measuredQueue;
		log(`\n7. n8n queue mode, ${measuredQueue.executions} webhook executions at once of ${measuredQueue.messagesPerExecution} messages each (Concurrency 4), 20 ms server latency:`);
		log(`   one worker   ${Math.round(measuredQueue.oneWorker)} messages/s`);
		log(`   two workers  ${Math.round(measuredQueue.twoWorkers)} messages/s (${(measuredQueue.twoWorkers / measuredQueue.oneWorker).toFixed(2)}×; main, workers, Redis, PostgreSQL and the sandbox share ${os.cpus().length} cores)`);
	}

	const loadAtEnd = loadAverage();
	log(`\nload average at end: ${loadAtEnd}`);

	fs.mkdirSync(path.dirname(CHART_PATH), { recursive: true });
	fs.writeFileSync(
		CHART_PATH,
		benchChartSvg({
			title: `TGO Send Message in n8n-core 2.41: throughput and memory${QUICK ? ' (--quick)' : ''}`,
			caption: [
				`npm run bench${QUICK ? ' -- --quick' : ''}, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}; medians of ${ROUNDS} interleaved rounds; the TGO sandbox in its own process on loopback.`,
				`Machine: ${machine}; load average ${loadAtStart} at start, ${loadAtEnd} at end.`,
			],
			concurrency: CONCURRENCY_LEVELS,
			latencyMs: SCALING_LATENCY_MS,
			series: [
				{ name: 'TGO Send Message', color: '#2563eb', messagesPerSec: ourRates },
				{ name: 'helper floor (least a node can do)', color: '#6b7280', dashed: true, messagesPerSec: floorRates },
				{ name: `HTTP Request node, batches of N every ${SCALING_LATENCY_MS} ms`, color: '#ea580c', messagesPerSec: httpRequestRates },
			],
			memory: {
				fileMb: DOCUMENT_MB,
				target: 2,
				bars: [
					{ name: 'held at once\n(ArrayBuffers)', perFile: documentsLiveSet.liveArrayBuffersPerFile, color: '#2563eb' },
					{ name: 'peak RSS growth\n(V8 frees late)', perFile: documents.rssGrowthPerFile, color: '#93c5fd' },
				],
			},
		}),
	);
	log(`chart: ${path.relative(process.cwd(), CHART_PATH)}`);

	if (JSON_OUTPUT) {
		console.log(
			JSON.stringify({
				seqVsHelperFloor: round2(sequential.ms.ours / sequential.ms.floor),
				conc16VsHelperFloorConc16: round2(scaling.ms[`ours${highest}`] / scaling.ms[`floor${highest}`]),
				cpuPerMessageVsHelperFloor: round2(sequential.cpuUs.ours / sequential.cpuUs.floor),
				cpuPerMessageVsHttpRequestNode: round2(sequential.cpuUs.ours / sequential.cpuUs.httpRequestNodeLooped),
				par8VsHttpRequestNodePaced: round2(parallel.ms.ours / parallel.ms.httpRequestNodePaced),
				httpsSeqVsHttpRequestNode: round2(secure.ms.ours1 / secure.ms.httpRequestNode1),
				httpsPar8VsHttpRequestNodePaced: round2(secure.ms.ours8 / secure.ms.httpRequestNode8),
				liveArrayBuffersPerFile: round2(documentsLiveSet.liveArrayBuffersPerFile),
				seqVsHttpRequestNode: round2(sequential.ms.ours / sequential.ms.httpRequestNodeLooped),
				seqVsRawFetch: round2(sequential.ms.ours / sequential.ms.fetch),
				seqVsRawFetchAt20msLatency: round2(sequentialAt20.ms.ours / sequentialAt20.ms.fetch),
				par8VsHttpRequestNodeBatch8: round2(parallel.ms.ours / parallel.ms.httpRequestNode),
				conc16VsConc1Throughput: round2(conc16VsConc1Throughput),
				fetchConc16VsConc1Throughput: round2(fetchScaling),
				rssGrowthPerFile: round2(documents.rssGrowthPerFile),
				load10kPeakRssMb: Math.round(load.peakMb),
				queueOneWorkerMessagesPerSec: queue ? Math.round(queue.oneWorker) : null,
				queueTwoWorkersMessagesPerSec: queue ? Math.round(queue.twoWorkers) : null,
				// Context: the figures behind the ratios above.
				cpuPerMessageUs: round2(perMessage(sequential, 'ours')),
				helperFloorCpuPerMessageUs: round2(perMessage(sequential, 'floor')),
				httpRequestNodeCpuPerMessageUs: round2(perMessage(sequential, 'httpRequestNode')),
				seqVsHttpRequestNodeOneExecution: round2(sequential.ms.ours / sequential.ms.httpRequestNode),
				cpuPerMessageVsHttpRequestNodeOneExecution: round2(sequential.cpuUs.ours / sequential.cpuUs.httpRequestNode),
				helperFloorCpuPerMessageVsHttpRequestNodeOneExecution: round2(sequential.cpuUs.floor / sequential.cpuUs.httpRequestNode),
				httpsVsHttpSeq: round2(secure.ms.ours1 / secure.ms.oursHttp1),
				httpsCpuPerMessageVsHttp: round2(secure.cpuUs.ours1 / secure.cpuUs.oursHttp1),
				messagesPerSecConc1: Math.round(ourRates[0]),
				messagesPerSecConc16: Math.round(ourRates.at(-1)!),
				quick: QUICK,
				loadAverageAtStart: Number(loadAtStart.split(' ')[0]),
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
