// The sandbox's API, one line per route. A new endpoint: a file in this folder exporting a
// `Route`, and its line here.
import { createApiKeyRoute, meRoute, revokeApiKeyRoute, subscriptionRoute } from './account';
import { lookupContactRoute } from './contacts';
import { listMessagesRoute } from './logs';
import { sendMessageRoute } from './messages';
import type { Route } from './route';
import { listSenderNumbersRoute, registerSenderNumberRoute } from './senderNumbers';
import { usageRoute } from './usage';

export const routes: readonly Route[] = [
	sendMessageRoute,
	listMessagesRoute,
	lookupContactRoute,
	usageRoute,
	registerSenderNumberRoute,
	listSenderNumbersRoute,
	createApiKeyRoute,
	revokeApiKeyRoute,
	meRoute,
	subscriptionRoute,
];

export { API_PREFIX, messages } from './route';
export type { Reply, Route, RouteContext } from './route';
