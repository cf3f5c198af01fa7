// The fault matrix: every node × every sandbox fault, executed in real n8n-core against its own
// sandbox over loopback. For each pair, three items go in and the fault lands on the middle one
// (the sandbox lets item 0's request through first), so the tests see that item 1 fails or
// recovers as docs/architecture.md says (#failures-and-the-error-output, #retries), that items 0
// and 2 are untouched, and that the node either accounts for every item or stops naming item 1.
//
// Variants per (node, fault):
//   persistent  the server fails every attempt the node may make (4 for a retried fault, else 1):
//               a fifth attempt would meet no fault and succeed, so "at most 4" is really tested
//   stop        the same, without Continue on Fail: undocumented failures stop the node
//   transient   a retried fault happens once: the item recovers on the second attempt
//
// The cases run concurrently, sixteen at a time and longest first, each against its own sandbox,
// in beforeAll (about 250 s of retry waits in all, 15-25 s of wall time); the tests then read the
// results. Waits are checked on the sandbox's receivedAt timestamps: never earlier than
// Retry-After or the backoff step, and not much later. Debug one case with MATRIX_ONLY /
// MATRIX_DEBUG (see beforeAll / afterAll).
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { capturedLogs, runNode, type NodeRunResult } from '../../tools/harness';
import { senders } from '../../tools/sandbox/fixtures';
import { type Fault, type RecordedRequest, type Sandbox, startSandbox } from '../../tools/sandbox/server';
import { allText, keepReportedErrors, placesOf, reportedErrors } from './support';

// Small, but not so small that a request on a busy CI machine times out before it even reaches
// the sandbox (the attempt would then be invisible in the request log).
const TIMEOUT_MS = 800;
const RELAXED_TIMEOUT_MS = 10_000;
const SLOW_RESPONSE_MS = 2500;
const RETRY_AFTER_SECONDS = 1;
const BACKOFF_MS = [500, 1000, 2000];
const MAX_ATTEMPTS = 4;
// Upper slack on a wait: a round trip plus event-loop lag with many runs in flight on a busy
// machine. It still tells a 1 s Retry-After from a 2 s backoff step, or seconds from milliseconds.
const LATE_TOLERANCE_MS = 1000;
// Timers may fire a millisecond early relative to performance.now() in another module.
const EARLY_TOLERANCE_MS = 5;

type Method = 'GET' | 'POST';

interface NodeUnderTest {
	type: string;
	/** Tells apart two entries for one node (Get Account's two calls); the type otherwise. */
	label?: string;
	method: Method;
	/** The faulted route; only the requests to it are counted and timed. */
	route: string;
	/** Send Message and Lookup Contact have the Timeout option; the list nodes use the 30 s default. */
	hasTimeoutOption: boolean;
	parameters: INodeParameters;
	/** The item a request was made for, when the request carries the item's own data. */
	itemKeyOf?: (request: RecordedRequest) => string | undefined;
	/** POST only: the items (by phone) the sandbox acted on, and what an unanswered POST's failure must tell the user to check. */
	acted?: { on: (sandbox: Sandbox) => string[]; checkFirst: RegExp };
}

