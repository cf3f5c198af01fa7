// The TGO sandbox in its own process for the benchmarks, as a real TGO server would be: its CPU
// (parsing, validation, recording) must not be billed to the n8n process being measured. The
// parent drives it over IPC: reset, latency, and the counts it needs to check a run.
//
//   node build/bench/sandboxProcess.js      (started by RemoteSandbox.start(); not run by hand)
import './env';

import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../tools/sandbox/server';

type Command =
	| { id: number; command: 'reset' }
	| { id: number; command: 'setLatency'; ms: number; jitterMs?: number }
	| { id: number; command: 'stats' }
	| { id: number; command: 'close' };

export interface SandboxStats {
	requests: number;
	sent: number;
	maxInFlight: number;
}

interface Ready {
	ready: true;
	credentialDomain: string;
	apiKey: string;
}

/** The parent's handle on a sandbox running in a child process. */
export class RemoteSandbox {
	private nextId = 0;
	private readonly pending = new Map<number, (value: unknown) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly credentialDomain: string,
		readonly apiKey: string,
	) {
		child.on('message', (message: { id?: number; result?: unknown }) => {
			if (message.id !== undefined) {
				this.pending.get(message.id)?.(message.result);
				this.pending.delete(message.id);
			}
		});
	}

	/** `tls`: PEM files of the server's key and certificate, to serve HTTPS instead of HTTP. */
	static async start(tls?: { keyFile: string; certFile: string }): Promise<RemoteSandbox> {
		const args = ['--serve', ...(tls ? ['--tls-key', tls.keyFile, '--tls-cert', tls.certFile] : [])];
		const child = fork(path.join(__dirname, 'sandboxProcess.js'), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
		const ready = await new Promise<Ready>((resolve, reject) => {
			child.once('message', (message: Ready) => resolve(message));
			child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
		});
		return new RemoteSandbox(child, ready.credentialDomain, ready.apiKey);
	}

	private call<T>(command: Record<string, unknown>): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve) => {
			this.pending.set(id, resolve as (value: unknown) => void);
			this.child.send({ ...command, id });
		});
	}

	reset(): Promise<void> {
		return this.call({ command: 'reset' });
	}

	setLatency(ms: number, jitterMs = 0): Promise<void> {
		return this.call({ command: 'setLatency', ms, jitterMs });
	}

	stats(): Promise<SandboxStats> {
		return this.call({ command: 'stats' });
	}

	async close(): Promise<void> {
		await this.call({ command: 'close' });
		this.child.disconnect();
	}
}

async function serve(): Promise<void> {
	const argument = (name: string) => {
		const index = process.argv.indexOf(name);
		return index === -1 ? undefined : process.argv[index + 1];
	};
	const [keyFile, certFile] = [argument('--tls-key'), argument('--tls-cert')];
	const sandbox: Sandbox = await startSandbox(keyFile && certFile ? { tls: { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) } } : {});
	const answer = (id: number, result?: unknown) => process.send?.({ id, result });
	process.on('message', async (message: Command) => {
		switch (message.command) {
			case 'reset':
				sandbox.reset();
				return answer(message.id);
			case 'setLatency':
				sandbox.setLatency(message.ms, message.jitterMs);
				return answer(message.id);
			case 'stats':
				return answer(message.id, { requests: sandbox.requests.length, sent: sandbox.sent.length, maxInFlight: sandbox.maxInFlight });
			case 'close':
				await sandbox.close();
				answer(message.id);
				return process.disconnect?.();
		}
	});
	process.send?.({ ready: true, credentialDomain: sandbox.credentialDomain, apiKey: sandbox.keys.full } satisfies Ready);
}

if (require.main === module && process.argv.includes('--serve')) {
	serve().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
