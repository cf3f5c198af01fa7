import type { IDataObject } from 'n8n-workflow';

/**
 * Finding the per-sender rows in a usage body. TGO documents usage only as "grouped by sender
 * number" and never shows the shape (docs/tgo-api.md#usage), so the rows are looked for where a
 * Laravel API would put them, and anything else means "no rows": the caller then returns the
 * body whole instead of guessing.
 */

/** A row names its sender by one of these keys (TGO's request fields, plus plain variants). */
const SENDER_KEYS = ['sender_number_id', 'sender_phone', 'sender', 'sender_id', 'sender_number'];

export interface SenderRows {
	rows: IDataObject[];
	/** The `period` the rows cover, from the object that holds them or the body, if it says. */
	period?: unknown;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSenderRowList(value: unknown): value is IDataObject[] {
	return (
		Array.isArray(value) &&
		value.length > 0 &&
		value.every((row) => isObject(row) && SENDER_KEYS.some((key) => key in row))
	);
}

/**
 * Looks, in this order, at `data` when it is a list, at the lists directly in the body
 * (`senders`, `by_sender`…), then at the lists inside a `data` object (`data.senders`). The first
 * non-empty list whose every entry names a sender wins; undefined when there is none.
 */
export function findSenderRows(body: IDataObject): SenderRows | undefined {
	const containers: IDataObject[] = isObject(body.data) ? [body, body.data] : [body];
	if (isSenderRowList(body.data)) return { rows: body.data, period: body.period };
	for (const container of containers) {
		for (const value of Object.values(container)) {
			if (isSenderRowList(value)) return { rows: value, period: container.period ?? body.period };
		}
	}
	return undefined;
}

/**
 * One item per sender row, each carrying the `period` it covers (a row without it cannot be
 * told apart from yesterday's row once written to a sheet); the body as the only item when it
 * has no per-sender rows.
 */
export function usageItems(body: IDataObject, splitBySender: boolean): IDataObject[] {
	const found = splitBySender ? findSenderRows(body) : undefined;
	if (!found) return [body];
	return found.rows.map((row) =>
		found.period === undefined || 'period' in row ? row : { ...row, period: found.period as IDataObject },
	);
}
