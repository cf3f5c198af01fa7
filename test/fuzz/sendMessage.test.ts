// Fuzzing TGO Send Message (and Lookup Contact's phone, Register Sender Number's phone and display
// name) through the real nodes in n8n-core,
// against the sandbox. fast-check generates whole batches: each run is ONE workflow execution of
// 100 items whose every parameter comes from the item by expression, so 12 runs are 1,200 cases.
//
// For every item, whatever it holds:
//   - it ends in Success, or in Error with INVALID_INPUT (the node refused it) or
//     VALIDATION_FAILED (TGO refused it) — never a crash, never another code;
//   - an item the node refused made no request: every POST /messages is matched to its item by
//     recipient (each item's phone is unique in the batch when it is a phone at all), and belongs
//     to an item that ended in Success or VALIDATION_FAILED, once;
//   - what was sent is what the item said: text and caption byte for byte (Unicode, Arabic,
//     emoji, very long), the file's bytes, the duration.
//
// Reproduce a failure with FUZZ_SEED=<seed> npx jest test/fuzz (the seed is in the test name and
// in the failure report, with fast-check's path to the failing run).
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../../tools/harness';
import { senders } from '../../tools/sandbox/fixtures';
import { type RecordedRequest, type Sandbox, startSandbox } from '../../tools/sandbox/server';
import { fuzzOptions, SEED } from './options';

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const ITEMS_PER_RUN = 100;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

// ---------------------------------------------------------------- what an item may hold

type SenderMode = 'list' | 'id' | 'phone';
type CountryCode = '' | '20' | '+20' | 'x9';

/** How the recipient is written. Only the first kinds can ever be a phone, and those are built from the item's unique number. */
type PhoneShape =
	| 'e164'
	| 'spaced'
	| 'dashes-dots-brackets'
	| 'double-zero'
	| 'national'
	| 'as-number'
	| 'too-short'
	| 'too-long'
	| 'letters'
	| 'arabic-indic-digits'
	| 'empty'
	| 'missing'
	| 'random-text';

const ARABIC = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،؟ءآأؤإئ';
const EMOJI = ['😀', '🎉', '👍🏽', '👨‍👩‍👧', '🇪🇬', '❤️', '✅', '📦'];
const arabicText = fc.string({ unit: fc.constantFrom(...ARABIC.split('')), minLength: 1, maxLength: 80 });
const emojiText = fc.string({ unit: fc.constantFrom(...EMOJI), minLength: 1, maxLength: 20 });

const contentArb: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }) },
	{ weight: 3, arbitrary: arabicText },
	{ weight: 2, arbitrary: emojiText },
	// Mixed direction: Arabic with Latin, digits and emoji in one message.
	{ weight: 2, arbitrary: fc.tuple(arabicText, fc.string({ minLength: 1, maxLength: 20 }), emojiText).map((parts) => parts.join(' 123 ')) },
	// Very long: 5,000 to 40,000 characters.
	{ weight: 1, arbitrary: fc.tuple(fc.integer({ min: 5_000, max: 40_000 }), fc.constantFrom('a', 'ب', '😀', 'é ')).map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length))) },
	{ weight: 1, arbitrary: fc.constantFrom('', ' ', '   \n\t ', '\u00a0') },
	{ weight: 1, arbitrary: fc.integer({ min: -1000, max: 1_000_000 }) },
	{ weight: 1, arbitrary: fc.constant(undefined) },
	// A mapping mistake: an object or a list where text belongs.
	{ weight: 1, arbitrary: fc.constantFrom<unknown>({ text: 'Hello' }, ['Hello'], true, null) },
);

const durationArb: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: fc.integer({ min: 1, max: 300 }) },
	{ weight: 2, arbitrary: fc.integer({ min: -50, max: 1000 }) },
	{ weight: 1, arbitrary: fc.double({ min: -10, max: 400, noNaN: true }) },
	{ weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map(String) },
	{ weight: 1, arbitrary: fc.constantFrom('', 'abc', '12s', null, undefined, '1e2', ' 45 ') },
);

const MIME_TYPES = ['image/png', 'image/jpeg', 'audio/ogg', 'audio/mpeg', 'application/pdf', 'application/octet-stream', 'text/plain', ''];

