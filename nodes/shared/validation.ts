import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { INPUT_FIELDS } from './descriptions';
import { type InputField, InvalidInputError } from './errors';
import { normalisePhone, parseCountryCode } from './phone';

/**
 * Reading and checking an item's parameters before any request is made. Every check throws
 * `InvalidInputError` naming the field and the value, which the item loop routes to Error as
 * INVALID_INPUT, so nothing is sent for an item that fails here.
 */

export type SenderSelector = { sender_number_id: number } | { sender_phone: string };

/** The `sender` locator as exactly one of `sender_number_id` / `sender_phone`; undefined when empty. */
export function senderSelector(
	context: IExecuteFunctions,
	itemIndex: number,
	defaultCountryCode?: string,
): SenderSelector | undefined {
	const locator = context.getNodeParameter('sender', itemIndex, { mode: 'list', value: '' }) as
		| INodeParameterResourceLocator
		| string;
	const { mode, value } =
		typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
	const text = String(value ?? '').trim();
	if (text === '') return undefined;

	if (mode === 'phone') {
		return { sender_phone: normalisePhone(text, INPUT_FIELDS.senderByPhone, defaultCountryCode) };
	}
	// Beyond 2^53 a number no longer holds every digit: TGO would be sent another ID.
	if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
		throw new InvalidInputError(
			mode === 'list' ? INPUT_FIELDS.senderFromList : INPUT_FIELDS.senderById,
			text,
			'is not a sender number ID (a positive whole number)',
		);
	}
	return { sender_number_id: Number(text) };
}

export function requireSender(selector: SenderSelector | undefined): SenderSelector {
	if (!selector) {
		throw new InvalidInputError(INPUT_FIELDS.sender, '', 'is empty: choose the sender number to send from');
	}
	return selector;
}

export function countryCodeOption(context: IExecuteFunctions, itemIndex: number): string | undefined {
	return parseCountryCode(context.getNodeParameter('options.defaultCountryCode', itemIndex, ''));
}

export function phoneParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	name: 'toPhone' | 'phone',
	defaultCountryCode?: string,
): string {
	return normalisePhone(context.getNodeParameter(name, itemIndex, ''), INPUT_FIELDS[name], defaultCountryCode);
}

/**
 * A whole number, or one written in decimal digits as text (an expression's result); undefined for
 * anything else, including text JavaScript would also read as a number ("0x10", "1e2").
 */
export function wholeNumberOf(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

/** A whole number within bounds, as for a voice message's duration. */
export function integerInRange(value: unknown, field: InputField, min: number, max: number, unit = ''): number {
	const number = wholeNumberOf(value);
	if (number === undefined || number < min || number > max) {
		throw new InvalidInputError(field, value, `must be a whole number from ${min} to ${max}${unit}`);
	}
	return number;
}

/** The `options.timeout` of an item in milliseconds; undefined when not set (the transport's default applies). */
export function timeoutMsOption(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const value = context.getNodeParameter('options.timeout', itemIndex, '');
	if (value === '' || value === undefined || value === null) return undefined;
	return integerInRange(value, INPUT_FIELDS.timeout, 1, 3_600_000, ' ms');
}

/** One of a fixed set of values, as an options parameter set by an expression must be. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: InputField): T {
	if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
		throw new InvalidInputError(field, value, `is not one of: ${allowed.join(', ')}`);
	}
	return value as T;
}

/** Optional text, such as a media caption: undefined when blank; a number counts as text, anything else is INVALID_INPUT. */
export function optionalText(value: unknown, field: InputField): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') {
		// An object or list mapped here by mistake would otherwise reach the customer as "[object Object]".
		throw new InvalidInputError(field, value, 'is not text');
	}
	const text = String(value);
	return text.trim() === '' ? undefined : text;
}

/** Text that must not be blank, such as a text message's body. */
export function nonBlankText(value: unknown, field: InputField, what: string): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	if (text.trim() === '') throw new InvalidInputError(field, value ?? '', `is empty: ${what}`);
	return text;
}

/** Whether a parameter as the workflow stores it holds an n8n expression anywhere (`=…`, also inside a collection or locator). */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * `read` for one execution's items, made cheap where it can be: when none of `parameters` holds
 * an expression, n8n gives every item the same value, so the first successful read is kept for
 * the other items; when one does, every item reads its own. A read that throws is not kept: each
 * item then fails on its own, with its own error, as it would reading per item.
 */
export function readOnceUnlessExpression<T>(
	context: IExecuteFunctions,
	parameters: string[],
	read: (itemIndex: number) => T,
): (itemIndex: number) => T {
	const perItem = parameters.some((name) => holdsExpression(context.getNodeParameter(name, 0, null, { rawExpressions: true })));
	if (perItem) return read;
	let kept: { value: T } | undefined;
	return (itemIndex) => {
		kept ??= { value: read(itemIndex) };
		return kept.value;
	};
}
