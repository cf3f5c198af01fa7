// TGO Register Sender Number, executed in real n8n-core (WorkflowExecute, the package loaded from
// dist/) against the TGO sandbox over loopback. Nothing between the node and the server is mocked.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type NodeSettings, runAsTool, runNode, type TgoCredentialData } from '../../tools/harness';
import { contacts, senders } from '../../tools/sandbox/fixtures';
import { type Fault, messages, type RecordedRequest } from '../../tools/sandbox/server';
import { expectDocumentedFailure, expectEveryItemFailed } from './expectations';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();

/** A branch phone that is a TGO Connect user and not yet a sender of the tenant. */
const NEW_BRANCH = '+201001187200';
const OTP_HINT = /Waiting for OTP.*TGO Business dashboard/;
const CHECK_SENDER_LIST = /TGO Get Sender Numbers/;

interface RegisterRun {
	items?: IDataObject[];
	credentials?: TgoCredentialData;
	continueOnFail?: boolean;
}

/** Runs TGO Register Sender Number: by default for the Maadi branch's phone, named "Maadi Branch". */
async function registerSenderNumber(parameters: INodeParameters = {}, run: RegisterRun = {}) {
	return await runNode({
		type: 'tgoRegisterSenderNumber',
		parameters: { phone: NEW_BRANCH, displayName: 'Maadi Branch', ...parameters },
		items: run.items ?? [{ branch: 'Maadi', manager: 'Nour' }],
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

const registrations = (): RecordedRequest[] => sandbox.requestsTo('POST', '/sender-numbers');
const errorOf = (item: { json: IDataObject }) => item.json.error as IDataObject;

describe('a phone that can be registered', () => {
	test('comes out on Success as the new sender number, pending its OTP, with what the owner must do next', async () => {
		const { success, error, thrown } = await registerSenderNumber();

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		expect(success[0].json).toEqual({
			id: expect.any(Number),
			phone: NEW_BRANCH,
			display_name: 'Maadi Branch',
			status: 'pending_verification',
			verification_status: null,
			created_at: expect.any(String),
			updated_at: expect.any(String),
			ready_to_send: false,
			hint: expect.stringMatching(OTP_HINT),
		});
		expect(success[0].pairedItem).toEqual({ item: 0 });

		// One JSON request with the documented fields, and the number now exists at TGO.
		expect(registrations()).toHaveLength(1);
		expect(registrations()[0].contentType).toBe('application/json');
		expect(registrations()[0].json).toEqual({ phone: NEW_BRANCH, display_name: 'Maadi Branch' });
		expect(registrations()[0].headers['x-api-key']).toBe(sandbox.keys.full);
		expect(sandbox.registered).toEqual([expect.objectContaining({ id: success[0].json.id, phone: NEW_BRANCH })]);
	});

	test('TGO Get Sender Numbers then lists it with the same readiness and hint', async () => {
		const registered = await registerSenderNumber();
		const listed = await runNode({
			type: 'tgoGetSenderNumbers',
			parameters: { returnAll: true, filters: { status: ['pending_verification'] } },
			credentials: credentials(),
		});

		const newSender = listed.success.find((item) => item.json.phone === NEW_BRANCH);
		expect(newSender?.json).toEqual(registered.success[0].json);
	});

	test.each([
		['left empty', '', { phone: NEW_BRANCH }],
		['only spaces', '   ', { phone: NEW_BRANCH }],
		['with spaces around it', '  Maadi Branch ', { phone: NEW_BRANCH, display_name: 'Maadi Branch' }],
		['a number from the data', '={{ 42 }}', { phone: NEW_BRANCH, display_name: '42' }],
	])('a display name %s is sent as TGO needs it', async (_case, displayName, body) => {
		const { success } = await registerSenderNumber({ displayName });

		expect(success).toHaveLength(1);
		expect(registrations()[0].json).toEqual(body);
	});

	test.each([
		['spaces and dashes', '+20 100-118-7200', {}],
		['a leading 00', '00201001187200', {}],
		['a national number with the default country code', '0100 118 7200', { defaultCountryCode: '20' }],
	])('a phone written with %s is registered in E.164', async (_case, phone, options) => {
		const { success } = await registerSenderNumber({ phone, options });

		expect(success[0].json.phone).toBe(NEW_BRANCH);
		expect(registrations()[0].json).toMatchObject({ phone: NEW_BRANCH });
	});
});

describe('the answer: its shape is undocumented, so the node reads what TGO may plausibly send', () => {
	const answered = (body: unknown): Fault => ({ kind: 'status', status: 201, body });
	const created = { id: 31, phone: NEW_BRANCH, display_name: 'Maadi Branch', status: 'pending_verification', verification_status: null };

	const withExtras = { ...created, otp_sent_at: '2026-02-01T10:00:00Z', branch_code: 'MAA' };

	test.each([
		['{ data: sender }, with fields the docs do not name', { data: withExtras }, withExtras],
		['the bare sender, with fields the docs do not name', withExtras, withExtras],
		['a bare sender that has a field called data', { ...withExtras, data: { source: 'api' } }, { ...withExtras, data: { source: 'api' } }],
	])('%s: every field of the sender kept, plus readiness', async (_case, body, sender) => {
		sandbox.inject('POST /sender-numbers', answered(body));

		const { success } = await registerSenderNumber();

		expect(success[0].json).toEqual({ ...sender, ready_to_send: false, hint: expect.stringMatching(OTP_HINT) });
	});

	test.each([
		['active at once', { status: 'active' }, true, undefined],
		['active, but the owner must still verify their TGO Connect account', { status: 'active', verification_status: 'pending_account_verification' }, false, /verify their TGO Connect account/],
		['in a status TGO does not document', { status: 'awaiting_review' }, false, /"awaiting_review"/],
	])('a sender answered %s gets the readiness Get Sender Numbers would give it', async (_case, fields, readyToSend, hint) => {
		sandbox.inject('POST /sender-numbers', answered({ data: { ...created, ...fields } }));

		const { success } = await registerSenderNumber();

		expect(success[0].json.ready_to_send).toBe(readyToSend);
		if (hint) expect(success[0].json.hint).toMatch(hint);
		else expect(success[0].json).not.toHaveProperty('hint');
	});

	test.each([
		['a sender without its status', { data: { id: 31, phone: NEW_BRANCH } }, /unexpected shape at "status"/],
		['a list', { data: [created] }, /unexpected shape/],
		['a bare list', [created], /unexpected shape: Expected object, received array/],
		['text', 'Sender number created', /unexpected shape: Expected object, received string/],
		['an empty object', {}, /unexpected shape at "id"/],
	])('%s is an API_ERROR that says the number was most likely registered', async (_case, body, message) => {
		sandbox.inject('POST /sender-numbers', answered(body));

		const { success, error, thrown } = await registerSenderNumber({}, { continueOnFail: true });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error[0].json).toMatchObject({ branch: 'Maadi' });
		expect(errorOf(error[0])).toEqual({
			code: 'API_ERROR',
			message: expect.stringMatching(/^TGO returned the registered sender number in an unexpected shape/),
			description: expect.stringMatching(/most likely registered.*Unexpected answer from TGO: /),
			resolution: expect.stringMatching(CHECK_SENDER_LIST),
			docsUrl: expect.stringMatching(/^https:\/\/docs\.business\.tgo-eg\.com\//),
		});
		expect(errorOf(error[0]).message).toMatch(message);
		expect(registrations()).toHaveLength(1);
	});

	test('without Continue on Fail, an unreadable answer stops the node naming the item', async () => {
		sandbox.inject('POST /sender-numbers', { kind: 'emptyBody' });

		const { success, error, thrown } = await registerSenderNumber({}, { items: [{ branch: 'Maadi' }, { branch: 'Zamalek' }] });

		expect(success).toEqual([]);
		expect(error).toEqual([]);
		expect(thrown).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringMatching(/registered sender number in an unexpected shape/),
			description: expect.stringMatching(/most likely registered/),
			context: { itemIndex: 0 },
		});
		expect(registrations()).toHaveLength(1);
	});
});

describe('INVALID_INPUT: an item whose own parameters are wrong registers nothing', () => {
	test.each([
		['a national number with no country code', { phone: '01001187200' }, 'phone', 'Phone', '01001187200'],
		['letters in the phone', { phone: 'Maadi branch line' }, 'phone', 'Phone', 'Maadi branch line'],
		['a phone that is empty in the data', { phone: '={{ $json.phone ?? "" }}' }, 'phone', 'Phone', ''],
		['a default country code that is not digits', { options: { defaultCountryCode: 'EG' } }, 'options.defaultCountryCode', 'Default Country Code', 'EG'],
	])('%s', async (_case, parameters, field, label, value) => {
		const { success, error, thrown } = await registerSenderNumber(parameters);

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error[0].json).toMatchObject({ branch: 'Maadi', manager: 'Nour' });
		// The user reads the field's name as the editor shows it; the code name stays in details.
		expect(errorOf(error[0])).toMatchObject({ code: 'INVALID_INPUT', details: { field, value }, resolution: expect.stringContaining(`"${label}"`) });
		expect(String(errorOf(error[0]).message).startsWith(`${label}: "${value}"`)).toBe(true);
		expect(sandbox.requests).toEqual([]);
	});

	test('a display name mapped from an object is refused rather than sent as "[object Object]"', async () => {
		const { error } = await registerSenderNumber({ displayName: '={{ $json.branchInfo }}' }, { items: [{ branchInfo: { name: 'Maadi' } }] });

		expect(errorOf(error[0])).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'displayName' } });
		expect(sandbox.requests).toEqual([]);
	});
});

