// TGO Send Message, executed in real n8n-core (WorkflowExecute, the package loaded from dist/)
// against the TGO sandbox over loopback. Nothing between the node and the server is mocked.
import net from 'node:net';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { capturedLogs, listSearch, runNode, type TgoCredentialData } from '../../tools/harness';
import { allSenders, contacts, senders } from '../../tools/sandbox/fixtures';
import { messages, type RecordedRequest } from '../../tools/sandbox/server';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();

const DOCS_URL = /^https:\/\/docs\.business\.tgo-eg\.com\//;

/** The sender locator as the editor stores it. */
function senderById(id: number | string) {
	return { __rl: true, mode: 'id', value: String(id) };
}

interface SendRun {
	items?: INodeExecutionData[] | IDataObject[];
	credentials?: TgoCredentialData;
	continueOnFail?: boolean;
}

/** Runs TGO Send Message: by default a text "Hello" from the Support number to the docs' recipient. */
async function sendMessage(parameters: INodeParameters = {}, run: SendRun = {}) {
	return await runNode({
		type: 'tgoSendMessage',
		parameters: {
			sender: senderById(senders.active.id),
			toPhone: contacts.reachable.phone,
			messageType: 'text',
			content: 'Hello from TGO Business',
			...parameters,
		},
		items: run.items ?? [{ customer: 'Mona', orderId: 17 }],
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

/** A loopback port nothing listens on: a connection to it is refused. */
async function unusedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

const sends = (): RecordedRequest[] => sandbox.requestsTo('POST', '/messages');
const lookups = (): RecordedRequest[] => sandbox.requestsTo('GET', '/contacts/lookup');

/** An Error-output item: the input's fields kept, plus `error` with the guidance a user needs. */
function expectFailure(
	item: INodeExecutionData,
	expected: { code: string; message: string | RegExp; httpCode?: number; input?: IDataObject; details?: IDataObject },
) {
	const input = expected.input ?? { customer: 'Mona', orderId: 17 };
	expect(item.json).toMatchObject(input);
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

/** Bytes 0..255 repeated: any text decoding, trimming or re-encoding on the way would show. */
function sampleBytes(length: number, seed = 0): Buffer {
	return Buffer.from(Array.from({ length }, (_, index) => (index * 7 + seed) % 256));
}

function fileItem(bytes: Buffer, mimeType: string, fileName?: string, json: IDataObject = { customer: 'Mona', orderId: 17 }) {
	return {
		json,
		binary: { data: { data: bytes.toString('base64'), mimeType, ...(fileName ? { fileName } : {}) } },
	};
}

describe('a text message', () => {
	test('is sent as JSON from the chosen sender, and Success holds the message TGO logged', async () => {
		const { success, error, thrown } = await sendMessage();

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(sends()).toHaveLength(1);
		const [request] = sends();
		expect(request.contentType).toBe('application/json');
		expect(request.headers['x-api-key']).toBe(sandbox.keys.full);
		expect(request.json).toEqual({
			sender_number_id: senders.active.id,
			to_phone: contacts.reachable.phone,
			type: 'text',
			content: 'Hello from TGO Business',
		});

		expect(success).toHaveLength(1);
		expect(success[0].pairedItem).toEqual({ item: 0 });
		// The API's `data` object, as TGO logged it.
		expect(success[0].json).toEqual(sandbox.sent[0].logEntry);
		expect(success[0].json).toMatchObject({ message_type: 'text', content: 'Hello from TGO Business', status: 'sent' });
	});

	test('picked from the sender list, the sender goes out as its id', async () => {
		await sendMessage({ sender: { __rl: true, mode: 'list', value: String(senders.activeSecond.id) } });

		expect(sends()[0].json).toMatchObject({ sender_number_id: senders.activeSecond.id });
		expect(sends()[0].json).not.toHaveProperty('sender_phone');
	});

	test('given by phone, the sender goes out as sender_phone only', async () => {
		await sendMessage({ sender: { __rl: true, mode: 'phone', value: '+20 100 118 7188' } });

		expect(sends()[0].json).toMatchObject({ sender_phone: senders.active.phone });
		expect(sends()[0].json).not.toHaveProperty('sender_number_id');
	});

	test('national numbers become E.164 with the default country code, for the recipient and the sender', async () => {
		const { success } = await sendMessage({
			sender: { __rl: true, mode: 'phone', value: '0100 118 7188' },
			toPhone: '010-1000-0000',
			options: { defaultCountryCode: '20' },
		});

		expect(success).toHaveLength(1);
		expect(sends()[0].json).toMatchObject({ sender_phone: senders.active.phone, to_phone: contacts.reachable.phone });
	});

	test('a phone typed with spaces, brackets or a leading 00 is cleaned up before sending', async () => {
		await sendMessage({ toPhone: ' 0020 (101) 000-0000 ' });

		expect(sends()[0].json).toMatchObject({ to_phone: contacts.reachable.phone });
	});
});

describe('media messages', () => {
	test.each([
		{ messageType: 'image', mimeType: 'image/png', fileName: 'receipt.png', extra: {}, fields: {} },
		{ messageType: 'voice', mimeType: 'audio/ogg', fileName: 'greeting.ogg', extra: { duration: 45 }, fields: { duration: '45' } },
		{ messageType: 'document', mimeType: 'application/pdf', fileName: 'invoice.pdf', extra: {}, fields: {} },
	])(
		'$messageType: the sandbox gets field "media" with the file name, mime type and exact bytes, and the caption',
		async ({ messageType, mimeType, fileName, extra, fields }) => {
			const bytes = sampleBytes(4096, messageType.length);

			const { success, error } = await sendMessage(
				{ messageType, content: 'Your file, as promised', ...extra },
				{ items: [fileItem(bytes, mimeType, fileName)] },
			);

			expect(error).toEqual([]);
			expect(success).toHaveLength(1);
			expect(success[0].json).toMatchObject({ message_type: messageType, content: 'Your file, as promised' });

			expect(sends()).toHaveLength(1);
			const [request] = sends();
			expect(request.contentType).toBe('multipart/form-data');
			expect(request.fields).toEqual({
				sender_number_id: String(senders.active.id),
				to_phone: contacts.reachable.phone,
				type: messageType,
				content: 'Your file, as promised',
				...fields,
			});
			expect(request.files).toHaveLength(1);
			const [file] = request.files!;
			expect(file.field).toBe('media');
			expect(file.filename).toBe(fileName);
			expect(file.contentType).toBe(mimeType);
			expect(file.data.equals(bytes)).toBe(true);
		},
	);

	test('without a caption, no content field is sent', async () => {
		await sendMessage({ messageType: 'image', content: '' }, { items: [fileItem(sampleBytes(64), 'image/jpeg', 'a.jpg')] });

		expect(sends()[0].fields).not.toHaveProperty('content');
	});

	test('the File Name option overrides the name the binary data carries', async () => {
		await sendMessage(
			{ messageType: 'document', options: { fileName: 'Invoice 2026-001.pdf' } },
			{ items: [fileItem(sampleBytes(64), 'application/pdf', 'tmp-83hf2.pdf')] },
		);

		expect(sends()[0].files?.[0].filename).toBe('Invoice 2026-001.pdf');
	});

	test.each([
		['voice', 'audio/ogg', 'voice.ogg', { duration: 12 }],
		['image', 'image/jpeg', 'image.jpg', {}],
		['document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'document.docx', {}],
		['document', 'application/x-unknown-thing', 'document.bin', {}],
	])('a %s of type %s without a file name is sent as "%s"', async (messageType, mimeType, expectedName, extra) => {
		await sendMessage({ messageType, ...extra }, { items: [fileItem(sampleBytes(64), mimeType)] });

		expect(sends()[0].files?.[0].filename).toBe(expectedName);
	});

	test('the file can come from another binary property', async () => {
		const bytes = sampleBytes(100);
		await sendMessage(
			{ messageType: 'image', binaryPropertyName: 'photo' },
			{ items: [{ json: {}, binary: { photo: { data: bytes.toString('base64'), mimeType: 'image/webp', fileName: 'p.webp' } } }] },
		);

		expect(sends()[0].files?.[0]).toMatchObject({ field: 'media', filename: 'p.webp', contentType: 'image/webp' });
		expect(sends()[0].files?.[0].data.equals(bytes)).toBe(true);
	});

	test("a document from the input item's binary reaches the server as the multipart file", async () => {
		const pdf = Buffer.from('%PDF-1.4 harness');
		const result = await runNode({
			type: 'tgoSendMessage',
			parameters: {
				sender: { __rl: true, mode: 'id', value: String(allSenders[0].id) },
				toPhone: contacts.reachable.phone,
				messageType: 'document',
				content: 'Your invoice',
			},
			credentials: credentials(),
			items: [
				{
					json: {},
					binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'invoice.pdf' } },
				},
			],
		});

		expect(result.thrown).toBeUndefined();
		expect(result.error).toEqual([]);
		expect(result.success).toHaveLength(1);
		const [send] = sandbox.requestsTo('POST', '/messages');
		expect(send.contentType).toBe('multipart/form-data');
		expect(send.files?.[0]).toMatchObject({ filename: 'invoice.pdf' });
		expect(send.files?.[0].data.equals(pdf)).toBe(true);
	});
});

describe('INVALID_INPUT: an item whose own parameters are wrong fails before any request', () => {
	test.each([
		['a national recipient number with no country code', { toPhone: '01010000000' }, 'To Phone', 'toPhone', '01010000000'],
		['letters in the recipient number', { toPhone: 'call me' }, 'To Phone', 'toPhone', 'call me'],
		// Literally empty required fields are caught by the editor; from data they reach the node.
		['a recipient number that is empty in the data', { toPhone: '={{ $json.phone ?? "" }}' }, 'To Phone', 'toPhone', ''],
		['a sender that is empty in the data', { sender: senderById('={{ $json.senderId ?? "" }}') }, 'Sender', 'sender', ''],
		['a sender id that is not a number', { sender: senderById('={{ "Support" }}') }, 'Sender (By ID)', 'sender', 'Support'],
		['a sender phone that is not E.164', { sender: { __rl: true, mode: 'phone', value: '1001187188' } }, 'Sender (By Phone)', 'sender', '1001187188'],
		['an empty text', { content: '   ' }, 'Text', 'content', '   '],
		['a default country code with letters', { options: { defaultCountryCode: 'EG' } }, 'Default Country Code', 'options.defaultCountryCode', 'EG'],
	])('%s: the message names "%s" as the editor shows it', async (_case, parameters, label, field, value) => {
		const { success, error, thrown } = await sendMessage(parameters);

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error).toHaveLength(1);
		expectFailure(error[0], { code: 'INVALID_INPUT', message: new RegExp(`^${label.replace(/[().]/g, '\\$&')}: "${value}"`) });
		expect((error[0].json.error as IDataObject).resolution).toBe(`Correct "${label}" in the node or in the incoming data, then run the item again.`);
		// The parameter's name in the workflow JSON stays in details, for expressions that branch on it.
		expect((error[0].json.error as IDataObject).details).toEqual({ field, value });
		expect(error[0].pairedItem).toEqual({ item: 0 });
		expect(sandbox.requests).toEqual([]);
	});

	test('a national number: the message says how to write it and points at the Default Country Code option', async () => {
		const { error } = await sendMessage({ toPhone: '01010000000' });

		expectFailure(error[0], {
			code: 'INVALID_INPUT',
			message:
				'To Phone: "01010000000" has no country code. Write it as + and the country code, then the number without its leading 0 (e.g. +201001187188), or set Options → Default Country Code (e.g. 20 for Egypt) to convert numbers that start with 0',
		});
	});

	test('a media caption that is not text names the Caption field', async () => {
		const { error } = await sendMessage(
			{ messageType: 'image', content: '={{ { "a": 1 } }}' },
			{ items: [fileItem(sampleBytes(64), 'image/png', 'a.png')] },
		);

		expectFailure(error[0], { code: 'INVALID_INPUT', message: 'Caption: {"a":1} is not text' });
		expect((error[0].json.error as IDataObject).details).toEqual({ field: 'content', value: '{"a":1}' });
		expect(sandbox.requests).toEqual([]);
	});

	test.each([
		['0 seconds', 0],
		['301 seconds', 301],
		['a fraction', 12.5],
		['not a number', 'long'],
	])('a voice message of %s', async (_case, duration) => {
		const { error } = await sendMessage(
			{ messageType: 'voice', duration },
			{ items: [fileItem(sampleBytes(64), 'audio/ogg', 'v.ogg')] },
		);

		expectFailure(error[0], { code: 'INVALID_INPUT', message: /^Duration \(Seconds\): .* must be a whole number from 1 to 300 seconds$/ });
		expect((error[0].json.error as IDataObject).details).toMatchObject({ field: 'duration' });
		expect(sandbox.requests).toEqual([]);
	});

	test('a timeout that is not a positive whole number of milliseconds', async () => {
		const { error } = await sendMessage({ options: { timeout: 0 } });

		expectFailure(error[0], { code: 'INVALID_INPUT', message: 'Timeout: 0 must be a whole number from 1 to 3600000 ms' });
		expect((error[0].json.error as IDataObject).details).toEqual({ field: 'options.timeout', value: 0 });
		expect(sandbox.requests).toEqual([]);
	});

	test('a media message whose item has no binary data', async () => {
		const { error } = await sendMessage({ messageType: 'image' });

		expectFailure(error[0], { code: 'INVALID_INPUT', message: /^Input Binary Field: "data" names no file: the input item has no binary data/ });
		expect(sandbox.requests).toEqual([]);
	});

	test('a media message naming a binary property the item does not have lists the ones it has', async () => {
		const { error } = await sendMessage(
			{ messageType: 'document', binaryPropertyName: 'invoice' },
			{ items: [fileItem(sampleBytes(64), 'application/pdf', 'a.pdf')] },
		);

		expectFailure(error[0], {
			code: 'INVALID_INPUT',
			message: 'Input Binary Field: "invoice" names no file on the input item (its binary properties: data)',
		});
		// The failing item keeps its binary, so a retry branch can still use the file.
		expect(error[0].binary?.data).toBeDefined();
		expect(sandbox.requests).toEqual([]);
	});

	test('a media message whose file is empty', async () => {
		const { error } = await sendMessage({ messageType: 'document' }, { items: [fileItem(Buffer.alloc(0), 'application/pdf', 'empty.pdf')] });

		expectFailure(error[0], { code: 'INVALID_INPUT', message: /^Input Binary Field: "data" names an empty file/ });
		expect(sandbox.requests).toEqual([]);
	});

	test('an empty binary property name', async () => {
		const { error } = await sendMessage(
			{ messageType: 'image', binaryPropertyName: ' ' },
			{ items: [fileItem(sampleBytes(64), 'image/png', 'a.png')] },
		);

		expectFailure(error[0], { code: 'INVALID_INPUT', message: /^Input Binary Field: "" is empty/ });
		expect(sandbox.requests).toEqual([]);
	});

	test('with Check Recipient on, an invalid item is not even looked up', async () => {
		const { error } = await sendMessage({ toPhone: '0101', options: { checkRecipient: true } });

		expect((error[0].json.error as IDataObject).code).toBe('INVALID_INPUT');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('documented failures from TGO go to the Error output with what the user must do', () => {
	test('SENDER_NOT_ACTIVE: a sender still waiting for its OTP', async () => {
		const { success, error, thrown } = await sendMessage({ sender: senderById(senders.pendingVerification.id) });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expectFailure(error[0], { code: 'SENDER_NOT_ACTIVE', message: messages.senderNotActive, httpCode: 422 });
		expect((error[0].json.error as IDataObject).resolution).toMatch(/OTP/);
		expect(sends()).toHaveLength(1);
		expect(sends()[0].json).toMatchObject({ sender_number_id: senders.pendingVerification.id });
		expect(sandbox.sent).toEqual([]);
	});

	test.each([
		['a rejected sender', senders.rejected.id],
		['a suspended sender', senders.suspended.id],
	])('SENDER_NOT_ACTIVE: %s', async (_case, senderId) => {
		const { error } = await sendMessage({ sender: senderById(senderId) });

		expectFailure(error[0], { code: 'SENDER_NOT_ACTIVE', message: messages.senderNotActive, httpCode: 422 });
		expect(sandbox.sent).toEqual([]);
	});

	test.each([
		['status pending_account_verification', senders.pendingAccountVerification],
		['status active but verification_status pending_account_verification', senders.activeButAccountUnverified],
	])('ACCOUNT_NOT_VERIFIED with the Arabic body (%s)', async (_case, sender) => {
		const { error } = await sendMessage({ sender: { __rl: true, mode: 'phone', value: sender.phone } });

		// TGO's own (Arabic) words are passed through; the guidance around them is English.
		expectFailure(error[0], { code: 'ACCOUNT_NOT_VERIFIED', message: messages.accountNotVerified, httpCode: 422 });
		expect((error[0].json.error as IDataObject).resolution).toMatch(/TGO Connect/);
		expect(sends()[0].json).toMatchObject({ sender_phone: sender.phone });
		expect(sandbox.sent).toEqual([]);
	});

	test('MISSING_SCOPE: a key without messages.send names the scope to add', async () => {
		const { error } = await sendMessage({}, { credentials: credentials(sandbox.keys.lookup) });

		expectFailure(error[0], {
			code: 'MISSING_SCOPE',
			message: messages.missingScope,
			httpCode: 403,
			details: { requiredScope: 'messages.send' },
		});
		expect(sends()).toHaveLength(1);
		expect(sandbox.sent).toEqual([]);
	});

	test('MISSING_SCOPE: with Check Recipient on, a send-only key lacks contacts.lookup and nothing is sent', async () => {
		const { error } = await sendMessage({ options: { checkRecipient: true } }, { credentials: credentials(sandbox.keys.send) });

		expectFailure(error[0], {
			code: 'MISSING_SCOPE',
			message: messages.missingScope,
			httpCode: 403,
			details: { requiredScope: 'contacts.lookup' },
		});
		expect(lookups()).toHaveLength(1);
		expect(sends()).toEqual([]);
	});

	test.each([
		['an expired key', () => sandbox.keys.expired],
		['a revoked key', () => sandbox.keys.revoked],
		['a key TGO never issued', () => 'tgo_NotARealKey000000000000'],
	])('UNAUTHORIZED: %s, and the key appears nowhere in the output or the logs', async (_case, key) => {
		const apiKey = key();
		const result = await sendMessage({}, { credentials: credentials(apiKey) });

		expectFailure(result.error[0], { code: 'UNAUTHORIZED', message: messages.unauthenticated, httpCode: 401 });
		expect(sends()).toHaveLength(1);
		expect(sends()[0].headers['x-api-key']).toBe(apiKey);
		expect(JSON.stringify(result.error)).not.toContain(apiKey);
		expect(JSON.stringify(result.runData)).not.toContain(apiKey);
		expect(capturedLogs.filter((line) => line.includes(apiKey))).toEqual([]);
	});

	test('TENANT_NOT_FOUND: a domain TGO does not know', async () => {
		const { error } = await sendMessage({}, { credentials: credentials(sandbox.keys.full, sandbox.unknownTenantDomain) });

		expectFailure(error[0], { code: 'TENANT_NOT_FOUND', message: messages.tenantNotFound, httpCode: 404 });
		expect(sends()).toHaveLength(1);
		expect(sandbox.sent).toEqual([]);
	});

	test('VALIDATION_FAILED: a sender id the tenant does not have, with TGO\'s field errors in details.fields', async () => {
		const { error } = await sendMessage({ sender: senderById(999) });

		expectFailure(error[0], {
			code: 'VALIDATION_FAILED',
			message: 'The selected sender number id is invalid.',
			httpCode: 422,
			details: { fields: { sender_number_id: ['The selected sender number id is invalid.'] } },
		});
		expect(sends()).toHaveLength(1);
	});

	test('VALIDATION_FAILED: the message joins every field error', async () => {
		sandbox.inject('POST /messages', {
			kind: 'status',
			status: 422,
			body: { message: 'The given data was invalid.', errors: { to_phone: ['The to phone field format is invalid.'], content: ['The content field is too long.'] } },
		});

		const { error } = await sendMessage();

		expectFailure(error[0], {
			code: 'VALIDATION_FAILED',
			message: 'The to phone field format is invalid. The content field is too long.',
			httpCode: 422,
			details: { fields: { to_phone: ['The to phone field format is invalid.'], content: ['The content field is too long.'] } },
		});
	});

	test('RECIPIENT_UNREACHABLE: TGO refuses the send; the message names the recipient and the reason, as after a lookup', async () => {
		const { error } = await sendMessage({ toPhone: contacts.cannotReceive.phone });
		const { error: afterLookup } = await sendMessage({ toPhone: contacts.cannotReceive.phone, options: { checkRecipient: true } });

		expectFailure(error[0], {
			code: 'RECIPIENT_UNREACHABLE',
			message: `${contacts.cannotReceive.phone} cannot receive TGO Connect messages (reason: recipient_blocked).`,
			httpCode: 422,
			details: { reasonCode: 'recipient_blocked' },
		});
		// One failure, one wording: the refused send reads exactly as the lookup's verdict.
		expect(error[0].json.error).toEqual({ ...(afterLookup[0].json.error as IDataObject), httpCode: 422 });
		expect(sends()).toHaveLength(1);
		expect(sandbox.sent).toEqual([]);
	});

	test('RATE_LIMITED: a Retry-After longer than 30 s ends the item at once, sent once, not held', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 429, retryAfter: 120 });

		const started = performance.now();
		const { error } = await sendMessage();

		expect(performance.now() - started).toBeLessThan(5000);
		expectFailure(error[0], {
			code: 'RATE_LIMITED',
			message: 'Too Many Attempts.',
			httpCode: 429,
			details: { retryAfterSeconds: 120 },
		});
		expect(sends()).toHaveLength(1);
	});

	test('a short Retry-After is waited out and the message then goes through, once', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 429, retryAfter: 1 });

		const { success, error } = await sendMessage();

		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		expect(sends()).toHaveLength(2);
		expect(sends()[1].receivedAt - sends()[0].receivedAt).toBeGreaterThanOrEqual(950);
		expect(sandbox.sent).toHaveLength(1);
	});
});