const NODES: NodeUnderTest[] = [
	{
		type: 'tgoSendMessage',
		method: 'POST',
		route: 'POST /messages',
		hasTimeoutOption: true,
		parameters: {
			sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
			toPhone: '={{ $json.phone }}',
			messageType: 'text',
			content: '={{ "Order " + $json.order + " is ready" }}',
		},
		itemKeyOf: (request) => (request.json as IDataObject | undefined)?.to_phone as string | undefined,
		acted: { on: (sandbox) => sandbox.sent.map((sent) => sent.toPhone), checkFirst: /look for the message in TGO Get Message Logs/ },
	},
	{
		type: 'tgoLookupContact',
		method: 'GET',
		route: 'GET /contacts/lookup',
		hasTimeoutOption: true,
		parameters: { phone: '={{ $json.phone }}' },
		itemKeyOf: (request) => request.query.phone?.replace(/^ /, '+'),
	},
	{
		type: 'tgoGetSenderNumbers',
		method: 'GET',
		route: 'GET /sender-numbers',
		hasTimeoutOption: false,
		parameters: { returnAll: false, limit: 1 },
	},
	{
		type: 'tgoRegisterSenderNumber',
		method: 'POST',
		route: 'POST /sender-numbers',
		hasTimeoutOption: true,
		parameters: { phone: '={{ $json.phone }}', displayName: '={{ "Branch " + $json.order }}' },
		itemKeyOf: (request) => (request.json as IDataObject | undefined)?.phone as string | undefined,
		acted: { on: (sandbox) => sandbox.registered.map((sender) => sender.phone), checkFirst: /TGO Get Sender Numbers/ },
	},
	{ type: 'tgoGetUsage', method: 'GET', route: 'GET /usage', hasTimeoutOption: false, parameters: {} },
	{
		type: 'tgoGetMessageLogs',
		method: 'GET',
		route: 'GET /messages',
		hasTimeoutOption: false,
		parameters: { returnAll: false, limit: 1 },
	},
	{
		type: 'tgoGetAccount',
		label: 'tgoGetAccount GET /me',
		method: 'GET',
		route: 'GET /me',
		hasTimeoutOption: false,
		parameters: { options: { includeSubscription: false } },
	},
	{
		// Each item reads /me, then /subscription: the faults land on the second call.
		type: 'tgoGetAccount',
		label: 'tgoGetAccount GET /subscription',
		method: 'GET',
		route: 'GET /subscription',
		hasTimeoutOption: false,
		parameters: { options: { includeSubscription: true } },
	},
];

interface FaultUnderTest {
	name: string;
	fault: Fault;
	/** Whether the transport may try again after this outcome (docs/architecture.md#retries). */
	retried: (method: Method) => boolean;
	/** The wait before retry number `retry` (0-based), from the moment the answer (or timeout) came. */
	waitMs: (retry: number) => number;
	/** Time an attempt takes before that wait starts, beyond a quick answer (the timeout). */
	attemptMs?: number;
	code: 'RATE_LIMITED' | 'API_ERROR' | 'NETWORK_ERROR';
	httpCode?: number;
	message: RegExp;
	/** What the Error item's description must say, where it depends on the fault. */
	description?: RegExp;
}

const RETRIED_AND_STILL_LIMITED = /kept answering "too many requests" after the node had retried/;
// A POST that may have reached TGO (a send, a registration) is not repeated and says so; a read is
// retried and says how often.
const MAY_HAVE_BEEN_SENT_OR_RETRIED =
	/so (the message may have been sent|the sender number may have been registered)\. The node did not repeat it|^The node tried 4 times without an answer\./;

const backoff = (retry: number) => BACKOFF_MS[retry];
const always = () => true;
const onlyGet = (method: Method) => method === 'GET';
const never = () => false;

