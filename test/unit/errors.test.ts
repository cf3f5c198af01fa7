import { classifyHttpFailure, excerptOf, networkFailure, type TgoOperation } from '../../nodes/shared/errors';
import { neverReachedServer } from '../../nodes/shared/retry';

const classify = (status: number, body: unknown, operation: TgoOperation = 'sendMessage', retryAfterSeconds?: number) =>
	classifyHttpFailure({ operation, status, body, retryAfterSeconds });

const ARABIC_NOT_VERIFIED = 'يجب أن يكون صاحب الرقم موثقًا داخل TGO Connect قبل استخدام API الإرسال.';

describe('failure classification', () => {
	it.each([
		['TGO wording', 422, 'The sender number is not active.'],
		['sibling wording', 422, 'Sender number is not active.'],
		['without a documented status', 400, 'The sender number is not active.'],
		['even on a 403', 403, 'The sender number is not active.'],
	])('SENDER_NOT_ACTIVE from the body (%s)', (_name, status, message) => {
		const failure = classify(status, { message });
		expect(failure).toMatchObject({ code: 'SENDER_NOT_ACTIVE', httpCode: status, message });
		expect(failure?.resolution).toMatch(/OTP/);
		// The page that explains sender statuses and the OTP, where the resolution sends the user.
		expect(failure?.docsUrl).toBe('https://docs.business.tgo-eg.com/sender-numbers');
	});

	it.each([
		['Arabic TGO message', ARABIC_NOT_VERIFIED],
		['Arabic message without diacritics or final stop', 'يجب أن يكون صاحب الرقم موثقا داخل TGO Connect قبل استخدام API الإرسال'],
		['sibling English message', 'The sender number owner must be verified in Sinjapp before using the messaging API.'],
	])('ACCOUNT_NOT_VERIFIED from the %s', (_name, message) => {
		const failure = classify(422, { message });
		expect(failure).toMatchObject({ code: 'ACCOUNT_NOT_VERIFIED', message });
		expect(failure?.resolution).toMatch(/TGO Connect/);
		expect(failure?.resolution).toMatch(/No new OTP/);
	});

	it('MISSING_SCOPE names the scope of the operation', () => {
		const body = { message: 'This API key does not have the required scope.' };
		expect(classify(403, body, 'sendMessage')?.details).toEqual({ requiredScope: 'messages.send' });
		expect(classify(403, body, 'lookupContact')?.details).toEqual({ requiredScope: 'contacts.lookup' });
		expect(classify(403, body, 'getUsage')?.details).toEqual({ requiredScope: 'usage.read' });
		expect(classify(403, body, 'listMessageLogs')?.details).toEqual({ requiredScope: 'messages.read' });
		expect(classify(403, body, 'registerSenderNumber')?.details).toEqual({ requiredScope: 'messages.send' });
		expect(classify(403, {}, 'getUsage')).toMatchObject({ code: 'MISSING_SCOPE', httpCode: 403 });
	});

	it('UNAUTHORIZED for a 401, with or without a body', () => {
		expect(classify(401, { message: 'Unauthenticated.' })).toMatchObject({ code: 'UNAUTHORIZED', message: 'Unauthenticated.', httpCode: 401 });
		expect(classify(401, '')).toMatchObject({ code: 'UNAUTHORIZED' });
	});

	it('TENANT_NOT_FOUND only for the documented 404 message', () => {
		expect(classify(404, { message: 'Tenant could not be identified for this domain.' })).toMatchObject({
			code: 'TENANT_NOT_FOUND',
			httpCode: 404,
		});
		expect(classify(404, { message: 'Not Found' })).toBeUndefined();
		expect(classify(404, '<html>Not Found</html>')).toBeUndefined();
	});

	it('ENDPOINT_UNAVAILABLE for a 404 or 405 on the account endpoints only; the tenant 404 stays TENANT_NOT_FOUND', () => {
		const routeMissing = { message: 'The route api/v1/me could not be found.' };
		expect(classify(404, routeMissing, 'getAccount')).toMatchObject({ code: 'ENDPOINT_UNAVAILABLE', httpCode: 404, details: { endpoint: 'GET /me' } });
		expect(classify(405, {}, 'getAccount')).toMatchObject({ code: 'ENDPOINT_UNAVAILABLE', httpCode: 405 });
		expect(classify(404, '<html>Not Found</html>', 'getSubscription')).toMatchObject({
			code: 'ENDPOINT_UNAVAILABLE',
			details: { endpoint: 'GET /subscription' },
		});
		const tenant = { message: 'Tenant could not be identified for this domain.' };
		expect(classify(404, tenant, 'getAccount')?.code).toBe('TENANT_NOT_FOUND');
		expect(classify(404, tenant, 'getSubscription')?.code).toBe('TENANT_NOT_FOUND');
		// Elsewhere a missing route is not documented: the node stops with an API_ERROR.
		expect(classify(404, routeMissing, 'getUsage')).toBeUndefined();
		expect(classify(405, {}, 'listSenderNumbers')).toBeUndefined();
	});

	it('MISSING_SCOPE where TGO documents no scope says so, and names "*" as the one known to work', () => {
		for (const operation of ['getAccount', 'getSubscription', 'listSenderNumbers'] as const) {
			const failure = classify(403, {}, operation);
			expect(failure?.details).toEqual({ requiredScope: '*' });
			expect(failure?.description).toMatch(/does not document which scope/);
			expect(failure?.resolution).toMatch(/^Create a key with the "\*" scope \(full access\)/);
		}
		expect(classify(403, {}, 'getSubscription')?.resolution).toMatch(/Include Subscription/);
		expect(classify(403, {}, 'getAccount')?.resolution).not.toMatch(/Include Subscription/);
		expect(classify(403, {}, 'getUsage')?.description).toMatch(/needs \(usage\.read\)/);
	});

	it('VALIDATION_FAILED joins every field message and keeps the field map', () => {
		const body = {
			message: 'The given data was invalid.',
			errors: { to_phone: ['The to phone field is required.'], duration: ['The duration must be between 1 and 300.'] },
		};
		const failure = classify(422, body);
		expect(failure).toMatchObject({
			code: 'VALIDATION_FAILED',
			httpCode: 422,
			message: 'The to phone field is required. The duration must be between 1 and 300.',
			details: { fields: body.errors },
		});
		expect(classify(422, { message: 'The to phone field is required. (and 1 more error)' })?.message).toBe(
			'The to phone field is required. (and 1 more error)',
		);
	});

	it('RECIPIENT_UNREACHABLE when a send is refused because the recipient cannot receive', () => {
		expect(classify(422, { message: 'The recipient cannot receive messages.', reason_code: 'recipient_blocked' })).toMatchObject({
			code: 'RECIPIENT_UNREACHABLE',
			details: { reasonCode: 'recipient_blocked' },
		});
	});

	it('RATE_LIMITED keeps how long TGO asked to wait', () => {
		expect(classify(429, { message: 'Too Many Attempts.' }, 'sendMessage', 120)).toMatchObject({
			code: 'RATE_LIMITED',
			httpCode: 429,
			details: { retryAfterSeconds: 120 },
		});
		expect(classify(429, '')).toMatchObject({ code: 'RATE_LIMITED' });
	});

	it.each([
		[500, { message: 'Server Error' }],
		[502, '<html><body>Bad Gateway</body></html>'],
		[503, ''],
		[400, { message: 'Something we have never seen.' }],
	])('leaves undocumented failures (%p) to the caller', (status, body) => {
		expect(classify(status, body)).toBeUndefined();
	});

	it('quotes unexpected bodies only as a bounded one-line excerpt', () => {
		const page = `<html>\n${'x'.repeat(5000)}\n</html>`;
		const excerpt = excerptOf(page);
		expect(excerpt.length).toBeLessThanOrEqual(201);
		expect(excerpt).not.toContain('\n');
		expect(excerptOf('')).toBe('(empty body)');
	});
});

