import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { returnAllAndLimit } from '../shared/descriptions';
import { runItems } from '../shared/items';
import { expectBody, messageLogPage } from '../shared/schemas';
import { tgoRequest } from '../shared/transport';
import { collectMessageLogs } from './pagination';

export class TgoGetMessageLogs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Get Message Logs',
		name: 'tgoGetMessageLogs',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["returnAll"] ? "All messages" : "Up to " + $parameter["limit"] + " messages" }}',
		description:
			'Get the messages your organisation sent on TGO Connect, with their status. Use it to check whether a message went out.',
		defaults: { name: 'TGO Get Message Logs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [...returnAllAndLimit()],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, async (itemIndex) => {
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);

			const { entries, stoppedEarly } = await collectMessageLogs(async (query) => {
				const body = await tgoRequest(this, {
					operation: 'listMessageLogs',
					method: 'GET',
					path: '/messages',
					qs: query,
				});
				return expectBody(messageLogPage, body, 'the message logs');
			}, limit);

			if (stoppedEarly) this.addExecutionHints({ message: stoppedEarly, type: 'warning', location: 'outputPane' });
			return entries;
		});
	}
}
