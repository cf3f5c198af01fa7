import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	alreadyDoneNote,
	CREDENTIAL_CODES,
	credentialFailureFor,
	EMPTY_TOOL_RESULT,
	invalidConcurrencyError,
	N8N_ERROR_OUTPUT_HINT,
	stopErrorOf,
	type TgoFailure,
	TgoFailureError,
	TgoUnexpectedError,
	toolResultOf,
	unexpectedFailureOf,
} from './errors';
import { executionModeOf } from './executionMode';
import { retryMemoryOf } from './retryMemory';
import { wholeNumberOf } from './validation';

/**
 * The item loop: the only code that writes to a node's outputs.
 *
 * A node hands it one function per item that returns the Success JSON (one object, or a list
 * for the list nodes) or throws. Documented failures (`TgoFailureError`, including
 * INVALID_INPUT) go to the Error output; anything else stops the node with an error naming the
 * item, or goes to Error under "Continue". Every input item comes out exactly once, in input
 * order, with `pairedItem` pointing back at it, whatever the concurrency and however n8n runs the
 * node (`executionMode.ts`); an item TGO already accepted is never sent again when n8n retries
 * the node (`retryMemory.ts`).
 */

export type ItemHandler = (itemIndex: number) => Promise<IDataObject | IDataObject[]>;

export interface RunItemsOptions {
	/**
	 * Items in flight at once: the node's Concurrency option as set, a whole number ≥ 1 (or such a
	 * number as text, from an expression). Anything else stops the node before any item.
	 */
	concurrency?: unknown;
	/** Keep the input item's fields on each Success item, under TGO's answer. */
	includeInputFields?: boolean;
	/** How the stop message calls an item that went through: "sent", "registered"… */
	doneWord?: string;
}

type ItemOutcome = { success: IDataObject[] } | { failure: TgoFailure };

export async function runItems(
	context: IExecuteFunctions,
	handleItem: ItemHandler,
	options: RunItemsOptions = {},
): Promise<INodeExecutionData[][]> {
	// Checked here, the one place that uses it; one value for the whole run, since it sizes the loop.
	const { concurrency: concurrencySetting = 1 } = options;
	const wholeConcurrency = wholeNumberOf(concurrencySetting);
	if (wholeConcurrency === undefined || wholeConcurrency < 1) throw invalidConcurrencyError(context.getNode(), concurrencySetting);
	const items = context.getInputData();
	const mode = executionModeOf(context);
	const memory = retryMemoryOf(context, items);
	const outcomes: ItemOutcome[] = new Array(items.length);
	const concurrency = Math.min(wholeConcurrency, items.length || 1);

	// Per execution, never module-level: queue-mode workers share the module between executions.
	let credentialFailure: { failure: TgoFailure; itemIndex: number } | undefined;
	let stop: { error: unknown; itemIndex: number } | undefined;
	let nextIndex = 0;

	/** The item's outcome: remembered from an earlier try of this node run, or from TGO now. */
	const attempt = async (itemIndex: number): Promise<{ accepted: IDataObject[] } | { error: unknown }> => {
		const remembered = memory.recall(itemIndex);
		if (remembered) return 'accepted' in remembered ? remembered : { error: remembered.inDoubt };
		try {
			const output = await handleItem(itemIndex);
			const accepted = Array.isArray(output) ? output : [output];
			memory.remember(itemIndex, { accepted });
			return { accepted };
		} catch (error) {
			if (error instanceof TgoUnexpectedError && error.mayHaveBeenSent) memory.remember(itemIndex, { inDoubt: error });
			return { error };
		}
	};

	const worker = async () => {
		while (stop === undefined && nextIndex < items.length) {
			const itemIndex = nextIndex++;
			if (credentialFailure) {
				// A bad key or tenant fails every item the same way: don't spend a request on each.
				outcomes[itemIndex] = { failure: credentialFailureFor(credentialFailure.failure, credentialFailure.itemIndex) };
				continue;
			}
			const result = await attempt(itemIndex);
			if ('accepted' in result) {
				outcomes[itemIndex] = { success: result.accepted };
			} else if (result.error instanceof TgoFailureError) {
				const { failure } = result.error;
				if (CREDENTIAL_CODES.has(failure.code) && !credentialFailure) credentialFailure = { failure, itemIndex };
				outcomes[itemIndex] = { failure };
			} else if (mode.routeUnexpectedFailures) {
				outcomes[itemIndex] = { failure: unexpectedFailureOf(result.error) };
			} else {
				stop ??= { error: result.error, itemIndex };
			}
		}
	};

	await Promise.all(Array.from({ length: concurrency }, worker));
	if (stop) {
		const done = outcomes.flatMap((outcome, itemIndex) => (outcome && 'success' in outcome ? [itemIndex] : []));
		const note = alreadyDoneNote(done, items.length, options.doneWord ?? 'processed');
		throw stopErrorOf(context.getNode(), stop.error, stop.itemIndex, note);
	}

	const pairedItem = (itemIndex: number) => ({ item: itemIndex });
	const binaryOf = (itemIndex: number) => (items[itemIndex].binary ? { binary: items[itemIndex].binary } : {});

	if (mode.asTool) {
		// One output, one answer per call, failures included: the model sees nothing else. An empty
		// list is said in words, since n8n would hand the model an empty string for it.
		const answersOf = (outcome: ItemOutcome): IDataObject[] => {
			if (!('success' in outcome)) return [toolResultOf(outcome.failure)];
			return outcome.success.length ? outcome.success : [EMPTY_TOOL_RESULT];
		};
		return [outcomes.flatMap((outcome, itemIndex) => answersOf(outcome).map((json) => ({ json, pairedItem: pairedItem(itemIndex) })))];
	}

	if (mode.failuresToN8nErrorOutput) {
		// The canvas now shows Success, Error and n8n's Error: say which one the failures are on.
		context.addExecutionHints?.({ message: N8N_ERROR_OUTPUT_HINT, type: 'info', location: 'outputPane' });
	}

	const success: INodeExecutionData[] = [];
	const failures: INodeExecutionData[] = [];
	outcomes.forEach((outcome, itemIndex) => {
		if ('success' in outcome) {
			const input = options.includeInputFields ? items[itemIndex].json : {};
			for (const json of outcome.success) success.push({ json: { ...input, ...json }, pairedItem: pairedItem(itemIndex) });
		} else {
			// For n8n's error output the JSON must hold only `error`: n8n then moves the item and adds
			// the input fields back itself. Otherwise they are added here.
			const input = mode.failuresToN8nErrorOutput ? {} : items[itemIndex].json;
			failures.push({ json: { ...input, error: outcome.failure }, ...binaryOf(itemIndex), pairedItem: pairedItem(itemIndex) });
		}
	});
	return [success, failures];
}
