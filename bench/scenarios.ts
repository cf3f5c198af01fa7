// The requests the benchmarks make, three ways: TGO Send Message, n8n's HTTP Request node
// configured for the same request, and a plain fetch loop (the floor).
import './env';

import type { INodeExecutionData, INodeParameters, IVersionedNodeType } from 'n8n-workflow';

import { senders } from '../tools/sandbox/fixtures';
import { HTTP_REQUEST_TYPE } from './httpRequestNode';
import { runBenchNode, TGO_SEND_MESSAGE_TYPE } from './n8n';

export const CONTENT = 'Your order has shipped. Track it in the app.';

export interface Target {
	/** http://127.0.0.1:PORT, the credential's Tenant Domain. */
	domain: string;
	apiKey: string;
}

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
export async function sendWithNode(target: Target, items: INodeExecutionData[], concurrency: number): Promise<number> {
	const run = await runBenchNode(
		{ type: TGO_SEND_MESSAGE_TYPE, typeVersion: 1, parameters: sendMessageParameters(concurrency), credentials: target },
		items,
	);
	if (run.error) throw run.error;
	const [success = [], failures = []] = run.outputs;
	if (success.length !== items.length) {
		throw new Error(`TGO Send Message: ${success.length} of ${items.length} in Success; first failure: ${JSON.stringify(failures[0]?.json.error)}`);
	}
	return run.nodeMs;
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

export async function sendWithHttpRequestNode(
	httpRequest: IVersionedNodeType,
	target: Target,
	items: INodeExecutionData[],
	batchSize?: number,
	batchInterval = 0,
): Promise<number> {
	const run = await runBenchNode(
		{ type: HTTP_REQUEST_TYPE, typeVersion: 4.2, parameters: httpRequestParameters(target, batchSize, batchInterval) },
		items,
		{ [HTTP_REQUEST_TYPE]: httpRequest },
	);
	if (run.error) throw run.error;
	const [output = []] = run.outputs;
	const sent = output.filter((item) => (item.json.data as { status?: string } | undefined)?.status === 'sent').length;
	if (sent !== items.length) throw new Error(`HTTP Request: ${sent} of ${items.length} sent; first: ${JSON.stringify(output[0]?.json)}`);
	return run.nodeMs;
}

/** The same requests with fetch, `concurrency` at a time: no n8n at all. */
export async function sendWithFetch(target: Target, items: INodeExecutionData[], concurrency = 1): Promise<number> {
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
	return performance.now() - started;
}
