import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runItems } from '../shared/items';
import { expectBody, usage } from '../shared/schemas';
import { tgoRequest } from '../shared/transport';
import { usageItems } from './usageRows';

export class TgoGetUsage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Get Usage',
		name: 'tgoGetUsage',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["options"]?.splitBySender ? "One item per sender number" : "Usage summary" }}',
		description: 'Get how many TGO Connect messages your organisation has sent, per sender number. Use it for usage and billing reports.',
		defaults: { name: 'TGO Get Usage' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Split by Sender',
						name: 'splitBySender',
						type: 'boolean',
						default: false,
						description:
							'Whether to output one item per sender number row instead of the whole usage report. When the report has no per-sender rows, it is returned as one item.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, async (itemIndex) => {
			const splitBySender = this.getNodeParameter('options.splitBySender', itemIndex, false) as boolean;
			const body = await tgoRequest(this, { operation: 'getUsage', method: 'GET', path: '/usage' });
			// Any JSON object is a valid report (its shape is undocumented); JSON values are IDataObject values.
			const report = expectBody(usage, body, 'the usage report') as IDataObject;
			return usageItems(report, splitBySender);
		});
	}
}
