// Laravel-style validation shared by the routes: the 422 with `errors` per field, in Laravel's
// default wording, and the rules more than one route applies (phones, the sender of a request).
import { E164, type SenderNumberFixture } from '../fixtures';
import type { SandboxState } from '../state';
import { messages, type Reply } from './route';

function attributeName(field: string): string {
	return field.replace(/_/g, ' ');
}

export function present(value: unknown): boolean {
	return value !== undefined && value !== null;
}

/** Laravel's `integer` rule: integers, or strings that are integers. */
export function isIntegerLike(value: unknown): boolean {
	if (typeof value === 'number') return Number.isInteger(value);
	return typeof value === 'string' && /^[+-]?\d+$/.test(value);
}

export class Validation {
	readonly errors: Record<string, string[]> = {};

	add(field: string, message: string): void {
		(this.errors[field] ??= []).push(message);
	}

	required(field: string): void {
		this.add(field, `The ${attributeName(field)} field is required.`);
	}

	get failed(): boolean {
		return Object.keys(this.errors).length > 0;
	}

	reply(): Reply {
		return { status: 422, json: { message: messages.invalidData, errors: this.errors } };
	}
}

/**
 * Laravel-style rules for "exactly one of sender_number_id / sender_phone" shared by the send
 * and (undocumented, mirrored) the lookup. Returns the sender when one was named and exists.
 */
export function senderRules(
	state: SandboxState,
	input: Record<string, unknown>,
	validation: Validation,
	required: boolean,
): SenderNumberFixture | undefined {
	const hasId = present(input.sender_number_id);
	const hasPhone = present(input.sender_phone);
	if (hasId && hasPhone) {
		validation.add(
			'sender_number_id',
			'The sender number id field prohibits sender phone from being present.',
		);
		return undefined;
	}
	if (!hasId && !hasPhone) {
		if (required) {
			validation.add(
				'sender_number_id',
				'The sender number id field is required when sender phone is not present.',
			);
			validation.add(
				'sender_phone',
				'The sender phone field is required when sender number id is not present.',
			);
		}
		return undefined;
	}
	if (hasId) {
		if (!isIntegerLike(input.sender_number_id)) {
			validation.add('sender_number_id', 'The sender number id field must be an integer.');
			return undefined;
		}
		const found = state.findSender({ id: input.sender_number_id });
		if (!found) validation.add('sender_number_id', 'The selected sender number id is invalid.');
		return found;
	}
	if (typeof input.sender_phone !== 'string') {
		validation.add('sender_phone', 'The sender phone field must be a string.');
		return undefined;
	}
	const found = state.findSender({ phone: input.sender_phone });
	if (!found) validation.add('sender_phone', 'The selected sender phone is invalid.');
	return found;
}

/** Undocumented: the docs give no format rule; E.164 ("+" and 8–15 digits) is enforced here. */
export function phoneRule(input: Record<string, unknown>, field: string, validation: Validation): void {
	const value = input[field];
	if (!present(value)) validation.required(field);
	else if (typeof value !== 'string')
		validation.add(field, `The ${attributeName(field)} field must be a string.`);
	else if (!E164.test(value))
		validation.add(field, `The ${attributeName(field)} field format is invalid.`);
}
