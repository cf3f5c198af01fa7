// Process set-up that must happen before n8n-core is first required: import this module first.
//
// 1. n8n-core's InstanceSettings writes `<N8N_USER_FOLDER>/.n8n/config` (an encryption key) the
//    first time anything asks for it, so the folder must point somewhere disposable.
// 2. n8n-core logs through two doors: `LoggerProxy` from n8n-workflow (nodes, WorkflowExecute) and
//    the DI-managed `Logger` from @n8n/backend-common (loaders, services). The real Logger prints
//    to the console and re-points LoggerProxy at itself when constructed, so we register one
//    capturing logger behind both doors before n8n-core constructs anything.
//
// n8n-core 2.41 ships its own nested copies of @n8n/di and @n8n/backend-common, different
// versions from the ones hoisted to node_modules/@n8n. Importing '@n8n/di' from here would give
// a second, empty Container that n8n-core never reads, so both are resolved from n8n-core's
// own folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LoggerProxy } from 'n8n-workflow';
import type { Logger as WorkflowLogger, LogMetadata } from 'n8n-workflow';

if (!process.env.N8N_USER_FOLDER) {
	// Jest gives each test file its own process.env and module registry, so each file gets its
	// own folder, removed when the file is done (or the process exits, outside jest).
	const userFolder = mkdtempSync(path.join(tmpdir(), 'tgo-harness-n8n-'));
	process.env.N8N_USER_FOLDER = userFolder;
	const removeUserFolder = () => rmSync(userFolder, { recursive: true, force: true });
	if (typeof afterAll === 'function') afterAll(removeUserFolder);
	else process.once('exit', removeUserFolder);
}

const n8nCoreDir = path.dirname(require.resolve('n8n-core/package.json'));

/** Requires a module the way n8n-core itself resolves it (its nested copy when it has one). */
export function requireAsN8nCore<T>(moduleId: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(moduleId, { paths: [n8nCoreDir] })) as T;
}

interface DiContainer {
	get<T>(type: abstract new (...args: never[]) => T): T;
	set<T>(type: abstract new (...args: never[]) => T, instance: T): void;
}
export const Container = requireAsN8nCore<{ Container: DiContainer }>('@n8n/di').Container;
const { Logger: BackendLogger } = requireAsN8nCore<{
	Logger: abstract new (...args: never[]) => object;
}>('@n8n/backend-common');

/** Every line n8n-core and n8n-workflow logged in this process, oldest first. */
export const capturedLogs: string[] = [];

function serialize(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, function (_key, current: unknown) {
		if (typeof current === 'bigint') return current.toString();
		if (typeof current === 'function') return undefined;
		if (Buffer.isBuffer(current)) return `[Buffer ${current.length} bytes]`;
		if (current !== null && typeof current === 'object') {
			if (seen.has(current)) return '[Circular]';
			seen.add(current);
			// Error fields are not enumerable; keep everything a real log sink could print.
			if (current instanceof Error) {
				return { ...current, name: current.name, message: current.message, stack: current.stack };
			}
		}
		return current;
	});
}

class CapturingLogger implements WorkflowLogger {
	constructor(private readonly scopes: string[] = []) {}

	private write(level: string, message: string, metadata?: LogMetadata) {
		const scope = this.scopes.length ? ` (${this.scopes.join(',')})` : '';
		const meta = metadata && Object.keys(metadata).length ? ` ${serialize(metadata)}` : '';
		capturedLogs.push(`[${level}]${scope} ${message}${meta}`);
	}

	error = (message: string, metadata?: LogMetadata) => this.write('error', message, metadata);
	warn = (message: string, metadata?: LogMetadata) => this.write('warn', message, metadata);
	info = (message: string, metadata?: LogMetadata) => this.write('info', message, metadata);
	debug = (message: string, metadata?: LogMetadata) => this.write('debug', message, metadata);

	scoped(scopes: string | string[]) {
		return new CapturingLogger([...this.scopes, ...(Array.isArray(scopes) ? scopes : [scopes])]);
	}
}

const logger = new CapturingLogger();
Container.set(BackendLogger, logger as unknown as object);
LoggerProxy.init(logger);
