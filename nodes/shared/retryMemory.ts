import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * What earlier tries of the same node run learned about each item, so that n8n's "Retry On Fail"
 * (which runs the whole node again with every input item after it stopped) never sends an item
 * twice: an item TGO accepted returns its first answer, and an item TGO may have acted on (a POST
 * that timed out) fails again without a request.
 *
 * Scope: n8n hands every try of one node run the same execute-data object, and each later run,
 * each other node and each execution a new one. It is the key of a WeakMap, so the memory lives
 * exactly as long as that run's data in the execution, in the process that runs it (a retry never
 * moves to another queue-mode worker), holds at most one entry per input item, and is never saved
 * with the workflow or the execution. The item's JSON object is checked too: it is the same
 * object in every try (also the arguments of an agent's tool call, which older agents re-run in a
 * fresh context), and another object means other input, which starts from nothing.
 */

export type RememberedOutcome = { accepted: IDataObject[] } | { inDoubt: unknown };

interface Entry {
	input: INodeExecutionData['json'];
	outcome: RememberedOutcome;
}

const runs = new WeakMap<object, Map<number, Entry>>();

export interface RetryMemory {
	recall(itemIndex: number): RememberedOutcome | undefined;
	remember(itemIndex: number, outcome: RememberedOutcome): void;
}

export function retryMemoryOf(context: IExecuteFunctions, items: INodeExecutionData[]): RetryMemory {
	// getExecuteData exists on every n8n this package supports; without it, remember nothing.
	const key: unknown = context.getExecuteData?.();
	if (typeof key !== 'object' || key === null) return { recall: () => undefined, remember: () => {} };
	let entries = runs.get(key);
	if (!entries) {
		entries = new Map();
		runs.set(key, entries);
	}
	const memory = entries;
	return {
		recall(itemIndex) {
			const entry = memory.get(itemIndex);
			return entry && entry.input === items[itemIndex]?.json ? entry.outcome : undefined;
		},
		remember(itemIndex, outcome) {
			memory.set(itemIndex, { input: items[itemIndex].json, outcome });
		},
	};
}