describe('documented failures from TGO go to the Error output with what the user must do', () => {
	test.each([
		['a number that is already a sender', senders.pendingVerification.phone, messages.phoneTaken],
		['a phone with no TGO Connect account', contacts.notOnTgoConnect.phone, messages.phoneNotOnTgoConnect],
	])('VALIDATION_FAILED: %s, with TGO\'s words in details.fields', async (_case, phone, message) => {
		const { success, error } = await registerSenderNumber({ phone });

		expect(success).toEqual([]);
		expectDocumentedFailure(error[0], { code: 'VALIDATION_FAILED', message, httpCode: 422 });
		expect(errorOf(error[0]).details).toEqual({ fields: { phone: [message] } });
		expect(errorOf(error[0]).resolution).toMatch(/already taken is registered already: TGO Get Sender Numbers.*TGO Connect account/);
		expect(error[0].json).toMatchObject({ branch: 'Maadi' });
		expect(registrations()).toHaveLength(1);
		expect(sandbox.registered).toEqual([]);
	});

	test('VALIDATION_FAILED: a display name longer than TGO accepts', async () => {
		const { error } = await registerSenderNumber({ displayName: 'M'.repeat(256) });

		expect(errorOf(error[0])).toMatchObject({
			code: 'VALIDATION_FAILED',
			details: { fields: { display_name: ['The display name field must not be greater than 255 characters.'] } },
		});
	});

	test('registering the same number twice in one run: the first is registered, the second is refused as taken', async () => {
		const { success, error } = await registerSenderNumber({}, { items: [{ branch: 'Maadi' }, { branch: 'Maadi (again)' }] });

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(error.map((item) => [item.pairedItem, errorOf(item).code, errorOf(item).message])).toEqual([
			[{ item: 1 }, 'VALIDATION_FAILED', messages.phoneTaken],
		]);
		expect(sandbox.registered).toHaveLength(1);
	});

	test('MISSING_SCOPE names messages.send, the scope registering needs', async () => {
		const { error } = await registerSenderNumber({}, { credentials: credentials(sandbox.keys.readOnly) });

		expectDocumentedFailure(error[0], { code: 'MISSING_SCOPE', message: messages.missingScope, httpCode: 403 });
		expect(errorOf(error[0]).details).toEqual({ requiredScope: 'messages.send' });
		expect(errorOf(error[0]).resolution).toMatch(/"messages\.send"/);
	});

	test('a send-only key is enough', async () => {
		const { success } = await registerSenderNumber({}, { credentials: credentials(sandbox.keys.send) });

		expect(success).toHaveLength(1);
	});

	test.each([
		['an expired key', () => credentials(sandbox.keys.expired), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['a revoked key', () => credentials(sandbox.keys.revoked), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['an unknown tenant domain', () => credentials(sandbox.keys.full, sandbox.unknownTenantDomain), 'TENANT_NOT_FOUND', 404, messages.tenantNotFound],
		['a lookup-only key', () => credentials(sandbox.keys.lookup), 'MISSING_SCOPE', 403, messages.missingScope],
	])('%s: every item of the batch fails the same way after one request', async (_case, credentialsFor, code, httpCode, message) => {
		const result = await registerSenderNumber(
			{ phone: '={{ $json.phone }}' },
			{
				items: ['a', 'b', 'c'].map((account, index) => ({ account, phone: `+20100118730${index}` })),
				credentials: credentialsFor(),
			},
		);

		expectEveryItemFailed(result, ['a', 'b', 'c'], { code, message, httpCode });
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.registered).toEqual([]);
	});

	test('RATE_LIMITED: a Retry-After longer than 30 s ends the item at once, registering nothing', async () => {
		sandbox.inject('POST /sender-numbers', { kind: 'status', status: 429, retryAfter: 90 });

		const { error } = await registerSenderNumber();

		expectDocumentedFailure(error[0], { code: 'RATE_LIMITED', message: 'Too Many Attempts.', httpCode: 429 });
		expect(errorOf(error[0]).details).toEqual({ retryAfterSeconds: 90 });
		expect(registrations()).toHaveLength(1);
	});
});

describe('a batch of branches', () => {
	test('new, invalid, taken, not on TGO Connect and new: each comes out once, in order, on the right output', async () => {
		const items = [
			{ branch: 'Maadi', phone: NEW_BRANCH },
			{ branch: 'Heliopolis', phone: '0100 118 7201' },
			{ branch: 'Downtown', phone: senders.active.phone },
			{ branch: 'Zamalek', phone: contacts.notOnTgoConnect.phone },
			{ branch: 'Dokki', phone: '+201001187202' },
		];

		const { success, error } = await registerSenderNumber({ phone: '={{ $json.phone }}', displayName: '={{ $json.branch + " Branch" }}' }, { items });

		expect(success.map((item) => [item.pairedItem, item.json.phone, item.json.display_name])).toEqual([
			[{ item: 0 }, NEW_BRANCH, 'Maadi Branch'],
			[{ item: 4 }, '+201001187202', 'Dokki Branch'],
		]);
		expect(error.map((item) => [item.pairedItem, item.json.branch, errorOf(item).code])).toEqual([
			[{ item: 1 }, 'Heliopolis', 'INVALID_INPUT'],
			[{ item: 2 }, 'Downtown', 'VALIDATION_FAILED'],
			[{ item: 3 }, 'Zamalek', 'VALIDATION_FAILED'],
		]);
		// Nothing was asked for the national number.
		expect(registrations().map((request) => (request.json as IDataObject).phone)).toEqual([
			items[0].phone,
			items[2].phone,
			items[3].phone,
			items[4].phone,
		]);
	});
});

describe('a registration that may have reached TGO is never sent twice', () => {
	test.each([
		['a connection reset after TGO read the request', { kind: 'resetAfterBody' } as Fault, {}, 1],
		['a registration that outlasts the Timeout option', { kind: 'delay', ms: 1500 } as Fault, { timeout: 300 }, 1],
		['a connection reset before TGO read the request', { kind: 'resetBeforeBody' } as Fault, {}, 0],
	])('%s: one request, and the item says to check Get Sender Numbers', async (_case, fault, options, registered) => {
		sandbox.inject('POST /sender-numbers', fault);

		const { success, error, thrown } = await registerSenderNumber({ options }, { continueOnFail: true });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(errorOf(error[0])).toEqual({
			code: 'NETWORK_ERROR',
			message: expect.stringMatching(/^Could not complete the request to TGO \(E[A-Z_]+\): /),
			description: expect.stringMatching(/the sender number may have been registered\. The node did not repeat it/),
			resolution: expect.stringMatching(CHECK_SENDER_LIST),
			docsUrl: expect.stringMatching(/^https:\/\/docs\.business\.tgo-eg\.com\//),
			details: { networkCode: expect.stringMatching(/^E[A-Z]+$/), attempts: 1, reachedTgo: 'maybe' },
		});
		expect(registrations()).toHaveLength(1);
		// Where the sandbox acted before the connection dropped, a retry would have met "already taken".
		expect(sandbox.registered).toHaveLength(registered);
	});

	test('without Continue on Fail, the stopped node says the number may be registered and where to look', async () => {
		sandbox.inject('POST /sender-numbers', { kind: 'resetAfterBody' });

		const { thrown } = await registerSenderNumber();

		expect(thrown).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringMatching(/^Could not complete the request to TGO/),
			description: expect.stringMatching(/may have been registered.*TGO Get Sender Numbers/),
			context: { itemIndex: 0 },
		});
		expect(registrations()).toHaveLength(1);
	});

	test('a 500 is not retried either: it stops the node, or is an API_ERROR under Continue on Fail', async () => {
		sandbox.inject('POST /sender-numbers', { kind: 'status', status: 500 }, { kind: 'status', status: 500 });

		const stopped = await registerSenderNumber();
		const continued = await registerSenderNumber({}, { continueOnFail: true });

		expect(stopped.thrown).toMatchObject({
			name: 'NodeApiError',
			message: 'TGO answered POST /sender-numbers with HTTP 500: Server Error',
			httpCode: '500',
			context: { itemIndex: 0 },
		});
		expect(errorOf(continued.error[0])).toMatchObject({ code: 'API_ERROR', httpCode: 500 });
		expect(registrations()).toHaveLength(2);
	});

	test.each([
		['a 503', { kind: 'status', status: 503 } as Fault],
		['a 429 with Retry-After: 0', { kind: 'status', status: 429, retryAfter: 0 } as Fault],
	])('%s is a refusal TGO did not act on: retried, and the number is registered once', async (_case, fault) => {
		sandbox.inject('POST /sender-numbers', fault);

		const { success, error } = await registerSenderNumber();

		expect(error).toEqual([]);
		expect(success.map((item) => item.json.phone)).toEqual([NEW_BRANCH]);
		expect(registrations().map((request) => request.status)).toEqual([fault.kind === 'status' ? fault.status : 0, 201]);
		expect(sandbox.registered).toHaveLength(1);
	});
});