interface BinarySpec {
	/** The file is under the property the node is told to read, under another one, or absent. */
	where: 'named' | 'other' | 'none';
	bytes: number;
	mimeType: string;
	fileName?: string;
}

const binaryArb: fc.Arbitrary<BinarySpec> = fc.record({
	where: mostly<BinarySpec['where']>(['named'], ['other', 'none'], 8),
	bytes: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 4096 }) }, { weight: 1, arbitrary: fc.constant(0) }),
	mimeType: fc.constantFrom(...MIME_TYPES),
	fileName: fc.option(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), arabicText.map((name) => `${name}.pdf`), emojiText.map((name) => `${name}.png`)), { nil: undefined }),
});

interface FuzzItem {
	phoneShape: PhoneShape;
	randomText: string;
	sender: string;
	messageType: string;
	content: unknown;
	duration: unknown;
	binaryProperty: string;
	binary: BinarySpec;
}

/** Per mode: senders that can send, well-formed values naming no sender (TGO answers 422), and malformed values. */
const SENDER_VALUES: Record<SenderMode, { active: string[]; unknown: string[]; malformed: string[] }> = {
	list: {
		active: [String(senders.active.id), String(senders.activeSecond.id), ` ${senders.activeSecond.id} `],
		unknown: ['999', '99999999999999999999'],
		malformed: ['0', '-1', 'abc', '1.5', '', '١'],
	},
	id: {
		active: [String(senders.active.id), String(senders.activeSecond.id), ` ${senders.active.id}`],
		unknown: ['424242', '31337'],
		malformed: ['0', '-2', 'one', '2.0', '', '٢', '1e3'],
	},
	phone: {
		active: [senders.active.phone, ' +20 100 118 7189 ', `00${senders.active.phone.slice(1)}`],
		unknown: ['+201099999998', '+4915112345678'],
		// '01001187188' is national: valid only with the Default Country Code 20.
		malformed: ['01001187188', '+20', 'sender', '', '+2O1001187188'],
	},
};

/** Mostly `usual`, sometimes `unusual`: each field is wrong often enough to be tested, rarely enough that items still get through. */
function mostly<T>(usual: T[], unusual: T[], usualWeight = 6): fc.Arbitrary<T> {
	return fc.oneof({ weight: usualWeight, arbitrary: fc.constantFrom(...usual) }, { weight: 1, arbitrary: fc.constantFrom(...unusual) });
}

function itemArb(mode: SenderMode): fc.Arbitrary<FuzzItem> {
	const { active, unknown, malformed } = SENDER_VALUES[mode];
	return fc.record({
		phoneShape: mostly<PhoneShape>(
			['e164', 'e164', 'spaced', 'dashes-dots-brackets', 'double-zero', 'national', 'as-number'],
			['too-short', 'too-long', 'letters', 'arabic-indic-digits', 'empty', 'missing', 'random-text'],
			3,
		),
		// Text with at least one letter can never become E.164.
		randomText: fc.string({ minLength: 1, maxLength: 20 }).map((text) => `${text}x`),
		sender: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...active) }, { weight: 1, arbitrary: fc.constantFrom(...unknown) }, { weight: 1, arbitrary: fc.constantFrom(...malformed) }),
		messageType: mostly(['text', 'text', 'text', 'image', 'voice', 'document'], ['video', 'TEXT', '', 'sticker'], 8),
		content: contentArb,
		duration: durationArb,
		binaryProperty: mostly(['data', 'data', 'file', ' data '], ['']),
		binary: binaryArb,
	});
}

const batchArb = fc.record({
	senderMode: fc.constantFrom<SenderMode>('list', 'id', 'phone'),
	countryCode: fc.constantFrom<CountryCode>('', '', '20', '20', '20', '+20', 'x9'),
	concurrency: fc.constantFrom(1, 4, 8),
}).chain((batch) => fc.record({
	...Object.fromEntries(Object.entries(batch).map(([key, value]) => [key, fc.constant(value)])),
	items: fc.array(itemArb(batch.senderMode), { minLength: ITEMS_PER_RUN, maxLength: ITEMS_PER_RUN }),
}) as fc.Arbitrary<typeof batch & { items: FuzzItem[] }>);

