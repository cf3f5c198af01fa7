// n8n's own HTTP Request node, for the benchmark's "same request, n8n's generic way" baseline,
// and n8n's Loop Over Items node, which is how a user makes it send one item at a time.
//
// Where it comes from: the n8n 2.41.1 application that the end-to-end layer provisions
// (tools/provision/n8n.sh, cached outside the clone under
// ${TGO_N8N_CACHE:-$HOME/.cache/n8n-nodes-tgo-business}/n8n-2.41.1). Its node_modules hold
// n8n-nodes-base 2.41.1 with every dependency the node needs, installed for that exact n8n.
//
// Why not a devDependency on n8n-nodes-base: it drags in the dependency tree of ~500 nodes
// (database drivers, cloud SDKs, native modules) into every `npm ci` of this repo, for one bench
// baseline. The provisioned app is already there for the e2e layer, and on a fresh machine the
// provision script installs it (a few minutes, once).
//
// The one trick: the node must run against the SAME n8n-workflow instance as our n8n-core
// (classes such as NodeApiError, the expression engine and NodeHelpers are checked with
// instanceof and shared state). Module._resolveFilename is wrapped so that `require('n8n-workflow')`
// from any file inside the provisioned app's node_modules resolves to this repo's copy (both are
// 2.41.0); every other dependency (lodash, @n8n/utils, cheerio…) still resolves inside the app.
// This is bench code only: nothing in the package or the tests does it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import type { IVersionedNodeType } from 'n8n-workflow';

import { REPO_ROOT } from './env';

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';

/** Runs the provision script (a no-op when the cache is ready) and returns the app's node_modules. */
export function provisionedNodeModules(): string {
	const output = execFileSync('bash', [path.join(REPO_ROOT, 'tools/provision/n8n.sh')], {
		// Progress goes to stderr; stdout (KEY=value lines) is read here, so `--json` output stays clean.
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
		timeout: 30 * 60_000,
	});
	const n8nDir = /^N8N_DIR=(.*)$/m.exec(output)?.[1];
	if (!n8nDir) throw new Error(`tools/provision/n8n.sh printed no N8N_DIR:\n${output}`);
	const nodeModules = path.join(n8nDir, 'app', 'node_modules');
	if (!fs.existsSync(path.join(nodeModules, 'n8n-nodes-base', 'package.json'))) {
		throw new Error(`${nodeModules} has no n8n-nodes-base`);
	}
	return nodeModules;
}

interface ResolvableModule {
	_resolveFilename(request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]): string;
}

export interface N8nBaseNodes {
	/** The versioned HTTP Request node (V1…V3, default 4.x). */
	nodeType: IVersionedNodeType;
	/** Loop Over Items (Split in Batches, V1…V3). */
	loopOverItems: IVersionedNodeType;
	/** n8n-nodes-base's version. */
	version: string;
}

let loaded: N8nBaseNodes | undefined;

/** The HTTP Request and Loop Over Items nodes, their n8n-workflow being ours. */
export function loadHttpRequestNode(nodeModules = provisionedNodeModules()): N8nBaseNodes {
	if (loaded) return loaded;
	const ourWorkflow = require.resolve('n8n-workflow', { paths: [REPO_ROOT] });
	const theirs = JSON.parse(fs.readFileSync(path.join(nodeModules, 'n8n-workflow', 'package.json'), 'utf8')) as { version: string };
	const ours = JSON.parse(fs.readFileSync(path.join(path.dirname(ourWorkflow), '..', '..', 'package.json'), 'utf8')) as { version: string };
	if (theirs.version !== ours.version) {
		console.error(`bench: the app's n8n-workflow is ${theirs.version}, ours ${ours.version}; the HTTP Request node will run on ours`);
	}

	const resolver = Module as unknown as ResolvableModule;
	const resolve = resolver._resolveFilename.bind(resolver);
	const appRoot = nodeModules + path.sep;
	resolver._resolveFilename = (request, parent, ...rest) => {
		if (request === 'n8n-workflow' && parent?.filename?.startsWith(appRoot)) return ourWorkflow;
		return resolve(request, parent, ...rest);
	};

	const basePackage = path.join(nodeModules, 'n8n-nodes-base');
	const { version } = JSON.parse(fs.readFileSync(path.join(basePackage, 'package.json'), 'utf8')) as { version: string };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require(path.join(basePackage, 'dist/nodes/HttpRequest/HttpRequest.node.js')) as {
		HttpRequest: new () => IVersionedNodeType;
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { SplitInBatches } = require(path.join(basePackage, 'dist/nodes/SplitInBatches/SplitInBatches.node.js')) as {
		SplitInBatches: new () => IVersionedNodeType;
	};
	loaded = { nodeType: new HttpRequest(), loopOverItems: new SplitInBatches(), version };
	return loaded;
}
