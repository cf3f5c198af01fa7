/**
 * Properties of the item loop (`runItems`, nodes/shared/items.ts), run on a small hand-written
 * execution context (`LoopContext` below) that implements only what runItems calls. The real
 * n8n-core path is covered by test/integration (executionModes.test.ts and each node's file).
 *
 * Each item's handler waits on a task of fast-check's scheduler, which settles the items in flight
 * in an order fast-check chooses (and shrinks, and prints when a property fails): no timer decides
 * which item finishes first.
 */
import fc from 'fast-check';
import type { IDataObject, IExecuteData, IExecuteFunctions, INode, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { INPUT_FIELDS } from '../../nodes/shared/descriptions';
import {
	alreadyDoneNote,
	EMPTY_TOOL_RESULT,
	type TgoErrorCode,
	TgoFailureError,
	TgoUnexpectedError,
} from '../../nodes/shared/errors';
import { runItems, type ItemHandler } from '../../nodes/shared/items';
import { integerInRange } from '../../nodes/shared/validation';
import { propertyRuns, rejection } from './support';

// ---------------------------------------------------------------------------------------------
// The node's settings, as n8n hands them to the loop.

interface Setting {
	name: string;
	nodeType: string;
	onError?: INode['onError'];
	/** What n8n's continueOnFail() answers for this On Error value. */
	continueOnFail: boolean;
	/** Whether an unexpected failure stops the node (else it is routed like any failure). */
	stops: boolean;
	outputs: 'Success and Error' | "Success and Error, failures for n8n's error output" | 'one tool answer per item';
}

const NODE_TYPE = 'n8n-nodes-tgo-business.tgoSendMessage';
const SETTINGS: Setting[] = [
	{ name: 'On Error: Stop Workflow (the default)', nodeType: NODE_TYPE, continueOnFail: false, stops: true, outputs: 'Success and Error' },
	{ name: 'On Error: Continue (regular output)', nodeType: NODE_TYPE, onError: 'continueRegularOutput', continueOnFail: true, stops: false, outputs: 'Success and Error' },
	{
		name: 'On Error: Continue (using error output)',
		nodeType: NODE_TYPE,
		onError: 'continueErrorOutput',
		continueOnFail: true,
		stops: false,
		outputs: "Success and Error, failures for n8n's error output",
	},
	{ name: 'as an AI Agent tool', nodeType: `${NODE_TYPE}Tool`, continueOnFail: false, stops: false, outputs: 'one tool answer per item' },
	{ name: 'as an AI Agent tool, On Error: Stop Workflow', nodeType: `${NODE_TYPE}Tool`, onError: 'stopWorkflow', continueOnFail: false, stops: true, outputs: 'one tool answer per item' },
];

/** What runItems calls on n8n's execution context, and nothing else. */
type LoopContext = Pick<IExecuteFunctions, 'getInputData' | 'getNode' | 'continueOnFail' | 'getExecuteData' | 'addExecutionHints'>;

function loopContext(setting: Setting, items: INodeExecutionData[], executeData: IExecuteData, hints: NodeExecutionHint[]): IExecuteFunctions {
	const context: LoopContext = {
		getInputData: () => items,
		getNode: () => executeData.node,
		continueOnFail: () => setting.continueOnFail,
		// One object per node run: the loop's memory for n8n's "Retry On Fail" is keyed on it.
		getExecuteData: () => executeData,
		addExecutionHints: (...added) => void hints.push(...added),
	};
	return context as IExecuteFunctions;
}

function nodeRun(setting: Setting, items: INodeExecutionData[]): IExecuteData {
	const node: INode = { id: 'node-1', name: 'TGO Send Message', type: setting.nodeType, typeVersion: 1, position: [0, 0], parameters: {} };
	if (setting.onError) node.onError = setting.onError;
	return { node, data: { main: [items] }, source: null };
}

// ---------------------------------------------------------------------------------------------
// What each item's handler does.

type Outcome =
	| { kind: 'success'; answers: 'one object' | number }
	| { kind: 'documented failure'; code: 'VALIDATION_FAILED' | 'SENDER_NOT_ACTIVE' | 'RECIPIENT_UNREACHABLE' | 'RATE_LIMITED' }
	| { kind: 'bad input' }
	| { kind: 'credential failure'; code: 'UNAUTHORIZED' | 'TENANT_NOT_FOUND' | 'MISSING_SCOPE' }
	| { kind: 'unexpected failure'; as: 'API_ERROR' | 'NETWORK_ERROR' | 'a plain Error'; mayHaveBeenSent: boolean };

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
	{ weight: 10, arbitrary: fc.record({ kind: fc.constant('success' as const), answers: fc.oneof(fc.constant('one object' as const), fc.integer({ min: 0, max: 2 })) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('documented failure' as const), code: fc.constantFrom('VALIDATION_FAILED', 'SENDER_NOT_ACTIVE', 'RECIPIENT_UNREACHABLE', 'RATE_LIMITED') }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('bad input' as const) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('credential failure' as const), code: fc.constantFrom('UNAUTHORIZED', 'TENANT_NOT_FOUND', 'MISSING_SCOPE') }) },
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('unexpected failure' as const),
			as: fc.constantFrom('API_ERROR', 'NETWORK_ERROR', 'a plain Error'),
			mayHaveBeenSent: fc.boolean(),
		}),
	},
);

