import * as fs from 'node:fs';
import * as https from 'node:https';

import { allSenders, apiKeys, contacts, SEEDED_LOG_COUNT, senders } from '../../tools/sandbox/fixtures';
import { parseMultipart } from '../../tools/sandbox/multipart';
import { messages, type Sandbox, startSandbox } from '../../tools/sandbox/server';
import { makeThrowawayTls } from '../../tools/tls';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => sandbox.close());

// Response bodies are asserted field by field against the documented shapes; typing each one would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function headers(
	key: string = sandbox.keys.full,
	extra: Record<string, string> = {},
): Record<string, string> {
	return { 'X-Api-Key': key, Accept: 'application/json', ...extra };
}

async function sendJson(body: unknown, key?: string): Promise<{ status: number; body: Json }> {
	const response = await fetch(`${sandbox.baseUrl}/messages`, {
		method: 'POST',
		headers: headers(key, { 'Content-Type': 'application/json' }),
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

async function sendForm(
	fields: Record<string, string>,
	file?: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string },
) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	if (file) form.append('media', new Blob([file.bytes], { type: file.type }), file.name);
	const response = await fetch(`${sandbox.baseUrl}/messages`, {
		method: 'POST',
		headers: headers(),
		body: form,
	});
	return { status: response.status, body: (await response.json()) as Json };
}

async function get(path: string, key?: string): Promise<{ status: number; body: Json }> {
	const response = await fetch(path.startsWith('http') ? path : `${sandbox.baseUrl}${path}`, {
		headers: headers(key),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const textMessage = {
	sender_phone: senders.active.phone,
	to_phone: contacts.reachable.phone,
	type: 'text',
	content: 'Hello from TGO Business',
};

const voiceNote = {
	bytes: new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0x00, 0x0d, 0x0a, 0xff]),
	name: 'note.ogg',
	type: 'audio/ogg',
};

describe('sending messages', () => {
	test('a text message is accepted, logged, and recorded with the key it was sent with', async () => {
		const result = await sendJson(textMessage);

		expect(result.status).toBe(201);
		expect(result.body.data).toMatchObject({
			sender_number_id: senders.active.id,
			recipient_user_id: contacts.reachable.lookup.recipient_id,
			message_type: 'text',
			content: 'Hello from TGO Business',
			status: 'sent',
		});
		expect(typeof result.body.data.id).toBe('number');
		expect(typeof result.body.data.sent_at).toBe('string');

		const [recorded] = sandbox.requestsTo('POST', '/messages');
		expect(recorded.headers['x-api-key']).toBe(sandbox.keys.full);
		expect(recorded.contentType).toBe('application/json');
		expect(recorded.json).toEqual(textMessage);
		expect(recorded.status).toBe(201);
		expect(sandbox.sent.map((message) => message.toPhone)).toEqual([contacts.reachable.phone]);

		const logs = await get('/messages');
		expect(logs.body.data[0]).toEqual(result.body.data);
		expect(logs.body.meta.total).toBe(SEEDED_LOG_COUNT + 1);
	});

	test('a multipart image records the media field, filename, content type and the exact bytes', async () => {
		// Bytes that would break a text-based parser: CR LF, dashes, NUL, high bytes.
		const bytes = new Uint8Array(Array.from({ length: 512 }, (_, index) => index % 256));
		bytes.set(Buffer.from('\r\n--not-the-boundary\r\n'), 100);

		const result = await sendForm(
			{
				sender_number_id: String(senders.active.id),
				to_phone: contacts.reachable.phone,
				type: 'image',
				content: 'Caption',
			},
			{ bytes, name: 'photo "final".png', type: 'image/png' },
		);

		expect(result.status).toBe(201);
		expect(result.body.data).toMatchObject({
			message_type: 'image',
			content: 'Caption',
			sender_number_id: 1,
		});
		const [recorded] = sandbox.requestsTo('POST', '/messages');
		expect(recorded.contentType).toBe('multipart/form-data');
		expect(recorded.fields).toEqual({
			sender_number_id: '1',
			to_phone: contacts.reachable.phone,
			type: 'image',
			content: 'Caption',
		});
		expect(recorded.files).toHaveLength(1);
		expect(recorded.files![0].field).toBe('media');
		expect(recorded.files![0].filename).toBe('photo "final".png');
		expect(recorded.files![0].contentType).toBe('image/png');
		expect(Buffer.compare(recorded.files![0].data, Buffer.from(bytes))).toBe(0);
	});

	test('a voice note with a duration in range is accepted', async () => {
		const result = await sendForm(
			{
				sender_phone: senders.activeSecond.phone,
				to_phone: '+447700900123',
				type: 'voice',
				duration: '45',
			},
			voiceNote,
		);
		expect(result.status).toBe(201);
		expect(result.body.data).toMatchObject({
			message_type: 'voice',
			sender_number_id: senders.activeSecond.id,
			content: null,
		});
	});

	test('any valid E.164 number that is not a fixture is reachable', async () => {
		const phones = Array.from(
			{ length: 10 },
			(_, index) => `+2012${String(index).padStart(8, '0')}`,
		);
		const results = await Promise.all(
			phones.map((to_phone) => sendJson({ ...textMessage, to_phone })),
		);
		expect(results.map((result) => result.status)).toEqual(phones.map(() => 201));
		expect(new Set(results.map((result) => result.body.data.id)).size).toBe(10);
	});
});

describe('documented failures of POST /messages', () => {
	test('an unknown tenant domain is a 404 before the key is even looked at', async () => {
		const response = await fetch(`${sandbox.unknownTenantDomain}/api/v1/messages`, {
			method: 'POST',
			headers: headers('not-a-key', { 'Content-Type': 'application/json' }),
			body: JSON.stringify(textMessage),
		});
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({
			message: 'Tenant could not be identified for this domain.',
		});
		expect(sandbox.sent).toHaveLength(0);
	});

	test.each([
		['expired', () => sandbox.keys.expired],
		['revoked', () => sandbox.keys.revoked],
		['unknown', () => 'tgo_DefinitelyNotAKey'],
	])('an %s key is 401 Unauthenticated', async (_name, key) => {
		const result = await sendJson(textMessage, key());
		expect(result).toEqual({ status: 401, body: { message: 'Unauthenticated.' } });
	});

	test('a request without any key is 401', async () => {
		const response = await fetch(`${sandbox.baseUrl}/sender-numbers`);
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'Unauthenticated.' });
	});

	test('a lookup-only key cannot send: 403 missing scope', async () => {
		const result = await sendJson(textMessage, sandbox.keys.lookup);
		expect(result).toEqual({
			status: 403,
			body: { message: 'This API key does not have the required scope.' },
		});
		expect(sandbox.sent).toHaveLength(0);
	});

	test('both sender_phone and sender_number_id is a 422', async () => {
		const result = await sendJson({ ...textMessage, sender_number_id: senders.active.id });
		expect(result.status).toBe(422);
		expect(result.body.message).toBe('The given data was invalid.');
		expect(Object.keys(result.body.errors)).toEqual(['sender_number_id']);
	});

	test('neither sender field is a 422 naming both', async () => {
		const { sender_phone: _omitted, ...withoutSender } = textMessage;
		const result = await sendJson(withoutSender);
		expect(result.status).toBe(422);
		expect(result.body.errors).toEqual({
			sender_number_id: [
				'The sender number id field is required when sender phone is not present.',
			],
			sender_phone: ['The sender phone field is required when sender number id is not present.'],
		});
	});

	test('a missing to_phone gets the Laravel wording', async () => {
		const { to_phone: _omitted, ...withoutRecipient } = textMessage;
		const result = await sendJson(withoutRecipient);
		expect(result).toEqual({
			status: 422,
			body: {
				message: 'The given data was invalid.',
				errors: { to_phone: ['The to phone field is required.'] },
			},
		});
	});

	test('an unknown sender is a 422', async () => {
		const result = await sendJson({ ...textMessage, sender_phone: '+201999999999' });
		expect(result.status).toBe(422);
		expect(result.body.errors).toEqual({ sender_phone: ['The selected sender phone is invalid.'] });
	});

	test.each([
		['0', 'The duration field must be between 1 and 300.'],
		['301', 'The duration field must be between 1 and 300.'],
		['4.5', 'The duration field must be an integer.'],
	])('voice duration %s is a 422', async (duration, expected) => {
		const result = await sendForm(
			{
				sender_phone: senders.active.phone,
				to_phone: contacts.reachable.phone,
				type: 'voice',
				duration,
			},
			voiceNote,
		);
		expect(result.status).toBe(422);
		expect(result.body.errors).toEqual({ duration: [expected] });
	});

	test('voice without a duration and a document without a file are 422', async () => {
		const voice = await sendForm(
			{ sender_phone: senders.active.phone, to_phone: contacts.reachable.phone, type: 'voice' },
			voiceNote,
		);
		expect(voice.body.errors).toEqual({
			duration: ['The duration field is required when type is voice.'],
		});

		const documentWithoutFile = await sendJson({ ...textMessage, type: 'document' });
		expect(documentWithoutFile.status).toBe(422);
		expect(documentWithoutFile.body.errors).toEqual({
			media: ['The media field is required when type is document.'],
		});
	});

	test('a text message needs content and a known type', async () => {
		const result = await sendJson({ ...textMessage, content: '   ' });
		expect(result.body.errors).toEqual({
			content: ['The content field is required when type is text.'],
		});
		const badType = await sendJson({ ...textMessage, type: 'video' });
		expect(badType.body.errors).toEqual({ type: ['The selected type is invalid.'] });
	});

	test.each([
		['pendingVerification', senders.pendingVerification],
		['rejected', senders.rejected],
		['suspended', senders.suspended],
	])('a %s sender is refused: "The sender number is not active."', async (_name, sender) => {
		const result = await sendJson({ ...textMessage, sender_phone: sender.phone });
		expect(result).toEqual({ status: 422, body: { message: 'The sender number is not active.' } });
		expect(sandbox.sent).toHaveLength(0);
	});

	test.each([
		['status pending_account_verification', senders.pendingAccountVerification],
		['verification_status pending_account_verification', senders.activeButAccountUnverified],
	])('a sender with %s gets the Arabic account-verification message', async (_name, sender) => {
		const result = await sendJson({
			...textMessage,
			sender_phone: undefined,
			sender_number_id: sender.id,
		});
		expect(result.status).toBe(422);
		expect(result.body).toEqual({
			message: 'يجب أن يكون صاحب الرقم موثقًا داخل TGO Connect قبل استخدام API الإرسال.',
		});
		expect(result.body.message).toBe(messages.accountNotVerified);
	});

	test.each([
		['not on TGO Connect', contacts.notOnTgoConnect.phone, 'not_found'],
		['unable to receive', contacts.cannotReceive.phone, 'recipient_blocked'],
	])('a recipient %s is refused with its reason code', async (_name, phone, reasonCode) => {
		const result = await sendJson({ ...textMessage, to_phone: phone });
		expect(result).toEqual({
			status: 422,
			body: { message: 'The recipient cannot receive messages.', reason_code: reasonCode },
		});
	});

	test('reachability depends on the sender', async () => {
		const fromSecond = await sendJson({
			...textMessage,
			sender_phone: senders.activeSecond.phone,
			to_phone: contacts.unreachableFromSecondSender.phone,
		});
		expect(fromSecond.status).toBe(422);
		expect(fromSecond.body.reason_code).toBe('sender_blocked_by_recipient');

		const fromFirst = await sendJson({
			...textMessage,
			to_phone: contacts.unreachableFromSecondSender.phone,
		});
		expect(fromFirst.status).toBe(201);
	});
});

