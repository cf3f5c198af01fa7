/**
 * Walking the message log's pages (nodes/TgoGetMessageLogs/pagination.ts). Every page goes
 * through the `messageLogPage` schema first, as the node does, so the shapes below are read as
 * the node reads them. The fake servers are plain functions from a query to a body: the walk only
 * ever sees a query, never a URL, which is what keeps the API key on the tenant host.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { collectMessageLogs, MAX_PAGES, nextPageQuery, type PageQuery } from '../../nodes/TgoGetMessageLogs/pagination';
import { messageLogPage, type MessageLogPage } from '../../nodes/shared/schemas';
import { propertyRuns as runs } from './support';

/** The walk as the node runs it: every answer read through the schema, every query recorded. */
async function walk(answer: (query: PageQuery) => unknown, limit: number) {
	const queries: PageQuery[] = [];
	const pages: MessageLogPage[] = [];
	const result = await collectMessageLogs(async (query) => {
		// A walk that would never end fails here instead of hanging the suite.
		if (queries.length > MAX_PAGES) throw new Error(`the walk asked for more than ${MAX_PAGES} pages`);
		queries.push(query);
		const page = messageLogPage.parse(answer(query));
		pages.push(page);
		return page;
	}, limit);
	return { ...result, queries, pages };
}

const entry = (position: number): IDataObject => ({ id: position, content: `message ${position}`, status: 'sent' });

// ---------------------------------------------------------------------------------------------
// An honest server in every pagination style Laravel offers.

type Style = 'resource' | 'paginator' | 'metaOnly' | 'cursorResource' | 'cursorPaginator' | 'list';

interface HonestServer {
	total: number;
	pageSize: number;
	style: Style;
	/** Where next links point: the tenant, another host, or relative forms. */
	linkBase: string;
	/** Laravel configs that serialise page numbers as text; the schema coerces them. */
	numbersAsText: boolean;
}

const cursorOf = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');
const offsetOf = (cursor: unknown) => (typeof cursor === 'string' ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { offset: number }).offset : 0);

