import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { expectBody, senderNumberList } from './schemas';
import { senderLabel } from './senders';
import { tgoRequest } from './transport';

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
	// What the user types may be in the label's words or in TGO's own status (e.g. "pending").
	const matches = (sender: (typeof senders)[number], label: string) =>
		[label, sender.status, sender.verification_status ?? ''].some((text) => text.toLowerCase().includes(needle));
	const results = senders
		.map((sender) => ({ sender, name: senderLabel(sender) }))
		.filter(({ sender, name }) => needle === '' || matches(sender, name))
		.map(({ sender, name }) => ({ name, value: String(sender.id) }));
	return { results };
}