describe('contact lookup', () => {
	const lookup = (query: string, key?: string) => get(`/contacts/lookup?${query}`, key);

	test('answers a flat body, and depends on the sender when one is given', async () => {
		const reachable = await lookup(`phone=${encodeURIComponent(contacts.reachable.phone)}`);
		expect(reachable).toEqual({ status: 200, body: contacts.reachable.lookup });

		const phone = encodeURIComponent(contacts.unreachableFromSecondSender.phone);
		const fromSecond = await lookup(`phone=${phone}&sender_number_id=${senders.activeSecond.id}`);
		expect(fromSecond.body).toMatchObject({
			exists: true,
			can_receive: false,
			reason_code: 'sender_blocked_by_recipient',
		});
		const fromFirst = await lookup(
			`phone=${phone}&sender_phone=${encodeURIComponent(senders.active.phone)}`,
		);
		expect(fromFirst.body).toMatchObject({ can_receive: true, reason_code: 'ok' });

		const missing = await lookup(`phone=${encodeURIComponent(contacts.notOnTgoConnect.phone)}`);
		expect(missing.body).toEqual({
			exists: false,
			can_receive: false,
			reason_code: 'not_found',
			recipient_id: null,
			is_verified: false,
			phone_verified_at: null,
		});
	});

	test('phone is required, and an unencoded "+" arrives as a space (as in PHP) and fails', async () => {
		expect(await lookup('')).toEqual({
			status: 422,
			body: {
				message: 'The given data was invalid.',
				errors: { phone: ['The phone field is required.'] },
			},
		});
		const unencoded = await lookup('phone=+201010000000');
		expect(unencoded.status).toBe(422);
		expect(unencoded.body.errors.phone).toEqual(['The phone field format is invalid.']);
	});

	test('scopes: read-only key gets 403 on lookup but reads logs and usage', async () => {
		expect((await lookup('phone=%2B201010000000', sandbox.keys.readOnly)).status).toBe(403);
		expect((await get('/messages', sandbox.keys.readOnly)).status).toBe(200);
		expect((await get('/usage', sandbox.keys.readOnly)).status).toBe(200);
		expect((await get('/usage', sandbox.keys.send)).status).toBe(403);
	});
});