const answersOf = (itemIndex: number, answers: 'one object' | number, tryNumber = 1): IDataObject | IDataObject[] => {
	const answer = (k: number): IDataObject => ({ message_id: `${itemIndex}.${k}`, status: 'sent', try: tryNumber });
	return answers === 'one object' ? answer(0) : Array.from({ length: answers }, (_, k) => answer(k));
};

/** The error an item's handler throws: built once per item, so the test can compare with it. */
function errorOf(itemIndex: number, outcome: Exclude<Outcome, { kind: 'success' }>): Error {
	switch (outcome.kind) {
		case 'documented failure':
		case 'credential failure':
			return new TgoFailureError({
				code: outcome.code,
				message: `TGO refused item ${itemIndex}`,
				httpCode: 422,
				description: 'What TGO said.',
				resolution: 'What to do.',
				docsUrl: 'https://docs.business.tgo-eg.com/errors',
				details: { itemIndex },
			});
		case 'bad input':
			// A real check: a voice message's duration outside 1..300.
			return rejection(() => integerInRange(300 + itemIndex + 1, INPUT_FIELDS.duration, 1, 300, ' seconds'));
		case 'unexpected failure':
			return outcome.as === 'a plain Error'
				? new Error(`item ${itemIndex} broke`)
				: new TgoUnexpectedError(outcome.as, `TGO failed on item ${itemIndex}`, 'What happened.', outcome.as === 'API_ERROR' ? 500 : undefined, {
						mayHaveBeenSent: outcome.mayHaveBeenSent,
					});
	}
}

// ---------------------------------------------------------------------------------------------
// One run of the loop, every item settled in the scheduler's order.

interface Scenario {
	items: Array<{ outcome: Outcome; binary: boolean }>;
	concurrency: number;
	/** The Concurrency option as set: a number, or the same number as text from an expression. */
	concurrencyAsText: boolean;
	includeInputFields: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
	items: fc.array(fc.record({ outcome, binary: fc.boolean() }), { maxLength: 20 }),
	concurrency: fc.integer({ min: 1, max: 16 }),
	concurrencyAsText: fc.boolean(),
	includeInputFields: fc.boolean(),
});

type Event = { started: number } | { settled: number };

interface LoopRun {
	result: { outputs: INodeExecutionData[][] } | { thrown: unknown };
	/** Every handler call and every settled item, in the order they happened. */
	events: Event[];
	/** Items in flight right after the loop began, before any settled. */
	inFlightAtStart: number;
	maxInFlight: number;
	hints: NodeExecutionHint[];
	tasksLeft: number;
}

const inputItems = (scenario: Scenario): INodeExecutionData[] =>
	scenario.items.map(({ binary }, itemIndex) => ({
		json: { row: itemIndex, status: 'queued' },
		...(binary ? { binary: { data: { data: 'AAAA', mimeType: 'audio/mpeg', fileName: `row-${itemIndex}.mp3` } } } : {}),
	}));

