// Fuzzing TGO Get Account through the real node in n8n-core, against the sandbox. GET /me and
// GET /subscription are documented only by their top-level names, so fast-check generates what a
// tenant might answer: fields missing, null, of another type, wrapped in `data`, unknown fields,
// expiry timestamps in every form (with and without a timezone, in the past, unreadable), and
// either endpoint missing (404) or refusing GET (405). Each generator says whether what it made
// is a documented type, so the expected outcome is known without re-implementing the node.
//
// For every answer:
//   - the item comes out exactly once: Success; ENDPOINT_UNAVAILABLE when /me is missing;
//     API_ERROR (Continue on Fail) when a body is not the documented JSON — never a crash;
//   - on Success, everything TGO said is kept, and each derived field is there exactly when TGO
//     stated it: `scopes`, `expires_at`, `key_expires_in_days` (the whole days to the stated
//     moment, counted at the time of the run), `subscription_available` and the plan fields.
//
// Reproduce a failure with FUZZ_SEED=<seed> npx jest test/fuzz/getAccount.
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../tools/harness';
import type { RouteAvailability, Sandbox } from '../../tools/sandbox/server';
import { startSandbox } from '../../tools/sandbox/server';
import { fuzzOptions, SEED } from './options';

const RUNS = Number(process.env.FUZZ_RUNS ?? 15) * 10;
const DAY = 86_400_000;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

/** A generated value, and whether it has the type the node documents for that field. */
interface Field<T = unknown> {
	value: T | undefined;
	valid: boolean;
}

const ok = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<Field<T>> => arbitrary.map((value) => ({ value, valid: true }));
const bad = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Field> => arbitrary.map((value) => ({ value, valid: false }));
const absent: fc.Arbitrary<Field> = fc.constant({ value: undefined, valid: true });
/** Mostly documented values (present, null or absent), now and then one of another type. */
const field = (documented: Array<fc.Arbitrary<Field>>, undocumented: fc.Arbitrary<Field>): fc.Arbitrary<Field> =>
	fc.oneof({ weight: 12, arbitrary: fc.oneof(...documented) }, { weight: 1, arbitrary: undocumented });

// Names the node derives: generated unknown fields avoid them, so "kept as TGO said" is exact.
const DERIVED = new Set(['scopes', 'expires_at', 'key_expires_in_days', 'subscription_available', 'subscription', 'plan', 'status', 'limits', 'usage_snapshot', 'data']);
const jsonLeaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
const unknownFields = fc.dictionary(
	fc.string({ minLength: 1, maxLength: 10 }).filter((key) => !DERIVED.has(key) && !['user', 'api_key', 'organization', '__proto__'].includes(key)),
	fc.oneof(jsonLeaf, fc.array(jsonLeaf, { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((key) => key !== '__proto__'), jsonLeaf, { maxKeys: 3 })),
	{ maxKeys: 3 },
);
const jsonObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((key) => key !== '__proto__'), jsonLeaf, { maxKeys: 4 });

/** An expiry as TGO might write it, with the instant it states when it states one with a timezone. */
interface Expiry {
	text: string;
	instant?: number;
}

const expiryArb: fc.Arbitrary<Expiry> = fc
	.tuple(fc.integer({ min: -400 * DAY, max: 400 * DAY }), fc.constantFrom('iso', 'laravel', 'offset', 'space', 'date-only', 'no-zone', 'garbage', 'blank'))
	.map(([offset, form]) => {
		const instant = Date.now() + offset;
		const iso = new Date(instant).toISOString();
		switch (form) {
			case 'iso':
				return { text: iso, instant };
			case 'laravel':
				return { text: iso.replace(/Z$/, '000Z'), instant };
			case 'offset':
				return { text: new Date(instant + 2 * 3_600_000).toISOString().replace(/Z$/, '+02:00'), instant };
			case 'space':
				return { text: iso.replace('T', ' '), instant };
			case 'date-only':
				return { text: iso.slice(0, 10) };
			case 'no-zone':
				return { text: iso.slice(0, 19) };
			case 'garbage':
				return { text: 'in 90 days' };
			default:
				return { text: '   ' };
		}
	});

