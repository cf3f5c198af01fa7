import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { senderNumberList } from './schemas';
import { senderLabel } from './senders';
import { expectBody, tgoRequest } from './transport';

/**
 * The sender picker: every sender number of the tenant, including those that cannot send, whose
 * status shows in the label so a user sees why a send from them fails.
 */
export async function searchSenderNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const body = await tgoRequest(this, {
		operation: 'listSenderNumbers',
		method: 'GET',
		path: '/sender-numbers',
	});
	const senders = expectBody(senderNumberList, body, 'the sender number list').data;
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = senders
		.map((sender) => ({ name: senderLabel(sender), value: String(sender.id) }))
		.filter((result) => needle === '' || result.name.toLowerCase().includes(needle));
	return { results };
}