async function runLoop(
	s: fc.Scheduler,
	setting: Setting,
	scenario: Scenario,
	{ items = inputItems(scenario), run = nodeRun(setting, items), tryNumber = 1, outcomes = scenario.items.map((item) => item.outcome) } = {},
): Promise<LoopRun> {
	const errors = outcomes.map((o, itemIndex) => (o.kind === 'success' ? undefined : errorOf(itemIndex, o)));
	const events: Event[] = [];
	const hints: NodeExecutionHint[] = [];
	let inFlight = 0;
	let maxInFlight = 0;

	const handler: ItemHandler = (itemIndex) => {
		events.push({ started: itemIndex });
		maxInFlight = Math.max(maxInFlight, ++inFlight);
		const o = outcomes[itemIndex];
		return s.schedule(Promise.resolve(), `item ${itemIndex}: ${o.kind}`).then(() => {
			inFlight -= 1;
			events.push({ settled: itemIndex });
			if (o.kind === 'success') return answersOf(itemIndex, o.answers, tryNumber);
			throw errors[itemIndex];
		});
	};

	const concurrency = scenario.concurrencyAsText ? ` ${scenario.concurrency}` : scenario.concurrency;
	const loop = runItems(loopContext(setting, items, run, hints), handler, { concurrency, includeInputFields: scenario.includeInputFields, doneWord: 'sent' }).then(
		(outputs) => ({ outputs }),
		(thrown: unknown) => ({ thrown }),
	);
	const inFlightAtStart = inFlight;
	const result = await s.waitFor(loop);
	return { result, events, inFlightAtStart, maxInFlight, hints, tasksLeft: s.count() };
}

const startedItems = (events: Event[]) => events.flatMap((event) => ('started' in event ? [event.started] : []));
const settledItems = (events: Event[]) => events.flatMap((event) => ('settled' in event ? [event.settled] : []));
/** Items started after `itemIndex` settled. */
const startedAfter = (events: Event[], itemIndex: number) =>
	startedItems(events.slice(events.findIndex((event) => 'settled' in event && event.settled === itemIndex)));

// ---------------------------------------------------------------------------------------------
// What a user must find on the outputs, item by item, in input order.

interface ExpectedFailure {
	code: TgoErrorCode;
	message: string;
	/** What the Error entry's `error` must equal: the documented failure whole, or a matcher. */
	error: unknown;
}

/** The failure an item's own error becomes: a documented one as thrown, an unexpected one by its code and words. */
function expectedFailure(error: Error): ExpectedFailure {
	if (error instanceof TgoFailureError) return { code: error.failure.code, message: error.failure.message, error: error.failure };
	const code: TgoErrorCode = error instanceof TgoUnexpectedError ? error.code : 'API_ERROR';
	return { code, message: error.message, error: expect.objectContaining({ code, message: error.message }) };
}

/** The failure of an item never sent because TGO refused the credential on `credentialItem`. */
function skippedFailure(credentialItem: number, outcome: Outcome): ExpectedFailure {
	const { code, message } = expectedFailure(errorOf(credentialItem, outcome as Exclude<Outcome, { kind: 'success' }>));
	return { code, message, error: expect.objectContaining({ code, message, details: expect.objectContaining({ notSentBecauseOfItem: credentialItem }) }) };
}