describe('Check Recipient First', () => {
	test('a recipient who can receive is looked up from the chosen sender, then sent to', async () => {
		const { success } = await sendMessage({ options: { checkRecipient: true } });

		expect(success).toHaveLength(1);
		expect(lookups()).toHaveLength(1);
		expect(lookups()[0].query).toEqual({ phone: contacts.reachable.phone, sender_number_id: String(senders.active.id) });
		expect(sends()).toHaveLength(1);
		expect(sandbox.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
	});

	test('a sender given by phone is passed to the lookup as sender_phone', async () => {
		await sendMessage({ sender: { __rl: true, mode: 'phone', value: senders.active.phone }, options: { checkRecipient: true } });

		expect(lookups()[0].query).toEqual({ phone: contacts.reachable.phone, sender_phone: senders.active.phone });
	});

	test.each([
		['a blocked account', contacts.cannotReceive, 'recipient_blocked'],
		['a phone with no TGO Connect account', contacts.notOnTgoConnect, 'not_found'],
		['an account that has not verified its phone', contacts.notVerified, 'recipient_not_verified'],
	])('%s: nothing is sent, and the item is RECIPIENT_UNREACHABLE with the reason code', async (_case, contact, reasonCode) => {
		const { success, error } = await sendMessage({ toPhone: contact.phone, options: { checkRecipient: true } });

		expect(success).toEqual([]);
		expectFailure(error[0], {
			code: 'RECIPIENT_UNREACHABLE',
			message: `${contact.phone} cannot receive TGO Connect messages (reason: ${reasonCode}).`,
			details: { reasonCode },
		});
		expect(lookups()).toHaveLength(1);
		expect(sends()).toEqual([]);
	});

	test('reachability depends on the sender: blocked from one sender, sent from another', async () => {
		const phone = contacts.unreachableFromSecondSender.phone;
		const { success, error } = await sendMessage(
			{ sender: { __rl: true, mode: 'id', value: '={{ $json.senderId }}' }, toPhone: phone, options: { checkRecipient: true } },
			{ items: [{ senderId: senders.activeSecond.id }, { senderId: senders.active.id }] },
		);

		expect(error.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect((error[0].json.error as IDataObject).details).toEqual({ reasonCode: 'sender_blocked_by_recipient' });
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(lookups().map((request) => request.query.sender_number_id)).toEqual([
			String(senders.activeSecond.id),
			String(senders.active.id),
		]);
		expect(sends().map((request) => (request.json as IDataObject).sender_number_id)).toEqual([senders.active.id]);
	});
});

describe('a batch of recipients', () => {
	// Each item names its own recipient and sender through expressions, as a workflow reading a sheet would.
	const perItem: INodeParameters = {
		sender: { __rl: true, mode: 'id', value: '={{ $json.senderId }}' },
		toPhone: '={{ $json.phone }}',
		content: '=Hello {{ $json.name }}',
		options: { checkRecipient: true },
	};

	test('given six recipients where one phone is national, one sender is pending and one recipient cannot receive, Success gets three messages in order and Error the other three', async () => {
		const items = [
			{ name: 'Amal', phone: contacts.reachable.phone, senderId: senders.active.id },
			{ name: 'Badr', phone: '01001112233', senderId: senders.active.id },
			{ name: 'Camelia', phone: '+201010000010', senderId: senders.pendingVerification.id },
			{ name: 'Dina', phone: contacts.cannotReceive.phone, senderId: senders.active.id },
			{ name: 'Ehab', phone: '+201010000011', senderId: senders.activeSecond.id },
			{ name: 'Farah', phone: '+201010000012', senderId: senders.active.id },
		];

		const { success, error, thrown } = await sendMessage(perItem, { items });

		expect(thrown).toBeUndefined();
		// Every input item exactly once, across both outputs.
		const paired = [...success, ...error].map((item) => (item.pairedItem as { item: number }).item);
		expect(paired.sort()).toEqual([0, 1, 2, 3, 4, 5]);

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 4 }, { item: 5 }]);
		expect(success.map((item) => item.json.content)).toEqual(['Hello Amal', 'Hello Ehab', 'Hello Farah']);

		expect(error.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
		expect(error.map((item) => item.json.name)).toEqual(['Badr', 'Camelia', 'Dina']);
		expect(error.map((item) => (item.json.error as IDataObject).code)).toEqual([
			'INVALID_INPUT',
			'SENDER_NOT_ACTIVE',
			'RECIPIENT_UNREACHABLE',
		]);
		for (const [index, item] of error.entries()) expect(item.json).toMatchObject(items[index + 1]);

		// Nothing at all for the invalid item; a lookup but no send for the unreachable one.
		const all = sandbox.requests.map((request) => request.query.phone ?? (request.json as IDataObject).to_phone);
		expect(all).not.toContain('01001112233');
		expect(lookups().map((request) => request.query.phone)).toEqual([
			items[0].phone,
			items[2].phone,
			items[3].phone,
			items[4].phone,
			items[5].phone,
		]);
		expect(sends().map((request) => (request.json as IDataObject).to_phone)).toEqual([
			items[0].phone,
			items[2].phone,
			items[4].phone,
			items[5].phone,
		]);
		expect(sandbox.sent.map((sent) => sent.toPhone)).toEqual([items[0].phone, items[4].phone, items[5].phone]);
	});

	test('a bad key is found on the first request: the rest of the batch goes to Error without a request each', async () => {
		const items = Array.from({ length: 5 }, (_, index) => ({
			name: `Customer ${index}`,
			phone: `+2010100001${String(index).padStart(2, '0')}`,
			senderId: senders.active.id,
		}));
		items[0].phone = 'not a phone';

		const { success, error } = await sendMessage(
			{ ...perItem, options: {} },
			{ items, credentials: credentials(sandbox.keys.revoked) },
		);

		expect(success).toEqual([]);
		expect(error.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(error.map((item) => (item.json.error as IDataObject).code)).toEqual([
			'INVALID_INPUT',
			'UNAUTHORIZED',
			'UNAUTHORIZED',
			'UNAUTHORIZED',
			'UNAUTHORIZED',
		]);
		for (const item of error.slice(1)) {
			expectFailure(item, { code: 'UNAUTHORIZED', message: messages.unauthenticated, httpCode: 401, input: { name: item.json.name } });
		}
		// Items 2..4 name the item whose request found the bad key.
		expect(error.slice(2).map((item) => (item.json.error as IDataObject).details)).toEqual([
			{ notSentBecauseOfItem: 1 },
			{ notSentBecauseOfItem: 1 },
			{ notSentBecauseOfItem: 1 },
		]);
		expect(sandbox.requests).toHaveLength(1);
	});

	test('with requests in flight in parallel, a bad key still stops the batch after at most one request per slot', async () => {
		sandbox.setLatency(50);
		const items = Array.from({ length: 12 }, (_, index) => ({ phone: `+2010100002${String(index).padStart(2, '0')}` }));

		const { error } = await sendMessage(
			{ toPhone: '={{ $json.phone }}', options: { concurrency: 3 } },
			{ items, credentials: credentials(sandbox.keys.expired) },
		);

		expect(error).toHaveLength(12);
		expect(error.every((item) => (item.json.error as IDataObject).code === 'UNAUTHORIZED')).toBe(true);
		expect(error.map((item) => item.json.phone)).toEqual(items.map((item) => item.phone));
		expect(sandbox.requests.length).toBeLessThanOrEqual(3);
	});
});

describe('Concurrency', () => {
	const items = Array.from({ length: 9 }, (_, index) => ({ n: index, phone: `+2010100003${String(index).padStart(2, '0')}` }));
	const parameters = (concurrency?: number): INodeParameters => ({
		toPhone: '={{ $json.phone }}',
		content: '=Message {{ $json.n }}',
		options: concurrency === undefined ? {} : { concurrency },
	});

	test.each([2, 3, 4])('%d really overlaps that many sends, and the output keeps input order', async (concurrency) => {
		// Random latency makes later items finish before earlier ones.
		sandbox.setLatency(60, 120);

		const { success, error } = await sendMessage(parameters(concurrency), { items });

		expect(error).toEqual([]);
		expect(sandbox.maxInFlight).toBe(concurrency);
		expect(success.map((item) => item.json.content)).toEqual(items.map((item) => `Message ${item.n}`));
		expect(success.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(sends()).toHaveLength(items.length);
	});

	test('by default, one message at a time', async () => {
		sandbox.setLatency(30);

		const { success } = await sendMessage(parameters(), { items: items.slice(0, 4) });

		expect(success).toHaveLength(4);
		expect(sandbox.maxInFlight).toBe(1);
	});

	test('a concurrency set by an expression as text is accepted', async () => {
		sandbox.setLatency(40);

		const { success } = await sendMessage({ ...parameters(), options: { concurrency: '={{ "2" }}' } }, { items: items.slice(0, 4) });

		expect(success).toHaveLength(4);
		expect(sandbox.maxInFlight).toBe(2);
	});

	test('a concurrency that is not a whole number of at least 1 stops the node before any request', async () => {
		const { thrown } = await sendMessage(parameters(0), { items: items.slice(0, 2) });

		expect(thrown).toMatchObject({ name: 'NodeOperationError', message: expect.stringMatching(/^Concurrency must be a whole number/) });
		expect(sandbox.requests).toEqual([]);
	});
});

describe('undocumented failures', () => {
	// Item 0 fails validation (no request), so the 500 lands on item 1's send.
	const items = [{ phone: 'nope' }, { phone: contacts.reachable.phone }, { phone: '+201010000020' }];
	const parameters: INodeParameters = { toPhone: '={{ $json.phone }}' };

	test('a 500 on the send stops the node with a NodeApiError naming the item, and the POST is not retried', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 500 });

		const { success, error, thrown } = await sendMessage(parameters, { items });

		expect(success).toEqual([]);
		expect(error).toEqual([]);
		expect(thrown).toMatchObject({
			name: 'NodeApiError',
			message: 'TGO answered POST /messages with HTTP 500: Server Error',
			httpCode: '500',
			context: { itemIndex: 1 },
		});
		expect(sends()).toHaveLength(1);
	});

	test('under Continue on Fail the same 500 is an API_ERROR item, and the batch goes on', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 500 });

		const { success, error, thrown } = await sendMessage(parameters, { items, continueOnFail: true });

		expect(thrown).toBeUndefined();
		expect(error.map((item) => (item.json.error as IDataObject).code)).toEqual(['INVALID_INPUT', 'API_ERROR']);
		expectFailure(error[1], {
			code: 'API_ERROR',
			message: 'TGO answered POST /messages with HTTP 500: Server Error',
			httpCode: 500,
			input: { phone: contacts.reachable.phone },
		});
		expect(error[1].pairedItem).toEqual({ item: 1 });
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
		expect(sends()).toHaveLength(2);
	});

	test('a connection reset after TGO read the send is not retried: the message may have gone out', async () => {
		sandbox.inject('POST /messages', { kind: 'resetAfterBody' });

		const { error, thrown } = await sendMessage({}, { continueOnFail: true });

		expect(thrown).toBeUndefined();
		expectFailure(error[0], {
			code: 'NETWORK_ERROR',
			message: 'Could not complete the request to TGO (ECONNRESET): the connection was cut before TGO answered.',
		});
		expect((error[0].json.error as IDataObject).description).toBe(
			'The connection was cut before TGO answered. The request may already have reached TGO by then, so the message may have been sent. The node did not repeat it, so as not to do it twice.',
		);
		expect(sends()).toHaveLength(1);
		// The sandbox acted on it before dropping the connection: a retry would have sent it twice.
		expect(sandbox.sent).toHaveLength(1);
	});

	test('a refused connection sent nothing: it is retried, and the error says so instead of "may have been sent"', async () => {
		const closedPort = await unusedPort();

		const { thrown } = await sendMessage({}, { credentials: credentials(sandbox.keys.full, `http://127.0.0.1:${closedPort}`) });

		expect(thrown).toMatchObject({
			name: 'NodeApiError',
			message: 'Could not complete the request to TGO (ECONNREFUSED): the connection was refused: nothing answers at that address and port.',
			description: expect.stringMatching(/^The request never reached TGO, so nothing was sent\. The node tried 4 times\. /),
			context: { itemIndex: 0 },
		});
		expect(String((thrown as Error & { description?: string }).description)).not.toMatch(/may have been sent/);
	});

	test('a reset without Continue on Fail stops the node naming the item', async () => {
		sandbox.inject('POST /messages', { kind: 'resetBeforeBody' });

		const { thrown } = await sendMessage();

		expect(thrown).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 0 } });
		expect(sends()).toHaveLength(1);
	});

	test('a send that outlasts the Timeout option is not retried, since TGO may still deliver it', async () => {
		sandbox.inject('POST /messages', { kind: 'delay', ms: 1500 });

		const { error, thrown } = await sendMessage({ options: { timeout: 300 } }, { continueOnFail: true });

		expect(thrown).toBeUndefined();
		expectFailure(error[0], { code: 'NETWORK_ERROR', message: /^Could not complete the request to TGO \(E[A-Z]+\)/ });
		expect(sends()).toHaveLength(1);
		expect(sandbox.sent).toHaveLength(1);
	});

	test('a 503 is a refusal TGO did not act on, so the send is retried and goes out once', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 503 });

		const { success, error } = await sendMessage();

		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		expect(sends()).toHaveLength(2);
		expect(sandbox.sent).toHaveLength(1);
	});

	test.each([
		['an HTML error page from a proxy', { kind: 'html' as const, status: 502 }, /HTTP 502/],
		['a 200 with cut-off JSON', { kind: 'invalidJson' as const }, /unexpected shape/],
		['a 200 with an empty body', { kind: 'emptyBody' as const }, /unexpected shape/],
	])('%s is an API_ERROR under Continue on Fail, not retried', async (_case, fault, message) => {
		sandbox.inject('POST /messages', fault);

		const { error, thrown } = await sendMessage({}, { continueOnFail: true });

		expect(thrown).toBeUndefined();
		expectFailure(error[0], { code: 'API_ERROR', message, httpCode: 'status' in fault ? fault.status : undefined });
		expect(sends()).toHaveLength(1);
	});
});

