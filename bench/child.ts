// Memory scenarios, each run in a fresh child process (node --expose-gc build/bench/child.js
// <scenario> <target JSON>) so its RSS baseline is clean: the sandbox that receives the requests
// lives in the parent, and nothing else shares this heap. Prints one JSON line.
import './env';

import { randomBytes } from 'node:crypto';
import type { INodeExecutionData } from 'n8n-workflow';

import { senders } from '../tools/sandbox/fixtures';
import { runBenchNode, TGO_SEND_MESSAGE_TYPE } from './n8n';
import { recipients, sendWithFloor, sendWithNode, type Target } from './scenarios';

const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * A full GC whose freed ArrayBuffers are counted as freed: V8 sweeps dead ArrayBuffers on a
 * background thread and process.memoryUsage().arrayBuffers drops only when that is done, which
 * the next GC waits for. One gc() alone sometimes still counts the previous file's buffer.
 */
function collectArrayBuffers(): void {
	gc();
	gc();
}

/** Peak RSS while `action` runs, sampled every 5 ms. */
async function peakRssDuring(action: () => Promise<unknown>): Promise<number> {
	let peak = process.memoryUsage.rss();
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	try {
		await action();
	} finally {
		clearInterval(sampler);
	}
	return Math.max(peak, process.memoryUsage.rss());
}

/**
 * Peak ArrayBuffer memory (Buffers, file chunks) while `action` runs, with a full GC before each
 * 5 ms sample: what the work holds at once, without the garbage V8 lets pile up between its own
 * collections (RSS cannot show that: memory a GC frees is not handed back at once).
 */
async function liveArrayBuffersDuring(action: () => Promise<unknown>): Promise<number> {
	collectArrayBuffers();
	const baseline = process.memoryUsage().arrayBuffers;
	let peak = baseline;
	const sampler = setInterval(() => {
		collectArrayBuffers();
		peak = Math.max(peak, process.memoryUsage().arrayBuffers);
	}, 5);
	try {
		await action();
	} finally {
		clearInterval(sampler);
	}
	return peak - baseline;
}

function documentItems(count: number, fileBytes: number): INodeExecutionData[] {
	return recipients(count).map((item, index) => ({
		json: item.json,
		binary: {
			data: {
				data: randomBytes(fileBytes).toString('base64'),
				mimeType: 'application/pdf',
				fileName: `invoice-${index}.pdf`,
			},
		},
	}));
}

async function sendDocuments(target: Target, items: INodeExecutionData[]): Promise<void> {
	const run = await runBenchNode(
		{
			type: TGO_SEND_MESSAGE_TYPE,
			typeVersion: 1,
			parameters: {
				sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
				toPhone: '={{ $json.phone }}',
				messageType: 'document',
				content: 'Your invoice',
				binaryPropertyName: 'data',
			},
			credentials: target,
		},
		items,
	);
	if (run.error) throw run.error;
	if (run.outputs[0]?.length !== items.length) throw new Error(`documents: ${run.outputs[0]?.length} of ${items.length} sent: ${JSON.stringify(run.outputs[1]?.[0]?.json.error)}`);
}

const scenarios: Record<string, (target: Target, options: Record<string, number>) => Promise<Record<string, number>>> = {
	/** `files` documents of `fileMb` MB each, one at a time: how much memory beyond the input does sending take? */
	async documents(target, { files, fileMb, liveSet }): Promise<Record<string, number>> {
		const fileBytes = fileMb * MB;
		// Warm-up with a small file: the first send loads code (FormData, multipart, HTTP agents)
		// that stays loaded, without reserving room for a large file ahead of the baseline.
		await sendDocuments(target, documentItems(1, 1024));
		const items = documentItems(files, fileBytes);
		if (liveSet === 1) {
			const held = await liveArrayBuffersDuring(() => sendDocuments(target, items));
			return { liveArrayBuffersMb: held / MB, liveArrayBuffersPerFile: held / fileBytes };
		}
		gc();
		const baseline = process.memoryUsage.rss();
		const peak = await peakRssDuring(() => sendDocuments(target, items));
		return { baselineMb: baseline / MB, peakMb: peak / MB, growthMb: (peak - baseline) / MB, rssGrowthPerFile: (peak - baseline) / fileBytes };
	},

	/** `items` text messages in one execution at `concurrency`: the process's peak RSS. */
	async texts(target, { items: count, concurrency }) {
		await sendWithNode(target, recipients(10), concurrency);
		const items = recipients(count);
		gc();
		const baseline = process.memoryUsage.rss();
		let nodeMs = 0;
		const peak = await peakRssDuring(async () => {
			nodeMs = (await sendWithNode(target, items, concurrency)).ms;
		});
		return { baselineMb: baseline / MB, peakMb: peak / MB, growthMb: (peak - baseline) / MB, nodeMs };
	},

	/**
	 * `runs` executions of `items` text messages at `concurrency` by TGO Send Message (or by the
	 * helper floor with `floor: 1`), after one warm-up: for CPU profiles (bench/profile.ts).
	 */
	async sends(target, { items: count, concurrency, runs, floor }) {
		const send = floor === 1 ? sendWithFloor : sendWithNode;
		await send(target, recipients(count), concurrency);
		let ms = 0;
		let cpuUs = 0;
		for (let run = 0; run < runs; run++) {
			const took = await send(target, recipients(count), concurrency);
			ms += took.ms;
			cpuUs += took.cpuUs;
		}
		return { msPerMessage: ms / (runs * count), cpuUsPerMessage: cpuUs / (runs * count) };
	},
};

async function main() {
	const [name, targetJson, optionsJson] = process.argv.slice(2);
	const scenario = scenarios[name];
	if (!scenario) throw new Error(`unknown scenario "${name}" (known: ${Object.keys(scenarios).join(', ')})`);
	const result = await scenario(JSON.parse(targetJson) as Target, JSON.parse(optionsJson ?? '{}') as Record<string, number>);
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
