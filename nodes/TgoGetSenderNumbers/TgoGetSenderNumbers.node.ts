import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { returnAllAndLimit, senderStatusOptions } from '../shared/descriptions';
import { runItems } from '../shared/items';
import { expectBody, senderNumberList } from '../shared/schemas';
import { senderWithReadiness } from '../shared/senders';
import { tgoRequest } from '../shared/transport';

export class TgoGetSenderNumbers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Get Sender Numbers',
		name: 'tgoGetSenderNumbers',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["filters"]?.readyOnly ? "Ready to send only" : "All sender numbers" }}',
		description:
			'List the sender numbers your organisation sends TGO Connect messages from, and whether each is ready to send. Use it to choose a sender or to see why one cannot send.',
		defaults: { name: 'TGO Get Sender Numbers' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [
			...returnAllAndLimit(),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Ready to Send Only',
						name: 'readyOnly',
						type: 'boolean',
						default: false,
						description: 'Whether to return only sender numbers that can send messages now',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'multiOptions',
						options: senderStatusOptions,
						default: [],
						description: 'Return only sender numbers with one of these statuses',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, async (itemIndex) => {
			const filters = this.getNodeParameter('filters', itemIndex, {}) as {
				status?: string[];
				readyOnly?: boolean;
			};
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;

			const body = await tgoRequest(this, {
				operation: 'listSenderNumbers',
				method: 'GET',
				path: '/sender-numbers',
			});
			const senders = expectBody(senderNumberList, body, 'the sender number list').data;

			const statuses = filters.status ?? [];
			const selected: IDataObject[] = [];
			for (const sender of senders) {
				if (statuses.length > 0 && !statuses.includes(sender.status)) continue;
				const withReadiness = senderWithReadiness(sender);
				if (filters.readyOnly && withReadiness.ready_to_send !== true) continue;
				selected.push(withReadiness);
			}
			if (returnAll) return selected;
			return selected.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
		});
	}
}