// ---------------------------------------------------------------- from generated to n8n items

/** The item's own E.164 number, unique in the batch: +20 16 IIIII 77. */
function uniquePhone(index: number): { e164: string; national: string } {
	const nationalSignificant = `16${String(index).padStart(5, '0')}77`;
	return { e164: `+20${nationalSignificant}`, national: `0${nationalSignificant}` };
}

function phoneInput(shape: PhoneShape, index: number, randomText: string): unknown {
	const { e164, national } = uniquePhone(index);
	const digits = e164.slice(1);
	switch (shape) {
		case 'e164': return e164;
		case 'spaced': return ` +${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)} `;
		case 'dashes-dots-brackets': return `+${digits.slice(0, 2)} (${digits.slice(2, 5)}) ${digits.slice(5, 8)}-${digits.slice(8)}.`;
		case 'double-zero': return `00${digits}`;
		case 'national': return national;
		case 'as-number': return Number(digits);
		case 'too-short': return `+${digits.slice(0, 6)}`;
		case 'too-long': return `+${digits}${digits}`;
		case 'letters': return `+20 1O${digits.slice(4)}`;
		case 'arabic-indic-digits': return `+${[...digits].map((digit) => String.fromCharCode(0x0660 + Number(digit))).join('')}`;
		case 'empty': return '';
		case 'missing': return undefined;
		case 'random-text': return randomText;
	}
}

function toN8nItem(item: FuzzItem, index: number): INodeExecutionData {
	const json: IDataObject = {
		index,
		to: phoneInput(item.phoneShape, index, item.randomText) as IDataObject[string],
		sender: item.sender,
		type: item.messageType,
		content: item.content as IDataObject[string],
		duration: item.duration as IDataObject[string],
		binaryProperty: item.binaryProperty,
	};
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	if (item.binary.where === 'none') return { json };
	const property = item.binary.where === 'named' ? item.binaryProperty.trim() || 'data' : 'attachment';
	const bytes = Buffer.alloc(item.binary.bytes, index % 251);
	return {
		json,
		binary: {
			[property]: {
				data: bytes.toString('base64'),
				mimeType: item.binary.mimeType,
				...(item.binary.fileName !== undefined ? { fileName: item.binary.fileName } : {}),
			},
		},
	};
}

// ---------------------------------------------------------------- checking one execution

const ALLOWED_ERROR_CODES = ['INVALID_INPUT', 'VALIDATION_FAILED'];

function field(request: RecordedRequest, name: string): unknown {
	return request.contentType === 'multipart/form-data' ? request.fields?.[name] : (request.json as IDataObject | undefined)?.[name];
}