describe('"Retry On Fail" never registers a number twice', () => {
	const branches = ['Maadi', 'Dokki', 'Heliopolis'].map((branch, index) => ({ branch, phone: `+20100118721${index}` }));
	const registerEach = (settings: NodeSettings) =>
		runNode({
			type: 'tgoRegisterSenderNumber',
			parameters: { phone: '={{ $json.phone }}', displayName: '={{ $json.branch }}' },
			items: branches,
			credentials: credentials(),
			settings,
		});

	test('the 2nd registration refused by TGO (503) until the node stops: n8n re-runs the node, and the 1st is not sent again (it would come back as "already taken")', async () => {
		const refused = { kind: 'status', status: 503, retryAfter: 0 } as const;
		sandbox.inject('POST /sender-numbers', { kind: 'delay', ms: 0 }, refused, refused, refused, refused);

		const { success, error, thrown } = await registerEach({ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success.map((item) => [item.pairedItem, item.json.phone, item.json.status])).toEqual(
			branches.map(({ phone }, index) => [{ item: index }, phone, 'pending_verification']),
		);
		const phones = registrations().map((request) => (request.json as IDataObject).phone);
		expect(phones.filter((phone) => phone === branches[0].phone)).toHaveLength(1);
		expect(phones.filter((phone) => phone === branches[1].phone)).toHaveLength(5);
		expect(sandbox.registered.map((sender) => sender.phone)).toEqual(branches.map(({ phone }) => phone));
	});

	test('a 500 on the 2nd registration (TGO may have registered it): n8n\'s retry sends neither the 1st nor the 2nd again', async () => {
		sandbox.inject('POST /sender-numbers', { kind: 'delay', ms: 0 }, { kind: 'status', status: 500 });

		const { thrown } = await registerEach({ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });

		expect(thrown).toMatchObject({ name: 'NodeApiError', context: expect.objectContaining({ itemIndex: 1 }) });
		expect(registrations().map((request) => (request.json as IDataObject).phone)).toEqual([branches[0].phone, branches[1].phone]);
	});

	test('a registration that may have gone through (reset after TGO read it) is never retried; the node stops naming what was registered', async () => {
		sandbox.inject('POST /sender-numbers', { kind: 'delay', ms: 0 }, { kind: 'resetAfterBody' });

		const { thrown } = await registerEach({ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });

		expect(thrown).toMatchObject({ name: 'NodeApiError', context: expect.objectContaining({ itemIndex: 1 }) });
		expect((thrown as { description?: string }).description).toMatch(/TGO Get Sender Numbers/);
		expect((thrown as { description?: string }).description).toContain('1 of the 3 input items had already been registered before this failure (item index 0)');
		expect(registrations()).toHaveLength(2);
		expect(sandbox.registered.map((sender) => sender.phone)).toEqual([branches[0].phone, branches[1].phone]);
	});
});

describe('as an AI Agent tool', () => {
	const registerTool = (calls: IDataObject[]) =>
		runAsTool({
			type: 'tgoRegisterSenderNumber',
			parameters: {
				phone: "={{ $fromAI('phone', 'The branch phone in international form, e.g. +201001187200', 'string') }}",
				displayName: "={{ $fromAI('branchName', 'The branch name', 'string') }}",
			},
			calls,
			credentials: credentials(),
		});

	test('the model gets the new sender number with its next step, or a taken number as VALIDATION_FAILED with what to do', async () => {
		const run = await registerTool([
			{ phone: NEW_BRANCH, branchName: 'Maadi Branch' },
			{ phone: senders.active.phone, branchName: 'Downtown Branch' },
		]);

		expect(run.thrown).toBeUndefined();
		expect(run.observations.map((observation) => JSON.parse(observation) as IDataObject[])).toEqual([
			[expect.objectContaining({ phone: NEW_BRANCH, display_name: 'Maadi Branch', ready_to_send: false, hint: expect.stringMatching(OTP_HINT) })],
			[{ error: { code: 'VALIDATION_FAILED', message: messages.phoneTaken, resolution: expect.stringMatching(/TGO Get Sender Numbers/), details: { fields: { phone: [messages.phoneTaken] } } } }],
		]);
		expect(run.observations.join('')).not.toContain(sandbox.keys.full);
		expect(sandbox.registered.map((sender) => sender.phone)).toEqual([NEW_BRANCH]);
	});
});