describe('the sender list in the editor', () => {
	test('shows every sender as "phone — name (status)": "ready to send" or "cannot send" and why, in words', async () => {
		const { results } = await listSearch('tgoSendMessage', 'searchSenderNumbers', credentials());

		expect(results).toEqual([
			{ name: '+201001187188 — Support (active, ready to send)', value: String(senders.active.id) },
			{ name: '+201001187189 — Sales (active, ready to send)', value: String(senders.activeSecond.id) },
			{ name: '+201001187190 — Billing (cannot send: waiting for OTP)', value: String(senders.pendingVerification.id) },
			{ name: '+201001187191 — Marketing (cannot send: account not verified)', value: String(senders.pendingAccountVerification.id) },
			// The same words whichever of TGO's two fields says the owner's account is unverified.
			{ name: '+201001187192 — Operations (cannot send: account not verified)', value: String(senders.activeButAccountUnverified.id) },
			{ name: '+201001187193 — Old line (cannot send: rejected)', value: String(senders.rejected.id) },
			{ name: '+201001187194 — Promotions (cannot send: suspended)', value: String(senders.suspended.id) },
		]);
		expect(results).toHaveLength(allSenders.length);
		expect(sandbox.requestsTo('GET', '/sender-numbers')).toHaveLength(1);
	});

	test('filters on what the user types', async () => {
		const { results } = await listSearch('tgoSendMessage', 'searchSenderNumbers', credentials(), 'billing');

		expect(results).toEqual([{ name: '+201001187190 — Billing (cannot send: waiting for OTP)', value: String(senders.pendingVerification.id) }]);
	});

	test("a search by a sender's phone finds it, asked with the node's credential", async () => {
		const apiKey = sandbox.keys.full;
		const { results } = await listSearch('tgoSendMessage', 'searchSenderNumbers', credentials(apiKey), allSenders[0].phone);

		expect(results).toContainEqual(expect.objectContaining({ value: String(allSenders[0].id) }));
		const [request] = sandbox.requestsTo('GET', '/sender-numbers');
		expect(request.headers['x-api-key']).toBe(apiKey);
	});

	test('a value picked from the list sends from that sender', async () => {
		const { results } = await listSearch('tgoSendMessage', 'searchSenderNumbers', credentials(), 'Sales');

		await sendMessage({ sender: { __rl: true, mode: 'list', value: results[0].value } });

		expect(sends()[0].json).toMatchObject({ sender_number_id: senders.activeSecond.id });
	});

	test('with a bad key, the list says why instead of showing nothing', async () => {
		await expect(
			listSearch('tgoSendMessage', 'searchSenderNumbers', credentials(sandbox.keys.revoked)),
		).rejects.toThrow(messages.unauthenticated);
	});
});

