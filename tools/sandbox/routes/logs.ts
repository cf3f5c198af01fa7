// GET /messages: the message log, newest first, a page at a time, in the pagination style a test
// chose (Laravel's resource links by default).
import { API_PREFIX, type Reply, type Route, type RouteContext } from './route';
import { isIntegerLike, present, Validation } from './validation';

const DEFAULT_PER_PAGE = 15;

function listMessages({ state, input, record, origin }: RouteContext): Reply {
	// Undocumented: page / per_page. Laravel ignores an unusable page (treats it as 1).
	const validation = new Validation();
	let perPage = DEFAULT_PER_PAGE;
	if (present(input.per_page)) {
		if (!isIntegerLike(input.per_page))
			validation.add('per_page', 'The per page field must be an integer.');
		else if (Number(input.per_page) < 1 || Number(input.per_page) > 100) {
			validation.add('per_page', 'The per page field must be between 1 and 100.');
		} else perPage = Number(input.per_page);
	}
	if (validation.failed) return validation.reply();
	const requestedPage = Number(input.page);
	const page = Number.isInteger(requestedPage) && requestedPage >= 1 ? requestedPage : 1;

	const total = state.messageLog.length;
	const lastPage = Math.max(1, Math.ceil(total / perPage));
	const offset = (page - 1) * perPage;
	const data = state.messageLog.slice(offset, offset + perPage).map((entry) => ({ ...entry }));
	const from = data.length ? offset + 1 : null;
	const to = data.length ? offset + data.length : null;

	// Links keep the other query parameters (Laravel's withQueryString()), so per_page survives.
	const path = `${origin}${API_PREFIX}/messages`;
	const pageUrl = (target: number): string => {
		const query = new URLSearchParams(record.query);
		query.delete('page');
		query.set('page', String(target));
		return `${path}?${query.toString()}`;
	};
	const prev = page > 1 ? pageUrl(Math.min(page - 1, lastPage)) : null;
	const next = page < lastPage ? pageUrl(page + 1) : null;
	const pageLinks = [
		{ url: prev, label: '&laquo; Previous', active: false },
		...Array.from({ length: lastPage }, (_, index) => ({
			url: pageUrl(index + 1),
			label: String(index + 1),
			active: index + 1 === page,
		})),
		{ url: next, label: 'Next &raquo;', active: false },
	];

	switch (state.paginationStyle) {
		case 'links':
			return {
				status: 200,
				json: {
					data,
					links: { first: pageUrl(1), last: pageUrl(lastPage), prev, next },
					meta: {
						current_page: page,
						from,
						last_page: lastPage,
						links: pageLinks,
						path,
						per_page: perPage,
						to,
						total,
					},
				},
			};
		case 'next_page_url':
			return {
				status: 200,
				json: {
					current_page: page,
					data,
					first_page_url: pageUrl(1),
					from,
					last_page: lastPage,
					last_page_url: pageUrl(lastPage),
					links: pageLinks,
					next_page_url: next,
					path,
					per_page: perPage,
					prev_page_url: prev,
					to,
					total,
				},
			};
		case 'meta':
			return {
				status: 200,
				json: {
					data,
					meta: { current_page: page, last_page: lastPage, per_page: perPage, total },
				},
			};
		// 'none' and 'array': the requested page, with nothing telling the client more exist.
		case 'none':
			return { status: 200, json: { data } };
		case 'array':
			return { status: 200, json: data };
	}
}

export const listMessagesRoute: Route = {
	method: 'GET',
	path: '/messages',
	scope: 'messages.read',
	handle: listMessages,
};
