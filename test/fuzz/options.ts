// What every fuzz test shares: one seed (FUZZ_SEED reproduces a failure) and a failure report
// that says how to replay it.
import type fc from 'fast-check';

export const SEED = Number(process.env.FUZZ_SEED ?? 20_251_127);

/** fast-check options: the fixed seed, and a short report (seed, path, the problems found) instead of a long dump. */
export function fuzzOptions(numRuns: number): fc.Parameters<unknown> {
	return {
		seed: SEED,
		numRuns,
		endOnFailure: true,
		reporter: (details) => {
			if (!details.failed) return;
			const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
			throw new Error(`Fuzz failure. Reproduce with FUZZ_SEED=${details.seed} (fast-check path "${details.counterexamplePath}", run ${details.numRuns}):\n${cause}`);
		},
	};
}
