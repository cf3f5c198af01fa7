// Child processes for the end-to-end layer: every command has a deadline, runs in its own process
// group (n8n starts task-runner children) and is killed with its group when the deadline passes
// or when the test process exits, so a failing test never leaves an n8n behind.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal); // negative pid: the whole process group
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

// Last resort: synchronous SIGKILL of whatever is still running when this process ends, also when
// it is told to stop (Ctrl-C, a CI or `timeout` deadline): Node runs no 'exit' handler for a signal
// nobody handles, which once left a Verdaccio running. The signal is then raised again, so the
// process ends as it would have, unless someone else (jest) handles it.
function killEveryChild(): void {
	for (const child of live) killGroup(child, 'SIGKILL');
}
process.once('exit', killEveryChild);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		killEveryChild();
		if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
	});
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
	ms: number;
}

export interface RunOptions extends Pick<SpawnOptions, 'cwd' | 'env' | 'uid' | 'gid'> {
	timeoutMs: number;
	input?: string;
}

/** Run a command to completion (or its deadline); never rejects for a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			uid: opts.uid,
			gid: opts.gid,
			detached: true,
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		live.add(child);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		// A command that exits without reading its input (EPIPE) must not fail the test: its exit
		// code and output say how it went.
		child.stdin!.on('error', () => {});
		child.stdin!.end(opts.input ?? '');
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGTERM');
			setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
		}, opts.timeoutMs);
		child.on('error', (err) => {
			clearTimeout(timer);
			live.delete(child);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			live.delete(child);
			// Children of the group (runners) may outlive the leader: end them too.
			killGroup(child, 'SIGKILL');
			resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
		});
	});
}

/** Like run(), but throws with the output's tail when the command fails or times out. */
export async function runOk(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
	const r = await run(cmd, args, opts);
	if (r.code !== 0 || r.timedOut) {
		throw new Error(
			`${[cmd, ...args].join(' ')} ${r.timedOut ? `timed out after ${opts.timeoutMs} ms` : `exited ${r.code ?? r.signal}`}\n` +
				`--- stdout (tail)\n${tail(r.stdout)}\n--- stderr (tail)\n${tail(r.stderr)}`,
		);
	}
	return r;
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** A long-running child (a server): output is kept in memory for diagnostics. */
export class Service {
	readonly child: ChildProcess;
	output = '';
	private exited: Promise<void>;

	constructor(cmd: string, args: string[], opts: Pick<SpawnOptions, 'cwd' | 'env' | 'uid' | 'gid'>) {
		this.child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		live.add(this.child);
		const keep = (d: string) => {
			this.output += d;
			if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
		};
		this.child.stdout!.setEncoding('utf8').on('data', keep);
		this.child.stderr!.setEncoding('utf8').on('data', keep);
		this.exited = new Promise((resolve) =>
			this.child.on('close', () => {
				live.delete(this.child);
				resolve();
			}),
		);
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** SIGKILL the whole group at once (a crash, as the kernel's OOM killer would cause); resolves once it is gone. */
	async kill(): Promise<void> {
		killGroup(this.child, 'SIGKILL');
		await this.exited;
	}

	/** SIGTERM the group, SIGKILL after graceMs; resolves once the leader is gone. */
	async stop(graceMs = 10_000): Promise<void> {
		killGroup(this.child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
		killGroup(this.child, 'SIGKILL'); // stragglers in the group
	}
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
