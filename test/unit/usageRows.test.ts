/**
 * Shaping a usage report into items (nodes/TgoGetUsage/usageRows.ts). TGO documents usage only
 * as "grouped by sender number", so the rows are looked for where a Laravel API puts lists; a
 * report without them is returned whole rather than guessed at.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { findSenderRows, usageItems } from '../../nodes/TgoGetUsage/usageRows';
import { propertyRuns } from './support';

const runs = propertyRuns(250);

const SENDER_KEYS = ['sender_number_id', 'sender_phone', 'sender', 'sender_id', 'sender_number'] as const;

/** Field names a report may use besides the sender keys, `data` and `period`. */
const fieldName = fc
	.stringMatching(/^[a-z][a-z_]{0,11}$/)
	.filter((name) => !(SENDER_KEYS as readonly string[]).includes(name) && name !== 'data' && name !== 'period');

const json = fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<IDataObject[string]>;
const period = fc.oneof(fc.constantFrom('2026-11', 'last_30_days'), fc.record({ from: fc.constant('2026-11-01'), to: fc.constant('2026-11-30') }));

/** One row per sender: a sender key, counts, and maybe other fields and its own period. */
const senderRow: fc.Arbitrary<IDataObject> = fc
	.record(
		{
			senderKey: fc.constantFrom(...SENDER_KEYS),
			sender: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.constantFrom('+201001187188', '+201112223334')),
			messages_count: fc.integer({ min: 0, max: 100_000 }),
			cost: fc.integer({ min: 0, max: 10_000 }),
			extra: fc.dictionary(fieldName, json, { maxKeys: 3 }),
			period,
		},
		{ requiredKeys: ['senderKey', 'sender', 'messages_count', 'cost', 'extra'] },
	)
	.map(({ senderKey, sender, extra, ...rest }) => ({ ...extra, [senderKey]: sender, ...rest }));

/** Values that are no list of sender rows: a reader must pass over them. */
const notSenderRows = fc.oneof(
	json,
	fc.constant([]),
	fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
	fc.array(fc.dictionary(fieldName, json, { maxKeys: 3 }), { minLength: 1, maxLength: 3 }),
	// One row that names no sender spoils the list.
	fc.tuple(senderRow, fc.dictionary(fieldName, json, { maxKeys: 2 })).map(([row, stray]) => [row, stray]),
);
const otherFields = fc.dictionary(fieldName, notSenderRows, { maxKeys: 4 });

type Placement = 'data' | 'top' | 'insideData';

interface Report {
	body: IDataObject;
	rows: IDataObject[];
	/** The period the rows should inherit: the holder's, else the body's. */
	inherited?: unknown;
}

/** A report whose only list of sender rows sits at `placement`, among fields that are not rows. */
const reportWithRows: fc.Arbitrary<Report> = fc
	.record(
		{
			placement: fc.constantFrom<Placement>('data', 'top', 'insideData'),
			rows: fc.array(senderRow, { minLength: 1, maxLength: 8 }),
			rowsKey: fc.constantFrom('senders', 'by_sender', 'rows', 'usage'),
			top: otherFields,
			inner: otherFields,
			bodyPeriod: period,
			innerPeriod: period,
		},
		{ requiredKeys: ['placement', 'rows', 'rowsKey', 'top', 'inner'] },
	)
	.map(({ placement, rows, rowsKey, top, inner, bodyPeriod, innerPeriod }) => {
		const withPeriod = (fields: IDataObject, value: unknown) => (value === undefined ? fields : { ...fields, period: value as IDataObject });
		if (placement === 'data') return { body: withPeriod({ ...top, data: rows }, bodyPeriod), rows, inherited: bodyPeriod };
		if (placement === 'top') {
			const { [rowsKey]: _replaced, ...others } = top;
			return { body: withPeriod({ ...others, [rowsKey]: rows }, bodyPeriod), rows, inherited: bodyPeriod };
		}
		const data = withPeriod({ ...inner, [rowsKey]: rows }, innerPeriod);
		return { body: withPeriod({ ...top, data }, bodyPeriod), rows, inherited: innerPeriod ?? bodyPeriod };
	});