const FAULTS: FaultUnderTest[] = [
	{
		name: '429 with Retry-After: 1',
		fault: { kind: 'status', status: 429, retryAfter: RETRY_AFTER_SECONDS },
		retried: always,
		waitMs: () => RETRY_AFTER_SECONDS * 1000,
		code: 'RATE_LIMITED',
		httpCode: 429,
		message: /^Too Many Attempts\.$/,
		description: RETRIED_AND_STILL_LIMITED,
	},
	{
		name: '429 without Retry-After',
		fault: { kind: 'status', status: 429 },
		retried: always,
		waitMs: backoff,
		code: 'RATE_LIMITED',
		httpCode: 429,
		message: /^Too Many Attempts\.$/,
		description: RETRIED_AND_STILL_LIMITED,
	},
	{
		name: '500',
		fault: { kind: 'status', status: 500 },
		retried: onlyGet,
		waitMs: backoff,
		code: 'API_ERROR',
		httpCode: 500,
		message: /HTTP 500: Server Error$/,
	},
	{
		name: '503',
		fault: { kind: 'status', status: 503 },
		retried: always,
		waitMs: backoff,
		code: 'API_ERROR',
		httpCode: 503,
		message: /HTTP 503: Service Unavailable$/,
	},
	{
		name: 'a response slower than the timeout',
		fault: { kind: 'delay', ms: SLOW_RESPONSE_MS },
		retried: onlyGet,
		waitMs: backoff,
		attemptMs: TIMEOUT_MS,
		code: 'NETWORK_ERROR',
		message: /^Could not complete the request to TGO \((ECONNABORTED|ETIMEDOUT)\): TGO did not answer within [\d.]+ s \(the Timeout option\)\.$/,
		description: MAY_HAVE_BEEN_SENT_OR_RETRIED,
	},
	{
		name: 'a connection reset before the response',
		fault: { kind: 'resetBeforeBody' },
		retried: onlyGet,
		waitMs: backoff,
		code: 'NETWORK_ERROR',
		message: /^Could not complete the request to TGO \(ECONNRESET\): the connection was cut before TGO answered\.$/,
		description: MAY_HAVE_BEEN_SENT_OR_RETRIED,
	},
	{
		name: 'a connection reset after the body was read',
		fault: { kind: 'resetAfterBody' },
		retried: onlyGet,
		waitMs: backoff,
		code: 'NETWORK_ERROR',
		message: /^Could not complete the request to TGO \(ECONNRESET\): the connection was cut before TGO answered\.$/,
		description: MAY_HAVE_BEEN_SENT_OR_RETRIED,
	},
	{
		name: 'an HTML 502 page',
		fault: { kind: 'html', status: 502 },
		retried: onlyGet,
		waitMs: backoff,
		code: 'API_ERROR',
		httpCode: 502,
		message: /HTTP 502$/,
	},
	{
		name: 'invalid JSON',
		fault: { kind: 'invalidJson' },
		retried: never,
		waitMs: backoff,
		code: 'API_ERROR',
		message: /unexpected shape/,
	},
	{
		name: 'an empty 200 body',
		fault: { kind: 'emptyBody' },
		retried: never,
		waitMs: backoff,
		code: 'API_ERROR',
		message: /unexpected shape/,
	},
];

type Variant = 'persistent' | 'stop' | 'transient';

interface Expected {
	/** Requests item 1 makes. */
	attempts: number;
	/** Item 1's fate. */
	item1: 'success' | 'error' | 'stops the node';
	/** The wait before each retry, when item 1 is retried. */
	waits: number[];
	/** How long an attempt may take before the wait starts (the timeout, for a slow answer). */
	beforeWaitMs: number;
}

interface MatrixCase {
	id: number;
	node: NodeUnderTest;
	fault: FaultUnderTest;
	variant: Variant;
	expected: Expected;
	items: IDataObject[];
	result?: NodeRunResult;
	requests?: RecordedRequest[];
	/** POST only: the items the sandbox acted on (messages sent, senders registered), by phone. */
	actedOn?: string[];
	failure?: unknown;
}

function expectationFor(node: NodeUnderTest, fault: FaultUnderTest, variant: Variant): Expected | undefined {
	// The list nodes have no Timeout option: a slow answer is waited for (30 s default) and used.
	if (fault.fault.kind === 'delay' && !node.hasTimeoutOption) {
		return variant === 'persistent' ? { attempts: 1, item1: 'success', waits: [], beforeWaitMs: 0 } : undefined;
	}
	const retried = fault.retried(node.method);
	if (variant === 'transient') {
		return retried ? { attempts: 2, item1: 'success', waits: [fault.waitMs(0)], beforeWaitMs: fault.attemptMs ?? 0 } : undefined;
	}
	const attempts = retried ? MAX_ATTEMPTS : 1;
	const waits = Array.from({ length: attempts - 1 }, (_, retry) => fault.waitMs(retry));
	// Documented failures go to Error whatever Continue on Fail says; the rest stop the node.
	const documented = fault.code === 'RATE_LIMITED';
	return { attempts, item1: variant === 'stop' && !documented ? 'stops the node' : 'error', waits, beforeWaitMs: fault.attemptMs ?? 0 };
}

const cases: MatrixCase[] = [];
for (const node of NODES) {
	for (const fault of FAULTS) {
		for (const variant of ['persistent', 'stop', 'transient'] as const) {
			const expected = expectationFor(node, fault, variant);
			if (!expected) continue;
			const id = cases.length + 1;
			// Unique recipients per case and item: +2012 CCC 000 I (none is a sandbox fixture contact).
			const items = [0, 1, 2].map((index) => ({
				order: `${id}-${index}`,
				phone: `+2012${String(id).padStart(3, '0')}0000${index}`,
			}));
			cases.push({ id, node, fault, variant, expected, items });
		}
	}
}