/** Everything wrong with one execution, as readable lines naming the item. */
function violations(batch: { items: FuzzItem[] }, inputs: INodeExecutionData[], result: Awaited<ReturnType<typeof runNode>>, posts: RecordedRequest[]): string[] {
	const problems: string[] = [];
	const describe = (index: number) => `item ${index} ${JSON.stringify({ ...inputs[index].json, content: String(inputs[index].json.content).slice(0, 40) })}`;
	if (result.thrown) return [`the node stopped: ${result.thrown.message} (item ${String((result.thrown as { context?: IDataObject }).context?.itemIndex)})`];

	// Every item exactly once, in order within each output.
	const fate = new Map<number, { ok: true } | { code: string; message: string }>();
	for (const item of result.success) {
		const index = (item.pairedItem as { item: number }).item;
		if (fate.has(index)) problems.push(`${describe(index)} came out twice`);
		fate.set(index, { ok: true });
	}
	for (const item of result.error) {
		const index = (item.pairedItem as { item: number }).item;
		const error = item.json.error as IDataObject;
		if (fate.has(index)) problems.push(`${describe(index)} came out twice`);
		fate.set(index, { code: String(error?.code), message: String(error?.message) });
		if (!ALLOWED_ERROR_CODES.includes(String(error?.code))) problems.push(`${describe(index)} failed with ${String(error?.code)}: ${String(error?.message)}`);
		if (item.json.index !== index) problems.push(`${describe(index)}: the Error item lost its input fields`);
	}
	for (let index = 0; index < inputs.length; index++) if (!fate.has(index)) problems.push(`${describe(index)} is missing from both outputs`);
	for (const output of [result.success, result.error]) {
		const order = output.map((item) => (item.pairedItem as { item: number }).item);
		if (order.some((index, position) => position > 0 && index <= order[position - 1])) problems.push('an output is out of input order');
	}

	// Requests ↔ items, by the unique recipient.
	const indexByPhone = new Map(inputs.map((_, index) => [uniquePhone(index).e164, index]));
	const postsByItem = new Map<number, RecordedRequest[]>();
	for (const post of posts) {
		const index = indexByPhone.get(String(field(post, 'to_phone')));
		if (index === undefined) {
			problems.push(`a POST for a recipient no item has: ${JSON.stringify(field(post, 'to_phone'))}`);
			continue;
		}
		postsByItem.set(index, [...(postsByItem.get(index) ?? []), post]);
	}
	for (const [index, outcome] of fate) {
		const itemPosts = postsByItem.get(index) ?? [];
		const requested = 'ok' in outcome || outcome.code === 'VALIDATION_FAILED';
		if (!requested && itemPosts.length > 0) problems.push(`${describe(index)} was judged ${'code' in outcome ? outcome.code : ''} yet a request was made for it`);
		if (requested && itemPosts.length !== 1) problems.push(`${describe(index)} ended ${'ok' in outcome ? 'in Success' : 'VALIDATION_FAILED'} after ${itemPosts.length} requests`);
		if (itemPosts.length !== 1 || !('ok' in outcome)) continue;

		// What was sent is what the item said.
		const [post] = itemPosts;
		const item = batch.items[index];
		const type = field(post, 'type');
		if (type !== item.messageType) problems.push(`${describe(index)} was sent as type ${String(type)}`);
		const content = item.content;
		const sentContent = field(post, 'content');
		const hasText = (typeof content === 'string' || typeof content === 'number') && String(content).trim() !== '';
		// multipart/form-data turns every line break in a field into CRLF (WHATWG form encoding).
		const asSent = (text: string) => (type === 'text' ? text : text.replace(/\r\n|\r|\n/g, '\r\n'));
		if (hasText ? sentContent !== asSent(String(content)) : sentContent !== undefined) {
			problems.push(`${describe(index)}: content sent as ${JSON.stringify(String(sentContent).slice(0, 60))} (${String(sentContent).length} chars, expected ${String(content ?? '').length})`);
		}
		if (type !== 'text') {
			const [file] = post.files ?? [];
			const expected = Buffer.alloc(item.binary.bytes, index % 251);
			if (!file || file.field !== 'media' || !file.data.equals(expected)) problems.push(`${describe(index)}: the file did not arrive intact`);
			if (!file?.filename) problems.push(`${describe(index)}: the file was sent without a name`);
		}
		if (type === 'voice' && Number(field(post, 'duration')) !== Number(String(item.duration).trim())) {
			problems.push(`${describe(index)}: duration sent as ${String(field(post, 'duration'))}`);
		}
	}
	return problems;
}

// ---------------------------------------------------------------- the properties

let casesRun = 0;
const outcomes = new Map<string, number>();

