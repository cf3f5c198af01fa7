import type { IDataObject } from 'n8n-workflow';

import type { AccountContext, Subscription } from '../shared/schemas';

/**
 * Building Get Account's Success item from what the tenant answered. Pure (the current time is a
 * parameter), so every derived field is tested against a fixed clock.
 */

const DAY_MS = 86_400_000;

// A date-time with an explicit offset (Z or ±hh:mm). Without one, the moment of expiry would
// depend on a timezone TGO did not state, and the node does not guess.
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** What GET /subscription gave: its body, or that the tenant does not offer it. */
export type SubscriptionAnswer = { available: true; body: Subscription } | { available: false };

/**
 * Whole days from `now` until `expiresAt`, rounded down: 0 on the last day, negative once expired.
 * Undefined when the timestamp is not a date-time with an offset.
 */
export function wholeDaysUntil(expiresAt: string, now: number): number | undefined {
	const trimmed = expiresAt.trim();
	if (!ZONED_DATE_TIME.test(trimmed)) return undefined;
	const expiry = Date.parse(trimmed.replace(' ', 'T'));
	if (Number.isNaN(expiry)) return undefined;
	return Math.floor((expiry - now) / DAY_MS);
}

/**
 * The /me body as TGO answered it (unknown fields kept, `organization` among them, a `data`
 * envelope opened), plus the fields a workflow branches on: the key's `scopes`, `expires_at` and
 * `key_expires_in_days` when TGO states them, and, when
 * the subscription was asked for, `subscription_available` with `plan`, `status`, `limits` and
 * `usage_snapshot` from GET /subscription. A field TGO does not state is left out, never filled in.
 */
export function accountItem(me: AccountContext, subscription: SubscriptionAnswer | undefined, now: number): IDataObject {
	// Parsed JSON: every value is a JSON value, which IDataObject's values are.
	const item: IDataObject = { ...(me as IDataObject) };
	const apiKey = me.api_key;
	if (apiKey?.scopes) item.scopes = apiKey.scopes;
	if (typeof apiKey?.expires_at === 'string' && apiKey.expires_at.trim() !== '') {
		item.expires_at = apiKey.expires_at;
		const days = wholeDaysUntil(apiKey.expires_at, now);
		if (days !== undefined) item.key_expires_in_days = days;
	}

	if (subscription === undefined) return item;
	item.subscription_available = subscription.available;
	if (!subscription.available) return item;
	const { body } = subscription;
	for (const field of ['plan', 'status', 'limits', 'usage_snapshot'] as const) {
		if (body[field] !== undefined && body[field] !== null) item[field] = body[field] as IDataObject[keyof IDataObject];
	}
	// The whole answer, unknown fields included; it takes the place of /me's own summary of it.
	item.subscription = body as IDataObject;
	return item;
}
