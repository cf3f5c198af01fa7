/**
 * The input checks of nodes/shared/validation.ts. Each rule lets a valid value through as the
 * node should send it, and turns anything else into INVALID_INPUT naming the field as the editor
 * shows it and the value as typed. The readers that take an item's parameters get a hand-written
 * context with only `getNodeParameter`, answering from a map (the real n8n-core path is in
 * test/integration).
 */
import fc from 'fast-check';
import type { IExecuteFunctions } from 'n8n-workflow';

import { INPUT_FIELDS } from '../../nodes/shared/descriptions';
import type { InputField } from '../../nodes/shared/errors';
import {
	countryCodeOption,
	integerInRange,
	nonBlankText,
	oneOf,
	optionalText,
	phoneParameter,
	requireSender,
	senderSelector,
	timeoutMsOption,
	wholeNumberOf,
} from '../../nodes/shared/validation';
import { e164, propertyRuns, rejection } from './support';

const runs = propertyRuns(300);

/** An item whose parameters are `parameters` (dotted names for collection fields, as n8n reads them). */
function itemWith(parameters: Record<string, unknown>): IExecuteFunctions {
	const getNodeParameter = (name: string, _itemIndex: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback);
	const context: Pick<IExecuteFunctions, 'getNodeParameter'> = { getNodeParameter: getNodeParameter as IExecuteFunctions['getNodeParameter'] };
	return context as IExecuteFunctions;
}

/** The failure names the field by its display name and shows the value as it was given. */
function expectRejected(run: () => unknown, field: InputField, value: unknown) {
	const { failure } = rejection(run);
	expect(failure.code).toBe('INVALID_INPUT');
	expect(failure.message).toContain(field.label);
	expect(failure.message).toContain(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
	expect(failure.details).toMatchObject({ field: field.name });
	if (typeof value === 'string' || typeof value === 'number') expect(failure.details?.value).toBe(value);
	return failure;
}

const anyField = fc.constantFrom(...Object.values(INPUT_FIELDS));
/** Values that are neither text nor a number: objects or lists mapped by mistake, booleans, nothing. */
const notTextOrNumber = fc.oneof(
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.integer(), { maxKeys: 3 }),
	fc.array(fc.integer(), { maxLength: 3 }),
);
const blank = fc.array(fc.constantFrom(' ', '\t', '\n'), { maxLength: 4 }).map((chars) => chars.join(''));
const nonBlank = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => text.trim() !== '');
const spaced = (text: string) => fc.tuple(blank, blank).map(([before, after]) => `${before}${text}${after}`);

// ---------------------------------------------------------------------------------------------

describe('Sender', () => {
	const sender = (locator: unknown) => senderSelector(itemWith({ sender: locator }), 0);

	it('From List and By ID: a positive whole number, spaces around it allowed, is the sender number ID', () => {
		const typedId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).chain((id) =>
			fc.tuple(fc.constant(id), fc.oneof(fc.constant(id), spaced(String(id)), spaced(`00${id}`))),
		);
		fc.assert(
			fc.property(fc.constantFrom('list', 'id'), typedId, (mode, [id, typed]) => {
				expect(sender({ mode, value: typed })).toEqual({ sender_number_id: id });
			}),
			runs,
		);
	});

	it('From List and By ID: anything else is INVALID_INPUT naming the mode and the value', () => {
		const notAnId = fc.oneof(
			nonBlank.filter((text) => !/^[0-9]+$/.test(text.trim())),
			fc.constantFrom('0', '000', '-3', '1.5', '1e3', '+12', '12 34', '0x10', '9007199254740993', '99999999999999999999'),
		);
		fc.assert(
			fc.property(fc.constantFrom('list', 'id'), notAnId, (mode, typed) => {
				const field = mode === 'list' ? INPUT_FIELDS.senderFromList : INPUT_FIELDS.senderById;
				expectRejected(() => sender({ mode, value: typed }), field, typed.trim());
			}),
			runs,
		);
	});

	it('By Phone: a number in international format is the sender phone, in E.164', () => {
		fc.assert(
			fc.property(e164, (phone) => {
				expect(sender({ mode: 'phone', value: phone })).toEqual({ sender_phone: phone });
				expect(sender({ mode: 'phone', value: `${phone.slice(0, 4)} ${phone.slice(4)}` })).toEqual({ sender_phone: phone });
			}),
			runs,
		);
		const withCountry = senderSelector(itemWith({ sender: { mode: 'phone', value: '01001187188' } }), 0, '20');
		expect(withCountry).toEqual({ sender_phone: '+201001187188' });
	});

	it('By Phone: a value that is no phone number is INVALID_INPUT naming "Sender (By Phone)"', () => {
		for (const typed of ['01001187188', 'call me', '+12']) {
			expectRejected(() => sender({ mode: 'phone', value: typed }), INPUT_FIELDS.senderByPhone, typed);
		}
	});

	it('is not set when left empty in any mode, or when the parameter is absent', () => {
		fc.assert(
			fc.property(fc.constantFrom('list', 'id', 'phone'), blank, (mode, value) => {
				expect(sender({ mode, value })).toBeUndefined();
			}),
			runs,
		);
		expect(senderSelector(itemWith({}), 0)).toBeUndefined();
		expect(sender({ mode: 'list', value: null })).toBeUndefined();
	});

	it('reads a plain value (an older workflow or an expression) as an ID', () => {
		expect(sender('12')).toEqual({ sender_number_id: 12 });
		expect(sender(12)).toEqual({ sender_number_id: 12 });
		expectRejected(() => sender('Support'), INPUT_FIELDS.senderById, 'Support');
	});

	it('where a sender is required, an empty one is INVALID_INPUT naming "Sender"; a chosen one passes unchanged', () => {
		expectRejected(() => requireSender(undefined), INPUT_FIELDS.sender, '');
		const chosen = [{ sender_number_id: 3 }, { sender_phone: '+201001187188' }];
		for (const selector of chosen) expect(requireSender(selector)).toBe(selector);
	});
});

