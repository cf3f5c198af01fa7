// GET /contacts/lookup: whether a phone is on TGO Connect and can receive from a sender.
import { lookupContact } from '../fixtures';
import type { Reply, Route, RouteContext } from './route';
import { phoneRule, senderRules, Validation } from './validation';

function lookup({ state, input }: RouteContext): Reply {
	const validation = new Validation();
	phoneRule(input, 'phone', validation);
	// Undocumented: sender params are optional; the send's "not both" rule is mirrored.
	const senderNumber = senderRules(state, input, validation, false);
	if (validation.failed) return validation.reply();
	return { status: 200, json: lookupContact(input.phone as string, senderNumber?.id) };
}

export const lookupContactRoute: Route = {
	method: 'GET',
	path: '/contacts/lookup',
	scope: 'contacts.lookup',
	handle: lookup,
};