function honestAnswer(server: HonestServer, all: IDataObject[]) {
	const { pageSize, linkBase } = server;
	const number = (value: number) => (server.numbersAsText ? String(value) : value);
	const link = (params: Record<string, string | number>) =>
		`${linkBase}messages?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
	const lastPage = Math.max(1, Math.ceil(all.length / pageSize));

	return (query: PageQuery): unknown => {
		if (server.style === 'list') return all;

		if (server.style === 'cursorResource' || server.style === 'cursorPaginator') {
			const offset = offsetOf(query.cursor);
			const data = all.slice(offset, offset + pageSize);
			const nextCursor = offset + pageSize < all.length ? cursorOf(offset + pageSize) : null;
			const next = nextCursor === null ? null : link({ cursor: nextCursor, per_page: pageSize });
			return server.style === 'cursorResource'
				? { data, links: { first: null, last: null, prev: null, next }, meta: { path: `${linkBase}messages`, per_page: pageSize, next_cursor: nextCursor } }
				: { data, path: `${linkBase}messages`, per_page: pageSize, next_cursor: nextCursor, next_page_url: next, prev_page_url: null };
		}

		const page = Number(query.page ?? 1);
		const data = all.slice((page - 1) * pageSize, page * pageSize);
		const next = page < lastPage ? link({ page: page + 1, per_page: pageSize }) : null;
		if (server.style === 'resource') {
			return {
				data,
				links: { first: link({ page: 1 }), last: link({ page: lastPage }), prev: null, next },
				meta: { current_page: number(page), last_page: number(lastPage), per_page: pageSize, total: all.length },
			};
		}
		if (server.style === 'paginator') {
			// A bare paginator's `links` are page buttons, not a `next`.
			const buttons = [{ url: null, label: '&laquo; Previous', active: false }, { url: link({ page }), label: String(page), active: true }];
			return { data, current_page: number(page), last_page: number(lastPage), next_page_url: next, links: buttons, per_page: pageSize, total: all.length };
		}
		return { data, meta: { current_page: number(page), last_page: number(lastPage) } };
	};
}

const linkBases = fc.constantFrom(
	'https://acme.business.tgo-eg.com/api/v1/',
	'https://elsewhere.invalid/api/v1/',
	'http://10.0.0.1:8080/',
	'/api/v1/',
	'',
);

const honestServer: fc.Arbitrary<HonestServer> = fc.record({
	total: fc.integer({ min: 0, max: 60 }),
	pageSize: fc.integer({ min: 1, max: 15 }),
	style: fc.constantFrom<Style>('resource', 'paginator', 'metaOnly', 'cursorResource', 'cursorPaginator', 'list'),
	linkBase: linkBases,
	numbersAsText: fc.boolean(),
});

/** Return All (Infinity) or a Limit (the parameter's minimum is 1). */
const limits = fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 80 }));

describe('an honest server, in every pagination style', () => {
	it('gives the first min(limit, total) entries in order, none twice, none skipped, without a warning', async () => {
		await fc.assert(
			fc.asyncProperty(honestServer, limits, async (server, limit) => {
				const all = Array.from({ length: server.total }, (_, k) => entry(k + 1));
				const { entries, stoppedEarly } = await walk(honestAnswer(server, all), limit);
				expect(entries).toEqual(all.slice(0, Math.min(limit, all.length)));
				expect(stoppedEarly).toBeUndefined();
			}),
			runs(400),
		);
	});

	it('requests only the pages it needs: none after the limit is reached, none after the last page', async () => {
		await fc.assert(
			fc.asyncProperty(honestServer, limits, async (server, limit) => {
				const all = Array.from({ length: server.total }, (_, k) => entry(k + 1));
				const { queries } = await walk(honestAnswer(server, all), limit);
				const needed = server.style === 'list' ? 1 : Math.max(1, Math.ceil(Math.min(limit, all.length) / server.pageSize));
				expect(queries).toHaveLength(needed);
			}),
			runs(400),
		);
	});

	it('starts with no query and then sends exactly the query of the next link, whatever host the link names', async () => {
		await fc.assert(
			fc.asyncProperty(honestServer, async (server) => {
				const all = Array.from({ length: server.total }, (_, k) => entry(k + 1));
				const { queries } = await walk(honestAnswer(server, all), Infinity);
				expect(queries[0]).toEqual({});
				for (const [k, query] of queries.slice(1).entries()) {
					if (server.style === 'metaOnly') expect(query).toEqual({ page: k + 2 });
					else if (server.style.startsWith('cursor')) expect(query).toEqual({ cursor: cursorOf((k + 1) * server.pageSize), per_page: String(server.pageSize) });
					else expect(query).toEqual({ page: String(k + 2), per_page: String(server.pageSize) });
				}
			}),
			runs(300),
		);
	});
});

// ---------------------------------------------------------------------------------------------
// A server that answers anything the schema lets through: links back, repeated page numbers,
// links that are not URLs, empty pages. The walk must end, read no query twice and drop nothing
// it read unless it says why.

interface PageScript {
	entries: number;
	reportedPage?: number;
	lastPage?: number;
	/** Where the next link points (a page number), or a link that is no URL, or none. */
	next: { page: number } | 'not a url' | 'none';
	style: 'resource' | 'paginator';
}

const pageScript: fc.Arbitrary<PageScript> = fc.record(
	{
		entries: fc.integer({ min: 0, max: 3 }),
		reportedPage: fc.integer({ min: 1, max: 6 }),
		lastPage: fc.integer({ min: 1, max: 8 }),
		next: fc.oneof(
			{ weight: 4, arbitrary: fc.record({ page: fc.integer({ min: 1, max: 8 }) }) },
			{ weight: 1, arbitrary: fc.constantFrom<'not a url' | 'none'>('not a url', 'none') },
		),
		style: fc.constantFrom<'resource' | 'paginator'>('resource', 'paginator'),
	},
	{ requiredKeys: ['entries', 'next', 'style'] },
);

describe('a server that does not behave', () => {
	it('ends, sends no query twice, returns at most the limit, drops nothing read unless it warns, and never reads past an empty page', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(pageScript, { minLength: 1, maxLength: 12 }), limits, async (script, limit) => {
				let served = 0;
				const answer = () => {
					const page = script[served % script.length];
					const data = Array.from({ length: page.entries }, (_, k) => entry(served * 10 + k));
					served += 1;
					const next = page.next === 'none' ? null : page.next === 'not a url' ? 'http://' : `https://other.invalid/messages?page=${page.next.page}`;
					return page.style === 'resource'
						? { data, links: { next }, meta: { current_page: page.reportedPage, last_page: page.lastPage } }
						: { data, next_page_url: next, current_page: page.reportedPage, last_page: page.lastPage, links: [] };
				};
				const { entries, stoppedEarly, queries, pages } = await walk(answer, limit);

				const keys = queries.map((query) => JSON.stringify(Object.entries(query).sort()));
				expect(new Set(keys).size).toBe(keys.length);
				expect(queries.length).toBeLessThanOrEqual(MAX_PAGES);
				expect(entries.length).toBeLessThanOrEqual(limit);
				const bodyOf = (page: MessageLogPage) => (Array.isArray(page) ? page : page.data);
				pages.slice(0, -1).forEach((page) => expect(bodyOf(page).length).toBeGreaterThan(0));

				// What comes out is what was read, in the order read, cut at the limit; a walk that
				// ends on a guard may leave out the page that tripped it, and says so.
				const read = pages.flatMap(bodyOf);
				expect(read.slice(0, entries.length)).toEqual(entries);
				if (stoppedEarly === undefined) expect(entries).toEqual(read.slice(0, limit));
				else expect(stoppedEarly).toMatch(/\S/);

				// Two pages reporting the same page number never both count.
				const pagesCounted = new Set<number>();
				let position = 0;
				for (const page of pages) {
					if (position >= entries.length) break;
					const number = Array.isArray(page) ? undefined : (page.meta?.current_page ?? page.current_page);
					if (number !== undefined) {
						expect(pagesCounted.has(number)).toBe(false);
						pagesCounted.add(number);
					}
					position += bodyOf(page).length;
				}
			}),
			runs(500),
		);
	});

	it('stops with a warning, and without re-reading, when a page links back to one already read', async () => {
		// Pages 1 → 2 → 3 → back to 2, with no page numbers to tell them apart.
		const byPage: Record<string, { data: IDataObject[]; next_page_url: string | null }> = {
			'1': { data: [entry(1), entry(2)], next_page_url: '/messages?page=2' },
			'2': { data: [entry(3)], next_page_url: '/messages?page=3' },
			'3': { data: [entry(4)], next_page_url: 'https://tenant.invalid/messages?page=2' },
		};
		const { entries, stoppedEarly, queries } = await walk((query) => byPage[String(query.page ?? 1)], Infinity);
		expect(entries.map((e) => e.id)).toEqual([1, 2, 3, 4]);
		expect(queries).toHaveLength(3);
		expect(stoppedEarly).toEqual(expect.any(String));
	});

	it('stops with a warning, keeping the first copy only, when the server answers a page number it already gave', async () => {
		// A server that ignores `page` and always answers page 1 with a link to page 2.
		const { entries, stoppedEarly, queries } = await walk(
			() => ({ data: [entry(1)], current_page: 1, last_page: 5, next_page_url: '/messages?page=2' }),
			Infinity,
		);
		expect(entries).toEqual([entry(1)]);
		expect(queries).toHaveLength(2);
		expect(stoppedEarly).toEqual(expect.any(String));
	});

	it(`stops after ${MAX_PAGES} pages of a log that never ends, with a warning`, async () => {
		const endless = (query: PageQuery) => {
			const page = Number(query.page ?? 1);
			return { data: [entry(page)], links: { next: `/messages?page=${page + 1}` }, meta: { current_page: page } };
		};
		const all = await walk(endless, Infinity);
		expect(all.queries).toHaveLength(MAX_PAGES);
		expect(all.entries).toHaveLength(MAX_PAGES);
		expect(all.stoppedEarly).toEqual(expect.any(String));

		const limited = await walk(endless, 25);
		expect(limited.queries).toHaveLength(25);
		expect(limited.stoppedEarly).toBeUndefined();
	});

	it('reads an empty page as the end, whatever its links say', async () => {
		const { queries, stoppedEarly } = await walk(
			() => ({ data: [], links: { next: '/messages?page=2' }, meta: { current_page: 1, last_page: 9 } }),
			Infinity,
		);
		expect(queries).toHaveLength(1);
		expect(stoppedEarly).toBeUndefined();
	});
});

