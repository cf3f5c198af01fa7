import type { IDataObject } from 'n8n-workflow';

import type { MessageLogPage } from '../shared/schemas';

/**
 * Walking the pages of the message log. TGO says only "paginated message logs"
 * (docs/tgo-api.md#message-logs-and-pagination), so every Laravel paginator shape is understood:
 * a resource collection (`links.next`, `meta`), a bare paginator (`next_page_url`,
 * `current_page`/`last_page`), or a bare list (one page).
 */

/** Far beyond any real log at Laravel's smallest page size; past it a server is looping. */
export const MAX_PAGES = 1000;

export type PageQuery = IDataObject;

export interface CollectedLogs {
	entries: IDataObject[];
	/** Set when the walk stopped on a guard rather than on the last page or the limit. */
	stoppedEarly?: string;
}

/**
 * Requests pages until the last one, or until `limit` entries are in hand, and never more than
 * needed for that. A page that links back to one already read ends the walk (its entries are
 * not added twice), as does reaching MAX_PAGES.
 */
export async function collectMessageLogs(
	fetchPage: (query: PageQuery) => Promise<MessageLogPage>,
	limit: number,
): Promise<CollectedLogs> {
	const entries: IDataObject[] = [];
	const queriesSent = new Set<string>();
	const pageNumbersRead = new Set<number>();
	let query: PageQuery | undefined = {};

	while (query !== undefined && entries.length < limit) {
		if (queriesSent.size >= MAX_PAGES) {
			return { entries: entries.slice(0, limit), stoppedEarly: `TGO still offered a next page after ${MAX_PAGES} pages; the node stopped there.` };
		}
		queriesSent.add(queryKey(query));
		const page = await fetchPage(query);

		const pageNumber = reportedPageNumber(page);
		if (pageNumber !== undefined && pageNumbersRead.has(pageNumber)) {
			return { entries: entries.slice(0, limit), stoppedEarly: `TGO returned page ${pageNumber} a second time; the node stopped to avoid reading the same entries again.` };
		}
		if (pageNumber !== undefined) pageNumbersRead.add(pageNumber);

		const pageEntries = Array.isArray(page) ? page : page.data;
		entries.push(...(pageEntries as IDataObject[]));
		// An empty page cannot lead anywhere useful, whatever its links say.
		if (pageEntries.length === 0) break;

		query = nextPageQuery(page);
		if (query !== undefined && queriesSent.has(queryKey(query))) {
			return { entries: entries.slice(0, limit), stoppedEarly: 'TGO linked back to a page already read; the node stopped there.' };
		}
	}
	return { entries: entries.slice(0, limit) };
}

/**
 * The query of the next page, or undefined on the last page.
 *
 * A `next` URL is never requested as given: it could name another host, and the request would
 * carry the API key there. Only its query string is kept; the caller sends it to `/messages` on
 * the tenant the credential names.
 */
export function nextPageQuery(page: MessageLogPage): PageQuery | undefined {
	if (Array.isArray(page)) return undefined;
	const linksNext = page.links && !Array.isArray(page.links) ? page.links.next : undefined;
	for (const link of [linksNext, page.next_page_url]) {
		const query = typeof link === 'string' ? queryOf(link) : undefined;
		if (query !== undefined) return query;
	}
	const current = reportedPageNumber(page);
	const last = page.meta?.last_page ?? page.last_page;
	if (current !== undefined && isPageNumber(last) && current < last) return { page: current + 1 };
	return undefined;
}

function reportedPageNumber(page: MessageLogPage): number | undefined {
	if (Array.isArray(page)) return undefined;
	const current = page.meta?.current_page ?? page.current_page;
	return isPageNumber(current) ? current : undefined;
}

function isPageNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** The query string of a link, absolute or relative; undefined when it is not a URL at all. */
function queryOf(link: string): PageQuery | undefined {
	// The base only lets a relative link parse; nothing but the query is read from the result.
	const base = 'https://tenant.invalid/';
	if (link.trim() === '' || !URL.canParse(link.trim(), base)) return undefined;
	const query: PageQuery = {};
	for (const [name, value] of new URL(link.trim(), base).searchParams) query[name] = value;
	return query;
}

function queryKey(query: PageQuery): string {
	return JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
}
