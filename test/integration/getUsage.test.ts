// TGO Get Usage, executed in real n8n-core against the TGO sandbox over loopback.
import { runNode, type TgoCredentialData } from '../../tools/harness';
import { senders } from '../../tools/sandbox/fixtures';
import { messages } from '../../tools/sandbox/server';
import { expectEveryItemFailed } from './expectations';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();

async function getUsage(
	options: { splitBySender?: boolean } = {},
	run: { items?: Array<Record<string, unknown>>; credentials?: TgoCredentialData; continueOnFail?: boolean } = {},
) {
	return await runNode({
		type: 'tgoGetUsage',
		parameters: { options },
		items: run.items as never,
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

const usageRequests = () => sandbox.requestsTo('GET', '/usage');

describe('a usage report', () => {
	test('comes out as one item holding the whole body, paired with its input item', async () => {
		const { success, error, thrown } = await getUsage();

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		const report = success[0].json as { data: { totals: object; limits: object; senders: object[] } };
		expect(report.data.totals).toMatchObject({ messages_sent: expect.any(Number) });
		expect(report.data.limits).toEqual({ messages_per_day: 1000, messages_per_month: 30000 });
		expect(report.data.senders.length).toBeGreaterThan(0);
		expect(success[0].pairedItem).toEqual({ item: 0 });
		expect(usageRequests()).toHaveLength(1);
	});

	test('split by sender gives one item per sender row, each with the period it covers', async () => {
		const { success, error } = await getUsage({ splitBySender: true });

		expect(error).toEqual([]);
		// The seeded log has messages from the two active senders only.
		expect(success.map((item) => item.json.sender_phone)).toEqual([senders.active.phone, senders.activeSecond.phone]);
		for (const item of success) {
			expect(item.json).toMatchObject({
				sender_number_id: expect.any(Number),
				messages_sent: expect.any(Number),
				period: { from: expect.any(String), to: expect.any(String) },
			});
			expect(item.json).not.toHaveProperty('totals');
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	test('two input items each get their own report, in input order', async () => {
		const { success } = await getUsage({ splitBySender: true }, { items: [{ team: 'north' }, { team: 'south' }] });

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		expect(usageRequests()).toHaveLength(2);
	});
});

describe('usage reports in shapes TGO has not documented', () => {
	test.each([
		['rows directly under data', { data: [{ sender_phone: '+201001187188', sent: 4 }, { sender_phone: '+201001187189', sent: 1 }] }, 2],
		['rows at the top level, period beside them', { period: 'month', by_sender: [{ sender_number_id: 1, sent: 4 }] }, 1],
		['rows one level deeper', { data: { month: '2026-01', senders: [{ sender: { id: 1 }, sent: 4 }, { sender: { id: 2 }, sent: 0 }] } }, 2],
	])('split by sender finds %s', async (_shape, body, rows) => {
		sandbox.setUsageBody(body);

		const { success, error } = await getUsage({ splitBySender: true });

		expect(error).toEqual([]);
		expect(success).toHaveLength(rows);
		expect(success[0].json.sent).toBe(4);
	});

	test('a period beside the rows is copied onto each row, never over a row\'s own', async () => {
		sandbox.setUsageBody({ period: 'month', rows: [{ sender_number_id: 1 }, { sender_number_id: 2, period: 'day' }] });

		const { success } = await getUsage({ splitBySender: true });

		expect(success.map((item) => item.json.period)).toEqual(['month', 'day']);
	});

	test.each([
		['totals only', { totals: 3 }],
		['an empty sender list', { data: { senders: [] } }],
		['rows that do not name a sender', { data: { days: [{ date: '2026-01-15', sent: 3 }] } }],
		['a list mixing rows and plain values', { senders: [{ sender_number_id: 1 }, 'oops'] }],
		['nested deeper than looked at', { data: { report: { senders: [{ sender_number_id: 1 }] } } }],
		['an empty object', {}],
	])('with %s, split by sender returns the body as one item', async (_shape, body) => {
		sandbox.setUsageBody(body);

		const { success, error, thrown } = await getUsage({ splitBySender: true });

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success.map((item) => item.json)).toEqual([body]);
	});

	test('without split, a body with rows still comes out whole', async () => {
		const body = { data: [{ sender_phone: '+201001187188', sent: 4 }] };
		sandbox.setUsageBody(body);

		const { success } = await getUsage();

		expect(success.map((item) => item.json)).toEqual([body]);
	});
});

describe('a usage answer that is not a JSON object', () => {
	test.each([
		['a JSON array', () => sandbox.setUsageBody([{ sender_number_id: 1 }])],
		['cut-off JSON', () => sandbox.inject('GET /usage', { kind: 'invalidJson' })],
		['an HTML page with status 200', () => sandbox.inject('GET /usage', { kind: 'html', status: 200 })],
	])('(%s) is an API_ERROR on the Error output under Continue on Fail', async (_what, arrange) => {
		arrange();

		const { success, error, thrown } = await getUsage({ splitBySender: true }, { items: [{ reportId: 7 }], continueOnFail: true });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error).toHaveLength(1);
		expect(error[0].json).toMatchObject({
			reportId: 7,
			error: { code: 'API_ERROR', message: expect.stringContaining('usage report in an unexpected shape') },
		});
		expect(error[0].pairedItem).toEqual({ item: 0 });
	});

	test('stops the workflow with a NodeApiError naming the item otherwise', async () => {
		sandbox.inject('GET /usage', { kind: 'html', status: 200 });

		const { success, error, thrown } = await getUsage({}, { items: [{ reportId: 7 }] });

		expect(success).toEqual([]);
		expect(error).toEqual([]);
		expect(thrown).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('unexpected shape'),
			context: { itemIndex: 0 },
		});
	});
});

describe('documented failures go to the Error output with the guidance a user needs', () => {
	test.each([
		['an expired key', () => credentials(sandbox.keys.expired), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['a revoked key', () => credentials(sandbox.keys.revoked), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['an unknown tenant domain', () => credentials(sandbox.keys.full, sandbox.unknownTenantDomain), 'TENANT_NOT_FOUND', 404, messages.tenantNotFound],
		['a key without usage.read', () => credentials(sandbox.keys.send), 'MISSING_SCOPE', 403, messages.missingScope],
	])('%s: every item fails with the same code, after only one request', async (_case, credentialsFor, code, httpCode, message) => {
		const items = [{ account: 'a' }, { account: 'b' }, { account: 'c' }];

		const result = await getUsage({}, { items, credentials: credentialsFor() });

		expectEveryItemFailed(result, ['a', 'b', 'c'], { code, message, httpCode });
		expect(sandbox.requests).toHaveLength(1);
	});

	test('a missing scope names usage.read', async () => {
		const { error } = await getUsage({}, { credentials: credentials(sandbox.keys.lookup) });

		expect(error[0].json.error).toMatchObject({ code: 'MISSING_SCOPE', details: { requiredScope: 'usage.read' } });
		expect(JSON.stringify(error[0].json.error)).toContain('usage.read');
	});

	test('a read-only key is enough', async () => {
		const { success, error } = await getUsage({}, { credentials: credentials(sandbox.keys.readOnly) });

		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
	});

	test('429 with a long Retry-After ends the item at once as RATE_LIMITED', async () => {
		sandbox.inject('GET /usage', { kind: 'status', status: 429, retryAfter: 120 });

		const { error } = await getUsage({}, { items: [{ account: 'a' }] });

		expect(error[0].json).toMatchObject({
			account: 'a',
			error: { code: 'RATE_LIMITED', httpCode: 429, details: { retryAfterSeconds: 120 } },
		});
		expect(usageRequests()).toHaveLength(1);
	});

	test('the API key never appears in an Error item', async () => {
		const { error } = await getUsage({}, { credentials: credentials(sandbox.keys.expired) });

		expect(JSON.stringify(error)).not.toContain(sandbox.keys.expired);
	});
});

describe('passing faults are retried', () => {
	test.each([
		['500 twice', () => sandbox.inject('GET /usage', { kind: 'status', status: 500 }, { kind: 'status', status: 500 }), 3],
		['503 with Retry-After: 0', () => sandbox.inject('GET /usage', { kind: 'status', status: 503, retryAfter: 0 }), 2],
		['a connection reset', () => sandbox.inject('GET /usage', { kind: 'resetBeforeBody' }), 2],
		['429 with a short Retry-After', () => sandbox.inject('GET /usage', { kind: 'status', status: 429, retryAfter: 0 }), 2],
	])('%s, then the report arrives', async (_fault, arrange, attempts) => {
		arrange();

		const { success, error } = await getUsage();

		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		expect(usageRequests()).toHaveLength(attempts);
	});

	test('a 500 that does not clear stops after 4 attempts, as an API_ERROR under Continue on Fail', async () => {
		sandbox.inject('GET /usage', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));

		const { error } = await getUsage({}, { continueOnFail: true });

		expect(error[0].json.error).toMatchObject({ code: 'API_ERROR', httpCode: 500 });
		expect(usageRequests()).toHaveLength(4);
	}, 15_000);
});
