// TGO Get Account, executed in real n8n-core against the TGO sandbox over loopback. GET /me and
// GET /subscription are documented only by a sibling deployment, so every way a tenant may lack
// them is played out here, beside the key-expiry arithmetic a workflow branches on.
import type { IDataObject } from 'n8n-workflow';

import { runNode, type TgoCredentialData } from '../../tools/harness';
import { apiKeys, expiryAfter } from '../../tools/sandbox/fixtures';
import { messages } from '../../tools/sandbox/server';
import { expectDocumentedFailure, expectEveryItemFailed } from './expectations';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();

async function getAccount(
	options: { includeSubscription?: boolean } = {},
	run: { items?: IDataObject[]; credentials?: TgoCredentialData; continueOnFail?: boolean } = {},
) {
	return await runNode({
		type: 'tgoGetAccount',
		parameters: { options },
		items: run.items,
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

const calls = () => sandbox.requests.map((request) => `${request.method} ${request.path}`);
const PLAN_FIELDS = ['plan', 'status', 'limits', 'usage_snapshot'];

describe('a tenant that answers both endpoints', () => {
	test('one Success item with the key, organisation and plan, the /me answer kept whole', async () => {
		const { success, error, thrown } = await getAccount();

		expect(thrown).toBeUndefined();
		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		const account = success[0].json;
		expect(account).toMatchObject({
			user: { name: 'Sandbox Owner' },
			api_key: { id: apiKeys.full.id, name: apiKeys.full.name, prefix: 'tgo_', scopes: ['*'], status: 'active' },
			organization: { name: 'Sandbox Trading Co.' },
			scopes: ['*'],
			expires_at: (account.api_key as IDataObject).expires_at,
			key_expires_in_days: apiKeys.full.expiresInDays,
			subscription_available: true,
			plan: { code: 'business', name: 'Business', billing_cycle: 'monthly' },
			status: 'active',
			limits: expect.arrayContaining([{ key: 'sender_numbers', limit: 8 }]),
			usage_snapshot: { sender_numbers: 7, messages_per_day: expect.any(Number), messages_per_month: expect.any(Number) },
		});
		expect(account.expires_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/));
		// The whole /subscription answer, unknown fields included, under `subscription`.
		expect(account.subscription).toEqual({
			plan: account.plan,
			status: 'active',
			limits: account.limits,
			usage_snapshot: account.usage_snapshot,
		});
		expect(success[0].pairedItem).toEqual({ item: 0 });
		expect(calls()).toEqual(['GET /me', 'GET /subscription']);
		expect(JSON.stringify(success)).not.toContain(sandbox.keys.full);
	});

	test('each input item gets its own answer, in input order, the input fields not mixed in', async () => {
		const { success } = await getAccount({}, { items: [{ team: 'north' }, { team: 'south' }] });

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(success.every((item) => item.json.key_expires_in_days === apiKeys.full.expiresInDays)).toBe(true);
		expect(success.some((item) => 'team' in item.json)).toBe(false);
		expect(calls()).toEqual(['GET /me', 'GET /subscription', 'GET /me', 'GET /subscription']);
	});

	test('the scopes and days left are those of the key in the credential', async () => {
		const { success } = await getAccount({}, { credentials: credentials(sandbox.keys.readOnly) });

		expect(success[0].json).toMatchObject({
			scopes: ['messages.read', 'usage.read'],
			key_expires_in_days: apiKeys.readOnly.expiresInDays,
			subscription_available: true,
		});
	});

	test('with Include Subscription off, only GET /me is called and no plan field is set', async () => {
		const { success, error } = await getAccount({ includeSubscription: false });

		expect(error).toEqual([]);
		expect(success[0].json).toMatchObject({ scopes: ['*'], key_expires_in_days: apiKeys.full.expiresInDays });
		for (const field of [...PLAN_FIELDS, 'subscription_available']) expect(success[0].json).not.toHaveProperty(field);
		// /me's own summary of the subscription is kept as TGO gave it.
		expect(success[0].json.subscription).toEqual({ plan: 'business', status: 'active' });
		expect(calls()).toEqual(['GET /me']);
	});
});

describe('days until the key expires', () => {
	test.each([
		['expires in 3 days and a half', expiryAfter(3), 3],
		['expires later today', new Date(Date.now() + 3 * 3_600_000).toISOString(), 0],
		['expires in a year', expiryAfter(365), 365],
	])('a key that %s (expires_at %s): key_expires_in_days is %d', async (_case, expiresAt, days) => {
		sandbox.setKeyExpiry(sandbox.keys.full, expiresAt);

		const { success } = await getAccount({ includeSubscription: false });

		expect(success[0].json).toMatchObject({ expires_at: expiresAt, key_expires_in_days: days });
	});

	test('a key TGO reports as already expired (clocks apart) counts negative days', async () => {
		sandbox.setAccountBody('GET /me', { api_key: { id: 9, scopes: ['*'], expires_at: expiryAfter(-3) } });

		const { success } = await getAccount({ includeSubscription: false });

		expect(success[0].json.key_expires_in_days).toBe(-3);
	});

	test('a key with no expiry date: expires_at and key_expires_in_days are left out, never invented', async () => {
		sandbox.setKeyExpiry(sandbox.keys.full, null);

		const { success, error } = await getAccount({ includeSubscription: false });

		expect(error).toEqual([]);
		expect(success[0].json.scopes).toEqual(['*']);
		expect(success[0].json).not.toHaveProperty('expires_at');
		expect(success[0].json).not.toHaveProperty('key_expires_in_days');
	});

	test('an expiry without a timezone is passed on, but no day count is guessed from it', async () => {
		sandbox.setAccountBody('GET /me', { api_key: { expires_at: '2030-07-24 00:00:00' } });

		const { success } = await getAccount({ includeSubscription: false });

		expect(success[0].json.expires_at).toBe('2030-07-24 00:00:00');
		expect(success[0].json).not.toHaveProperty('key_expires_in_days');
	});
});

describe('answers with fields missing or wrapped', () => {
	test.each([
		['an empty object', {}],
		['api_key null', { user: { id: 1 }, api_key: null, organization: null }],
		['a key without scopes or expiry', { api_key: { id: 4, name: 'Legacy' } }],
	])('GET /me with %s is a Success without the key fields', async (_case, body) => {
		sandbox.setAccountBody('GET /me', body);

		const { success, error } = await getAccount();

		expect(error).toEqual([]);
		expect(success).toHaveLength(1);
		expect(success[0].json).toMatchObject(body);
		for (const field of ['scopes', 'expires_at', 'key_expires_in_days']) expect(success[0].json).not.toHaveProperty(field);
		expect(success[0].json.subscription_available).toBe(true);
	});

	test('GET /me wrapped in a data envelope is read through it', async () => {
		const expiresAt = expiryAfter(20);
		sandbox.setAccountBody('GET /me', { data: { api_key: { scopes: ['usage.read'], expires_at: expiresAt }, organization: { id: 7 } }, meta: { v: 2 } });

		const { success } = await getAccount({ includeSubscription: false });

		expect(success[0].json).toEqual({
			api_key: { scopes: ['usage.read'], expires_at: expiresAt },
			organization: { id: 7 },
			meta: { v: 2 },
			scopes: ['usage.read'],
			expires_at: expiresAt,
			key_expires_in_days: 20,
		});
	});

	test('a subscription with fields of its own keeps them; absent plan fields stay absent', async () => {
		sandbox.setAccountBody('GET /subscription', { plan: 'starter', renews_at: '2026-02-01T00:00:00Z' });

		const { success } = await getAccount();

		expect(success[0].json).toMatchObject({
			subscription_available: true,
			plan: 'starter',
			subscription: { plan: 'starter', renews_at: '2026-02-01T00:00:00Z' },
		});
		for (const field of ['status', 'limits', 'usage_snapshot']) expect(success[0].json).not.toHaveProperty(field);
	});

	test.each([
		['GET /me', 'an HTML page with status 200', () => sandbox.inject('GET /me', { kind: 'html', status: 200 }), 'account details'],
		['GET /me', 'scopes that are not a list', () => sandbox.setAccountBody('GET /me', { api_key: { scopes: '*' } }), 'account details'],
		['GET /subscription', 'a list', () => sandbox.setAccountBody('GET /subscription', [{ plan: 'x' }]), 'subscription'],
		['GET /subscription', 'a status that is a number', () => sandbox.setAccountBody('GET /subscription', { status: 5 }), 'subscription'],
	])('%s answering %s is an API_ERROR under Continue on Fail', async (_route, _case, arrange, what) => {
		arrange();

		const { success, error, thrown } = await getAccount({}, { items: [{ check: 'daily' }], continueOnFail: true });

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error[0].json).toMatchObject({
			check: 'daily',
			error: { code: 'API_ERROR', message: expect.stringContaining(`${what} in an unexpected shape`) },
		});
	});
});

describe('a tenant without the endpoints', () => {
	test.each(['missing', 'methodNotAllowed'] as const)(
		'GET /subscription %s: Success with the key fields, subscription_available false and no plan fields',
		async (availability) => {
			sandbox.setRouteAvailability('GET /subscription', availability);

			const { success, error } = await getAccount();

			expect(error).toEqual([]);
			expect(success).toHaveLength(1);
			expect(success[0].json).toMatchObject({
				scopes: ['*'],
				key_expires_in_days: apiKeys.full.expiresInDays,
				organization: { name: 'Sandbox Trading Co.' },
				subscription_available: false,
			});
			for (const field of PLAN_FIELDS) expect(success[0].json).not.toHaveProperty(field);
			expect(success[0].json.subscription).toEqual({ plan: 'business', status: 'active' }); // /me's, untouched
			expect(sandbox.requests.map((request) => request.status)).toEqual([200, availability === 'missing' ? 404 : 405]);
		},
	);

	test.each([
		['missing', 404],
		['methodNotAllowed', 405],
	] as const)('GET /me %s: every item goes to Error as ENDPOINT_UNAVAILABLE, in words a user can act on', async (availability, httpCode) => {
		sandbox.setRouteAvailability('GET /me', availability);

		const result = await getAccount({}, { items: [{ account: 'a' }, { account: 'b' }] });

		expectEveryItemFailed(result, ['a', 'b'], {
			code: 'ENDPOINT_UNAVAILABLE',
			message: `This TGO tenant does not offer account details (API key expiry, scopes, organisation) over the API: GET /me answered HTTP ${httpCode}.`,
			httpCode,
		});
		const failure = result.error[0].json.error as IDataObject;
		expect(failure.details).toEqual({ endpoint: 'GET /me' });
		expect(failure.resolution).toMatch(/Settings → API Keys/);
		expect(failure.description).toMatch(/Nothing is wrong with the API key/);
		// Not a credential problem: each item asked; nothing asked of /subscription.
		expect(calls()).toEqual(['GET /me', 'GET /me']);
	});

	test('both missing: ENDPOINT_UNAVAILABLE from GET /me', async () => {
		sandbox.setRouteAvailability('GET /me', 'missing');
		sandbox.setRouteAvailability('GET /subscription', 'missing');

		const { error } = await getAccount();

		expect(error[0].json.error).toMatchObject({ code: 'ENDPOINT_UNAVAILABLE', httpCode: 404 });
	});
});

describe('credential failures go to Error and stop further requests', () => {
	test.each([
		['an expired key', () => credentials(sandbox.keys.expired), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['a revoked key', () => credentials(sandbox.keys.revoked), 'UNAUTHORIZED', 401, messages.unauthenticated],
		['an unknown tenant domain', () => credentials(sandbox.keys.full, sandbox.unknownTenantDomain), 'TENANT_NOT_FOUND', 404, messages.tenantNotFound],
	])('%s: every item fails with the same code, after only one request', async (_case, credentialsFor, code, httpCode, message) => {
		const result = await getAccount({}, { items: [{ account: 'a' }, { account: 'b' }, { account: 'c' }], credentials: credentialsFor() });

		expectEveryItemFailed(result, ['a', 'b', 'c'], { code, message, httpCode });
		expect(calls()).toEqual(['GET /me']);
	});

	test('the tenant message on GET /subscription is TENANT_NOT_FOUND, not a missing endpoint', async () => {
		sandbox.inject('GET /subscription', { kind: 'status', status: 404, body: { message: messages.tenantNotFound } });

		const { success, error } = await getAccount({}, { items: [{ account: 'a' }, { account: 'b' }] });

		expect(success).toEqual([]);
		expect(error.map((item) => (item.json.error as IDataObject).code)).toEqual(['TENANT_NOT_FOUND', 'TENANT_NOT_FOUND']);
		expect(calls()).toEqual(['GET /me', 'GET /subscription']);
	});

	test('a 403 on GET /me is MISSING_SCOPE naming "*" and saying TGO documents no scope for it', async () => {
		sandbox.inject('GET /me', { kind: 'status', status: 403, body: { message: messages.missingScope } });

		const result = await getAccount({}, { items: [{ account: 'a' }, { account: 'b' }] });

		expectEveryItemFailed(result, ['a', 'b'], { code: 'MISSING_SCOPE', message: messages.missingScope, httpCode: 403 });
		const failure = result.error[0].json.error as IDataObject;
		expect(failure.details).toEqual({ requiredScope: '*' });
		expect(failure.description).toMatch(/does not document which scope/);
		expect(calls()).toEqual(['GET /me']);
	});

	test('a 403 on GET /subscription is MISSING_SCOPE that also suggests turning Include Subscription off', async () => {
		sandbox.inject('GET /subscription', { kind: 'status', status: 403, body: { message: messages.missingScope } });

		const { success, error } = await getAccount({}, { items: [{ account: 'a' }] });

		expect(success).toEqual([]);
		expectDocumentedFailure(error[0], { code: 'MISSING_SCOPE', message: messages.missingScope, httpCode: 403 });
		expect((error[0].json.error as IDataObject).resolution).toMatch(/turn off the node's "Include Subscription" option/);
	});
});
