// TGO Get Sender Numbers, executed in real n8n-core against the TGO sandbox over loopback.
import { runNode, type TgoCredentialData } from '../../tools/harness';
import { allSenders, senders } from '../../tools/sandbox/fixtures';
import { messages } from '../../tools/sandbox/server';
import { expectEveryItemFailed } from './expectations';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();

async function getSenderNumbers(
	parameters: { returnAll?: boolean; limit?: number; filters?: { status?: string[]; readyOnly?: boolean } },
	run: { items?: Array<Record<string, unknown>>; credentials?: TgoCredentialData; continueOnFail?: boolean } = {},
) {
	return await runNode({
		type: 'tgoGetSenderNumbers',
		parameters,
		items: run.items as never,
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

const senderListRequests = () => sandbox.requestsTo('GET', '/sender-numbers');

describe('every sender number comes out with whether it can send, and what to do if not', () => {
	test('one item per sender, in the order TGO lists them, paired with the input item', async () => {
		const { success, error, thrown } = await getSenderNumbers({ returnAll: true });

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success.map((item) => item.json.phone)).toEqual(allSenders.map((sender) => sender.phone));
		expect(success.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		// The sender objects pass through whole.
		expect(success[0].json).toMatchObject({ ...senders.active, ready_to_send: true });
		expect(senderListRequests()).toHaveLength(1);
	});

	test('a ready sender has no hint', async () => {
		const { success } = await getSenderNumbers({ returnAll: true });

		const ready = success.filter((item) => item.json.ready_to_send === true);
		expect(ready.map((item) => item.json.id)).toEqual([senders.active.id, senders.activeSecond.id]);
		for (const item of ready) expect(item.json).not.toHaveProperty('hint');
	});

	test.each([
		['pending its OTP', senders.pendingVerification, /^Waiting for OTP: the number owner finds the OTP in TGO Connect and enters it in the TGO Business dashboard/],
		['pending account verification (in status)', senders.pendingAccountVerification, /^Account not verified: .*verify their TGO Connect account/],
		['active, but its owner\'s account is not verified (in verification_status)', senders.activeButAccountUnverified, /^Account not verified: .*verify their TGO Connect account/],
		['rejected', senders.rejected, /^Rejected: .*Register another sender number/],
		['suspended', senders.suspended, /^Suspended: .*administrator/],
	])('a sender %s is not ready, and its hint says what the owner must do', async (_case, sender, hint) => {
		const { success } = await getSenderNumbers({ returnAll: true });

		const item = success.find((candidate) => candidate.json.id === sender.id);
		expect(item?.json).toMatchObject({ status: sender.status, ready_to_send: false, hint: expect.stringMatching(hint) });
	});

	test('a status TGO does not document is not ready, and the hint names it', async () => {
		sandbox.inject('GET /sender-numbers', {
			kind: 'status',
			status: 200,
			body: { data: [{ ...senders.active, id: 99, status: 'on_hold' }] },
		});

		const { success } = await getSenderNumbers({ returnAll: true });

		expect(success.map((item) => item.json)).toEqual([
			expect.objectContaining({ id: 99, status: 'on_hold', ready_to_send: false, hint: expect.stringContaining('"on_hold"') }),
		]);
	});
});

describe('filters and limits', () => {
	test('status filter keeps only the chosen statuses', async () => {
		const { success } = await getSenderNumbers({ returnAll: true, filters: { status: ['rejected', 'suspended'] } });

		expect(success.map((item) => item.json.id)).toEqual([senders.rejected.id, senders.suspended.id]);
	});

	test("'active' alone still includes the active sender whose account is unverified, marked not ready", async () => {
		const { success } = await getSenderNumbers({ returnAll: true, filters: { status: ['active'] } });

		expect(success.map((item) => [item.json.id, item.json.ready_to_send])).toEqual([
			[senders.active.id, true],
			[senders.activeSecond.id, true],
			[senders.activeButAccountUnverified.id, false],
		]);
	});

	test('ready only keeps the senders that can send now', async () => {
		const { success } = await getSenderNumbers({ returnAll: true, filters: { readyOnly: true } });

		expect(success.map((item) => item.json.id)).toEqual([senders.active.id, senders.activeSecond.id]);
	});

	test('ready only combined with a status of senders that cannot send gives no items, and no error', async () => {
		const { success, error } = await getSenderNumbers({ returnAll: true, filters: { readyOnly: true, status: ['rejected'] } });

		expect(success).toEqual([]);
		expect(error).toEqual([]);
	});

	test('limit applies after the filters', async () => {
		const { success } = await getSenderNumbers({ returnAll: false, limit: 2, filters: { status: ['pending_verification', 'rejected', 'suspended'] } });

		expect(success.map((item) => item.json.id)).toEqual([senders.pendingVerification.id, senders.rejected.id]);
	});

	test('the default limit of 50 returns all seven', async () => {
		const { success } = await getSenderNumbers({});

		expect(success).toHaveLength(allSenders.length);
	});

	test('each input item gets its own list, paired with it, in input order', async () => {
		const { success } = await getSenderNumbers(
			{ returnAll: true, filters: { readyOnly: true } },
			{ items: [{ team: 'north' }, { team: 'south' }] },
		);

		expect(success.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[senders.active.id, { item: 0 }],
			[senders.activeSecond.id, { item: 0 }],
			[senders.active.id, { item: 1 }],
			[senders.activeSecond.id, { item: 1 }],
		]);
		expect(senderListRequests()).toHaveLength(2);
	});
});

describe('documented failures go to the Error output with the guidance a user needs', () => {
	test.each([
		['an expired key', () => credentials(sandbox.keys.expired), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['a revoked key', () => credentials(sandbox.keys.revoked), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['an unknown tenant domain', () => credentials(sandbox.keys.full, sandbox.unknownTenantDomain), 'TENANT_NOT_FOUND', 404, messages.tenantNotFound],
	])('%s: every item fails with the same code, after only one request', async (_case, credentialsFor, code, httpCode, message) => {
		const items = [{ account: 'a' }, { account: 'b' }, { account: 'c' }];

		const result = await getSenderNumbers({ returnAll: true }, { items, credentials: credentialsFor() });

		expectEveryItemFailed(result, ['a', 'b', 'c'], { code, message, httpCode });
		expect(sandbox.requests).toHaveLength(1);
	});

	test('a 403 (the scope for listing senders is undocumented) is MISSING_SCOPE asking for "*"', async () => {
		sandbox.inject('GET /sender-numbers', { kind: 'status', status: 403, body: { message: messages.missingScope } });

		const { error } = await getSenderNumbers({ returnAll: true }, { items: [{ account: 'a' }, { account: 'b' }] });

		expect(error.map((item) => item.json.error)).toEqual([
			expect.objectContaining({ code: 'MISSING_SCOPE', httpCode: 403, details: { requiredScope: '*' } }),
			expect.objectContaining({ code: 'MISSING_SCOPE', details: expect.objectContaining({ requiredScope: '*' }) }),
		]);
		expect(senderListRequests()).toHaveLength(1);
	});

	test('429 with a long Retry-After ends the item at once as RATE_LIMITED', async () => {
		sandbox.inject('GET /sender-numbers', { kind: 'status', status: 429, retryAfter: 120 });

		const { error } = await getSenderNumbers({ returnAll: true }, { items: [{ account: 'a' }] });

		expect(error[0].json).toMatchObject({
			account: 'a',
			error: { code: 'RATE_LIMITED', httpCode: 429, details: { retryAfterSeconds: 120 } },
		});
		expect(senderListRequests()).toHaveLength(1);
	});

	test('a list without data is an API_ERROR under Continue on Fail, and stops the workflow otherwise', async () => {
		const notAList = { kind: 'status' as const, status: 200, body: { senders: [] } };
		sandbox.inject('GET /sender-numbers', notAList, notAList);

		const continued = await getSenderNumbers({ returnAll: true }, { items: [{ account: 'a' }], continueOnFail: true });
		const stopped = await getSenderNumbers({ returnAll: true }, { items: [{ account: 'a' }] });

		expect(continued.error[0].json).toMatchObject({ account: 'a', error: { code: 'API_ERROR' } });
		expect(stopped.thrown).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 0 } });
	});
});

describe('passing faults are retried', () => {
	test.each([
		['500 twice', [{ kind: 'status' as const, status: 500 }, { kind: 'status' as const, status: 500 }], 3],
		['503 with Retry-After: 0', [{ kind: 'status' as const, status: 503, retryAfter: 0 }], 2],
		['a connection reset', [{ kind: 'resetBeforeBody' as const }], 2],
	])('%s, then the list arrives', async (_fault, faults, attempts) => {
		sandbox.inject('GET /sender-numbers', ...faults);

		const { success, error } = await getSenderNumbers({ returnAll: true });

		expect(error).toEqual([]);
		expect(success).toHaveLength(allSenders.length);
		expect(senderListRequests()).toHaveLength(attempts);
	});
});
