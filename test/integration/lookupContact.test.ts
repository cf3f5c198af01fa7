// TGO Lookup Contact, executed in real n8n-core (WorkflowExecute, the package loaded from dist/)
// against the TGO sandbox over loopback. Nothing between the node and the server is mocked.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { listSearch, runNode, type TgoCredentialData } from '../../tools/harness';
import { contacts, senders } from '../../tools/sandbox/fixtures';
import { messages, type RecordedRequest } from '../../tools/sandbox/server';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();

const DOCS_URL = /^https:\/\/docs\.business\.tgo-eg\.com\//;

interface LookupRun {
	items?: IDataObject[];
	credentials?: TgoCredentialData;
	continueOnFail?: boolean;
}

/** Runs TGO Lookup Contact: by default for the docs' recipient, with no sender. */
async function lookupContact(parameters: INodeParameters = {}, run: LookupRun = {}) {
	return await runNode({
		type: 'tgoLookupContact',
		parameters: { phone: contacts.reachable.phone, ...parameters },
		items: run.items ?? [{ customer: 'Mona', orderId: 17 }],
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

const lookups = (): RecordedRequest[] => sandbox.requestsTo('GET', '/contacts/lookup');

/** An Error-output item: the input's fields kept, plus `error` with the guidance a user needs. */
function expectFailure(
	item: INodeExecutionData,
	expected: { code: string; message: string | RegExp; httpCode?: number; input?: IDataObject; details?: IDataObject },
) {
	expect(item.json).toMatchObject(expected.input ?? { customer: 'Mona', orderId: 17 });
	const error = item.json.error as IDataObject;
	expect(error.code).toBe(expected.code);
	if (typeof expected.message === 'string') expect(error.message).toBe(expected.message);
	else expect(error.message).toMatch(expected.message);
	if (expected.httpCode === undefined) expect(error).not.toHaveProperty('httpCode');
	else expect(error.httpCode).toBe(expected.httpCode);
	expect(error.description).toEqual(expect.stringMatching(/\w/));
	expect(error.resolution).toEqual(expect.stringMatching(/\w/));
	expect(error.docsUrl).toMatch(DOCS_URL);
	if (expected.details) expect(error.details).toMatchObject(expected.details);
}

describe('a recipient who can receive messages', () => {
	test('comes out on Success as the lookup body, paired with its input item', async () => {
		const { success, error, thrown } = await lookupContact();

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		expect(success[0].json).toEqual(contacts.reachable.lookup);
		expect(success[0].pairedItem).toEqual({ item: 0 });

		// The "+" of the phone survives the query string, and no sender is named.
		expect(lookups()).toHaveLength(1);
		expect(lookups()[0].query).toEqual({ phone: contacts.reachable.phone });
		expect(lookups()[0].headers['x-api-key']).toBe(sandbox.keys.full);
	});

	test.each([
		['from the list', { __rl: true, mode: 'list', value: String(senders.active.id) }, { sender_number_id: String(senders.active.id) }],
		['by id', { __rl: true, mode: 'id', value: String(senders.activeSecond.id) }, { sender_number_id: String(senders.activeSecond.id) }],
		['by phone', { __rl: true, mode: 'phone', value: senders.active.phone }, { sender_phone: senders.active.phone }],
	])('a sender chosen %s is passed to TGO as exactly one sender field', async (_case, sender, expectedQuery) => {
		const { success } = await lookupContact({ sender });

		expect(success).toHaveLength(1);
		expect(lookups()[0].query).toEqual({ phone: contacts.reachable.phone, ...expectedQuery });
	});

	test('a national number becomes E.164 with the default country code', async () => {
		const { success } = await lookupContact({ phone: '010 1000 0000', options: { defaultCountryCode: '20' } });

		expect(success[0].json).toEqual(contacts.reachable.lookup);
		expect(lookups()[0].query.phone).toBe(contacts.reachable.phone);
	});
});

describe('a recipient who cannot receive messages', () => {
	test.each([
		['a blocked account', contacts.cannotReceive, 'recipient_blocked'],
		['a phone with no TGO Connect account', contacts.notOnTgoConnect, 'not_found'],
		['an account that has not verified its phone', contacts.notVerified, 'recipient_not_verified'],
	])('%s goes to Error as RECIPIENT_UNREACHABLE with the reason code', async (_case, contact, reasonCode) => {
		const { success, error } = await lookupContact({ phone: contact.phone });

		expect(success).toEqual([]);
		expectFailure(error[0], {
			code: 'RECIPIENT_UNREACHABLE',
			message: `${contact.phone} cannot receive TGO Connect messages (reason: ${reasonCode}).`,
			details: { reasonCode },
		});
		expect(error[0].pairedItem).toEqual({ item: 0 });
		expect(lookups()).toHaveLength(1);
	});

	test('with "Unreachable Contact to Error Output" off, it goes to Success with the lookup body', async () => {
		const { success, error } = await lookupContact({
			phone: contacts.cannotReceive.phone,
			options: { unreachableToError: false },
		});

		expect(error).toEqual([]);
		expect(success.map((item) => item.json)).toEqual([contacts.cannotReceive.lookup]);
		expect(success[0].json).toMatchObject({ can_receive: false, reason_code: 'recipient_blocked' });
	});

	test('reachability depends on the sender: the same phone is blocked from one sender and reachable from another', async () => {
		const phone = contacts.unreachableFromSecondSender.phone;
		const { success, error } = await lookupContact(
			{ phone, sender: { __rl: true, mode: 'id', value: '={{ $json.senderId }}' } },
			{ items: [{ senderId: senders.activeSecond.id }, { senderId: senders.active.id }] },
		);

		expect(error.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect((error[0].json.error as IDataObject).details).toEqual({ reasonCode: 'sender_blocked_by_recipient' });
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(success[0].json).toMatchObject({ can_receive: true, reason_code: 'ok' });
	});
});

describe('INVALID_INPUT: an item whose own parameters are wrong is not looked up', () => {
	test.each([
		['a national number with no country code', { phone: '01010000000' }, 'Phone', 'phone', '01010000000'],
		['letters in the phone', { phone: 'ask Mona' }, 'Phone', 'phone', 'ask Mona'],
		['a phone that is empty in the data', { phone: '={{ $json.phone ?? "" }}' }, 'Phone', 'phone', ''],
		['a sender id that is not a number', { sender: { __rl: true, mode: 'id', value: '={{ "Sales" }}' } }, 'Sender (By ID)', 'sender', 'Sales'],
		['a sender phone that is not E.164', { sender: { __rl: true, mode: 'phone', value: '12' } }, 'Sender (By Phone)', 'sender', '12'],
		['a default country code that is not digits', { options: { defaultCountryCode: '+20x' } }, 'Default Country Code', 'options.defaultCountryCode', '+20x'],
	])('%s: the message names "%s" as the editor shows it', async (_case, parameters, label, field, value) => {
		const { success, error, thrown } = await lookupContact(parameters);

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expectFailure(error[0], { code: 'INVALID_INPUT', message: new RegExp(`^${label.replace(/[().+]/g, '\\$&')}: "${value.replace(/\+/g, '\\+')}"`) });
		expect((error[0].json.error as IDataObject).resolution).toMatch(new RegExp(`^Correct "${label.replace(/[().]/g, '\\$&')}"`));
		expect((error[0].json.error as IDataObject).details).toEqual({ field, value });
		expect(sandbox.requests).toEqual([]);
	});
});

describe('documented failures from TGO go to the Error output with what the user must do', () => {
	test('MISSING_SCOPE: a send-only key names contacts.lookup as the scope to add', async () => {
		const { error } = await lookupContact({}, { credentials: credentials(sandbox.keys.send) });

		expectFailure(error[0], {
			code: 'MISSING_SCOPE',
			message: messages.missingScope,
			httpCode: 403,
			details: { requiredScope: 'contacts.lookup' },
		});
		expect(lookups()).toHaveLength(1);
	});

	test('a lookup-only key is enough', async () => {
		const { success } = await lookupContact({}, { credentials: credentials(sandbox.keys.lookup) });

		expect(success).toHaveLength(1);
	});

	test.each([
		['an expired key', () => credentials(sandbox.keys.expired), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['a revoked key', () => credentials(sandbox.keys.revoked), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['an unknown tenant domain', () => credentials(sandbox.keys.full, sandbox.unknownTenantDomain), 'TENANT_NOT_FOUND', 404, messages.tenantNotFound],
		['a key without contacts.lookup', () => credentials(sandbox.keys.readOnly), 'MISSING_SCOPE', 403, messages.missingScope],
	])('%s: every item of the batch fails the same way after one request', async (_case, credentialsFor, code, httpCode, message) => {
		const items = [{ customer: 'a' }, { customer: 'b' }, { customer: 'c' }, { customer: 'd' }];

		const { success, error, thrown } = await lookupContact({}, { items, credentials: credentialsFor() });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		for (const [index, item] of error.entries()) {
			expectFailure(item, { code, message, httpCode, input: items[index] });
		}
		expect(sandbox.requests).toHaveLength(1);
	});

	test('VALIDATION_FAILED: a sender id the tenant does not have, with TGO\'s field errors in details.fields', async () => {
		const { error } = await lookupContact({ sender: { __rl: true, mode: 'id', value: '999' } });

		expectFailure(error[0], {
			code: 'VALIDATION_FAILED',
			message: 'The selected sender number id is invalid.',
			httpCode: 422,
			details: { fields: { sender_number_id: ['The selected sender number id is invalid.'] } },
		});
		expect(lookups()[0].query).toEqual({ phone: contacts.reachable.phone, sender_number_id: '999' });
	});

	test('RATE_LIMITED: a Retry-After longer than 30 s ends the item at once', async () => {
		sandbox.inject('GET /contacts/lookup', { kind: 'status', status: 429, retryAfter: 90 });

		const { error } = await lookupContact();

		expectFailure(error[0], {
			code: 'RATE_LIMITED',
			message: 'Too Many Attempts.',
			httpCode: 429,
			details: { retryAfterSeconds: 90 },
		});
		expect(lookups()).toHaveLength(1);
	});
});

describe('a batch of phones', () => {
	test('reachable, invalid, blocked, unknown and reachable: each comes out once, in order, on the right output', async () => {
		const items = [
			{ name: 'Amal', phone: contacts.reachable.phone },
			{ name: 'Badr', phone: '0100 111 2233' },
			{ name: 'Camelia', phone: contacts.cannotReceive.phone },
			{ name: 'Dina', phone: contacts.notOnTgoConnect.phone },
			{ name: 'Ehab', phone: '+201010000050' },
		];

		const { success, error } = await lookupContact({ phone: '={{ $json.phone }}' }, { items });

		const paired = [...success, ...error].map((item) => (item.pairedItem as { item: number }).item);
		expect(paired.sort()).toEqual([0, 1, 2, 3, 4]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 4 }]);
		expect(success.every((item) => item.json.can_receive === true)).toBe(true);
		expect(error.map((item) => item.json.name)).toEqual(['Badr', 'Camelia', 'Dina']);
		expect(error.map((item) => (item.json.error as IDataObject).code)).toEqual([
			'INVALID_INPUT',
			'RECIPIENT_UNREACHABLE',
			'RECIPIENT_UNREACHABLE',
		]);
		// Nothing was asked for the invalid phone.
		expect(lookups().map((request) => request.query.phone)).toEqual([
			items[0].phone,
			items[2].phone,
			items[3].phone,
			items[4].phone,
		]);
	});
});

describe('undocumented failures', () => {
	test('a lookup is safe to repeat: a 500 then an answer is retried and succeeds', async () => {
		sandbox.inject('GET /contacts/lookup', { kind: 'status', status: 500 });

		const { success, error } = await lookupContact();

		expect(error).toEqual([]);
		expect(success[0].json).toEqual(contacts.reachable.lookup);
		expect(lookups()).toHaveLength(2);
	});

	test('a connection reset on a lookup is retried too', async () => {
		sandbox.inject('GET /contacts/lookup', { kind: 'resetBeforeBody' });

		const { success } = await lookupContact();

		expect(success).toHaveLength(1);
		expect(lookups()).toHaveLength(2);
	});

	test('a 500 that persists stops the node with a NodeApiError naming the item, after 3 retries', async () => {
		const fault = { kind: 'status' as const, status: 500 };
		sandbox.inject('GET /contacts/lookup', fault, fault, fault, fault);

		const { success, error, thrown } = await lookupContact({ phone: '={{ $json.phone }}' }, { items: [{ phone: 'x' }, { phone: contacts.reachable.phone }] });

		expect(success).toEqual([]);
		expect(error).toEqual([]);
		expect(thrown).toMatchObject({
			name: 'NodeApiError',
			message: 'TGO answered GET /contacts/lookup with HTTP 500: Server Error',
			context: { itemIndex: 1 },
		});
		expect(lookups()).toHaveLength(4);
	}, 15_000);

	test('under Continue on Fail, a body that is not the documented lookup is an API_ERROR item', async () => {
		sandbox.inject('GET /contacts/lookup', { kind: 'status', status: 200, body: { exists: true } });

		const { error, thrown } = await lookupContact({}, { continueOnFail: true });

		expect(thrown).toBeUndefined();
		expectFailure(error[0], { code: 'API_ERROR', message: /contact lookup in an unexpected shape at "can_receive"/ });
	});
});

describe('the sender list in the editor', () => {
	test('offers the same senders as Send Message, labelled with their status; "pending" (TGO\'s word) finds those waiting for a verification', async () => {
		const { results } = await listSearch('tgoLookupContact', 'searchSenderNumbers', credentials(), 'pending');

		expect(results).toEqual([
			{ name: '+201001187190 — Billing (cannot send: waiting for OTP)', value: String(senders.pendingVerification.id) },
			{ name: '+201001187191 — Marketing (cannot send: account not verified)', value: String(senders.pendingAccountVerification.id) },
			{ name: '+201001187192 — Operations (cannot send: account not verified)', value: String(senders.activeButAccountUnverified.id) },
		]);
	});

	test('"cannot send" finds every sender that cannot send now', async () => {
		const { results } = await listSearch('tgoLookupContact', 'searchSenderNumbers', credentials(), 'cannot send');

		expect(results.map((result) => result.value)).toEqual(
			[senders.pendingVerification, senders.pendingAccountVerification, senders.activeButAccountUnverified, senders.rejected, senders.suspended].map((sender) => String(sender.id)),
		);
	});
});
