import type { IExecuteFunctions } from 'n8n-workflow';

import { type ContactLookup, contactLookup, expectBody } from './schemas';
import { tgoRequest } from './transport';
import type { SenderSelector } from './validation';

/**
 * GET /contacts/lookup, shared by Lookup Contact and Send Message's "Check Recipient First".
 * The sender is passed along when known, since reachability can depend on it.
 */
export async function lookupContact(
	context: IExecuteFunctions,
	request: { phone: string; sender?: SenderSelector; timeoutMs?: number },
): Promise<ContactLookup> {
	const body = await tgoRequest(context, {
		operation: 'lookupContact',
		method: 'GET',
		path: '/contacts/lookup',
		qs: { phone: request.phone, ...request.sender },
		timeoutMs: request.timeoutMs,
	});
	return expectBody(contactLookup, body, 'the contact lookup');
}