describe('message log pagination', () => {
	async function followAll(firstUrl: string, nextOf: (body: Json) => string | null | undefined) {
		const pages: Json[] = [];
		let url: string | null | undefined = firstUrl;
		while (url && pages.length < 10) {
			const page = await get(url);
			pages.push(page.body);
			url = nextOf(page.body);
		}
		return pages;
	}

	test("'links' (default): Laravel resource collection with absolute next URLs, 3 pages of 15", async () => {
		const pages = await followAll(`${sandbox.baseUrl}/messages`, (body) => body.links.next);
		expect(pages.map((page) => page.data.length)).toEqual([15, 15, 10]);
		expect(pages[0].links.next).toBe(`${sandbox.baseUrl}/messages?page=2`);
		expect(pages[0].meta).toMatchObject({
			current_page: 1,
			last_page: 3,
			per_page: 15,
			total: 40,
			from: 1,
			to: 15,
		});
		expect(pages[2].links.next).toBeNull();
		const ids = pages.flatMap((page) => page.data.map((entry: Json) => entry.id));
		expect(new Set(ids).size).toBe(40);
		expect(Object.keys(pages[0].data[0]).sort()).toEqual(
			[
				'id',
				'sender_number_id',
				'recipient_user_id',
				'conversation_id',
				'message_id',
				'message_type',
				'content',
				'status',
				'sent_at',
			].sort(),
		);
	});

	test('links keep per_page and use the Host the client addressed', async () => {
		const page = await get('/messages?per_page=20');
		expect(page.body.links.next).toBe(`${sandbox.baseUrl}/messages?per_page=20&page=2`);
		expect(page.body.meta.last_page).toBe(2);
		expect((await get('/messages?per_page=0')).status).toBe(422);
	});

	test("'next_page_url': bare Laravel paginator", async () => {
		sandbox.setLogsPagination('next_page_url');
		const pages = await followAll(`${sandbox.baseUrl}/messages`, (body) => body.next_page_url);
		expect(pages.map((page) => page.data.length)).toEqual([15, 15, 10]);
		expect(pages[0]).toMatchObject({
			current_page: 1,
			last_page: 3,
			total: 40,
			prev_page_url: null,
		});
		expect(pages[0].links).toEqual(expect.any(Array));
	});

	test("'meta': current_page / last_page only", async () => {
		sandbox.setLogsPagination('meta');
		const second = await get('/messages?page=2');
		expect(Object.keys(second.body)).toEqual(['data', 'meta']);
		expect(second.body.meta).toMatchObject({ current_page: 2, last_page: 3 });
	});

	test("'none' and 'array': one page with nothing saying more exist", async () => {
		sandbox.setLogsPagination('none');
		const none = await get('/messages');
		expect(Object.keys(none.body)).toEqual(['data']);
		expect(none.body.data).toHaveLength(15);

		sandbox.setLogsPagination('array');
		const array = await get('/messages');
		expect(Array.isArray(array.body)).toBe(true);
		expect(array.body).toHaveLength(15);
	});
});