test(`Send Message: ${RUNS} executions × ${ITEMS_PER_RUN} random items end in Success, INVALID_INPUT or VALIDATION_FAILED, and no refused item is sent (seed ${SEED})`, async () => {
	await fc.assert(
		fc.asyncProperty(batchArb, async (batch) => {
			sandbox.reset();
			const inputs = batch.items.map(toN8nItem);
			const result = await runNode({
				type: 'tgoSendMessage',
				parameters: {
					sender: { __rl: true, mode: batch.senderMode, value: '={{ $json.sender }}' },
					toPhone: '={{ $json.to }}',
					messageType: '={{ $json.type }}',
					content: '={{ $json.content }}',
					duration: '={{ $json.duration }}',
					binaryPropertyName: '={{ $json.binaryProperty }}',
					options: { concurrency: batch.concurrency, ...(batch.countryCode ? { defaultCountryCode: batch.countryCode } : {}) },
				},
				items: inputs,
				credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
			});
			casesRun += inputs.length;
			outcomes.set('Success', (outcomes.get('Success') ?? 0) + result.success.length);
			for (const item of result.error) {
				const error = item.json.error as IDataObject;
				const field = (error?.details as IDataObject | undefined)?.field;
				const key = `${String(error?.code)}${typeof field === 'string' ? ` ${field}` : ''}`;
				outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
			}
			const problems = violations(batch, inputs, result, sandbox.requestsTo('POST', '/messages'));
			if (problems.length > 0) {
				throw new Error(`${problems.length} problem(s) with sender mode ${batch.senderMode}, country code "${batch.countryCode}", concurrency ${batch.concurrency}:\n${problems.slice(0, 10).join('\n')}`);
			}
		}),
		fuzzOptions(RUNS) as fc.Parameters<[typeof batchArb extends fc.Arbitrary<infer T> ? T : never]>,
	);

	const count = (prefix: string) => [...outcomes].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
	console.log(`fuzz (seed ${SEED}): ${casesRun} Send Message items: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
	expect(casesRun).toBeGreaterThanOrEqual(1000);
	// The generators reach every outcome and every kind of refusal, so the property is not vacuous.
	expect(count('Success')).toBeGreaterThan(200);
	expect(count('VALIDATION_FAILED')).toBeGreaterThan(10);
	for (const field of ['toPhone', 'sender', 'messageType', 'content', 'duration', 'binaryPropertyName']) {
		expect(count(`INVALID_INPUT ${field}`)).toBeGreaterThan(5);
	}
}, 180_000);

test(`Lookup Contact: random phones end in Success, INVALID_INPUT or VALIDATION_FAILED, and only valid ones are looked up (seed ${SEED})`, async () => {
	let looked = 0;
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom<CountryCode>('', '20'),
			fc.array(fc.tuple(fc.constantFrom<PhoneShape>('e164', 'spaced', 'dashes-dots-brackets', 'double-zero', 'national', 'as-number', 'too-short', 'too-long', 'letters', 'arabic-indic-digits', 'empty', 'missing', 'random-text'), fc.string({ minLength: 1, maxLength: 12 }).map((text) => `${text}x`)), { minLength: ITEMS_PER_RUN, maxLength: ITEMS_PER_RUN }),
			async (countryCode, shapes) => {
				sandbox.reset();
				const inputs = shapes.map(([shape, text], index) => ({ index, phone: phoneInput(shape, index, text) as IDataObject[string] }));
				const result = await runNode({
					type: 'tgoLookupContact',
					parameters: { phone: '={{ $json.phone }}', options: { concurrency: 4, ...(countryCode ? { defaultCountryCode: countryCode } : {}) } },
					items: inputs,
					credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
				});
				looked += inputs.length;
				if (result.thrown) throw new Error(`the node stopped: ${result.thrown.message}`);
				expect(result.success.length + result.error.length).toBe(inputs.length);
				for (const item of result.error) expect(ALLOWED_ERROR_CODES).toContain((item.json.error as IDataObject).code);
				// The sandbox decodes an unencoded '+' in a query as a space, as PHP does.
				const lookedUp = sandbox.requestsTo('GET', '/contacts/lookup').map((request) => request.query.phone.replace(/^ /, '+'));
				const expected = result.success.map((item) => uniquePhone((item.pairedItem as { item: number }).item).e164);
				expect(lookedUp.sort()).toEqual(expected.sort());
			},
		),
		fuzzOptions(10) as fc.Parameters<[CountryCode, [PhoneShape, string][]]>,
	);
	expect(looked).toBeGreaterThanOrEqual(1000);
}, 120_000);

test(`Register Sender Number: random phones and display names end in Success, INVALID_INPUT or VALIDATION_FAILED; each valid item is registered once, as written (seed ${SEED})`, async () => {
	let registered = 0;
	const outcomes = new Map<string, number>();
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom<CountryCode>('', '20', '+20'),
			fc.array(fc.tuple(fc.constantFrom<PhoneShape>('e164', 'spaced', 'dashes-dots-brackets', 'double-zero', 'national', 'as-number', 'too-short', 'too-long', 'letters', 'arabic-indic-digits', 'empty', 'missing', 'random-text'), fc.string({ minLength: 1, maxLength: 12 }).map((text) => `${text}x`), contentArb), { minLength: ITEMS_PER_RUN, maxLength: ITEMS_PER_RUN }),
			async (countryCode, generated) => {
				sandbox.reset();
				const inputs = generated.map(([shape, text, displayName], index) => {
					const json: IDataObject = { index, phone: phoneInput(shape, index, text) as IDataObject[string], displayName: displayName as IDataObject[string] };
					for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
					return json;
				});
				const result = await runNode({
					type: 'tgoRegisterSenderNumber',
					parameters: { phone: '={{ $json.phone }}', displayName: '={{ $json.displayName }}', options: countryCode ? { defaultCountryCode: countryCode } : {} },
					items: inputs,
					credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
				});
				registered += inputs.length;
				if (result.thrown) throw new Error(`the node stopped: ${result.thrown.message}`);

				// Every item once, in input order within each output.
				const paired = (items: INodeExecutionData[]) => items.map((item) => (item.pairedItem as { item: number }).item);
				expect([...paired(result.success), ...paired(result.error)].sort((a, b) => a - b)).toEqual(inputs.map((_, index) => index));
				for (const output of [result.success, result.error]) expect(paired(output)).toEqual([...paired(output)].sort((a, b) => a - b));

				// Requests ↔ items by the item's unique phone: one per item that TGO answered, none for a refused item.
				const posts = sandbox.requestsTo('POST', '/sender-numbers');
				const postFor = new Map(posts.map((post) => [String((post.json as IDataObject).phone), post]));
				expect(postFor.size).toBe(posts.length);
				const expectedDisplayName = (index: number) => {
					const value = inputs[index].displayName;
					return (typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '' ? String(value).trim() : undefined;
				};
				for (const item of result.success) {
					const index = (item.pairedItem as { item: number }).item;
					const sent = postFor.get(uniquePhone(index).e164)?.json as IDataObject | undefined;
					expect(sent).toEqual({ phone: uniquePhone(index).e164, ...(expectedDisplayName(index) !== undefined ? { display_name: expectedDisplayName(index) } : {}) });
					expect(item.json).toMatchObject({ phone: uniquePhone(index).e164, display_name: expectedDisplayName(index) ?? null, status: 'pending_verification', ready_to_send: false, hint: expect.any(String) });
				}
				for (const item of result.error) {
					const index = (item.pairedItem as { item: number }).item;
					const error = item.json.error as IDataObject;
					const field = (error.details as IDataObject | undefined)?.field;
					const key = `${String(error.code)}${typeof field === 'string' ? ` ${field}` : ''}`;
					outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
					expect(item.json.index).toBe(index);
					expect(ALLOWED_ERROR_CODES).toContain(error.code);
					if (error.code === 'INVALID_INPUT') expect(postFor.has(uniquePhone(index).e164)).toBe(false);
					// TGO refuses only a display name longer than 255 characters here: every phone is new and on TGO Connect.
					else expect(expectedDisplayName(index)?.length).toBeGreaterThan(255);
				}
				outcomes.set('Success', (outcomes.get('Success') ?? 0) + result.success.length);
				const refusedByTgo = result.error.filter((item) => (item.json.error as IDataObject).code === 'VALIDATION_FAILED');
				expect(posts.length).toBe(result.success.length + refusedByTgo.length);
				expect(sandbox.registered.map((sender) => sender.phone).sort()).toEqual(result.success.map((item) => item.json.phone).sort());
			},
		),
		fuzzOptions(10) as fc.Parameters<[CountryCode, [PhoneShape, string, unknown][]]>,
	);
	console.log(`fuzz (seed ${SEED}): ${registered} Register Sender Number items: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
	expect(registered).toBeGreaterThanOrEqual(1000);
	expect(outcomes.get('Success')).toBeGreaterThan(200);
	expect(outcomes.get('VALIDATION_FAILED')).toBeGreaterThan(5);
	expect(outcomes.get('INVALID_INPUT phone')).toBeGreaterThan(50);
	expect(outcomes.get('INVALID_INPUT displayName')).toBeGreaterThan(5);
}, 120_000);
