/**
 * In-process test harness: runs this package's nodes inside real n8n-core (`WorkflowExecute`
 * over a `Workflow`), loaded from dist/ by n8n-core's own `PackageDirectoryLoader`, against real
 * HTTP servers. Nothing is mocked between a node and the network. Run `npm run build` first.
 *
 *   runNode({ type, parameters, items?, credentials?, continueOnFail?, typeVersion? })
 *     → { success, error, thrown?, runData, logs }
 *     Builds "Harness Input → <node>" and executes it. `type` is the short name
 *     ('tgoSendMessage'); the node type in the workflow is `n8n-nodes-tgo-business.<type>`.
 *     `items` may be full items (`{ json, binary?, pairedItem? }`) or plain objects (→ `{ json }`);
 *     binary as `binary: { data: { data: <base64>, mimeType, fileName } }` is what
 *     `getBinaryDataBuffer(i, 'data')` returns. `credentials: { domain, apiKey }` is the
 *     `tgoBusinessApi` credential of the node; omitted, the node has none. `success` / `error`
 *     are outputs 0 / 1 of the node; `thrown` is the execution's error when the node stopped the
 *     workflow (a NodeApiError, say), in which case both outputs are empty. n8n-core records that
 *     error as a plain-object copy: check `thrown.name`, `thrown.httpCode` (a string),
 *     `thrown.context?.itemIndex`, not `instanceof`.
 *
 *   runWorkflow(workflowJson, { credentials?, startNode? })
 *     → { runData, thrown?, logs, outputsOf(nodeName) }
 *     Executes an importable workflow (e.g. examples/*.json). `credentials` is keyed by the
 *     credential id or name the workflow's nodes reference. Start node: `startNode`, or the first
 *     node without incoming connections. Besides this package's nodes, the workflow may use
 *     `n8n-nodes-base.manualTrigger` (a stand-in that emits one empty item, as the real one does
 *     in a manual run); other n8n-nodes-base types are not available.
 *
 *   listSearch(type, methodName, credentials?, filter?, { paginationToken?, parameters? })
 *   loadOptions(type, methodName, credentials?, parameters?)
 *     Call a node's `methods.listSearch.<name>` / `methods.loadOptions.<name>` with n8n-core's
 *     LoadOptionsContext, as the editor does (e.g. the Send Message sender locator's list mode).
 *
 *   loadedPackage() → Promise<{ packageName, nodeTypes, credentialTypes, loader }>
 *     The package as n8n-core's loader sees it. `nodeTypes` are full names
 *     ('n8n-nodes-tgo-business.tgoGetUsage'), `credentialTypes` bare ('tgoBusinessApi').
 *     Async because the loader's `loadAll()` is.
 *
 *   nodeTypesFor(inputItems?) / additionalDataFor(credentialsHelper, executionId, workflowId, extra?)
 *     The pieces runNode builds an execution from (the package's node types plus the harness
 *     start nodes; the additional data n8n's app gives an execution), for code that assembles
 *     its own workflow, such as the benchmarks. PACKAGE_ROOT is the folder the package loads from.
 *
 *   capturedLogs: string[]
 *     Every line n8n-core / n8n-workflow logged in this test file so far, loader included (all
 *     levels, metadata and errors serialised). Each run's `logs` is the slice written while that
 *     run was in flight, so runs awaited in parallel share lines.
 *
 *   apiKeyLeaks() / scannedCounts()
 *     Every API key given to a credential in this test file, searched for in every run's outputs,
 *     execution errors (with cause and context), list-search results and errors, and log lines.
 *     test/setup/no-api-key-leaks.ts checks it after every test file.
 *
 * A workflow whose nodes have parameter issues (a required parameter left empty) is refused
 * before anything runs: the call rejects with n8n-core's WorkflowHasIssuesError, as in the app.
 *
 * Executions run in mode 'manual' with workflow setting executionOrder 'v1'. Binary data uses
 * n8n's in-memory ('default') mode: binary stays base64 inside the items. The package is the
 * repo root unless TGO_HARNESS_PACKAGE_ROOT names another folder with the same layout.
 */
export { capturedLogs } from './env';
export { loadedPackage, nodeTypesFor, HARNESS_INPUT_TYPE, MANUAL_TRIGGER_TYPE, PACKAGE_ROOT } from './loader';
export type { LoadedPackage } from './loader';
export { runNode, runAsTool, runWorkflow, listSearch, loadOptions, additionalDataFor, savedWorkflowOf } from './run';
export type { NodeRunResult, NodeSettings, TgoCredentialData, ToolRunResult, WorkflowJson, WorkflowRunResult } from './run';
export { HarnessCredentialsHelper } from './credentials';
export { apiKeyLeaks, scannedCounts } from './secrets';