function expectedOutputs(setting: Setting, scenario: Scenario, items: INodeExecutionData[], run: LoopRun): INodeExecutionData[][] {
	const started = new Set(startedItems(run.events));
	const credentialItem = settledItems(run.events).find((itemIndex) => scenario.items[itemIndex].outcome.kind === 'credential failure');
	const success: INodeExecutionData[] = [];
	const failures: INodeExecutionData[] = [];
	const toolAnswers: INodeExecutionData[] = [];

	scenario.items.forEach(({ outcome: o }, itemIndex) => {
		const pairedItem = { item: itemIndex };
		let failure: ExpectedFailure;
		if (!started.has(itemIndex)) {
			// Never sent: only a credential failure before it may skip an item.
			if (credentialItem === undefined) throw new Error(`item ${itemIndex} was never handed to its handler`);
			failure = skippedFailure(credentialItem, scenario.items[credentialItem].outcome);
		} else if (o.kind === 'success') {
			const answers = [answersOf(itemIndex, o.answers)].flat();
			if (setting.outputs === 'one tool answer per item') {
				for (const json of answers.length ? answers : [EMPTY_TOOL_RESULT]) toolAnswers.push({ json, pairedItem });
			} else {
				const input = scenario.includeInputFields ? items[itemIndex].json : {};
				for (const json of answers) success.push({ json: { ...input, ...json }, pairedItem });
			}
			return;
		} else {
			failure = expectedFailure(errorOf(itemIndex, o));
		}

		const binary = items[itemIndex].binary;
		if (setting.outputs === 'one tool answer per item') {
			toolAnswers.push({ json: { error: expect.objectContaining({ code: failure.code, message: failure.message }) }, pairedItem });
		} else if (setting.outputs === 'Success and Error') {
			failures.push({ json: { ...items[itemIndex].json, error: failure.error as IDataObject }, binary, pairedItem });
		} else {
			// n8n moves an item to its error output only when its JSON holds nothing but `error`.
			failures.push({ json: { error: failure.error as IDataObject }, binary, pairedItem });
		}
	});
	return setting.outputs === 'one tool answer per item' ? [toolAnswers] : [success, failures];
}

// ---------------------------------------------------------------------------------------------

describe.each(SETTINGS)('the item loop, $name', (setting) => {
	it('hands every item to its handler at most once, in input order, with at most Concurrency in flight, and none left in flight at the end', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
				const run = await runLoop(s, setting, sc);
				const started = startedItems(run.events);
				expect(started).toEqual([...new Set(started)].sort((a, b) => a - b));
				expect(run.inFlightAtStart).toBe(Math.min(sc.concurrency, sc.items.length));
				expect(run.maxInFlight).toBeLessThanOrEqual(sc.concurrency);
				expect(run.tasksLeft).toBe(0);
			}),
			propertyRuns(250),
		);
	});

	it('puts every item exactly once on the output its outcome calls for, with its pairedItem, in input order, or stops on the first unexpected failure', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
				const items = inputItems(sc);
				const run = await runLoop(s, setting, sc, { items });
				const firstSettled = (kind: Outcome['kind']) => settledItems(run.events).find((itemIndex) => sc.items[itemIndex].outcome.kind === kind);
				const stopItem = setting.stops ? firstSettled('unexpected failure') : undefined;

				// A bad key or tenant: no item is sent after TGO refused it.
				const credentialItem = firstSettled('credential failure');
				if (credentialItem !== undefined) expect(startedAfter(run.events, credentialItem)).toEqual([]);

				if (stopItem !== undefined) {
					// The node stops with that item's error, sends nothing more, and says which items went through.
					expect(startedAfter(run.events, stopItem)).toEqual([]);
					expect(run.result).toHaveProperty('thrown');
					const thrown = (run.result as { thrown: unknown }).thrown as NodeApiError | NodeOperationError;
					const cause = errorOf(stopItem, sc.items[stopItem].outcome as Exclude<Outcome, { kind: 'success' }>);
					expect(thrown).toBeInstanceOf(cause instanceof TgoUnexpectedError ? NodeApiError : NodeOperationError);
					expect(thrown.context.itemIndex).toBe(stopItem);
					expect(thrown.message).toBe(cause.message);
					const done = startedItems(run.events).filter((itemIndex) => sc.items[itemIndex].outcome.kind === 'success');
					expect(thrown.description).toContain(alreadyDoneNote(done, sc.items.length, 'sent'));
					return;
				}

				expect(run.result).toHaveProperty('outputs');
				const { outputs } = run.result as { outputs: INodeExecutionData[][] };
				// Exactly once and in input order, stated plainly before the content is compared.
				const pairedIndexes = (output: INodeExecutionData[]) => output.map((entry) => (entry.pairedItem as { item: number }).item);
				for (const output of outputs) expect(pairedIndexes(output)).toEqual([...pairedIndexes(output)].sort((a, b) => a - b));
				const onEachOutput = outputs.map((output) => new Set(pairedIndexes(output)));
				const started = new Set(startedItems(run.events));
				sc.items.forEach(({ outcome: o }, itemIndex) => {
					// Only an empty list (a list node with nothing to list) leaves no entry on the two outputs.
					const emptyList = started.has(itemIndex) && o.kind === 'success' && o.answers === 0 && setting.outputs !== 'one tool answer per item';
					expect(onEachOutput.filter((indexes) => indexes.has(itemIndex))).toHaveLength(emptyList ? 0 : 1);
				});

				expect(outputs).toEqual(expectedOutputs(setting, sc, items, run));
				const hinted = setting.outputs === "Success and Error, failures for n8n's error output" ? 1 : 0;
				expect(run.hints).toHaveLength(hinted);
			}),
			propertyRuns(250),
		);
	});
});

