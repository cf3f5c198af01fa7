// Get Account's Success item from what the tenant answered, against a fixed clock.
import fc from 'fast-check';

import { accountItem, wholeDaysUntil } from '../../nodes/TgoGetAccount/accountItem';

const NOW = Date.parse('2026-01-15T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('whole days until the key expires', () => {
	it.each([
		['2026-01-25T08:00:00Z', 10],
		['2026-01-25T07:59:59.999999Z', 9],
		['2026-01-15T09:00:00Z', 0],
		['2026-01-15T07:00:00Z', -1],
		['2026-01-05T08:00:00.000000Z', -10],
		['2026-01-25T10:00:00+02:00', 10],
		['2026-01-25 08:00:00Z', 10],
	])('%s is %d days away', (expiresAt, days) => {
		expect(wholeDaysUntil(expiresAt, NOW)).toBe(days);
	});

	it.each(['2026-01-25', '2026-01-25 08:00:00', '2026-01-25T08:00:00', 'next week', '', '2026-13-45T08:00:00Z'])(
		'%j states no moment with its timezone: no count',
		(expiresAt) => {
			expect(wholeDaysUntil(expiresAt, NOW)).toBeUndefined();
		},
	);

	it('is the floor of the exact distance in days, for any expiry within ten years', () => {
		fc.assert(
			fc.property(fc.integer({ min: -3650 * DAY, max: 3650 * DAY }), (offset) => {
				const days = wholeDaysUntil(new Date(NOW + offset).toISOString(), NOW);
				expect(days).toBe(Math.floor(offset / DAY));
			}),
		);
	});
});

describe('the Success item', () => {
	const me = { user: { id: 1 }, api_key: { id: 3, scopes: ['*'], expires_at: '2026-02-14T08:00:00Z' }, organization: { id: 2 }, extra: true };

	it('keeps /me whole and adds the key fields', () => {
		expect(accountItem(me, undefined, NOW)).toEqual({ ...me, scopes: ['*'], expires_at: '2026-02-14T08:00:00Z', key_expires_in_days: 30 });
	});

	it('adds the plan fields TGO gave, and the whole subscription answer', () => {
		const body = { plan: { code: 'pro' }, status: null, limits: [], note: 'kept' };
		const item = accountItem(me, { available: true, body }, NOW);
		expect(item).toMatchObject({ subscription_available: true, plan: { code: 'pro' }, limits: [], subscription: body });
		expect(item).not.toHaveProperty('status'); // null: TGO says nothing about it
		expect(item).not.toHaveProperty('usage_snapshot');
	});

	it('says when the subscription is not offered, without plan fields', () => {
		const item = accountItem(me, { available: false }, NOW);
		expect(item.subscription_available).toBe(false);
		for (const field of ['plan', 'status', 'limits', 'usage_snapshot', 'subscription']) expect(item).not.toHaveProperty(field);
	});

	it('leaves out what TGO does not state', () => {
		expect(accountItem({}, undefined, NOW)).toEqual({});
		expect(accountItem({ api_key: null }, undefined, NOW)).toEqual({ api_key: null });
		expect(accountItem({ api_key: { scopes: null, expires_at: '  ' } }, undefined, NOW)).toEqual({ api_key: { scopes: null, expires_at: '  ' } });
	});
});