const scopesArb: fc.Arbitrary<Field> = field(
	[ok(fc.subarray(['*', 'messages.send', 'messages.read', 'contacts.lookup', 'usage.read', 'sender_numbers.read'])), ok(fc.constant(null)), absent],
	bad(fc.constantFrom('*', 'messages.send,messages.read', 3, [1, 2], { 0: '*' })),
);

const expiresAtArb = fc.oneof(
	{ weight: 10, arbitrary: ok(expiryArb) },
	{ weight: 1, arbitrary: ok(fc.constant(null)) },
	{ weight: 1, arbitrary: absent },
	{ weight: 1, arbitrary: bad(fc.constantFrom(1_790_000_000, true, { date: '2026-07-24' })) },
) as fc.Arbitrary<Field<Expiry | null>>;

interface MeCase {
	body: IDataObject;
	valid: boolean;
	scopes: Field;
	expiresAt: Field<Expiry | null>;
	wrapped: boolean;
}

const apiKeyArb = fc.record({ scopes: scopesArb, expiresAt: expiresAtArb, extra: unknownFields, shape: fc.constantFrom('object', 'object', 'object', 'object', 'object', 'object', 'null', 'absent', 'string') });

const meArb: fc.Arbitrary<MeCase> = fc
	.record({
		apiKey: apiKeyArb,
		organization: field([ok(jsonObject), ok(fc.constant(null)), absent], bad(fc.constantFrom('Acme', 7, ['Acme']))),
		user: field([ok(jsonObject), absent], bad(fc.constant('owner'))),
		extra: unknownFields,
		wrapped: fc.boolean(),
	})
	.map(({ apiKey, organization, user, extra, wrapped }) => {
		const key: IDataObject = { ...apiKey.extra };
		if (apiKey.scopes.value !== undefined) key.scopes = apiKey.scopes.value as IDataObject[string];
		const expiry = apiKey.expiresAt.value;
		if (expiry !== undefined) key.expires_at = (expiry && typeof expiry === 'object' && 'text' in expiry ? expiry.text : expiry) as IDataObject[string];
		const record: IDataObject = { ...extra };
		if (organization.value !== undefined) record.organization = organization.value as IDataObject[string];
		if (user.value !== undefined) record.user = user.value as IDataObject[string];
		let keyValid = apiKey.scopes.valid && apiKey.expiresAt.valid;
		if (apiKey.shape === 'object') record.api_key = key;
		else if (apiKey.shape === 'null') record.api_key = null;
		else if (apiKey.shape === 'string') record.api_key = 'tgo_…';
		if (apiKey.shape !== 'object') keyValid = apiKey.shape !== 'string';
		const stated = apiKey.shape === 'object';
		// An envelope is opened only when no expected field is at its top; an empty record stays bare.
		const wrap = wrapped && Object.keys(record).some((name) => ['user', 'api_key', 'organization'].includes(name));
		return {
			body: wrap ? { data: record } : record,
			valid: keyValid && organization.valid && user.valid,
			scopes: stated ? apiKey.scopes : { value: undefined, valid: true },
			expiresAt: stated ? apiKey.expiresAt : { value: undefined, valid: true },
			wrapped: wrap,
		};
	});

interface SubscriptionCase {
	body: unknown;
	valid: boolean;
	fields: Record<string, unknown>;
}

