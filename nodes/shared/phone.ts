import { INPUT_FIELDS } from './descriptions';
import { type InputField, InvalidInputError } from './errors';

/** E.164: a plus, a non-zero country digit, 8–15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;
/** Separators people type in phone numbers; they carry no meaning. */
const SEPARATORS = /[\s\-.()[\]]/g;

/** Validates the Default Country Code option: digits only, as in `20` for Egypt. */
export function parseCountryCode(raw: unknown, field: InputField = INPUT_FIELDS.defaultCountryCode): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const code = String(raw).trim().replace(/^\+/, '');
	if (!/^[1-9]\d{0,2}$/.test(code)) {
		throw new InvalidInputError(field, raw, 'is not a country calling code: use 1–3 digits without a plus, e.g. 20 for Egypt');
	}
	return code;
}

/**
 * Normalises a phone number to E.164 or throws `InvalidInputError` naming the field and value.
 * A national number (trunk prefix 0) is converted only when a default country code is given:
 * the node never guesses a country.
 */
export function normalisePhone(raw: unknown, field: InputField, defaultCountryCode?: string): string {
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new InvalidInputError(field, raw, 'is not a phone number');
	}
	const typed = String(raw);
	let phone = typed.trim().replace(SEPARATORS, '');
	if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
	if (defaultCountryCode && /^0[1-9]\d*$/.test(phone)) {
		phone = `+${defaultCountryCode}${phone.slice(1)}`;
	}

	if (E164.test(phone)) return phone;

	if (phone === '') throw new InvalidInputError(field, typed, 'is empty: a phone number is required');
	if (/^0\d+$/.test(phone)) {
		throw new InvalidInputError(
			field,
			typed,
			'has no country code. Write it as + and the country code, then the number without its leading 0 (e.g. +201001187188), or set Options → Default Country Code (e.g. 20 for Egypt) to convert numbers that start with 0',
		);
	}
	throw new InvalidInputError(
		field,
		typed,
		'is not a phone number in international format: a + and the country code, then the number, 8 to 15 digits in all (e.g. +201001187188)',
	);
}
