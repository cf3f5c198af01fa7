// The floor a community node can reach: the least any node that sends these messages must do
// inside n8n. A community node must send through n8n's request helper (the lint forbids its own
// HTTP client), and must read the recipient per item (the user's expression); this node does only
// that. Per execution: the sender and the text, read once. Per item: one getNodeParameter for
// the recipient, one httpRequestWithAuthentication with
// the tgoBusinessApi credential and the request options TGO Send Message passes, one status
// check, one output item. No validation, no schema, no retries, no error output. Items go
// through the same sliding window as TGO Send Message's Concurrency (a worker per slot takes the
// next item), results in input order.
//
// Loaded into the bench's n8n-core next to the package (bench/n8n.ts), never published.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const HELPER_FLOOR_TYPE = 'bench.helperFloor';

interface FullResponse {
	statusCode: number;
	body: { data?: IDataObject };
}

export const helperFloorNode: INodeType = {
	description: {
		displayName: 'Helper Floor',
		name: HELPER_FLOOR_TYPE,
		group: ['output'],
		version: 1,
		description: 'Sends one text message per item through n8n\'s request helper, nothing more',
		defaults: { name: 'Helper Floor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [
			{ displayName: 'Sender Number ID', name: 'senderNumberId', type: 'number', default: 0 },
			{ displayName: 'To Phone', name: 'toPhone', type: 'string', default: '' },
			{ displayName: 'Text', name: 'content', type: 'string', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 1 },
		],
	},

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const senderNumberId = this.getNodeParameter('senderNumberId', 0) as number;
		const content = this.getNodeParameter('content', 0) as string;
		const output: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const itemIndex = next++;
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'tgoBusinessApi', {
					method: 'POST',
					url: '/messages',
					body: {
						sender_number_id: senderNumberId,
						to_phone: this.getNodeParameter('toPhone', itemIndex) as string,
						type: 'text',
						content,
					},
					timeout: 30_000,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				})) as FullResponse;
				if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`helper floor: status ${response.statusCode}`);
				output[itemIndex] = { json: response.body.data ?? {}, pairedItem: { item: itemIndex } };
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
		return [output];
	},
};