const subscriptionArb: fc.Arbitrary<SubscriptionCase> = fc.oneof(
	{
		weight: 12,
		arbitrary: fc
			.record({
				plan: field([ok(jsonObject), ok(fc.string({ maxLength: 10 })), ok(fc.constant(null)), absent], bad(fc.constantFrom(3, [1]))),
				status: field([ok(fc.constantFrom('active', 'past_due', 'trialing', 'canceled')), ok(fc.constant(null)), absent], bad(fc.constantFrom(5, false))),
				limits: field([ok(fc.array(jsonObject, { maxLength: 3 })), ok(jsonObject), ok(fc.constant(null)), absent], bad(fc.constantFrom('1000/day', 1000))),
				usage_snapshot: field([ok(jsonObject), ok(fc.constant(null)), absent], bad(fc.constantFrom([1, 2], 'n/a'))),
				extra: unknownFields,
			})
			.map(({ extra, ...documented }) => {
				const body: IDataObject = { ...extra };
				const fields: Record<string, unknown> = {};
				for (const [name, field] of Object.entries(documented)) {
					if (field.value !== undefined) body[name] = field.value as IDataObject[string];
					if (field.value !== undefined && field.value !== null) fields[name] = field.value;
				}
				return { body, valid: Object.values(documented).every((field) => field.valid), fields };
			}),
	},
	{ weight: 1, arbitrary: fc.constantFrom<SubscriptionCase>({ body: [], valid: false, fields: {} }, { body: 'ok', valid: false, fields: {} }) },
);

const availabilityArb = fc.oneof(
	{ weight: 8, arbitrary: fc.constant<RouteAvailability>('available') },
	{ weight: 1, arbitrary: fc.constantFrom<RouteAvailability>('missing', 'methodNotAllowed') },
);