describe('"Retry On Fail" (n8n runs the stopped node again, with every item)', () => {
	const [stopWorkflow] = SETTINGS;
	// A first try that stopped: an unexpected failure, and no credential failure that could skip it.
	const firstTry = scenario.filter(
		(sc) => sc.items.some(({ outcome: o }) => o.kind === 'unexpected failure') && sc.items.every(({ outcome: o }) => o.kind !== 'credential failure'),
	);

	it('sends no item again that TGO accepted or may have acted on, and gives accepted items their first answer', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), firstTry, async (s, sc) => {
				const items = inputItems(sc);
				const run = nodeRun(stopWorkflow, items);
				const first = await runLoop(s, stopWorkflow, sc, { items, run });
				expect(first.result).toHaveProperty('thrown');

				const startedFirst = startedItems(first.events);
				const accepted = startedFirst.filter((itemIndex) => sc.items[itemIndex].outcome.kind === 'success');
				const inDoubt = startedFirst.filter((itemIndex) => {
					const o = sc.items[itemIndex].outcome;
					return o.kind === 'unexpected failure' && o.as !== 'a plain Error' && o.mayHaveBeenSent;
				});

				// The second try: TGO would now accept everything.
				const allAccepted = sc.items.map((): Outcome => ({ kind: 'success', answers: 'one object' }));
				const second = await runLoop(s, stopWorkflow, sc, { items, run, tryNumber: 2, outcomes: allAccepted });
				const startedSecond = startedItems(second.events);
				for (const itemIndex of [...accepted, ...inDoubt]) expect(startedSecond).not.toContain(itemIndex);

				if (inDoubt.length > 0) {
					// An item TGO may have acted on fails again, without a request, and stops the node again.
					expect(second.result).toHaveProperty('thrown');
					expect(inDoubt).toContain(((second.result as { thrown: NodeApiError }).thrown.context.itemIndex));
					return;
				}
				expect(startedSecond).toEqual(sc.items.map((_, itemIndex) => itemIndex).filter((itemIndex) => !accepted.includes(itemIndex)));
				const { outputs } = second.result as { outputs: INodeExecutionData[][] };
				const expected = sc.items.flatMap(({ outcome: o }, itemIndex) => {
					const answer = accepted.includes(itemIndex) && o.kind === 'success' ? answersOf(itemIndex, o.answers) : answersOf(itemIndex, 'one object', 2);
					return [answer].flat().map((json) => ({ json: sc.includeInputFields ? { ...items[itemIndex].json, ...json } : json, pairedItem: { item: itemIndex } }));
				});
				expect(outputs).toEqual([expected, []]);
			}),
			propertyRuns(200),
		);
	});
});

describe('the Concurrency option', () => {
	it.each([0, -1, 1.5, 'three', '', null, NaN, Infinity, {}])('%p stops the node before any item is sent', async (setting) => {
		const [stopWorkflow] = SETTINGS;
		const items = [{ json: { row: 0 } }, { json: { row: 1 } }];
		const handled: number[] = [];
		const handler: ItemHandler = async (itemIndex) => {
			handled.push(itemIndex);
			return { ok: true };
		};
		const loop = runItems(loopContext(stopWorkflow, items, nodeRun(stopWorkflow, items), []), handler, { concurrency: setting });
		await expect(loop).rejects.toBeInstanceOf(NodeOperationError);
		expect(handled).toEqual([]);
	});
});
