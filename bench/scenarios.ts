// The requests the benchmarks make, four ways: TGO Send Message, the helper floor (the least a
// community node can do, bench/floorNode.ts), n8n's HTTP Request node configured for the same
// request, and a plain fetch loop (no n8n at all). Each returns its time and the CPU it took.
import './env';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { senders } from '../tools/sandbox/fixtures';
import { HELPER_FLOOR_TYPE, helperFloorNode } from './floorNode';
import { HTTP_REQUEST_TYPE, type N8nBaseNodes } from './httpRequestNode';
import { type BenchRun, LOOP_OVER_ITEMS_TYPE, runBenchNode, TGO_SEND_MESSAGE_TYPE } from './n8n';

export const CONTENT = 'Your order has shipped. Track it in the app.';

export interface Target {
	/** http://127.0.0.1:PORT, the credential's Tenant Domain. */
	domain: string;
	apiKey: string;
}

/** One measured run: time (n8n's measure of the node, see bench/n8n.ts) and this process's CPU time. */
export interface Measured {
	ms: number;
	cpuUs: number;
}

const measured = (run: BenchRun): Measured => ({ ms: run.nodeMs, cpuUs: run.cpuUs });

let batchNumber = 0;

/** `count` text-message items, each with its own recipient (one expression per item in every variant). */
export function recipients(count: number): INodeExecutionData[] {
	const batch = (batchNumber++ % 90) + 10;
	return Array.from({ length: count }, (_, index) => ({ json: { phone: `+2017${batch}${String(index).padStart(6, '0')}` } }));
}

export function sendMessageParameters(concurrency: number): INodeParameters {
	return {
		sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
		toPhone: '={{ $json.phone }}',
		messageType: 'text',
		content: CONTENT,
		options: { concurrency },
	};
}

/** Runs TGO Send Message; throws unless every item came out in Success. */
export async function sendWithNode(target: Target, items: INodeExecutionData[], concurrency: number): Promise<Measured> {
	const run = await runBenchNode(
		{ type: TGO_SEND_MESSAGE_TYPE, typeVersion: 1, parameters: sendMessageParameters(concurrency), credentials: target },
		items,
	);
	if (run.error) throw run.error;
	const [success = [], failures = []] = run.outputs;
	if (success.length !== items.length) {
		throw new Error(`TGO Send Message: ${success.length} of ${items.length} in Success; first failure: ${JSON.stringify(failures[0]?.json.error)}`);
	}
	return measured(run);
}

/** Runs the helper floor node with the same credential, `concurrency` at a time; throws unless every item was sent. */
export async function sendWithFloor(target: Target, items: INodeExecutionData[], concurrency: number): Promise<Measured> {
	const run = await runBenchNode(
		{
			type: HELPER_FLOOR_TYPE,
			typeVersion: 1,
			parameters: { senderNumberId: senders.active.id, toPhone: '={{ $json.phone }}', content: CONTENT, concurrency },
			credentials: target,
		},
		items,
		{ [HELPER_FLOOR_TYPE]: helperFloorNode },
	);
	if (run.error) throw run.error;
	const sent = (run.outputs[0] ?? []).filter((item) => item.json.status === 'sent').length;
	if (sent !== items.length) throw new Error(`helper floor: ${sent} of ${items.length} sent`);
	return measured(run);
}

/** HTTP Request 4.2 doing the same POST /messages: headers, JSON body from key/value pairs, recipient by expression. */
export function httpRequestParameters(target: Target, batchSize?: number, batchInterval = 0): INodeParameters {
	return {
		method: 'POST',
		url: `${target.domain}/api/v1/messages`,
		authentication: 'none',
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: {
			parameters: [
				{ name: 'X-Api-Key', value: target.apiKey },
				{ name: 'Accept', value: 'application/json' },
			],
		},
		sendBody: true,
		contentType: 'json',
		specifyBody: 'keypair',
		bodyParameters: {
			parameters: [
				{ name: 'sender_number_id', value: String(senders.active.id) },
				{ name: 'to_phone', value: '={{ $json.phone }}' },
				{ name: 'type', value: 'text' },
				{ name: 'content', value: CONTENT },
			],
		},
		options: batchSize ? { batching: { batch: { batchSize, batchInterval } } } : {},
	};
}

/**
 * How the HTTP Request node is run. It starts every item's request without waiting for the
 * previous answer (it awaits them all at the end); `batchSize` / `batchIntervalMs` only space the
 * starts of batches. `loopOverItems` puts it behind Loop Over Items (batch size 1), the way a user
 * makes it wait for each answer.
 */
export interface HttpRequestRun {
	batchSize?: number;
	batchIntervalMs?: number;
	loopOverItems?: boolean;
}

export async function sendWithHttpRequestNode(
	base: N8nBaseNodes,
	target: Target,
	items: INodeExecutionData[],
	how: HttpRequestRun = {},
): Promise<Measured> {
	const run = await runBenchNode(
		{
			type: HTTP_REQUEST_TYPE,
			typeVersion: 4.2,
			parameters: httpRequestParameters(target, how.batchSize, how.batchIntervalMs),
			loopOverItems: how.loopOverItems,
		},
		items,
		{ [HTTP_REQUEST_TYPE]: base.nodeType, [LOOP_OVER_ITEMS_TYPE]: base.loopOverItems },
	);
	if (run.error) throw run.error;
	const [output = []] = run.outputs;
	const sent = output.filter((item) => (item.json.data as { status?: string } | undefined)?.status === 'sent').length;
	if (sent !== items.length) throw new Error(`HTTP Request: ${sent} of ${items.length} sent; first: ${JSON.stringify(output[0]?.json)}`);
	return measured(run);
}

/** The same requests with fetch, `concurrency` at a time: no n8n at all. */
export async function sendWithFetch(target: Target, items: INodeExecutionData[], concurrency = 1): Promise<Measured> {
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			const response = await fetch(`${target.domain}/api/v1/messages`, {
				method: 'POST',
				headers: { 'X-Api-Key': target.apiKey, Accept: 'application/json', 'Content-Type': 'application/json' },
				body: JSON.stringify({ sender_number_id: senders.active.id, to_phone: item.json.phone, type: 'text', content: CONTENT }),
			});
			const body = (await response.json()) as { data?: { status?: string } };
			if (body.data?.status !== 'sent') throw new Error(`fetch: ${response.status} ${JSON.stringify(body)}`);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const ms = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	return { ms, cpuUs: cpu.user + cpu.system };
}