describe('a request that ended without an answer', () => {
	it.each([
		['a send reset mid-request', 'sendMessage', 'POST', 'ECONNRESET', /the message may have been sent\. The node did not repeat it/, /TGO Get Message Logs/],
		['a registration that timed out', 'registerSenderNumber', 'POST', 'ECONNABORTED', /the sender number may have been registered\. The node did not repeat it/, /TGO Get Sender Numbers/],
		['a registration reset mid-request', 'registerSenderNumber', 'POST', 'ECONNRESET', /may have been registered/, /TGO Get Sender Numbers/],
		// Refused connections never reached TGO: they were retried, and nothing can have happened.
		['a registration whose connection was refused', 'registerSenderNumber', 'POST', 'ECONNREFUSED', /never reached TGO, so nothing was registered\. The node tried 4 times/, /cannot register it twice/],
		['a lookup reset mid-request', 'lookupContact', 'GET', 'ECONNRESET', /It only reads from TGO, so nothing was changed/, /Run the item again later/],
	] as const)('%s says what may have happened', (_name, operation, method, errorCode, description, resolution) => {
		const failure = networkFailure({
			operation,
			method,
			attempts: errorCode === 'ECONNREFUSED' || method === 'GET' ? 4 : 1,
			errorCode,
			reachedTgo: !neverReachedServer(errorCode),
			timeoutMs: 30_000,
		});
		expect(failure.message).toMatch(new RegExp(`^Could not complete the request to TGO \\(${errorCode}\\)`));
		expect(failure.description).toMatch(description);
		expect(failure.resolution).toMatch(resolution);
	});
});