const CASES_AT_ONCE = 16;

function expectedDurationMs({ expected }: MatrixCase): number {
	return expected.waits.reduce((sum, wait) => sum + wait, 0) + expected.attempts * expected.beforeWaitMs;
}

const apiKeysUsed = new Set<string>();

async function runCase(matrixCase: MatrixCase): Promise<void> {
	const { node, fault, expected, variant } = matrixCase;
	const sandbox: Sandbox = await startSandbox();
	try {
		apiKeysUsed.add(sandbox.keys.full);
		const faults = Array.from({ length: variant === 'transient' ? 1 : expected.attempts }, () => fault.fault);
		// A zero delay is a pass-through: item 0's request is answered normally.
		sandbox.inject(node.route, { kind: 'delay', ms: 0 }, ...faults);
		// The short Timeout only where the fault is a slow answer, and only for item 1 (the option is
		// read per item): a busy machine must not turn another request's slow start into a timeout.
		const parameters =
			fault.fault.kind === 'delay' && node.hasTimeoutOption
				? { ...node.parameters, options: { timeout: `={{ $itemIndex === 1 ? ${TIMEOUT_MS} : ${RELAXED_TIMEOUT_MS} }}` } }
				: node.parameters;
		matrixCase.result = await runNode({
			type: node.type,
			parameters,
			items: matrixCase.items,
			credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
			continueOnFail: variant !== 'stop',
		});
		const [method, path] = node.route.split(' ');
		matrixCase.requests = sandbox.requestsTo(method, path);
		matrixCase.actedOn = node.acted?.on(sandbox);
	} catch (error) {
		matrixCase.failure = error;
	} finally {
		await sandbox.close();
	}
}

let matrixWallMs = 0;

beforeAll(async () => {
	// MATRIX_ONLY=12,36 runs only those cases (the others then fail as "did not run").
	const only = process.env.MATRIX_ONLY?.split(',').map(Number);
	if (only) cases.splice(0, cases.length, ...cases.filter((matrixCase) => only.includes(matrixCase.id)));
	keepReportedErrors();
	const started = performance.now();
	// Longest first, a bounded number at once: 130 executions starting together on two cores
	// would delay requests by seconds and blur the waits being measured.
	const queue = [...cases].sort((a, b) => expectedDurationMs(b) - expectedDurationMs(a));
	await Promise.all(
		Array.from({ length: CASES_AT_ONCE }, async () => {
			for (let next = queue.shift(); next; next = queue.shift()) await runCase(next);
		}),
	);
	matrixWallMs = performance.now() - started;
}, 90_000);

afterAll(() => {
	// MATRIX_DEBUG=12,36 prints what those cases produced and what the sandbox received.
	const debug = process.env.MATRIX_DEBUG?.split(',').map(Number) ?? [];
	for (const matrixCase of cases.filter(({ id }) => debug.includes(id))) {
		const { result, requests } = matrixCase;
		console.log(title(matrixCase), JSON.stringify({
			success: result?.success.map((item) => item.pairedItem),
			error: result?.error.map((item) => [item.pairedItem, item.json.error]),
			thrown: result?.thrown?.message,
			requests: requests?.map((request) => [request.method, request.path, request.query, request.json, request.fault, request.status, Math.round(request.receivedAt)]),
		}, null, 1));
	}
	const sequentialMs = cases.reduce((sum, matrixCase) => sum + expectedDurationMs(matrixCase), 0);
	console.log(`fault matrix: ${cases.length} cases over ${NODES.length} node calls × ${FAULTS.length} faults in ${Math.round(matrixWallMs)} ms (${Math.round(sequentialMs / 1000)} s of waits if run one by one)`);
});

const PAIRED = (indexes: number[]) => indexes.map((item) => ({ item }));

/**
 * The requests of each item, in arrival order. Concurrency is 1, so item 0 makes the first
 * request, item 2 (when it runs) the last, and item 1 the ones between. Where a request carries
 * the item's own data (the recipient), it must agree; a send reset before its body was read
 * carries none.
 */
