// Interleaved rounds of contenders against the sandbox, shared by the benchmark files.
import type { Measured } from './scenarios';
import { median } from './stats';

export type Contenders = Record<string, () => Promise<Measured>>;

/** What `compare` needs of the sandbox: a clean request log and a latency before every run. */
export interface ControllableSandbox {
	reset(): Promise<void>;
	setLatency(ms: number, jitterMs?: number): Promise<void>;
}

/** Every round's figures of each contender, and their medians. */
export interface Compared {
	ms: Record<string, number>;
	cpuUs: Record<string, number>;
	rounds: Record<string, Measured[]>;
}

/**
 * Runs each contender once to warm up, then `rounds` interleaved rounds, the order rotating by
 * one each round (no contender always runs right after the same one). The sandbox is reset
 * before every run (its request log would grow) and given `latency` again.
 */
export async function compare(
	sandbox: ControllableSandbox,
	latency: { ms: number; jitterMs?: number },
	contenders: Contenders,
	rounds: number,
): Promise<Compared> {
	const names = Object.keys(contenders);
	const measured: Record<string, Measured[]> = Object.fromEntries(names.map((name) => [name, []]));
	const fresh = async () => {
		await sandbox.reset();
		await sandbox.setLatency(latency.ms, latency.jitterMs);
	};
	for (const name of names) {
		await fresh();
		await contenders[name]();
	}
	for (let round = 0; round < rounds; round++) {
		for (let slot = 0; slot < names.length; slot++) {
			const name = names[(round + slot) % names.length];
			await fresh();
			measured[name].push(await contenders[name]());
		}
	}
	const medianOf = (pick: (run: Measured) => number) => Object.fromEntries(names.map((name) => [name, median(measured[name].map(pick))]));
	return { ms: medianOf((run) => run.ms), cpuUs: medianOf((run) => run.cpuUs), rounds: measured };
}

/** "1.04× (0.98–1.10 round by round)": the ratio of the medians, and the spread of the per-round ratios. */
export function ratioText(compared: Compared, ours: string, theirs: string, pick: 'ms' | 'cpuUs' = 'ms'): string {
	const perRound = compared.rounds[ours].map((run, round) => run[pick] / compared.rounds[theirs][round][pick]);
	return `${(compared[pick][ours] / compared[pick][theirs]).toFixed(2)}× (${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)} round by round)`;
}