describe('phone parameters', () => {
	it.each([['toPhone', INPUT_FIELDS.toPhone] as const, ['phone', INPUT_FIELDS.phone] as const])(
		'%s: an E.164 number passes unchanged; anything else names the field and the value',
		(name, field) => {
			fc.assert(
				fc.property(e164, (phone) => {
					expect(phoneParameter(itemWith({ [name]: phone }), 0, name)).toBe(phone);
				}),
				runs,
			);
			fc.assert(
				fc.property(fc.string({ maxLength: 16 }).filter((text) => (text.match(/\d/g) ?? []).length < 8), (typed) => {
					expectRejected(() => phoneParameter(itemWith({ [name]: typed }), 0, name), field, typed);
				}),
				runs,
			);
			expect(phoneParameter(itemWith({ [name]: '01001187188' }), 0, name, '20')).toBe('+201001187188');
		},
	);
});

describe('Default Country Code', () => {
	const option = (value: unknown) => countryCodeOption(itemWith({ 'options.defaultCountryCode': value }), 0);

	it('is 1 to 3 digits, with or without a plus, as text or a number; unset when empty', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 999 }), (code) => {
				expect(option(String(code))).toBe(String(code));
				expect(option(`+${code}`)).toBe(String(code));
				expect(option(code)).toBe(String(code));
			}),
			runs,
		);
		expect(option('')).toBeUndefined();
		expect(countryCodeOption(itemWith({}), 0)).toBeUndefined();
	});

	it('anything else is INVALID_INPUT naming "Default Country Code" and the value', () => {
		for (const typed of ['0', '020', '1234', 'EG', '+', '2 0']) expectRejected(() => option(typed), INPUT_FIELDS.defaultCountryCode, typed);
	});
});

describe('whole numbers (as an option or an expression gives them)', () => {
	it('a whole number, or one written as text, is that number', () => {
		fc.assert(
			fc.property(fc.maxSafeInteger(), blank, blank, (n, before, after) => {
				expect(wholeNumberOf(n)).toBe(n);
				expect(wholeNumberOf(`${before}${n}${after}`)).toBe(n);
			}),
			runs,
		);
	});

	it('anything else (fractions, words, blank text, other types) is no whole number', () => {
		const fraction = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n));
		const words = fc.string({ maxLength: 10 }).filter((text) => text.trim() === '' || !Number.isInteger(Number(text)));
		fc.assert(
			fc.property(fc.oneof(fraction, fraction.map(String), words, notTextOrNumber, fc.constantFrom(NaN, Infinity)), (value) => {
				expect(wholeNumberOf(value)).toBeUndefined();
			}),
			runs,
		);
	});

	it('text JavaScript would read as another number is no whole number: hex, binary, exponents, beyond 2^53', () => {
		for (const typed of ['0x10', '0b11', '0o7', '1e2', '2E3', '9007199254740993', 2 ** 53 + 2]) {
			expect(wholeNumberOf(typed)).toBeUndefined();
		}
	});
});

