import fc from 'fast-check';

import { InvalidInputError } from '../../nodes/shared/errors';
import { normalisePhone, parseCountryCode } from '../../nodes/shared/phone';

const SEED = Number(process.env.FC_SEED ?? 20261127);
const runs = { seed: SEED, numRuns: 500 };

/** A valid E.164 number: + then a non-zero digit then 7–14 more digits. */
const e164 = fc
	.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 14 }))
	.map(([first, rest]) => `+${first}${rest.join('')}`);

/** Inserts the separators people type (spaces, dashes, dots, brackets) between digits. */
function decorate(phone: string, separators: string[]): string {
	const digits = phone.slice(1).split('');
	return `+${digits.map((digit, index) => digit + (separators[index % separators.length] ?? '')).join('')}`;
}

function rejection(run: () => unknown): InvalidInputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidInputError) return error;
		throw error;
	}
	throw new Error('expected an INVALID_INPUT failure');
}

describe('phone numbers', () => {
	it('accepts every valid E.164 number unchanged', () => {
		fc.assert(fc.property(e164, (phone) => normalisePhone(phone, 'toPhone') === phone), runs);
	});

	it('is idempotent: a normalised number normalises to itself', () => {
		const anyInput = fc.oneof(e164, e164.map((p) => `00${p.slice(1)}`), fc.string());
		fc.assert(
			fc.property(anyInput, (input) => {
				let once: string;
				try {
					once = normalisePhone(input, 'toPhone');
				} catch {
					return true;
				}
				return normalisePhone(once, 'toPhone') === once;
			}),
			runs,
		);
	});

	it('removes spaces, dashes, dots and brackets, and turns a leading 00 into +', () => {
		const separators = fc.array(fc.constantFrom('', ' ', '-', '.', '(', ')', '[', ']', '  '), { minLength: 1, maxLength: 6 });
		fc.assert(
			fc.property(e164, separators, fc.boolean(), (phone, seps, useDoubleZero) => {
				let typed = decorate(phone, seps);
				if (useDoubleZero) typed = `00${typed.slice(1)}`;
				return normalisePhone(`  ${typed} `, 'toPhone') === phone;
			}),
			runs,
		);
		expect(normalisePhone('+20 (100) 118-7188', 'toPhone')).toBe('+201001187188');
		expect(normalisePhone('00201001187188', 'toPhone')).toBe('+201001187188');
	});

	it('rejects letters, naming the field and the value', () => {
		fc.assert(
			fc.property(e164, fc.integer({ min: 1, max: 8 }), fc.constantFrom('a', 'x', 'O', 'ب'), (phone, at, letter) => {
				const typed = phone.slice(0, at) + letter + phone.slice(at);
				const error = rejection(() => normalisePhone(typed, 'toPhone'));
				return error.failure.code === 'INVALID_INPUT' && error.message.includes('toPhone') && error.message.includes(typed);
			}),
			runs,
		);
	});

	it('rejects a national number unless a default country code is set, and never guesses a country', () => {
		const error = rejection(() => normalisePhone('01001187188', 'toPhone'));
		expect(error.failure.code).toBe('INVALID_INPUT');
		expect(error.message).toContain('"01001187188"');
		expect(error.message).toMatch(/country code/i);
		expect(error.failure.details).toEqual({ field: 'toPhone', value: '01001187188' });

		expect(normalisePhone('01001187188', 'toPhone', '20')).toBe('+201001187188');
		expect(normalisePhone('010 0118 7188', 'toPhone', '20')).toBe('+201001187188');
		// An international number is kept as typed whatever the default country is.
		expect(normalisePhone('+971501234567', 'toPhone', '20')).toBe('+971501234567');
		// Digits without + or a trunk 0 could belong to any country: refused.
		expect(() => normalisePhone('201001187188', 'toPhone', '20')).toThrow(InvalidInputError);
	});

	it('rejects numbers that are too short or too long for E.164, and empty values', () => {
		expect(() => normalisePhone('+2010011', 'toPhone')).toThrow(/"\+2010011"/);
		expect(() => normalisePhone('+2010011871881234', 'toPhone')).toThrow(InvalidInputError);
		expect(() => normalisePhone('+0201001187188', 'toPhone')).toThrow(InvalidInputError);
		expect(() => normalisePhone('   ', 'toPhone')).toThrow(/toPhone.*empty/);
		expect(() => normalisePhone(undefined, 'toPhone')).toThrow(InvalidInputError);
	});

	it('accepts only digits as the default country code', () => {
		expect(parseCountryCode('20')).toBe('20');
		expect(parseCountryCode('+20')).toBe('20');
		expect(parseCountryCode('')).toBeUndefined();
		expect(() => parseCountryCode('EG')).toThrow(/options\.defaultCountryCode.*"EG"/);
		expect(() => parseCountryCode('0020')).toThrow(InvalidInputError);
	});
});
