// TGO Get Message Logs, executed in real n8n-core against the TGO sandbox over loopback.
import { runNode, type TgoCredentialData } from '../../tools/harness';
import { SEEDED_LOG_COUNT } from '../../tools/sandbox/fixtures';
import { type LogsPaginationStyle, messages } from '../../tools/sandbox/server';
import { expectEveryItemFailed } from './expectations';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();
/** A second server on loopback standing in for another host: it must never hear from the node. */
const { sandbox: otherHost } = useSandbox();

async function getMessageLogs(
	parameters: { returnAll?: boolean; limit?: number },
	run: { items?: Array<Record<string, unknown>>; credentials?: TgoCredentialData; continueOnFail?: boolean } = {},
) {
	return await runNode({
		type: 'tgoGetMessageLogs',
		parameters,
		items: run.items as never,
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

/** The `page` query of each GET /messages the sandbox received (undefined: no page asked). */
const pagesRequested = () => sandbox.requestsTo('GET', '/messages').map((request) => request.query.page);

/** The seeded log, newest first: ids 40 … 1. */
const allIds = Array.from({ length: SEEDED_LOG_COUNT }, (_, index) => SEEDED_LOG_COUNT - index);

function hintsOf(runData: Awaited<ReturnType<typeof getMessageLogs>>['runData']): string[] {
	return (runData['TGO Get Message Logs']?.[0]?.hints ?? []).map((hint) => hint.message);
}

function logEntry(id: number) {
	return { id, sender_number_id: 1, message_type: 'text', content: `Entry ${id}`, status: 'sent', sent_at: '2026-01-15T08:00:00.000000Z' };
}

/** A 200 page served in place of the sandbox's own, consumed by one request. */
function servePage(body: unknown) {
	sandbox.inject('GET /messages', { kind: 'status', status: 200, body });
}

describe('Return All reads every page, whatever pagination style TGO answers with', () => {
	test.each<[LogsPaginationStyle, string]>([
		['links', 'a Laravel resource collection (links.next)'],
		['next_page_url', 'a bare Laravel paginator (next_page_url)'],
		['meta', 'meta.current_page < meta.last_page only'],
	])("'%s': %s → all 40 entries, one item each, newest first, 3 pages", async (style) => {
		sandbox.setLogsPagination(style);

		const { success, error, thrown } = await getMessageLogs({ returnAll: true });

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success.map((item) => item.json.id)).toEqual(allIds);
		expect(success[0].json).toMatchObject({
			sender_number_id: expect.any(Number),
			message_type: expect.any(String),
			status: expect.any(String),
			sent_at: expect.any(String),
		});
		expect(success.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(pagesRequested()).toEqual([undefined, '2', '3']);
	});

	test.each<LogsPaginationStyle>(['none', 'array'])(
		"'%s': nothing says more pages exist, so one page is read",
		async (style) => {
			sandbox.setLogsPagination(style);

			const { success } = await getMessageLogs({ returnAll: true });

			expect(success.map((item) => item.json.id)).toEqual(allIds.slice(0, 15));
			expect(pagesRequested()).toEqual([undefined]);
		},
	);
});

describe('Limit stops as soon as enough entries are in hand', () => {
	test.each([
		[5, [undefined]],
		[15, [undefined]],
		[20, [undefined, '2']],
		[31, [undefined, '2', '3']],
		[100, [undefined, '2', '3']],
	])('limit %i → only the pages needed: %j', async (limit, pages) => {
		const { success } = await getMessageLogs({ returnAll: false, limit });

		expect(success.map((item) => item.json.id)).toEqual(allIds.slice(0, limit));
		expect(pagesRequested()).toEqual(pages);
	});

	test('the default limit is 50', async () => {
		const { success } = await getMessageLogs({});

		expect(success).toHaveLength(SEEDED_LOG_COUNT);
	});

	test('each input item gets its own entries, paired with it, in input order', async () => {
		const { success } = await getMessageLogs({ limit: 2 }, { items: [{ run: 'a' }, { run: 'b' }] });

		expect(success.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[40, { item: 0 }],
			[39, { item: 0 }],
			[40, { item: 1 }],
			[39, { item: 1 }],
		]);
	});
});

describe('the API key never leaves the tenant host', () => {
	test.each([
		['another host on loopback', () => `${otherHost.credentialDomain}/api/v1/messages?page=2`],
		['a host on the internet', () => 'https://tgo-logs.attacker.example/api/v1/messages?page=2'],
		['a protocol-relative URL', () => '//tgo-logs.attacker.example/collect?page=2'],
		['a relative URL', () => '/api/v1/messages?page=2'],
	])('a next link to %s is read only for its page number, then requested from the tenant', async (_where, nextLink) => {
		servePage({ data: [logEntry(1000)], links: { next: nextLink() } });

		const { success, error, thrown } = await getMessageLogs({ limit: 3 });

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		// Page 2 of the real log follows the injected first page.
		expect(success.map((item) => item.json.id)).toEqual([1000, ...allIds.slice(15, 17)]);
		expect(pagesRequested()).toEqual([undefined, '2']);
		const tenantHost = new URL(sandbox.credentialDomain).host;
		expect(sandbox.requests.map((request) => request.headers.host)).toEqual([tenantHost, tenantHost]);
		expect(otherHost.requests).toEqual([]);
	});

	test('next_page_url is treated the same way', async () => {
		servePage({ data: [logEntry(1000)], current_page: 1, next_page_url: `${otherHost.credentialDomain}/api/v1/messages?page=3` });

		await getMessageLogs({ limit: 2 });

		expect(pagesRequested()).toEqual([undefined, '3']);
		expect(otherHost.requests).toEqual([]);
	});
});

describe('a server that loops is not followed for ever', () => {
	test('a next link back to a page already read ends the walk, with a hint', async () => {
		const nextIsPage2 = { next: `${sandbox.baseUrl}/messages?page=2` };
		servePage({ data: [logEntry(1)], links: nextIsPage2, meta: { current_page: 1, last_page: 9 } });
		servePage({ data: [logEntry(2)], links: nextIsPage2, meta: { current_page: 2, last_page: 9 } });

		const { success, runData } = await getMessageLogs({ returnAll: true });

		expect(success.map((item) => item.json.id)).toEqual([1, 2]);
		expect(pagesRequested()).toEqual([undefined, '2']);
		expect(hintsOf(runData)).toEqual([expect.stringContaining('page already read')]);
	});

	test('a server that ignores the page number gives its entries once, not twice', async () => {
		const firstPage = { data: [logEntry(1), logEntry(2)], meta: { current_page: 1, last_page: 3 } };
		servePage(firstPage);
		servePage(firstPage);

		const { success, runData } = await getMessageLogs({ returnAll: true });

		expect(success.map((item) => item.json.id)).toEqual([1, 2]);
		expect(pagesRequested()).toEqual([undefined, '2']);
		expect(hintsOf(runData)).toEqual([expect.stringContaining('page 1 a second time')]);
	});

	test('an empty page ends the walk even if it claims a next page', async () => {
		servePage({ data: [], links: { next: `${sandbox.baseUrl}/messages?page=2` } });

		const { success, error } = await getMessageLogs({ returnAll: true });

		expect(success).toEqual([]);
		expect(error).toEqual([]);
		expect(pagesRequested()).toEqual([undefined]);
	});
});

describe('message logs in a shape TGO does not send', () => {
	test('a body without a data list is an API_ERROR under Continue on Fail', async () => {
		servePage({ messages: [logEntry(1)] });

		const { error } = await getMessageLogs({ returnAll: true }, { items: [{ run: 'a' }], continueOnFail: true });

		expect(error[0].json).toMatchObject({ run: 'a', error: { code: 'API_ERROR', message: expect.stringContaining('message logs') } });
	});

	test('cut-off JSON stops the workflow with a NodeApiError naming the item', async () => {
		sandbox.inject('GET /messages', { kind: 'invalidJson' });

		const { thrown } = await getMessageLogs({ returnAll: true });

		expect(thrown).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 0 } });
	});
});

