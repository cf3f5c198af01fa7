import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	CREDENTIAL_CODES,
	type TgoFailure,
	TgoFailureError,
	TgoUnexpectedError,
} from './errors';

/**
 * The item loop: the only code that writes to a node's outputs.
 *
 * A node hands it one function per item that returns the Success JSON (one object, or a list
 * for the list nodes) or throws. Documented failures (`TgoFailureError`, including
 * INVALID_INPUT) go to the Error output; anything else stops the node with an error naming the
 * item, or goes to Error under "Continue on Fail". Every input item comes out exactly once, in
 * input order, with `pairedItem` pointing back at it, whatever the concurrency.
 */

export type ItemHandler = (itemIndex: number) => Promise<IDataObject | IDataObject[]>;

type ItemResult = { success: INodeExecutionData[] } | { failure: INodeExecutionData };

export async function runItems(
	context: IExecuteFunctions,
	handleItem: ItemHandler,
	options: { concurrency?: number } = {},
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const results: ItemResult[] = new Array(items.length);
	const requested = Number.isFinite(options.concurrency) ? Math.floor(options.concurrency as number) : 1;
	const concurrency = Math.max(1, Math.min(requested, items.length || 1));

	// Per execution, never module-level: queue-mode workers share the module between executions.
	let credentialFailure: { failure: TgoFailure; itemIndex: number } | undefined;
	let stop: { error: unknown; itemIndex: number } | undefined;
	let nextIndex = 0;

	const failureItem = (itemIndex: number, failure: TgoFailure): ItemResult => ({
		failure: {
			json: { ...items[itemIndex].json, error: failure },
			...(items[itemIndex].binary ? { binary: items[itemIndex].binary } : {}),
			pairedItem: { item: itemIndex },
		},
	});

	const worker = async () => {
		while (stop === undefined && nextIndex < items.length) {
			const itemIndex = nextIndex++;
			if (credentialFailure) {
				// A bad key or tenant fails every item the same way: don't spend a request on each.
				results[itemIndex] = failureItem(itemIndex, {
					...credentialFailure.failure,
					details: { ...credentialFailure.failure.details, notSentBecauseOfItem: credentialFailure.itemIndex },
				});
				continue;
			}
			try {
				const output = await handleItem(itemIndex);
				const jsons = Array.isArray(output) ? output : [output];
				results[itemIndex] = {
					success: jsons.map((json) => ({ json, pairedItem: { item: itemIndex } })),
				};
			} catch (error) {
				if (error instanceof TgoFailureError) {
					if (CREDENTIAL_CODES.has(error.failure.code) && !credentialFailure) {
						credentialFailure = { failure: error.failure, itemIndex };
					}
					results[itemIndex] = failureItem(itemIndex, error.failure);
				} else if (context.continueOnFail()) {
					results[itemIndex] = failureItem(itemIndex, unexpectedFailure(error));
				} else {
					stop ??= { error, itemIndex };
				}
			}
		}
	};

	await Promise.all(Array.from({ length: concurrency }, worker));
	if (stop) throw asNodeError(context, stop.error, stop.itemIndex);

	const success: INodeExecutionData[] = [];
	const failures: INodeExecutionData[] = [];
	for (const result of results) {
		if ('success' in result) success.push(...result.success);
		else failures.push(result.failure);
	}
	return [success, failures];
}

function unexpectedFailure(error: unknown): TgoFailure {
	if (error instanceof TgoUnexpectedError) {
		return {
			code: error.code,
			message: error.message,
			...(error.httpCode !== undefined ? { httpCode: error.httpCode } : {}),
			description: error.description,
			resolution:
				error.resolution ??
				(error.code === 'NETWORK_ERROR'
					? 'Check that the tenant domain is reachable from n8n, then retry. For sends, check the message logs first: the message may have gone out.'
					: 'Retry later. If it keeps happening, contact TGO support with the time of the failure.'),
			docsUrl: 'https://docs.business.tgo-eg.com/errors',
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	return {
		code: 'API_ERROR',
		message,
		description: 'The node could not process this item.',
		resolution: 'Check the node parameters for this item and run it again.',
		docsUrl: 'https://docs.business.tgo-eg.com/errors',
	};
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const node = context.getNode();
	if (error instanceof TgoUnexpectedError) {
		const response: JsonObject = { message: error.message, description: error.description };
		const apiError = new NodeApiError(node, response, {
			message: error.message,
			description: error.description,
			...(error.httpCode !== undefined ? { httpCode: String(error.httpCode) } : {}),
			itemIndex,
		});
		// NodeApiError swaps a message naming a network code (ECONNRESET…) for n8n's generic
		// "retry the request" text; ours says which TGO call failed, and the description whether a
		// retry could send a message twice.
		apiError.message = error.message;
		return apiError;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}