function requestsByItem(matrixCase: MatrixCase): RecordedRequest[][] {
	const requests = matrixCase.requests ?? [];
	const ranItem2 = matrixCase.expected.item1 !== 'stops the node';
	const byItem = [requests.slice(0, 1), requests.slice(1, ranItem2 ? -1 : undefined), ranItem2 ? requests.slice(-1) : []];
	const { itemKeyOf } = matrixCase.node;
	if (itemKeyOf) {
		byItem.forEach((itemRequests, index) => {
			for (const request of itemRequests) {
				const key = itemKeyOf(request);
				if (key !== undefined) expect(key).toBe(matrixCase.items[index].phone);
			}
		});
	}
	return byItem;
}

function errorOf(item: INodeExecutionData): IDataObject {
	return item.json.error as IDataObject;
}

const title = (matrixCase: MatrixCase) =>
	`#${matrixCase.id} ${matrixCase.node.label ?? matrixCase.node.type}: ${matrixCase.fault.name} (${matrixCase.variant})`;

describe.each(NODES.map((node) => [node.label ?? node.type, node] as const))('%s under faults', (_label, node) => {
	const nodeCases = cases.filter((matrixCase) => matrixCase.node === node);

	test.each(nodeCases.map((matrixCase) => [title(matrixCase), matrixCase] as const))('%s', (_title, matrixCase) => {
		expect(matrixCase.failure).toBeUndefined();
		const { result, expected, fault, items } = matrixCase;
		if (!result) throw new Error('the case did not run');

		// Every item comes out exactly once, or the node stops naming item 1.
		if (expected.item1 === 'stops the node') {
			expect(result.success).toEqual([]);
			expect(result.error).toEqual([]);
			expect(result.thrown).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 1 } });
			expect(result.thrown?.message).toMatch(fault.message);
			if (fault.httpCode !== undefined) expect((result.thrown as { httpCode?: string }).httpCode).toBe(String(fault.httpCode));
		} else {
			expect(result.thrown).toBeUndefined();
			expect(result.success.length + result.error.length).toBe(items.length);
			if (expected.item1 === 'success') {
				expect(result.success.map((item) => item.pairedItem)).toEqual(PAIRED([0, 1, 2]));
				expect(result.error).toEqual([]);
			} else {
				expect(result.success.map((item) => item.pairedItem)).toEqual(PAIRED([0, 2]));
				expect(result.error.map((item) => item.pairedItem)).toEqual(PAIRED([1]));
				const [failed] = result.error;
				// The input item's fields are kept beside the error.
				expect(failed.json).toMatchObject(items[1]);
				expect(errorOf(failed).code).toBe(fault.code);
				expect(errorOf(failed).message).toMatch(fault.message);
				if (fault.httpCode === undefined) expect(errorOf(failed)).not.toHaveProperty('httpCode');
				else expect(errorOf(failed).httpCode).toBe(fault.httpCode);
				expect(errorOf(failed).description).toEqual(expect.stringMatching(fault.description ?? /\w/));
				expect(errorOf(failed).resolution).toEqual(expect.stringMatching(/\w/));
			}
		}

		// Retries: as many as allowed and no more, spaced as Retry-After or the backoff says.
		const attempts = requestsByItem(matrixCase)[1];
		expect(attempts).toHaveLength(expected.attempts);
		const gaps = attempts.slice(1).map((request, index) => request.receivedAt - attempts[index].receivedAt);
		gaps.forEach((gap, retry) => {
			expect(gap).toBeGreaterThanOrEqual(expected.waits[retry] - EARLY_TOLERANCE_MS);
			expect(gap).toBeLessThanOrEqual(expected.waits[retry] + expected.beforeWaitMs + LATE_TOLERANCE_MS);
		});
		const totalRequests = (matrixCase.requests ?? []).length;
		expect(totalRequests).toBe(expected.attempts + (expected.item1 === 'stops the node' ? 1 : 2));
	});
});