describe('documented failures go to the Error output with the guidance a user needs', () => {
	test.each([
		['an expired key', () => credentials(sandbox.keys.expired), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['a revoked key', () => credentials(sandbox.keys.revoked), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['an unknown tenant domain', () => credentials(sandbox.keys.full, sandbox.unknownTenantDomain), 'TENANT_NOT_FOUND', 404, messages.tenantNotFound],
		['a key without messages.read', () => credentials(sandbox.keys.lookup), 'MISSING_SCOPE', 403, messages.missingScope],
	])('%s: every item fails with the same code, after only one request', async (_case, credentialsFor, code, httpCode, message) => {
		const items = [{ account: 'a' }, { account: 'b' }, { account: 'c' }];

		const result = await getMessageLogs({ returnAll: true }, { items, credentials: credentialsFor() });

		expectEveryItemFailed(result, ['a', 'b', 'c'], { code, message, httpCode });
		expect(sandbox.requests).toHaveLength(1);
	});

	test('a missing scope names messages.read', async () => {
		const { error } = await getMessageLogs({ returnAll: true }, { credentials: credentials(sandbox.keys.send) });

		expect(error[0].json.error).toMatchObject({ code: 'MISSING_SCOPE', details: { requiredScope: 'messages.read' } });
	});

	test('429 with a long Retry-After on page 2 ends the item as RATE_LIMITED, without waiting', async () => {
		servePage({ data: [logEntry(1)], links: { next: `${sandbox.baseUrl}/messages?page=2` } });
		sandbox.inject('GET /messages', { kind: 'status', status: 429, retryAfter: 120 });

		const { success, error } = await getMessageLogs({ returnAll: true }, { items: [{ account: 'a' }] });

		expect(success).toEqual([]);
		expect(error[0].json).toMatchObject({
			account: 'a',
			error: { code: 'RATE_LIMITED', httpCode: 429, details: { retryAfterSeconds: 120 } },
		});
		expect(pagesRequested()).toEqual([undefined, '2']);
	});
});

describe('passing faults are retried, page by page', () => {
	test.each([
		['500', { kind: 'status' as const, status: 500 }],
		['503 with Retry-After: 0', { kind: 'status' as const, status: 503, retryAfter: 0 }],
		['a connection reset', { kind: 'resetBeforeBody' as const }],
	])('%s on page 1, then every page arrives', async (_fault, fault) => {
		sandbox.inject('GET /messages', fault);

		const { success, error } = await getMessageLogs({ returnAll: true });

		expect(error).toEqual([]);
		expect(success.map((item) => item.json.id)).toEqual(allIds);
		expect(pagesRequested()).toEqual([undefined, undefined, '2', '3']);
	});
});