describe('other routes', () => {
	test('usage is grouped by sender by default and can be overridden', async () => {
		await sendJson(textMessage);
		const usage = await get('/usage');
		expect(usage.status).toBe(200);
		const rows = usage.body.data.senders as Json[];
		expect(rows.map((row) => row.sender_number_id).sort()).toEqual([
			senders.active.id,
			senders.activeSecond.id,
		]);
		expect(rows.find((row) => row.sender_number_id === senders.active.id)).toMatchObject({
			sender_phone: senders.active.phone,
			display_name: 'Support',
		});
		const totals = usage.body.data.totals;
		expect(totals.messages_sent + totals.messages_failed).toBe(SEEDED_LOG_COUNT + 1);

		sandbox.setUsageBody({ messages_sent: 3 });
		expect((await get('/usage')).body).toEqual({ messages_sent: 3 });
	});

	test('sender numbers: every fixture listed; a registered number starts pending_verification', async () => {
		const list = await get('/sender-numbers', sandbox.keys.readOnly);
		expect(list.body.data).toHaveLength(Object.keys(senders).length);
		expect(list.body.data[0]).toMatchObject({
			id: 1,
			phone: '+201001187188',
			display_name: 'Support',
			status: 'active',
			verification_status: null,
		});

		const created = await fetch(`${sandbox.baseUrl}/sender-numbers`, {
			method: 'POST',
			headers: headers(sandbox.keys.send, { 'Content-Type': 'application/json' }),
			body: JSON.stringify({ phone: '+201001187200', display_name: 'New line' }),
		});
		expect(created.status).toBe(201);
		expect(((await created.json()) as Json).data).toMatchObject({
			phone: '+201001187200',
			status: 'pending_verification',
		});
		const sendFromIt = await sendJson({ ...textMessage, sender_phone: '+201001187200' });
		expect(sendFromIt.body).toEqual({ message: 'The sender number is not active.' });
	});

	test('registering a sender: taken, not on TGO Connect, malformed and scope-less requests are refused and create nothing', async () => {
		const register = async (body: unknown, key: string = sandbox.keys.full) => {
			const response = await fetch(`${sandbox.baseUrl}/sender-numbers`, {
				method: 'POST',
				headers: headers(key, { 'Content-Type': 'application/json' }),
				body: JSON.stringify(body),
			});
			return { status: response.status, body: (await response.json()) as Json };
		};
		const refusedFor = (message: string) => ({ status: 422, body: { message: 'The given data was invalid.', errors: { phone: [message] } } });

		expect(await register({ phone: senders.pendingVerification.phone })).toEqual(refusedFor('The phone has already been taken.'));
		expect(await register({ phone: contacts.notOnTgoConnect.phone })).toEqual(refusedFor('The phone does not belong to a TGO Connect account.'));
		expect(await register({ phone: '01001187200' })).toEqual(refusedFor('The phone field format is invalid.'));
		expect(await register({ display_name: 'No phone' })).toEqual(refusedFor('The phone field is required.'));
		expect(await register({ phone: '+201001187200' }, sandbox.keys.readOnly)).toEqual({ status: 403, body: { message: 'This API key does not have the required scope.' } });
		expect(sandbox.registered).toEqual([]);

		expect((await register({ phone: '+201001187200' })).status).toBe(201);
		expect(sandbox.registered).toEqual([expect.objectContaining({ phone: '+201001187200', display_name: null, status: 'pending_verification' })]);
		expect(await register({ phone: '+201001187200' })).toEqual(refusedFor('The phone has already been taken.'));
	});

	test('API keys: a created key works at once; a revoked one is 401; revoke answers 204', async () => {
		const created = await fetch(`${sandbox.baseUrl}/api-keys`, {
			method: 'POST',
			headers: headers(sandbox.keys.full, { 'Content-Type': 'application/json' }),
			body: JSON.stringify({ name: 'CI', scopes: ['messages.read'], expires_in_days: 7 }),
		});
		expect(created.status).toBe(201);
		const body = (await created.json()) as Json;
		expect(body.data).toMatchObject({
			name: 'CI',
			prefix: 'tgo_',
			scopes: ['messages.read'],
			status: 'active',
			last_used_at: null,
		});
		expect(body.plain_text_key).toMatch(/^tgo_/);

		expect((await get('/messages', body.plain_text_key)).status).toBe(200);
		expect((await sendJson(textMessage, body.plain_text_key)).status).toBe(403);

		const revoked = await fetch(`${sandbox.baseUrl}/api-keys/${body.data.id}`, {
			method: 'DELETE',
			headers: headers(),
		});
		expect(revoked.status).toBe(204);
		expect((await get('/messages', body.plain_text_key)).status).toBe(401);
		expect(
			(await fetch(`${sandbox.baseUrl}/api-keys/999`, { method: 'DELETE', headers: headers() }))
				.status,
		).toBe(404);
	});

	test('/me and /subscription answer small realistic bodies for any valid key', async () => {
		const me = await get('/me', sandbox.keys.lookup);
		expect(me.status).toBe(200);
		expect(me.body.api_key).toMatchObject({ id: 3, scopes: ['contacts.lookup'] });
		expect(JSON.stringify(me.body)).not.toContain(sandbox.keys.lookup);
		const subscription = await get('/subscription');
		expect(subscription.body).toMatchObject({ status: 'active', limits: expect.any(Array) });
	});

	test('every key carries an expiry a whole number of days (and half a day) from the sandbox start', async () => {
		const startedAt = Date.now();
		sandbox.reset(); // the expiries are counted from here
		const days = async (key: string) => {
			const { body } = await get('/me', key);
			return (Date.parse(body.api_key.expires_at) - startedAt) / 86_400_000;
		};
		expect(await days(sandbox.keys.full)).toBeCloseTo(apiKeys.full.expiresInDays + 0.5, 2);
		expect(await days(sandbox.keys.send)).toBeCloseTo(90.5, 2);
		expect((await get('/me', sandbox.keys.expired)).status).toBe(401);

		sandbox.setKeyExpiry(sandbox.keys.full, null);
		expect((await get('/me')).body.api_key.expires_at).toBeNull();
		sandbox.setKeyExpiry(sandbox.keys.full, '2020-01-01T00:00:00Z');
		expect((await get('/me')).status).toBe(401);
	});

	test('/me and /subscription can be missing (404), refuse GET (405) or answer a given body, until reset', async () => {
		sandbox.setRouteAvailability('GET /me', 'missing');
		sandbox.setRouteAvailability('GET /subscription', 'methodNotAllowed');
		expect(await get('/me')).toEqual({ status: 404, body: { message: 'The route api/v1/me could not be found.' } });
		expect(await get('/subscription')).toEqual({
			status: 405,
			body: { message: 'The GET method is not supported for route api/v1/subscription. Supported methods: POST.' },
		});
		// Missing before the tenant is looked at, as an unknown Laravel route is.
		expect((await get(`${sandbox.unknownTenantDomain}/api/v1/me`)).status).toBe(404);
		expect((await get('/usage')).status).toBe(200);

		sandbox.setRouteAvailability('GET /me', 'available');
		sandbox.setAccountBody('GET /me', { api_key: null });
		expect(await get('/me')).toEqual({ status: 200, body: { api_key: null } });

		sandbox.reset();
		expect((await get('/subscription')).body).toMatchObject({ plan: { code: 'business' } });
		expect((await get('/me')).body.api_key).toMatchObject({ id: apiKeys.full.id });
	});

	test('unknown routes are a JSON 404; a wrong method is a 405', async () => {
		const unknown = await get('/webhooks');
		expect(unknown).toEqual({
			status: 404,
			body: { message: 'The route api/v1/webhooks could not be found.' },
		});
		const wrongMethod = await fetch(`${sandbox.baseUrl}/usage`, {
			method: 'POST',
			headers: headers(),
		});
		expect(wrongMethod.status).toBe(405);
	});
});