describe('no POST is ever acted on twice: no message sent twice, no number registered twice', () => {
	const postCases = cases.filter((matrixCase) => matrixCase.node.method === 'POST');
	const UNANSWERED = ['delay', 'resetBeforeBody', 'resetAfterBody'];

	test.each(postCases.map((matrixCase) => [title(matrixCase), matrixCase] as const))(
		'%s: a POST reaches TGO again only after a 429/503 refusal',
		(_title, matrixCase) => {
			const byItem = requestsByItem(matrixCase);
			matrixCase.items.forEach((item, index) => {
				// Every POST for an item but its last was refused with 429/503: TGO cannot have acted on it.
				for (const earlier of byItem[index].slice(0, -1)) expect([429, 503]).toContain(earlier.status);
				expect(matrixCase.actedOn?.filter((phone) => phone === item.phone).length ?? 0).toBeLessThanOrEqual(1);
			});
			// After a timeout or a reset TGO may have acted: exactly one POST, never a retry, and the
			// item says what to check before trying again.
			if (UNANSWERED.includes(matrixCase.fault.fault.kind)) {
				expect(byItem[1]).toHaveLength(1);
				const { result } = matrixCase;
				const told = result?.thrown ? (result.thrown as { description?: string }).description : `${String(errorOf(result!.error[0]).description)} ${String(errorOf(result!.error[0]).resolution)}`;
				expect(told).toMatch(/The node did not repeat it/);
				expect(told).toMatch(matrixCase.node.acted!.checkFirst);
			}
		},
	);

	test('the matrix covered timeouts, resets and refusals on every POST', () => {
		expect(new Set(postCases.map((matrixCase) => matrixCase.node.type))).toEqual(new Set(['tgoSendMessage', 'tgoRegisterSenderNumber']));
		for (const node of NODES.filter((candidate) => candidate.method === 'POST')) {
			const kinds = new Set(postCases.filter((matrixCase) => matrixCase.node === node).map((matrixCase) => matrixCase.fault.fault.kind));
			expect([...kinds].sort()).toEqual(['delay', 'emptyBody', 'html', 'invalidJson', 'resetAfterBody', 'resetBeforeBody', 'status']);
		}
		// The sandbox acted on the POST before the timeout and the reset-after-body fault hit.
		const actedOn = postCases.filter((matrixCase) => ['delay', 'resetAfterBody'].includes(matrixCase.fault.fault.kind));
		for (const matrixCase of actedOn) expect(matrixCase.actedOn).toContain(matrixCase.items[1].phone);
	});
});

describe('the API key never leaves the credential, under any fault', () => {
	test('outputs, thrown errors (with causes), errors n8n-core reported, and every log line are free of it', () => {
		expect(apiKeysUsed.size).toBeGreaterThan(0);
		const places: string[] = [];
		for (const key of apiKeysUsed) {
			for (const matrixCase of cases) {
				const { result } = matrixCase;
				places.push(...placesOf(key, result?.success, `${title(matrixCase)} success`));
				places.push(...placesOf(key, result?.error, `${title(matrixCase)} error`));
				places.push(...placesOf(key, result?.thrown, `${title(matrixCase)} thrown`));
				places.push(...placesOf(key, result?.runData, `${title(matrixCase)} runData`));
			}
			places.push(...placesOf(key, reportedErrors, 'reported errors'));
			places.push(...placesOf(key, capturedLogs, 'logs'));
			// JSON.stringify as a log sink or an error tracker would write it.
			for (const matrixCase of cases) {
				if (JSON.stringify(matrixCase.result ?? {}).includes(key)) places.push(`${title(matrixCase)} JSON`);
			}
		}
		expect(places).toEqual([]);
	});

	test('the scan had something to look at: the key went out on every request, and the errors were seen live', () => {
		const requests = cases.flatMap((matrixCase) => matrixCase.requests ?? []);
		expect(requests.length).toBeGreaterThan(cases.length * 2);
		for (const request of requests) expect(apiKeysUsed.has(request.headers['x-api-key'])).toBe(true);
		const stopped = cases.filter((matrixCase) => matrixCase.expected.item1 === 'stops the node');
		expect(stopped.length).toBeGreaterThan(10);
		// n8n-core reported the live error (with its cause chain) of every run that stopped.
		expect(reportedErrors.length).toBeGreaterThanOrEqual(stopped.length);
		expect(capturedLogs.length).toBeGreaterThan(0);
	});

	test('no error carries more than a bounded excerpt of what TGO answered', () => {
		for (const matrixCase of cases) {
			for (const item of matrixCase.result?.error ?? []) expect(allText(item.json.error).length).toBeLessThan(2000);
			if (matrixCase.result?.thrown) expect(allText({ ...matrixCase.result.thrown, stack: '' }).length).toBeLessThan(3000);
		}
	});
});