const caseArb = fc.record({
	me: meArb,
	meAvailability: availabilityArb,
	subscription: subscriptionArb,
	subscriptionAvailability: availabilityArb,
	includeSubscription: fc.boolean(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Equal as JSON, whatever the key order (the node's schemas list documented fields first) and
 * whatever realm the objects were made in (jest's or node's).
 */
function sameJson(a: unknown, b: unknown): boolean {
	const canonical = (value: unknown) =>
		JSON.stringify(value, (_key, inner: unknown) =>
			inner && typeof inner === 'object' && !Array.isArray(inner)
				? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
				: inner,
		);
	return canonical(a) === canonical(b);
}

/** What is wrong with the run's one output item, given what the tenant answered; empty when all is right. */
function problemsWith(fuzzCase: Case, result: Awaited<ReturnType<typeof runNode>>, before: number, after: number): string[] {
	const { me, subscription, includeSubscription } = fuzzCase;
	const problems: string[] = [];
	if (result.thrown) return [`the node stopped: ${result.thrown.message}`];
	if (result.success.length + result.error.length !== 1) return [`${result.success.length} Success and ${result.error.length} Error items for one input`];
	const [item] = [...result.success, ...result.error];
	if (!sameJson(item.pairedItem, { item: 0 })) problems.push(`pairedItem ${JSON.stringify(item.pairedItem)}`);

	const asked = includeSubscription && fuzzCase.meAvailability === 'available' && me.valid;
	const subscriptionOffered = fuzzCase.subscriptionAvailability === 'available';
	const expectedCode =
		fuzzCase.meAvailability !== 'available' ? 'ENDPOINT_UNAVAILABLE' : !me.valid || (asked && subscriptionOffered && !subscription.valid) ? 'API_ERROR' : undefined;
	const code = (item.json.error as IDataObject | undefined)?.code;
	if (code !== expectedCode) return [...problems, `outcome ${String(code ?? 'Success')}, expected ${expectedCode ?? 'Success'}: ${JSON.stringify(item.json).slice(0, 300)}`];
	if (code) return problems;

	const json = item.json;
	const record = (me.wrapped ? (me.body.data as IDataObject) : me.body) as IDataObject;
	for (const [name, value] of Object.entries(record)) {
		if (name === 'subscription') continue;
		if (!sameJson(json[name], value)) problems.push(`"${name}" not kept as TGO said it`);
	}
	const has = (name: string) => Object.prototype.hasOwnProperty.call(json, name);

	const scopes = me.scopes.value;
	if (Array.isArray(scopes) ? !sameJson(json.scopes, scopes) : has('scopes')) problems.push(`scopes ${JSON.stringify(json.scopes)} for ${JSON.stringify(scopes)}`);

	const expiry = me.expiresAt.value;
	const stated = expiry && expiry.text.trim() !== '' ? expiry : undefined;
	if (stated ? json.expires_at !== stated.text : has('expires_at')) problems.push(`expires_at ${JSON.stringify(json.expires_at)} for ${JSON.stringify(expiry)}`);
	if (stated?.instant !== undefined) {
		// Counted at some moment of the run: between the whole days left at its start and at its end.
		const allowed = [Math.floor((stated.instant - after) / DAY), Math.floor((stated.instant - before) / DAY)];
		if (!allowed.includes(json.key_expires_in_days as number)) problems.push(`key_expires_in_days ${String(json.key_expires_in_days)} for ${stated.text}, expected one of ${allowed.join(', ')}`);
	} else if (has('key_expires_in_days')) {
		problems.push(`key_expires_in_days ${String(json.key_expires_in_days)} guessed from ${JSON.stringify(expiry)}`);
	}

	if (!includeSubscription) {
		for (const name of ['subscription_available', 'plan', 'status', 'limits', 'usage_snapshot']) if (has(name)) problems.push(`${name} without Include Subscription`);
		return problems;
	}
	if (json.subscription_available !== subscriptionOffered) problems.push(`subscription_available ${String(json.subscription_available)}`);
	for (const name of ['plan', 'status', 'limits', 'usage_snapshot']) {
		const expected = subscriptionOffered ? subscription.fields[name] : undefined;
		if (expected === undefined ? has(name) : !sameJson(json[name], expected)) problems.push(`${name} ${JSON.stringify(json[name])}, expected ${JSON.stringify(expected)}`);
	}
	if (subscriptionOffered && !sameJson(json.subscription, subscription.body)) problems.push('the subscription answer not kept whole');
	return problems;
}

test(`Get Account: whatever GET /me and GET /subscription answer, one item with exactly what TGO stated (seed ${SEED})`, async () => {
	const outcomes = new Map<string, number>();
	await fc.assert(
		fc.asyncProperty(caseArb, async (fuzzCase) => {
			sandbox.reset();
			sandbox.setAccountBody('GET /me', fuzzCase.me.body);
			sandbox.setAccountBody('GET /subscription', fuzzCase.subscription.body);
			sandbox.setRouteAvailability('GET /me', fuzzCase.meAvailability);
			sandbox.setRouteAvailability('GET /subscription', fuzzCase.subscriptionAvailability);
			const before = Date.now();
			const result = await runNode({
				type: 'tgoGetAccount',
				parameters: { options: { includeSubscription: fuzzCase.includeSubscription } },
				items: [{ check: 'daily' }],
				credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
				continueOnFail: true,
			});
			const after = Date.now();
			const [item] = [...result.success, ...result.error];
			const outcome = String((item?.json.error as IDataObject | undefined)?.code ?? (item?.json.key_expires_in_days !== undefined ? 'Success with days' : 'Success'));
			outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
			const problems = problemsWith(fuzzCase, result, before, after);
			if (problems.length > 0) throw new Error(`${problems.join('\n')}\nfor ${JSON.stringify(fuzzCase).slice(0, 1500)}`);
		}),
		fuzzOptions(RUNS) as fc.Parameters<[Case]>,
	);
	console.log(`fuzz (seed ${SEED}): ${RUNS} Get Account answers: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
	// Every outcome is reached, so the property is not vacuous.
	for (const outcome of ['Success', 'Success with days', 'API_ERROR', 'ENDPOINT_UNAVAILABLE']) expect(outcomes.get(outcome) ?? 0).toBeGreaterThan(5);
}, 120_000);
