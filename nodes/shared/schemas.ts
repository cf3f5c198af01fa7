import { z } from 'zod';

import { type AcceptedRequest, unreadableAnswerError } from './errors';

/**
 * The documented response bodies (docs/tgo-api.md). Fields the docs do not promise are optional and
 * nullable; unknown fields pass through untouched, so a TGO release that adds data never breaks a
 * workflow. Only what a node relies on is required.
 */

const id = z.union([z.number(), z.string()]);
const optionalText = z.string().nullable().optional();

export const message = z
	.object({
		id: id.nullable().optional(),
		sender_number_id: id.nullable().optional(),
		recipient_user_id: id.nullable().optional(),
		conversation_id: id.nullable().optional(),
		message_id: id.nullable().optional(),
		message_type: optionalText,
		content: optionalText,
		status: optionalText,
		sent_at: optionalText,
	})
	.passthrough();

export const sendMessageResponse = z.object({ data: message }).passthrough();

export const contactLookup = z
	.object({
		exists: z.boolean().nullable().optional(),
		can_receive: z.boolean(),
		reason_code: optionalText,
		recipient_id: id.nullable().optional(),
		is_verified: z.boolean().nullable().optional(),
		phone_verified_at: optionalText,
	})
	.passthrough();

export const senderNumber = z
	.object({
		id,
		phone: z.string(),
		display_name: optionalText,
		// Open set: the docs list four values and the errors page mentions a fifth.
		status: z.string(),
		verification_status: optionalText,
	})
	.passthrough();

export const senderNumberList = z.object({ data: z.array(senderNumber) }).passthrough();

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * POST /sender-numbers answers with an undocumented body
 * (docs/tgo-api.md#registering-a-sender-number): `{ data: sender }` as the other endpoints wrap
 * theirs, or the bare sender. Either way the sender number comes out.
 */
export const registeredSenderNumber = z.preprocess(
	// A bare sender has its own `phone`; only an envelope is unwrapped.
	(body) => (isJsonObject(body) && isJsonObject(body.data) && !('phone' in body) ? body.data : body),
	senderNumber,
);

/** The usage shape is not documented: any JSON object is accepted as is. */
export const usage = z.record(z.unknown());

/** Message logs: a bare array, a Laravel resource collection, or a bare Laravel paginator. */
export const messageLogPage = z.union([
	z.array(message),
	z
		.object({
			data: z.array(message),
			// A resource collection's `links` is { first, last, prev, next }; a bare paginator's is
			// the list of page buttons ({ url, label, active }[]), which says nothing about "next".
			links: z
				.union([z.object({ next: z.string().nullable().optional() }).passthrough(), z.array(z.unknown())])
				.nullable()
				.optional(),
			meta: z
				.object({
					current_page: z.coerce.number().optional(),
					last_page: z.coerce.number().optional(),
				})
				.passthrough()
				.nullable()
				.optional(),
			current_page: z.coerce.number().optional(),
			last_page: z.coerce.number().optional(),
			next_page_url: z.string().nullable().optional(),
		})
		.passthrough(),
]);

/**
 * GET /me and GET /subscription are documented only by a sibling deployment, and only by their
 * top-level names (docs/tgo-api.md#account-and-subscription): every field is optional. The node
 * relies on the key's `scopes` and `expires_at`; the rest is passed on as TGO answers it.
 */
const jsonObject = z.record(z.unknown());

/**
 * Laravel may wrap a resource in `{ data: … }` (TGO's own API-key answer comes both ways,
 * docs/tgo-api.md#response-envelopes): when none of the expected fields is at the top and `data`
 * is an object, its fields are read as the body's, beside whatever else the envelope holds.
 */
function unwrapDataEnvelope(expected: readonly string[]) {
	return (body: unknown): unknown => {
		if (!isJsonObject(body) || expected.some((field) => field in body) || !isJsonObject(body.data)) return body;
		const { data, ...envelope } = body;
		return { ...envelope, ...data };
	};
}

export const apiKeyDetails = z
	.object({
		scopes: z.array(z.string()).nullable().optional(),
		expires_at: z.string().nullable().optional(),
	})
	.passthrough();

export const accountContext = z.preprocess(
	unwrapDataEnvelope(['user', 'api_key', 'organization']),
	z
		.object({
			user: jsonObject.nullable().optional(),
			api_key: apiKeyDetails.nullable().optional(),
			organization: jsonObject.nullable().optional(),
		})
		.passthrough(),
);

export const subscription = z.preprocess(
	unwrapDataEnvelope(['plan', 'status', 'limits', 'usage_snapshot']),
	z
		.object({
			// The sibling shows an object; a plan code as a plain string is kept too.
			plan: z.union([jsonObject, z.string()]).nullable().optional(),
			status: z.string().nullable().optional(),
			// The sibling shows a list of objects; a map of limit name → value is kept too.
			limits: z.union([z.array(z.unknown()), jsonObject]).nullable().optional(),
			usage_snapshot: jsonObject.nullable().optional(),
		})
		.passthrough(),
);

/**
 * The send answer checked by hand, for the one schema read once per message sent: zod's parse
 * costs tens of microseconds a call, a measurable share of a send (`npm run bench`). It accepts
 * a plain object whose `data` is a plain object with every documented field of `message`
 * absent, null or of its type, which `sendMessageResponse` accepts too (test/unit/schemas.test.ts
 * checks both agree); anything else, including an own `__proto__` key that zod drops, goes
 * through zod, which decides and words the failure. An accepted body is returned as TGO sent it.
 */
const MESSAGE_ID_FIELDS = ['id', 'sender_number_id', 'recipient_user_id', 'conversation_id', 'message_id'] as const;
const MESSAGE_TEXT_FIELDS = ['message_type', 'content', 'status', 'sent_at'] as const;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const prototype = Object.getPrototypeOf(value);
	return (prototype === Object.prototype || prototype === null) && !Object.prototype.hasOwnProperty.call(value, '__proto__');
}

export function isSendMessageResponse(body: unknown): body is z.output<typeof sendMessageResponse> {
	if (!isPlainRecord(body) || !isPlainRecord(body.data)) return false;
	const data = body.data;
	return (
		MESSAGE_ID_FIELDS.every((field) => {
			const value = data[field];
			return value === undefined || value === null || typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value));
		}) &&
		MESSAGE_TEXT_FIELDS.every((field) => {
			const value = data[field];
			return value === undefined || value === null || typeof value === 'string';
		})
	);
}

const quickChecks = new Map<z.ZodTypeAny, (body: unknown) => boolean>([[sendMessageResponse, isSendMessageResponse]]);

/**
 * A 2xx body read through its schema (`what` names it in the failure: "the sent message"). One
 * `safeParse` per response, or its hand-written twin when it has one; an undocumented shape is an
 * API_ERROR, never a crash.
 */
export function expectBody<Schema extends z.ZodTypeAny>(
	schema: Schema,
	body: unknown,
	what: string,
	request: AcceptedRequest = {},
): z.output<Schema> {
	if (quickChecks.get(schema)?.(body)) return body as z.output<Schema>;
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data;
	throw unreadableAnswerError(what, parsed.error.issues[0], body, request);
}

export type Message = z.infer<typeof message>;
export type ContactLookup = z.infer<typeof contactLookup>;
export type SenderNumber = z.infer<typeof senderNumber>;
export type MessageLogPage = z.infer<typeof messageLogPage>;
export type AccountContext = z.infer<typeof accountContext>;
export type Subscription = z.infer<typeof subscription>;
