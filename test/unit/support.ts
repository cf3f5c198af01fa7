// What the unit properties share: one seed (FC_SEED reproduces a failure), a valid phone number,
// and the INVALID_INPUT failure an input check throws.
import fc from 'fast-check';

import { InvalidInputError } from '../../nodes/shared/errors';

export const SEED = Number(process.env.FC_SEED ?? 20261127);

/** fast-check options: the fixed seed and `numRuns`, sized so each file stays fast. */
export const propertyRuns = (numRuns: number) => ({ seed: SEED, numRuns });

/** A valid E.164 number: + then a non-zero digit then 7–14 more digits. */
export const e164 = fc
	.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 14 }))
	.map(([first, rest]) => `+${first}${rest.join('')}`);

/** The INVALID_INPUT failure `run` throws; any other outcome fails the test. */
export function rejection(run: () => unknown): InvalidInputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidInputError) return error;
		throw error;
	}
	throw new Error('expected an INVALID_INPUT failure');
}