// ---------------------------------------------------------------------------------------------
// The next page's query on its own.

const page = (body: IDataObject) => messageLogPage.parse(body);

describe('the next page', () => {
	it('is the next link\'s query string, whole, whatever host or path the link names', () => {
		const paramName = fc.stringMatching(/^[a-z_][a-z0-9_[\]]{0,11}$/).filter((name) => name !== '__proto__');
		const params = fc.dictionary(paramName, fc.string({ maxLength: 12 }), { minKeys: 1, maxKeys: 5 });
		const where = fc.constantFrom('https://acme.business.tgo-eg.com/api/v1/messages', 'https://attacker.invalid:8443/x', '/api/v1/messages', 'messages', '');
		const field = fc.constantFrom('links.next', 'next_page_url');
		fc.assert(
			fc.property(params, where, field, (query, base, via) => {
				const link = `${base}?${new URLSearchParams(query).toString()}`;
				const body = via === 'links.next' ? { data: [], links: { next: link } } : { data: [], next_page_url: link };
				expect(nextPageQuery(page(body))).toEqual(query);
			}),
			runs(400),
		);
	});

	it('prefers links.next, then next_page_url, then the page numbers', () => {
		expect(nextPageQuery(page({ data: [], links: { next: '?page=a' }, next_page_url: '?page=b', meta: { current_page: 1, last_page: 3 } }))).toEqual({ page: 'a' });
		expect(nextPageQuery(page({ data: [], links: { next: null }, next_page_url: '?page=b', meta: { current_page: 1, last_page: 3 } }))).toEqual({ page: 'b' });
		expect(nextPageQuery(page({ data: [], links: { next: null }, next_page_url: null, meta: { current_page: 1, last_page: 3 } }))).toEqual({ page: 2 });
		expect(nextPageQuery(page({ data: [], current_page: '2', last_page: '3' }))).toEqual({ page: 3 });
	});

	it('ignores what is not a next link: page buttons, blank or unparsable links', () => {
		const buttons = [{ url: 'https://acme.invalid/messages?page=2', label: '2', active: false }];
		expect(nextPageQuery(page({ data: [], links: buttons }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], links: { next: '   ' } }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], next_page_url: 'http://' }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], links: { next: 'https://[::1' }, meta: { current_page: 1, last_page: 2 } }))).toEqual({ page: 2 });
	});

	it('has none on the last page, for a bare list, or when the page numbers are not whole numbers from 1', () => {
		expect(nextPageQuery(messageLogPage.parse([entry(1)]))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], meta: { current_page: 3, last_page: 3 } }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], meta: { current_page: 4, last_page: 3 } }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], meta: { current_page: 1.5, last_page: 3 } }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], meta: { current_page: 0, last_page: 3 } }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], meta: { current_page: 1, last_page: 2.5 } }))).toBeUndefined();
		expect(nextPageQuery(page({ data: [], meta: { current_page: 1 } }))).toBeUndefined();
	});
});
