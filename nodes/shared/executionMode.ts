import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * How n8n is running this node, as far as the item loop must know: where failures go, and
 * whether an unexpected failure stops the node. See docs in README "On Error and Retry On Fail".
 *
 * - As an AI Agent tool, n8n hands the model only the first output, so every outcome (a failure
 *   too) must be an item there. n8n's own default for tools is to keep going after an error, so
 *   only an explicit "Stop Workflow" makes an unexpected failure stop the agent.
 * - With "On Error: Continue (using error output)", n8n appends its own error output and moves an
 *   item there only when its JSON holds nothing but `error` (it then merges the input item's
 *   fields back in). Failure items are built that way, so every failure lands on that one output.
 */
export interface ExecutionMode {
	asTool: boolean;
	failuresToN8nErrorOutput: boolean;
	routeUnexpectedFailures: boolean;
}

export function executionModeOf(context: IExecuteFunctions): ExecutionMode {
	const node = context.getNode();
	// n8n 2.x runs agent tools as ordinary nodes of type "<name>Tool"; older agents use a
	// supply-data context that answers isToolExecution().
	const asTool = node.type.endsWith('Tool') || context.isToolExecution?.() === true;
	return {
		asTool,
		failuresToN8nErrorOutput: !asTool && node.onError === 'continueErrorOutput',
		routeUnexpectedFailures: asTool ? node.onError !== 'stopWorkflow' : context.continueOnFail(),
	};
}
