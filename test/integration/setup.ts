// The set-up every integration file shares: one TGO sandbox on loopback for the file, reset
// between tests (faults, latency, recorded requests and the tenant's data back to the fixtures),
// closed after the last test.
import type { TgoCredentialData } from '../../tools/harness';
import { type Sandbox, startSandbox } from '../../tools/sandbox/server';

export interface SandboxForTests {
	/** The file's sandbox; usable in tests and hooks (it starts in beforeAll). */
	sandbox: Sandbox;
	/** The `tgoBusinessApi` credential a node is given: the full-access key on the sandbox's tenant by default. */
	credentials(apiKey?: string, domain?: string): TgoCredentialData;
}

/**
 * Registers beforeAll (start), beforeEach (reset) and afterAll (close) in the calling file or
 * describe block. Resetting before each test, not after, also puts key expiries back relative
 * to the moment the test starts.
 */
export function useSandbox(): SandboxForTests {
	let started: Sandbox | undefined;
	beforeAll(async () => {
		started = await startSandbox();
	});
	beforeEach(() => current().reset());
	afterAll(async () => {
		await started?.close();
		started = undefined;
	});

	function current(): Sandbox {
		if (!started) throw new Error('useSandbox: the sandbox is used outside a test or hook (it starts in beforeAll).');
		return started;
	}
	// Stands for the sandbox started later, so a file can hold it in a constant from the start.
	const sandbox = new Proxy({} as Sandbox, {
		get(_target, property) {
			const value = Reflect.get(current(), property) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current()) : value;
		},
		set(_target, property, value) {
			return Reflect.set(current(), property, value);
		},
	});
	return {
		sandbox,
		credentials: (apiKey = current().keys.full, domain = current().credentialDomain) => ({ domain, apiKey }),
	};
}
