import fc from 'fast-check';

import { expectBody, isSendMessageResponse, sendMessageResponse } from '../../nodes/shared/schemas';

const SEED = Number(process.env.FC_SEED ?? 20261130);
const runs = { seed: SEED, numRuns: 2000 };

const ID_FIELDS = ['id', 'sender_number_id', 'recipient_user_id', 'conversation_id', 'message_id'];
const TEXT_FIELDS = ['message_type', 'content', 'status', 'sent_at'];

/** A JSON value that is often of the right kind for a message field, and often not. */
const fieldValue = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
	{ weight: 3, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 2, arbitrary: fc.constant(null) },
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A message as TGO might send it: some documented fields, maybe of a wrong kind, maybe extra ones. */
const messageLike = fc
	.tuple(
		fc.subarray([...ID_FIELDS, ...TEXT_FIELDS]),
		fc.array(fieldValue, { minLength: 9, maxLength: 9 }),
		fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
	)
	.map(([fields, values, extra]) => ({ ...extra, ...Object.fromEntries(fields.map((field, index) => [field, values[index]])) }));

/** The body around it, or something else entirely. */
const bodyLike = fc.oneof(
	{ weight: 6, arbitrary: fc.tuple(messageLike, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })).map(([data, extra]) => ({ ...extra, data })) },
	{ weight: 1, arbitrary: messageLike },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
	{ weight: 1, arbitrary: fc.array(messageLike, { maxLength: 2 }).map((data) => ({ data })) },
);

describe('the hand-written check of the send answer agrees with its zod schema', () => {
	test('on answers parsed from JSON: it accepts exactly what the schema accepts', () => {
		fc.assert(
			fc.property(bodyLike, (value) => {
				// What a parsed HTTP answer is: the value through JSON and back.
				const body: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
				expect(isSendMessageResponse(body)).toBe(sendMessageResponse.safeParse(body).success);
			}),
			runs,
		);
	});

	test('on any value at all: whatever it accepts, the schema accepts', () => {
		fc.assert(
			fc.property(fc.oneof(bodyLike, fc.anything(), fc.anything().map((data) => ({ data }))), (body) => {
				if (isSendMessageResponse(body)) expect(sendMessageResponse.safeParse(body).success).toBe(true);
			}),
			runs,
		);
	});

	test('a typical answer passes as TGO sent it; a wrong field still fails with the schema\'s words', () => {
		const answer = JSON.parse('{"data":{"id":41,"sender_number_id":1,"recipient_user_id":1234,"conversation_id":9,"message_id":"wamid.1","message_type":"text","content":"Hi","status":"sent","sent_at":"2026-01-01 10:00:00","extra":[1]}}') as unknown;
		expect(expectBody(sendMessageResponse, answer, 'the sent message')).toBe(answer);

		expect(() => expectBody(sendMessageResponse, { data: { id: 41, status: 7 } }, 'the sent message', { acceptedByTgo: true })).toThrow(
			/the sent message in an unexpected shape at "data\.status"/,
		);
	});

	test('an own "__proto__" key is left to zod, which drops it', () => {
		const body = JSON.parse('{"data":{"id":1,"__proto__":{"polluted":true}}}') as unknown;
		expect(isSendMessageResponse(body)).toBe(false);
		const data = expectBody(sendMessageResponse, body, 'the sent message').data;
		expect(Object.prototype.hasOwnProperty.call(data, '__proto__')).toBe(false);
		expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
	});
});