describe('fault injection', () => {
	test('429 with and without Retry-After, then 500 and 503, each consumed by one request, in order', async () => {
		sandbox.inject(
			'POST /messages',
			{ kind: 'status', status: 429, retryAfter: 2 },
			{ kind: 'status', status: 429 },
			{ kind: 'status', status: 500 },
			{ kind: 'status', status: 503, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' },
		);
		const seen: [number, string | null, unknown][] = [];
		for (let attempt = 0; attempt < 5; attempt++) {
			const response = await fetch(`${sandbox.baseUrl}/messages`, {
				method: 'POST',
				headers: headers(sandbox.keys.full, { 'Content-Type': 'application/json' }),
				body: JSON.stringify(textMessage),
			});
			seen.push([response.status, response.headers.get('retry-after'), await response.json()]);
		}
		expect(seen).toEqual([
			[429, '2', { message: 'Too Many Attempts.' }],
			[429, null, { message: 'Too Many Attempts.' }],
			[500, null, { message: 'Server Error' }],
			[503, 'Wed, 21 Oct 2015 07:28:00 GMT', { message: 'Service Unavailable' }],
			[201, null, expect.objectContaining({ data: expect.any(Object) })],
		]);
		const recorded = sandbox.requestsTo('POST', '/messages');
		expect(recorded.map((request) => [request.fault, request.status])).toEqual([
			['status', 429],
			['status', 429],
			['status', 500],
			['status', 503],
			[undefined, 201],
		]);
		expect(
			recorded.every((request) => (request.json as Json).to_phone === textMessage.to_phone),
		).toBe(true);
		expect(sandbox.sent).toHaveLength(1);
	});

	test('pass holds a place in the queue: only the 3rd send fails, the others are handled', async () => {
		sandbox.inject('POST /messages', { kind: 'pass' }, { kind: 'pass' }, { kind: 'status', status: 500 });
		const statuses: number[] = [];
		for (let attempt = 0; attempt < 4; attempt++) {
			statuses.push((await sendJson({ ...textMessage, content: `message ${attempt + 1}` })).status);
		}
		expect(statuses).toEqual([201, 201, 500, 201]);
		const recorded = sandbox.requestsTo('POST', '/messages');
		expect(recorded.map((request) => [request.fault, (request.json as Json).content])).toEqual([
			[undefined, 'message 1'],
			[undefined, 'message 2'],
			['status', 'message 3'],
			[undefined, 'message 4'],
		]);
		expect(sandbox.sent.map((sent) => sent.logEntry.content)).toEqual(['message 1', 'message 2', 'message 4']);
	});

	test('faults are per route: GET /sender-numbers faults leave POST /messages alone', async () => {
		sandbox.inject('GET /sender-numbers', {
			kind: 'status',
			status: 500,
			body: { message: 'boom' },
		});
		expect((await sendJson(textMessage)).status).toBe(201);
		expect(await get('/sender-numbers')).toEqual({ status: 500, body: { message: 'boom' } });
		expect((await get('/sender-numbers')).status).toBe(200);
	});

	test('delay: the client times out, yet the server handled the send once', async () => {
		sandbox.inject('POST /messages', { kind: 'delay', ms: 400 });
		const attempt = fetch(`${sandbox.baseUrl}/messages`, {
			method: 'POST',
			headers: headers(sandbox.keys.full, { 'Content-Type': 'application/json' }),
			body: JSON.stringify(textMessage),
			signal: AbortSignal.timeout(60),
		});
		await expect(attempt).rejects.toThrow();
		expect(sandbox.requestsTo('POST', '/messages')).toHaveLength(1);
		expect(sandbox.requestsTo('POST', '/messages')[0].fault).toBe('delay');
		expect(sandbox.sent).toHaveLength(1);
	});

	test('delay answers normally once the time has passed', async () => {
		sandbox.inject('GET /me', { kind: 'delay', ms: 80 });
		const started = performance.now();
		const me = await get('/me');
		expect(me.status).toBe(200);
		expect(performance.now() - started).toBeGreaterThanOrEqual(75);
	});

	test('resetBeforeBody: the connection drops, the request is still recorded', async () => {
		sandbox.inject('POST /messages', { kind: 'resetBeforeBody' });
		await expect(sendJson(textMessage)).rejects.toThrow();
		const [recorded] = sandbox.requestsTo('POST', '/messages');
		expect(recorded.fault).toBe('resetBeforeBody');
		expect(recorded.status).toBeUndefined();
		expect(recorded.headers['x-api-key']).toBe(sandbox.keys.full);
		expect(sandbox.sent).toHaveLength(0);
		// The next request is served normally.
		expect((await sendJson(textMessage)).status).toBe(201);
	});

	test('resetAfterBody: the body is read and recorded, then the connection drops unanswered', async () => {
		sandbox.inject('POST /messages', { kind: 'resetAfterBody' });
		await expect(
			sendForm(
				{
					sender_phone: senders.active.phone,
					to_phone: contacts.reachable.phone,
					type: 'voice',
					duration: '12',
				},
				voiceNote,
			),
		).rejects.toThrow();
		const [recorded] = sandbox.requestsTo('POST', '/messages');
		expect(recorded.fault).toBe('resetAfterBody');
		expect(recorded.status).toBeUndefined();
		expect(recorded.fields).toMatchObject({ type: 'voice', duration: '12' });
		expect(Buffer.compare(recorded.files![0].data, Buffer.from(voiceNote.bytes))).toBe(0);
		expect(recorded.rawBody.length).toBeGreaterThan(0);
	});

	test('html: a 502 page from a proxy', async () => {
		sandbox.inject('GET /sender-numbers', { kind: 'html' });
		const response = await fetch(`${sandbox.baseUrl}/sender-numbers`, { headers: headers() });
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toContain('<h1>502 Bad Gateway</h1>');
	});

	test('invalidJson: a 200 whose JSON is cut off', async () => {
		sandbox.inject('GET /usage', { kind: 'invalidJson' });
		const response = await fetch(`${sandbox.baseUrl}/usage`, { headers: headers() });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		await expect(response.json()).rejects.toThrow();
	});

	test('emptyBody: a 200 with nothing in it', async () => {
		sandbox.inject('GET /contacts/lookup', { kind: 'emptyBody' });
		const response = await fetch(`${sandbox.baseUrl}/contacts/lookup?phone=%2B201010000000`, {
			headers: headers(),
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('');
	});

	test("'*' faults hit whichever route comes next; unknown routes are refused when injecting", async () => {
		sandbox.inject('*', { kind: 'status', status: 503 });
		expect((await get('/subscription')).status).toBe(503);
		expect((await get('/subscription')).status).toBe(200);
		expect(() => sandbox.inject('POST /message', { kind: 'emptyBody' })).toThrow(
			/Unknown sandbox route/,
		);
		sandbox.inject('DELETE /api-keys/{id}', { kind: 'status', status: 500 });
		const revoke = await fetch(`${sandbox.baseUrl}/api-keys/4`, {
			method: 'DELETE',
			headers: headers(),
		});
		expect(revoke.status).toBe(500);
	});

	test('clearFaults drops queued faults', async () => {
		sandbox.inject('GET /me', { kind: 'status', status: 500 });
		sandbox.clearFaults();
		expect((await get('/me')).status).toBe(200);
	});
});

describe('concurrency, latency and reset', () => {
	test('maxInFlight counts requests handled at once', async () => {
		sandbox.setLatency(60);
		await Promise.all(Array.from({ length: 5 }, () => get('/sender-numbers')));
		expect(sandbox.maxInFlight).toBe(5);
		sandbox.reset();
		expect(sandbox.maxInFlight).toBe(0);
		await get('/sender-numbers');
		await get('/sender-numbers');
		expect(sandbox.maxInFlight).toBe(1);
	});

	test('latency with jitter delays every answer', async () => {
		sandbox.setLatency(40, 20);
		const started = performance.now();
		await get('/me');
		expect(performance.now() - started).toBeGreaterThanOrEqual(38);
	});

	test('reset restores fixtures and clears what was recorded', async () => {
		await sendJson(textMessage);
		sandbox.setLogsPagination('array');
		sandbox.reset();
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.sent).toHaveLength(0);
		const logs = await get('/messages');
		expect(logs.body.meta.total).toBe(SEEDED_LOG_COUNT);
	});

	test('requests are recorded in arrival order with a receivedAt timestamp', async () => {
		await get('/me');
		await get('/usage?from=2026-01-01');
		expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /me',
			'GET /usage',
		]);
		expect(sandbox.requests[1].query).toEqual({ from: '2026-01-01' });
		expect(sandbox.requests[1].receivedAt).toBeGreaterThan(sandbox.requests[0].receivedAt);
	});
});

