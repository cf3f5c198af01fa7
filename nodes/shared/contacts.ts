import type { IExecuteFunctions } from 'n8n-workflow';

import { recipientUnreachable, TgoFailureError } from './errors';
import { type ContactLookup, contactLookup } from './schemas';
import { expectBody, tgoRequest } from './transport';
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

/** The Error-output failure for a phone that TGO Connect says cannot receive messages. */
export function recipientUnreachableError(phone: string, lookup: ContactLookup): TgoFailureError {
	const explained = recipientUnreachable(lookup.reason_code ?? undefined, phone);
	if (explained.details === undefined) delete explained.details;
	return new TgoFailureError({ code: 'RECIPIENT_UNREACHABLE', ...explained });
}