// Send Message reads a parameter once per execution when it holds no expression, and per item when
// it does (readOnceUnlessExpression): either way each item gets its own value where the value
// depends on the item, and each item fails on its own when a fixed value is wrong.
describe('parameters: fixed ones serve every item, ones set by expression are read per item', () => {
	const toEach = '={{ $json.phone }}';
	const sentTo = (phone: string) => sends().find((request) => (request.json as IDataObject).to_phone === phone)?.json;

	test('sender, text and Default Country Code by expression: each message has its own, at any concurrency', async () => {
		const items = [
			{ phone: '01012345601', senderId: senders.active.id, text: 'First', country: '20' },
			{ phone: '0501234567', senderId: senders.activeSecond.id, text: 'Second', country: '966' },
			{ phone: '01012345603', senderId: senders.active.id, text: 'Third', country: '20' },
		];
		const { success, error } = await sendMessage(
			{ toPhone: toEach, sender: senderById('={{ $json.senderId }}'), content: '={{ $json.text }}', options: { defaultCountryCode: '={{ $json.country }}', concurrency: 3 } },
			{ items },
		);

		expect(error).toEqual([]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(sentTo('+201012345601')).toMatchObject({ sender_number_id: senders.active.id, content: 'First' });
		expect(sentTo('+966501234567')).toMatchObject({ sender_number_id: senders.activeSecond.id, content: 'Second' });
		expect(sentTo('+201012345603')).toMatchObject({ sender_number_id: senders.active.id, content: 'Third' });
	});

	test('a fixed recipient follows a Default Country Code set by expression', async () => {
		const { success, error } = await sendMessage({ toPhone: '0501234567', options: { defaultCountryCode: '={{ $json.country }}' } }, { items: [{ country: '966' }, { country: '20' }] });

		expect(error).toEqual([]);
		expect(success).toHaveLength(2);
		expect(sends().map((request) => (request.json as IDataObject).to_phone)).toEqual(['+966501234567', '+20501234567']);
	});

	test("a fixed sender, text and country code go with each item's own recipient", async () => {
		const { success, error } = await sendMessage(
			{ toPhone: toEach, content: 'Your order shipped', options: { defaultCountryCode: '20' } },
			{ items: [{ phone: '01012345601' }, { phone: '01012345602' }] },
		);

		expect(error).toEqual([]);
		expect(success).toHaveLength(2);
		expect(sends().map((request) => request.json)).toEqual([
			{ sender_number_id: senders.active.id, to_phone: '+201012345601', type: 'text', content: 'Your order shipped' },
			{ sender_number_id: senders.active.id, to_phone: '+201012345602', type: 'text', content: 'Your order shipped' },
		]);
	});

	test('a wrong fixed value fails every item on its own, each naming the field and the value, and nothing is sent', async () => {
		const phones = ['01012345601', '01012345602', '01012345603'];
		const { success, error, thrown } = await sendMessage({ toPhone: toEach, options: { defaultCountryCode: 'EG' } }, { items: phones.map((phone) => ({ phone })) });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		error.forEach((item, index) =>
			expect(item.json).toMatchObject({ phone: phones[index], error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^Default Country Code: "EG"/) } }),
		);
		expect(error[0].json.error).not.toBe(error[1].json.error);
		expect(sandbox.requests).toEqual([]);
	});
});
