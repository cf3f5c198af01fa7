import fc from 'fast-check';

import { INPUT_FIELDS } from '../../nodes/shared/descriptions';
import { InvalidInputError } from '../../nodes/shared/errors';
import { normalisePhone, parseCountryCode } from '../../nodes/shared/phone';
import { e164, propertyRuns, rejection } from './support';

const runs = propertyRuns(500);
const TO_PHONE = INPUT_FIELDS.toPhone;

/** Inserts the separators people type (spaces, dashes, dots, brackets) between digits. */
function decorate(phone: string, separators: string[]): string {
	const digits = phone.slice(1).split('');
	return `+${digits.map((digit, index) => digit + (separators[index % separators.length] ?? '')).join('')}`;
}

describe('phone numbers', () => {
	it('accepts every valid E.164 number unchanged', () => {
		fc.assert(fc.property(e164, (phone) => normalisePhone(phone, TO_PHONE) === phone), runs);
	});

	it('is idempotent: a normalised number normalises to itself', () => {
		const anyInput = fc.oneof(e164, e164.map((p) => `00${p.slice(1)}`), fc.string());
		fc.assert(
			fc.property(anyInput, (input) => {
				let once: string;
				try {
					once = normalisePhone(input, TO_PHONE);
				} catch {
					return true;
				}
				return normalisePhone(once, TO_PHONE) === once;
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
				return normalisePhone(`  ${typed} `, TO_PHONE) === phone;
			}),
			runs,
		);
		expect(normalisePhone('+20 (100) 118-7188', TO_PHONE)).toBe('+201001187188');
		expect(normalisePhone('00201001187188', TO_PHONE)).toBe('+201001187188');
	});

	it('rejects letters, naming the field and the value', () => {
		fc.assert(
			fc.property(e164, fc.integer({ min: 1, max: 8 }), fc.constantFrom('a', 'x', 'O', 'ب'), (phone, at, letter) => {
				const typed = phone.slice(0, at) + letter + phone.slice(at);
				const error = rejection(() => normalisePhone(typed, TO_PHONE));
				return error.failure.code === 'INVALID_INPUT' && error.message.startsWith(`To Phone: "${typed}"`) && error.failure.details?.field === 'toPhone';
			}),
			runs,
		);
	});

	it('rejects a national number unless a default country code is set, and never guesses a country', () => {
		const error = rejection(() => normalisePhone('01001187188', TO_PHONE));
		expect(error.failure.code).toBe('INVALID_INPUT');
		expect(error.message).toContain('"01001187188"');
		expect(error.message).toMatch(/^To Phone: "01001187188" has no country code/);
		// It says how to fix it: the international form by example, or the option that converts it.
		expect(error.message).toContain('e.g. +201001187188');
		expect(error.message).toContain('Options → Default Country Code');
		expect(error.failure.resolution).toBe('Correct "To Phone" in the node or in the incoming data, then run the item again.');
		expect(error.failure.details).toEqual({ field: 'toPhone', value: '01001187188' });

		expect(normalisePhone('01001187188', TO_PHONE, '20')).toBe('+201001187188');
		expect(normalisePhone('010 0118 7188', TO_PHONE, '20')).toBe('+201001187188');
		// An international number is kept as typed whatever the default country is.
		expect(normalisePhone('+971501234567', TO_PHONE, '20')).toBe('+971501234567');
		// Digits without + or a trunk 0 could belong to any country: refused.
		expect(() => normalisePhone('201001187188', TO_PHONE, '20')).toThrow(InvalidInputError);
	});

	it('rejects numbers that are too short or too long for E.164, and empty values', () => {
		expect(() => normalisePhone('+2010011', TO_PHONE)).toThrow(
			'To Phone: "+2010011" is not a phone number in international format: a + and the country code, then the number, 8 to 15 digits in all (e.g. +201001187188)',
		);
		expect(() => normalisePhone('+2010011871881234', TO_PHONE)).toThrow(InvalidInputError);
		expect(() => normalisePhone('+0201001187188', TO_PHONE)).toThrow(InvalidInputError);
		expect(() => normalisePhone('   ', TO_PHONE)).toThrow(/^To Phone: " {3}" is empty/);
		expect(() => normalisePhone(undefined, TO_PHONE)).toThrow(InvalidInputError);
	});

	it('accepts only digits as the default country code', () => {
		expect(parseCountryCode('20')).toBe('20');
		expect(parseCountryCode('+20')).toBe('20');
		expect(parseCountryCode('')).toBeUndefined();
		expect(() => parseCountryCode('EG')).toThrow(/^Default Country Code: "EG" is not a country calling code/);
		expect(() => parseCountryCode('0020')).toThrow(InvalidInputError);
	});
});