describe('HTTPS', () => {
	test('with a key and certificate it serves TLS: the domains say https, a client trusting the CA gets the same API', async () => {
		const tls = makeThrowawayTls();
		const secure = await startSandbox({ tls: { key: fs.readFileSync(tls.keyFile), cert: fs.readFileSync(tls.certFile) } });
		try {
			expect(secure.credentialDomain).toBe(`https://127.0.0.1:${secure.port}`);
			const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
				const request = https.get(`${secure.baseUrl}/sender-numbers`, { headers: { 'X-Api-Key': secure.keys.full, Accept: 'application/json' }, ca: fs.readFileSync(tls.caFile) }, (response) => {
					let body = '';
					response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: response.statusCode, body }));
				});
				request.on('error', reject);
			});
			expect(answer.status).toBe(200);
			expect((JSON.parse(answer.body) as { data: unknown[] }).data).toHaveLength(allSenders.length);
			// Without the CA the certificate is refused: it is a real TLS server, not plain HTTP on another port.
			await expect(fetch(`${secure.baseUrl}/sender-numbers`)).rejects.toThrow();
		} finally {
			await secure.close();
			tls.remove();
		}
	});
});

describe('multipart parser', () => {
	test('keeps binary data intact, including bytes that look like a delimiter', () => {
		const data = Buffer.from([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0x58, 0xff, 0x0d, 0x0a]);
		const body = Buffer.concat([
			Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage\r\n'),
			Buffer.from(
				'--XYZ\r\nContent-Disposition: form-data; name="media"; filename*=UTF-8\'\'%D8%B5%D9%88%D8%B1%D8%A9.png\r\n',
			),
			Buffer.from('Content-Type: image/png\r\n\r\n'),
			data,
			Buffer.from('\r\n--XYZ--\r\n'),
		]);
		const parsed = parseMultipart(body, 'XYZ');
		expect(parsed.fields).toEqual({ type: 'image' });
		expect(parsed.files).toEqual([
			{ field: 'media', filename: 'صورة.png', contentType: 'image/png', data },
		]);
	});

	test('a body without its closing boundary is an error', () => {
		expect(() =>
			parseMultipart(
				Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nb'),
				'XYZ',
			),
		).toThrow();
	});
});
