// The account: GET /me (the caller's key, user and organisation), GET /subscription (plan, limits,
// usage against them), POST /api-keys (a new key, its secret shown once) and DELETE /api-keys/{id}.
// Undocumented scopes for all four: any valid key may call them.
import { randomBytes } from 'node:crypto';

import { laravelTimestamp, type Scope } from '../fixtures';
import type { ApiKeyState } from '../state';
import type { Reply, Route, RouteContext } from './route';
import { isIntegerLike, present, Validation } from './validation';

const ALL_SCOPES: Scope[] = ['*', 'contacts.lookup', 'messages.send', 'messages.read', 'usage.read'];

function publicKey(key: ApiKeyState) {
	return {
		id: key.id,
		name: key.name,
		prefix: 'tgo_',
		scopes: [...key.scopes],
		status: key.status,
		expires_at: key.expires_at,
		last_used_at: key.last_used_at,
	};
}

function createKey({ state, input }: RouteContext): Reply {
	const validation = new Validation();
	if (!present(input.name)) validation.required('name');
	else if (typeof input.name !== 'string')
		validation.add('name', 'The name field must be a string.');
	else if (input.name.length > 255)
		validation.add('name', 'The name field must not be greater than 255 characters.');

	// Undocumented: the default when scopes are omitted; full access here.
	let scopes: Scope[] = ['*'];
	if (present(input.scopes)) {
		if (!Array.isArray(input.scopes))
			validation.add('scopes', 'The scopes field must be an array.');
		else {
			input.scopes.forEach((scope, index) => {
				if (!ALL_SCOPES.includes(scope as Scope))
					validation.add(`scopes.${index}`, `The selected scopes.${index} is invalid.`);
			});
			scopes = [...new Set(input.scopes as Scope[])];
		}
	}
	let days = 90;
	if (present(input.expires_in_days)) {
		if (!isIntegerLike(input.expires_in_days)) {
			validation.add('expires_in_days', 'The expires in days field must be an integer.');
		} else if (Number(input.expires_in_days) < 1 || Number(input.expires_in_days) > 365) {
			validation.add('expires_in_days', 'The expires in days field must be between 1 and 365.');
		} else days = Number(input.expires_in_days);
	}
	if (validation.failed) return validation.reply();

	const created: ApiKeyState = {
		id: state.nextIds.key++,
		name: input.name as string,
		key: `tgo_${randomBytes(24).toString('base64url')}`,
		scopes,
		status: 'active',
		expires_at: laravelTimestamp(new Date(Date.now() + days * 86_400_000)),
		last_used_at: null,
		created_at: laravelTimestamp(),
	};
	state.keyStore.push(created);
	return { status: 201, json: { data: publicKey(created), plain_text_key: created.key } };
}

function revokeKey({ state, routeParameter }: RouteContext): Reply {
	const target = /^\d+$/.test(routeParameter ?? '')
		? state.keyStore.find((candidate) => candidate.id === Number(routeParameter))
		: undefined;
	if (!target) {
		return {
			status: 404,
			json: { message: `No query results for model [App\\Models\\ApiKey] ${routeParameter}` },
		};
	}
	// Revoking twice is harmless (204 again).
	target.status = 'revoked';
	return { status: 204 };
}

function me({ state, apiKey }: RouteContext): Reply {
	if (state.accountBodies.has('GET /me')) return { status: 200, json: state.accountBodies.get('GET /me') };
	return {
		status: 200,
		json: {
			user: { id: 1, name: 'Sandbox Owner', email: 'owner@sandbox.invalid' },
			api_key: publicKey(apiKey),
			organization: { id: 1, name: 'Sandbox Trading Co.', domain: state.tenantHost },
			subscription: { plan: 'business', status: 'active' },
		},
	};
}

/** Undocumented: the inner shapes of plan, limits and usage_snapshot; usage is keyed like the limits. */
function subscription({ state }: RouteContext): Reply {
	if (state.accountBodies.has('GET /subscription')) {
		return { status: 200, json: state.accountBodies.get('GET /subscription') };
	}
	const now = new Date().toISOString();
	const sentSince = (prefix: string) =>
		state.messageLog.filter((entry) => entry.status !== 'failed' && entry.sent_at.startsWith(prefix)).length;
	return {
		status: 200,
		json: {
			plan: { code: 'business', name: 'Business', billing_cycle: 'monthly' },
			status: 'active',
			limits: [
				{ key: 'messages_per_day', limit: 1000 },
				{ key: 'messages_per_month', limit: 30000 },
				// Seven fixture senders of eight allowed: close to the limit, as example 07 shows.
				{ key: 'sender_numbers', limit: 8 },
			],
			usage_snapshot: {
				messages_per_day: sentSince(now.slice(0, 10)),
				messages_per_month: sentSince(now.slice(0, 7)),
				sender_numbers: state.senderNumbers.length,
			},
		},
	};
}

export const createApiKeyRoute: Route = {
	method: 'POST',
	path: '/api-keys',
	scope: null,
	handle: createKey,
};
export const revokeApiKeyRoute: Route = {
	method: 'DELETE',
	path: '/api-keys/{id}',
	scope: null,
	handle: revokeKey,
};
export const meRoute: Route = {
	method: 'GET',
	path: '/me',
	scope: null,
	handle: me,
};
export const subscriptionRoute: Route = {
	method: 'GET',
	path: '/subscription',
	scope: null,
	handle: subscription,
};