/** A report with no list of sender rows anywhere the reader looks. */
const reportWithoutRows: fc.Arbitrary<IDataObject> = fc
	.tuple(otherFields, fc.option(otherFields, { nil: undefined }), fc.option(period, { nil: undefined }))
	.map(([top, data, bodyPeriod]) => ({
		...top,
		...(data === undefined ? {} : { data }),
		...(bodyPeriod === undefined ? {} : { period: bodyPeriod as IDataObject }),
	}));

const sum = (items: IDataObject[], field: string) => items.reduce((total, item) => total + (item[field] as number), 0);

describe('Split by Sender', () => {
	it('gives one item per sender row, in order, each with every field of its row unchanged', () => {
		fc.assert(
			fc.property(reportWithRows, ({ body, rows }) => {
				const items = usageItems(body, true);
				expect(items).toHaveLength(rows.length);
				items.forEach((item, k) => {
					expect(item).toMatchObject(rows[k]);
					expect(Object.keys(item).filter((key) => !(key in rows[k]))).toEqual(item.period === rows[k].period ? [] : ['period']);
				});
			}),
			runs,
		);
	});

	it('preserves the totals: the counts over the items add up to the counts over the rows', () => {
		fc.assert(
			fc.property(reportWithRows, ({ body, rows }) => {
				const items = usageItems(body, true);
				expect(sum(items, 'messages_count')).toBe(sum(rows, 'messages_count'));
				expect(sum(items, 'cost')).toBe(sum(rows, 'cost'));
			}),
			runs,
		);
	});

	it('gives each item the period it covers: its own, else its list holder\'s, else the report\'s, else none', () => {
		fc.assert(
			fc.property(reportWithRows, ({ body, rows, inherited }) => {
				usageItems(body, true).forEach((item, k) => {
					if ('period' in rows[k]) expect(item.period).toEqual(rows[k].period);
					else if (inherited !== undefined) expect(item.period).toEqual(inherited);
					else expect(item).not.toHaveProperty('period');
				});
			}),
			runs,
		);
	});

	it('returns the report whole, as one item, when it holds no list of sender rows', () => {
		fc.assert(
			fc.property(reportWithoutRows, (body) => {
				expect(findSenderRows(body)).toBeUndefined();
				const items = usageItems(body, true);
				expect(items).toHaveLength(1);
				expect(items[0]).toEqual(body);
			}),
			runs,
		);
	});

	it('never changes the report it reads', () => {
		fc.assert(
			fc.property(fc.oneof(reportWithRows.map((report) => report.body), reportWithoutRows), fc.boolean(), (body, split) => {
				const before = structuredClone(body);
				usageItems(body, split);
				expect(body).toEqual(before);
			}),
			runs,
		);
	});

	it.each(SENDER_KEYS)('counts a row named by "%s" as a sender row', (key) => {
		const body = { data: [{ [key]: 7, messages_count: 3 }] };
		expect(usageItems(body, true)).toEqual([{ [key]: 7, messages_count: 3 }]);
	});

	it('looks at a `data` list first, then the lists in the report, then the lists inside a `data` object', () => {
		const dataList = [{ sender_id: 1 }];
		const topList = [{ sender_id: 2 }];
		const innerList = [{ sender_id: 3 }];
		expect(findSenderRows({ by_sender: topList, data: dataList })?.rows).toBe(dataList);
		expect(findSenderRows({ data: { senders: innerList }, by_sender: topList })?.rows).toBe(topList);
		expect(findSenderRows({ data: { senders: innerList }, totals: { messages: 1 } })?.rows).toBe(innerList);
		// Within one object the first list of rows wins.
		expect(findSenderRows({ senders: topList, by_sender: innerList })?.rows).toBe(topList);
	});
});

describe('without Split by Sender', () => {
	it('returns any report whole, as one item', () => {
		fc.assert(
			fc.property(fc.oneof(reportWithRows.map((report) => report.body), reportWithoutRows), (body) => {
				const items = usageItems(body, false);
				expect(items).toHaveLength(1);
				expect(items[0]).toEqual(body);
			}),
			runs,
		);
	});
});