describe('whole numbers within bounds (Duration, Timeout)', () => {
	const bounds = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 5000 })).map(([min, span]) => ({ min, max: min + span }));

	it('a whole number within the bounds passes, as a number or as text', () => {
		fc.assert(
			fc.property(bounds, anyField, fc.double({ min: 0, max: 1, noNaN: true }), ({ min, max }, field, at) => {
				const value = min + Math.round(at * (max - min));
				expect(integerInRange(value, field, min, max)).toBe(value);
				expect(integerInRange(` ${value} `, field, min, max)).toBe(value);
			}),
			runs,
		);
	});

	it('a number outside the bounds, or not whole, is INVALID_INPUT naming the field, the value and the bounds', () => {
		const outside = (min: number, max: number) =>
			fc.oneof(fc.integer({ min: max + 1, max: max + 10_000 }), fc.integer({ min: min - 10_000, max: min - 1 }), fc.double({ min: min - 1, max: max + 1, noNaN: true }).filter((n) => !Number.isInteger(n)));
		fc.assert(
			fc.property(
				bounds.chain(({ min, max }) => fc.record({ min: fc.constant(min), max: fc.constant(max), value: outside(min, max), asText: fc.boolean() })),
				anyField,
				({ min, max, value, asText }, field) => {
					const given = asText ? String(value) : value;
					const failure = expectRejected(() => integerInRange(given, field, min, max), field, given);
					expect(failure.message).toContain(String(min));
					expect(failure.message).toContain(String(max));
				},
			),
			runs,
		);
	});

	it('a value that is no number (blank text, words, booleans, objects, nothing) is INVALID_INPUT naming the field', () => {
		const words = fc.string({ maxLength: 10 }).filter((text) => text.trim() === '' || Number.isNaN(Number(text)));
		fc.assert(
			fc.property(fc.oneof(words, notTextOrNumber), anyField, bounds, (value, field, { min, max }) => {
				expectRejected(() => integerInRange(value, field, min, max), field, value);
			}),
			runs,
		);
	});

	it('Timeout: unset when empty; 1 to 3,600,000 ms passes; anything else names "Timeout"', () => {
		const timeout = (value: unknown) => timeoutMsOption(itemWith({ 'options.timeout': value }), 0);
		for (const unset of ['', undefined, null]) expect(timeout(unset)).toBeUndefined();
		expect(timeoutMsOption(itemWith({}), 0)).toBeUndefined();
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 3_600_000 }), (ms) => expect(timeout(ms)).toBe(ms)),
			runs,
		);
		for (const wrong of [0, -5, 3_600_001, 1.5, 'soon']) expectRejected(() => timeout(wrong), INPUT_FIELDS.timeout, wrong);
	});
});

describe('one of a fixed set (Message Type)', () => {
	const allowedSets = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 5 });

	it('an allowed value passes unchanged', () => {
		fc.assert(
			fc.property(allowedSets.chain((allowed) => fc.tuple(fc.constant(allowed), fc.constantFrom(...allowed))), anyField, ([allowed, value], field) => {
				expect(oneOf(value, allowed, field)).toBe(value);
			}),
			runs,
		);
	});

	it('anything else is INVALID_INPUT naming the field and the value, and listing what is allowed', () => {
		fc.assert(
			fc.property(allowedSets, fc.oneof(fc.string({ maxLength: 8 }), notTextOrNumber, fc.integer()), anyField, (allowed, value, field) => {
				fc.pre(!allowed.includes(value as string));
				const failure = expectRejected(() => oneOf(value, allowed, field), field, value);
				for (const option of allowed) expect(failure.message).toContain(option);
			}),
			runs,
		);
	});
});

describe('text (Caption, Text)', () => {
	it('optional text: unset when blank or absent; text passes unchanged, spaces included; a number becomes its text', () => {
		fc.assert(
			fc.property(nonBlank, anyField, (text, field) => {
				expect(optionalText(text, field)).toBe(text);
				expect(optionalText(` ${text}\n`, field)).toBe(` ${text}\n`);
			}),
			runs,
		);
		fc.assert(fc.property(blank, anyField, (text, field) => expect(optionalText(text, field)).toBeUndefined()), runs);
		fc.assert(fc.property(fc.integer(), anyField, (n, field) => expect(optionalText(n, field)).toBe(String(n))), runs);
		expect(optionalText(undefined, INPUT_FIELDS.caption)).toBeUndefined();
		expect(optionalText(null, INPUT_FIELDS.caption)).toBeUndefined();
	});

	it('optional text: an object, list or boolean mapped by mistake is INVALID_INPUT naming the field', () => {
		const mistaken = notTextOrNumber.filter((value) => value !== null && value !== undefined);
		fc.assert(fc.property(mistaken, anyField, (value, field) => void expectRejected(() => optionalText(value, field), field, value)), runs);
	});

	it('required text: text passes unchanged; a number becomes its text', () => {
		fc.assert(fc.property(nonBlank, anyField, (text, field) => expect(nonBlankText(text, field, 'needs text')).toBe(text)), runs);
		fc.assert(fc.property(fc.integer(), anyField, (n, field) => expect(nonBlankText(n, field, 'needs text')).toBe(String(n))), runs);
	});

	it('required text: blank text, nothing, or what is not text is INVALID_INPUT naming the field, the value and what is missing', () => {
		fc.assert(
			fc.property(fc.oneof(blank, notTextOrNumber), anyField, (value, field) => {
				const failure = expectRejected(() => nonBlankText(value, field, 'a text message needs text'), field, value ?? '');
				expect(failure.message).toContain('a text message needs text');
			}),
			runs,
		);
	});
});
