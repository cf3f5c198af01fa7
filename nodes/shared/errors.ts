import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MAX_RETRY_AFTER_SECONDS, mayHaveActed, neverReachedServer, type RequestOutcome } from './retry';

/**
 * Everything a workflow can see about a failure lives here: the codes
 * (docs/architecture.md#failures-and-the-error-output), the words that explain them, and the one
 * classifier that maps a TGO response onto them.
 */

export type TgoErrorCode =
	| 'SENDER_NOT_ACTIVE'
	| 'ACCOUNT_NOT_VERIFIED'
	| 'MISSING_SCOPE'
	| 'UNAUTHORIZED'
	| 'TENANT_NOT_FOUND'
	| 'VALIDATION_FAILED'
	| 'RECIPIENT_UNREACHABLE'
	| 'INVALID_INPUT'
	| 'RATE_LIMITED'
	| 'ENDPOINT_UNAVAILABLE'
	| 'API_ERROR'
	| 'NETWORK_ERROR';

/** What an Error-output item carries under `error`. */
export interface TgoFailure extends IDataObject {
	code: TgoErrorCode;
	message: string;
	httpCode?: number;
	description: string;
	resolution: string;
	docsUrl: string;
	details?: IDataObject;
}

/** The API operations, named as TGO's scope table names them. */
export type TgoOperation =
	| 'sendMessage'
	| 'lookupContact'
	| 'listSenderNumbers'
	| 'getUsage'
	| 'listMessageLogs'
	| 'getAccount'
	| 'getSubscription'
	| 'registerSenderNumber';

const REQUIRED_SCOPE: Record<TgoOperation, string> = {
	sendMessage: 'messages.send',
	lookupContact: 'contacts.lookup',
	listSenderNumbers: '*',
	getUsage: 'usage.read',
	listMessageLogs: 'messages.read',
	// Registering a sender needs the send scope (docs/tgo-api.md#scopes).
	registerSenderNumber: 'messages.send',
	getAccount: '*',
	getSubscription: '*',
};

// TGO names no scope for these (docs/tgo-api.md#scopes): "*" is the only scope known to be enough.
const SCOPE_UNDOCUMENTED: ReadonlySet<TgoOperation> = new Set(['listSenderNumbers', 'getAccount', 'getSubscription']);

/** The endpoints Get Account reads; either may be missing on a tenant (sibling-documented only). */
const ACCOUNT_ENDPOINTS: Partial<Record<TgoOperation, { endpoint: string; offers: string }>> = {
	getAccount: { endpoint: 'GET /me', offers: 'account details (API key expiry, scopes, organisation)' },
	getSubscription: { endpoint: 'GET /subscription', offers: 'subscription details (plan, limits, usage)' },
};

const DOCS = {
	errors: 'https://docs.business.tgo-eg.com/errors',
	auth: 'https://docs.business.tgo-eg.com/authentication',
	senders: 'https://docs.business.tgo-eg.com/sender-numbers',
	accountVerification: 'https://docs.business.tgo-eg.com/account-verification',
	messaging: 'https://docs.business.tgo-eg.com/messaging',
};

/** A documented failure: the item goes to the Error output with this content. */
export class TgoFailureError extends Error {
	constructor(readonly failure: TgoFailure) {
		super(failure.message);
		this.name = 'TgoFailureError';
	}
}

/**
 * A parameter as a message names it: `label` is what the editor shows ("To Phone",
 * "Sender (By Phone)"), `name` what the workflow JSON holds (`toPhone`, `sender`).
 */
export interface InputField {
	name: string;
	label: string;
}

/** The item's own parameters are wrong; nothing was sent for it. */
export class InvalidInputError extends TgoFailureError {
	constructor(field: InputField, value: unknown, problem: string) {
		const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
		super({
			code: 'INVALID_INPUT',
			message: `${field.label}: ${shown} ${problem}`,
			description: 'The item was checked before sending and this parameter is not valid, so no request was made for it.',
			resolution: `Correct "${field.label}" in the node or in the incoming data, then run the item again.`,
			docsUrl: DOCS.messaging,
			details: { field: field.name, value: typeof value === 'string' || typeof value === 'number' ? value : shown },
		});
	}
}

/**
 * An undocumented failure (5xx after retries, network fault, unexpected body). The node stops
 * with a NodeApiError, or, under "Continue on Fail", routes the item to Error with this code.
 * `resolution` and `details`, when given, are what the Error item should carry.
 */
export class TgoUnexpectedError extends Error {
	/**
	 * True when TGO may have acted on the request although the node could not confirm it (a POST
	 * that timed out or was reset, or a 2xx answer the node could not read). Such an item is never
	 * sent again by the node, not even when n8n's "Retry On Fail" runs it a second time.
	 */
	readonly mayHaveBeenSent: boolean;
	/** What to do, when it depends on the operation; otherwise `unexpectedFailureOf` gives a general one. */
	readonly resolution?: string;
	readonly details?: IDataObject;

	constructor(
		readonly code: 'API_ERROR' | 'NETWORK_ERROR',
		message: string,
		readonly description: string,
		readonly httpCode?: number,
		options: { mayHaveBeenSent?: boolean; resolution?: string; details?: IDataObject } = {},
	) {
		super(message);
		this.name = 'TgoUnexpectedError';
		this.mayHaveBeenSent = options.mayHaveBeenSent ?? false;
		this.resolution = options.resolution;
		this.details = options.details;
	}
}

/** A 2xx whose body is not the documented JSON, after TGO has acted on a request that creates something. */
const ACCEPTED_BUT_UNREADABLE: Partial<Record<TgoOperation, { description: string; resolution: string }>> = {
	registerSenderNumber: {
		description: 'TGO accepted the registration, so the sender number was most likely registered, but its answer could not be read.',
		resolution: 'Run TGO Get Sender Numbers to see the number and its status before registering it again.',
	},
};

/** Where a 2xx answer left its schema first, as zod reports it. */
export interface ShapeIssue {
	path: ReadonlyArray<string | number>;
	message: string;
}

/** A 2xx answer to a POST: TGO acted on it even if the node cannot read the body. */
export interface AcceptedRequest {
	acceptedByTgo?: boolean;
	/** Picks the words that say how to check what TGO did. */
	operation?: TgoOperation;
}

/**
 * The failure for a 2xx answer in a shape the node cannot use (`what`: "the sent message"): a
 * bounded excerpt, never the whole body. When it answered a POST, TGO acted on it: the item is
 * never sent again, and for `operation` the words say how to check what happened.
 */
export function unreadableAnswerError(
	what: string,
	issue: ShapeIssue | undefined,
	body: unknown,
	request: AcceptedRequest = {},
): TgoUnexpectedError {
	const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
	const message = `TGO returned ${what} in an unexpected shape${where}: ${issue?.message ?? 'invalid'}`;
	const accepted = request.acceptedByTgo && request.operation ? ACCEPTED_BUT_UNREADABLE[request.operation] : undefined;
	const excerpt = `Unexpected answer from TGO: ${excerptOf(body)}`;
	return new TgoUnexpectedError('API_ERROR', message, accepted ? `${accepted.description} ${excerpt}` : excerpt, undefined, {
		mayHaveBeenSent: request.acceptedByTgo,
		resolution: accepted?.resolution,
	});
}

/** Codes that say the credential itself is unusable, whatever the item holds. */
export const CREDENTIAL_CODES: ReadonlySet<TgoErrorCode> = new Set([
	'UNAUTHORIZED',
	'TENANT_NOT_FOUND',
	'MISSING_SCOPE',
]);

/** A non-2xx answer from TGO, after the transport's retries. */
export interface TgoHttpFailure {
	operation: TgoOperation;
	status: number;
	body: unknown;
	retryAfterSeconds?: number;
	/** The phone the request was about, named in RECIPIENT_UNREACHABLE. */
	recipient?: string;
}

/** The words of a failure; the classifier adds `code` and `httpCode`. */
export interface FailureExplanation {
	message: string;
	description: string;
	resolution: string;
	docsUrl: string;
	details?: IDataObject;
}

interface FailureRow {
	code: TgoErrorCode;
	matches: (failure: TgoHttpFailure, serverMessage: string) => boolean;
	explain: (failure: TgoHttpFailure, serverMessage: string) => FailureExplanation;
}

// TGO's wording ("The sender number is not active.") and the sibling deployment's ("Sender number
// is not active.") differ only around this fragment.
const SENDER_NOT_ACTIVE = /sender number is not active/i;
// The TGO message is Arabic ("...موثقًا داخل TGO Connect..."); diacritics and punctuation may vary
// between deployments, so match the stable root "موثق" (verified), or the sibling's English text.
const ACCOUNT_NOT_VERIFIED = /موثق|owner must be verified/i;
const RECIPIENT_UNREACHABLE = /recipient.*(cannot|can ?not|can't|unable to) receive|cannot receive messages/i;
const TENANT_NOT_FOUND = /tenant could not be identified/i;

/** What a 422 usually means for an operation, where TGO's own words leave the user guessing. */
const VALIDATION_ADVICE: Partial<Record<TgoOperation, string>> = {
	registerSenderNumber:
		' A phone that is already taken is registered already: TGO Get Sender Numbers lists it with its status. The phone must belong to a TGO Connect account, whose owner receives the OTP.',
};

/** Rows are tried in order: the body first (TGO gives some messages without a status), then the status. */
const FAILURE_TABLE: FailureRow[] = [
	{
		code: 'SENDER_NOT_ACTIVE',
		matches: (_f, message) => SENDER_NOT_ACTIVE.test(message),
		explain: (_f, message) => ({
			message: message || 'The sender number is not active.',
			description:
				'TGO refused the message because the sender number is not active: it is still waiting for OTP, or it was rejected or suspended.',
			resolution:
				'Open TGO Business → Sender numbers and check the number: if it is waiting for OTP, the number owner enters the OTP received in TGO Connect; a rejected number cannot send, so register another one; for a suspended number contact your account administrator. TGO Get Sender Numbers shows which numbers are ready to send.',
			docsUrl: DOCS.senders,
		}),
	},
	{
		code: 'ACCOUNT_NOT_VERIFIED',
		matches: (_f, message) => ACCOUNT_NOT_VERIFIED.test(message),
		explain: (_f, message) => ({
			message,
			description:
				'The sender number passed its OTP check, but its owner\'s account is not verified: the TGO Connect account that owns it must be verified before TGO sends from it.',
			resolution:
				'Ask the number owner to complete account verification inside the TGO Connect app. No new OTP is needed: the sender becomes ready by itself once the account is verified.',
			docsUrl: DOCS.accountVerification,
		}),
	},
	{
		code: 'RECIPIENT_UNREACHABLE',
		matches: (_f, message) => RECIPIENT_UNREACHABLE.test(message),
		explain: (failure) => recipientUnreachable(reasonCodeOf(failure.body), failure.recipient),
	},
	{
		code: 'UNAUTHORIZED',
		matches: (f) => f.status === 401,
		explain: (_f, message) => ({
			message: message || 'Unauthenticated.',
			description: 'TGO did not accept the API key: it is missing, mistyped, revoked or expired (every key has an expiry date).',
			resolution:
				'Create a new key in TGO Business → Settings → API Keys and paste it into the TGO Business API credential.',
			docsUrl: DOCS.auth,
		}),
	},
	{
		code: 'MISSING_SCOPE',
		matches: (f) => f.status === 403,
		explain: (failure, message) => {
			const requiredScope = REQUIRED_SCOPE[failure.operation];
			const keyAdvice =
				requiredScope === '*'
					? 'Create a key with the "*" scope (full access)'
					: `Create a key that includes the "${requiredScope}" scope (or "*")`;
			const alternative =
				failure.operation === 'getSubscription'
					? ' Or turn off the node\'s "Include Subscription" option to read only the key and organisation details.'
					: '';
			return {
				message: message || 'This API key does not have the required scope.',
				description: SCOPE_UNDOCUMENTED.has(failure.operation)
					? 'The API key is valid but TGO refused it for this operation. TGO does not document which scope it needs; a key with "*" (full access) is the one known to work.'
					: `The API key is valid but lacks the scope this operation needs (${requiredScope}).`,
				resolution: `${keyAdvice} in TGO Business → Settings → API Keys, and use it in the credential.${alternative}`,
				docsUrl: DOCS.errors,
				details: { requiredScope },
			};
		},
	},
	{
		code: 'TENANT_NOT_FOUND',
		matches: (f, message) => f.status === 404 && TENANT_NOT_FOUND.test(message),
		explain: (_f, message) => ({
			message,
			description: 'TGO does not know the tenant domain set in the credential, so it could not tell which organisation the request is for.',
			resolution: 'Set "Tenant Domain" in the credential to the exact domain shown in your TGO Business dashboard.',
			docsUrl: DOCS.auth,
		}),
	},
	{
		// After TENANT_NOT_FOUND: a tenant 404 stays a tenant 404 on these endpoints too.
		code: 'ENDPOINT_UNAVAILABLE',
		matches: (f) => f.operation in ACCOUNT_ENDPOINTS && (f.status === 404 || f.status === 405),
		explain: (failure) => {
			const { endpoint, offers } = ACCOUNT_ENDPOINTS[failure.operation] as { endpoint: string; offers: string };
			return {
				message: `This TGO tenant does not offer ${offers} over the API: ${endpoint} answered HTTP ${failure.status}.`,
				description:
					'Your TGO Business tenant does not answer the request that reads these details, so the node cannot see them. Nothing is wrong with the API key, and the other TGO nodes are not affected.',
				resolution:
					'Look up the key\'s expiry date in TGO Business → Settings → API Keys and put a reminder in your calendar, or ask TGO support whether account details can be read over the API.',
				docsUrl: DOCS.auth,
				details: { endpoint },
			};
		},
	},
	{
		code: 'VALIDATION_FAILED',
		matches: (f) => f.status === 422,
		explain: (failure, message) => {
			const fields = validationErrorsOf(failure.body);
			const joined = Object.values(fields ?? {}).flat().join(' ');
			return {
				message: joined || message || 'TGO rejected the request as invalid.',
				description: 'TGO checked the request and rejected one or more fields.',
				resolution: `Correct the fields named in details.fields and run the item again.${VALIDATION_ADVICE[failure.operation] ?? ''}`,
				docsUrl: DOCS.errors,
				details: fields ? { fields } : undefined,
			};
		},
	},
	{
		code: 'RATE_LIMITED',
		matches: (f) => f.status === 429,
		explain: (failure, message) => ({
			message: message || 'Too many requests.',
			description:
				// A short Retry-After was waited out on every retry; only a long one ends the item unwaited.
				failure.retryAfterSeconds !== undefined && failure.retryAfterSeconds > MAX_RETRY_AFTER_SECONDS
					? `TGO asked to wait ${failure.retryAfterSeconds} s before the next request, longer than the node waits on its own.`
					: 'TGO kept answering "too many requests" after the node had retried.',
			resolution: 'Lower the Concurrency option, spread the workflow over time, or retry these items later.',
			docsUrl: DOCS.errors,
			details: failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : undefined,
		}),
	},
];

/** The same words after a lookup and after a refused send: who cannot receive, and TGO's reason. */
export function recipientUnreachable(reasonCode: string | undefined, recipient: string | undefined): FailureExplanation {
	return {
		message: `${recipient ?? 'The recipient'} cannot receive TGO Connect messages (reason: ${reasonCode ?? 'not given'}).`,
		description: 'TGO Connect says this phone cannot receive messages: it may not belong to a TGO Connect user, or that user cannot be reached from this sender.',
		resolution: 'Check the number with the recipient, or reach them on another channel. Nothing was sent to this recipient.',
		docsUrl: DOCS.errors,
		...(reasonCode !== undefined ? { details: { reasonCode } } : {}),
	};
}

/** The Error-output failure for a phone that a contact lookup says cannot receive messages. */
export function recipientUnreachableError(phone: string, lookup: { reason_code?: string | null }): TgoFailureError {
	return new TgoFailureError({ code: 'RECIPIENT_UNREACHABLE', ...recipientUnreachable(lookup.reason_code ?? undefined, phone) });
}

/** Maps a TGO error answer to a documented failure, or undefined when it is not documented. */
export function classifyHttpFailure(failure: TgoHttpFailure): TgoFailure | undefined {
	const message = serverMessageOf(failure.body);
	for (const row of FAILURE_TABLE) {
		if (row.matches(failure, message)) {
			const explained = row.explain(failure, message);
			if (explained.details === undefined) delete explained.details;
			return { code: row.code, httpCode: failure.status, ...explained };
		}
	}
	return undefined;
}

export function serverMessageOf(body: unknown): string {
	if (body && typeof body === 'object' && typeof (body as IDataObject).message === 'string') {
		return ((body as IDataObject).message as string).trim();
	}
	return '';
}

function reasonCodeOf(body: unknown): string | undefined {
	const reason = body && typeof body === 'object' ? (body as IDataObject).reason_code : undefined;
	return typeof reason === 'string' ? reason : undefined;
}

function validationErrorsOf(body: unknown): Record<string, string[]> | undefined {
	const errors = body && typeof body === 'object' ? (body as IDataObject).errors : undefined;
	if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return undefined;
	const fields: Record<string, string[]> = {};
	for (const [field, messages] of Object.entries(errors)) {
		fields[field] = (Array.isArray(messages) ? messages : [messages]).map(String);
	}
	return fields;
}

/** How far one failed request got, as the transport saw it after its retries. */
export interface FailedAttempts {
	operation: TgoOperation;
	method: string;
	/** Requests made, the failed one included. */
	attempts: number;
}

/** What a network error code means, in a user's words. */
const NETWORK_CAUSES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused: nothing answers at that address and port',
	ENOTFOUND: 'the Tenant Domain was not found: no such domain exists in DNS',
	EAI_AGAIN: 'the Tenant Domain could not be looked up: DNS did not answer',
	EHOSTUNREACH: 'the TGO server could not be reached from n8n\'s network',
	ENETUNREACH: 'n8n\'s network has no route to the TGO server',
	ECONNRESET: 'the connection was cut before TGO answered',
	EPIPE: 'the connection closed while the request was being sent',
	ETIMEDOUT: 'TGO did not answer in time',
	ECONNABORTED: 'TGO did not answer in time',
	ERR_CANCELED: 'the execution was stopped while the request was under way',
};

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

function capitalised(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function tries(attempts: number): string {
	return attempts === 1 ? 'once' : `${attempts} times`;
}

/**
 * What a request other than GET may have done when it failed without a clear refusal, and how the
 * user finds out before doing it again. Operations not listed get the general words.
 */
const MAY_HAVE_ACTED: Partial<Record<TgoOperation, { what: string; nothing: string; notTwice: string; check: string }>> = {
	sendMessage: {
		what: 'the message may have been sent',
		nothing: 'nothing was sent',
		notTwice: 'the message was not sent, so this cannot send it twice',
		check:
			'Before sending this item again, look for the message in TGO Get Message Logs (or the message log of the TGO Business dashboard), and send it again only if it is not there.',
	},
	registerSenderNumber: {
		what: 'the sender number may have been registered',
		nothing: 'nothing was registered',
		notTwice: 'the number was not registered, so this cannot register it twice',
		check:
			'Run TGO Get Sender Numbers: if the number is listed, it was registered and its owner gets the OTP in TGO Connect. Register it again only if it is not there.',
	},
};
const MAY_HAVE_ACTED_IN_GENERAL = {
	what: 'TGO may have carried it out',
	nothing: 'nothing was changed',
	notTwice: 'nothing was changed, so this cannot do it twice',
	check: 'Check in the TGO Business dashboard whether the change was made before running the item again.',
};
const mayHaveActedWords = (operation: TgoOperation) => MAY_HAVE_ACTED[operation] ?? MAY_HAVE_ACTED_IN_GENERAL;

/**
 * The words of a NETWORK_ERROR. They must not claim more than the node knows: a refused
 * connection (`reachedTgo` false) sent nothing and was retried; a cut or timed-out POST may have
 * been carried out by TGO, so it was not retried and the user must check before sending again.
 */
export function networkFailure(
	request: FailedAttempts & { errorCode: string; reachedTgo: boolean; timeoutMs: number },
): FailureExplanation {
	const { errorCode, attempts } = request;
	const timedOut = errorCode === 'ETIMEDOUT' || errorCode === 'ECONNABORTED';
	const cause = timedOut
		? `TGO did not answer within ${request.timeoutMs / 1000} s (the Timeout option)`
		: (NETWORK_CAUSES[errorCode] ?? 'the connection failed');
	const message = `Could not complete the request to TGO (${errorCode}): ${cause}.`;
	const details = { networkCode: errorCode, attempts, reachedTgo: request.reachedTgo ? 'maybe' : 'no' };
	const effects = mayHaveActedWords(request.operation);
	const changes = request.method.toUpperCase() !== 'GET';

	if (!request.reachedTgo) {
		const check = DNS_CODES.has(errorCode)
			? 'Check the credential\'s Tenant Domain letter by letter against the domain your TGO Business dashboard shows, and that n8n\'s server can look up domain names.'
			: 'Check the credential\'s Tenant Domain (and port, if it has one) and that n8n\'s network lets it connect to TGO (proxy, firewall). If both are right, TGO may be down for a moment.';
		return {
			message,
			description: `The request never reached TGO, so ${changes ? effects.nothing : 'nothing was changed'}. The node tried ${tries(attempts)}.`,
			resolution: `${check} Then run the item again${changes ? `: ${effects.notTwice}` : ''}.`,
			docsUrl: DOCS.errors,
			details,
		};
	}
	if (changes) {
		return {
			message,
			description: `${capitalised(cause)}. The request may already have reached TGO by then, so ${effects.what}. The node did not repeat it, so as not to do it twice.`,
			resolution: effects.check,
			docsUrl: DOCS.errors,
			details,
		};
	}
	return {
		message,
		description: `The node tried ${tries(attempts)} without an answer. It only reads from TGO, so nothing was changed.`,
		resolution: timedOut
			? 'Run the item again later. If TGO is often slow, raise the Timeout option.'
			: 'Run the item again later. If it keeps failing, check the network between n8n and TGO (proxy, firewall).',
		docsUrl: DOCS.errors,
		details,
	};
}

/** The words of an API_ERROR for an HTTP status TGO does not document (a 5xx, an unknown 4xx). */
export function unexpectedAnswer(request: FailedAttempts & { path: string; status: number; body: unknown }): FailureExplanation {
	const serverMessage = serverMessageOf(request.body);
	const message = `TGO answered ${request.method} ${request.path} with HTTP ${request.status}${serverMessage ? `: ${serverMessage}` : ''}`;
	const answer = `Unexpected answer from TGO: ${excerptOf(request.body)}.`;
	const details = { attempts: request.attempts };
	const effects = mayHaveActedWords(request.operation);
	if (mayHaveActed(request.method, { kind: 'status', status: request.status })) {
		return {
			message,
			description: `${answer} TGO failed while handling the request, so ${effects.what}. The node did not repeat it, so as not to do it twice.`,
			resolution: `${effects.check} If this keeps happening, contact TGO support with the time of the failure.`,
			docsUrl: DOCS.errors,
			details,
		};
	}
	return {
		message,
		description: `${answer} The node tried ${tries(request.attempts)}${request.method.toUpperCase() === 'GET' ? '' : `; TGO refused the request, so ${effects.nothing}`}.`,
		resolution: 'Run the item again later. If it keeps happening, contact TGO support with the time of the failure and the HTTP status.',
		docsUrl: DOCS.errors,
		details,
	};
}

/** A request the transport gave up on, as it was made. */
export interface FailedRequest extends FailedAttempts {
	path: string;
	timeoutMs: number;
	/** The phone the request was about, named in RECIPIENT_UNREACHABLE. */
	recipient?: string;
}

/**
 * The error for a request that ended without a usable answer, after the transport's retries: a
 * documented failure when the failure table knows the answer, otherwise an unexpected one that
 * says whether TGO may have acted on it.
 */
export function failedRequestError(
	request: FailedRequest,
	outcome: RequestOutcome,
	body: unknown,
): TgoFailureError | TgoUnexpectedError {
	const mayHaveBeenSent = mayHaveActed(request.method, outcome);
	if (outcome.kind === 'network') {
		const { message, description, resolution, details } = networkFailure({
			...request,
			errorCode: outcome.errorCode,
			reachedTgo: !neverReachedServer(outcome.errorCode),
		});
		return new TgoUnexpectedError('NETWORK_ERROR', message, description, undefined, { resolution, details, mayHaveBeenSent });
	}
	const documented = classifyHttpFailure({
		operation: request.operation,
		status: outcome.status,
		body,
		retryAfterSeconds: outcome.retryAfterSeconds,
		recipient: request.recipient,
	});
	if (documented) return new TgoFailureError(documented);
	const { message, description, resolution, details } = unexpectedAnswer({ ...request, status: outcome.status, body });
	return new TgoUnexpectedError('API_ERROR', message, description, outcome.status, { resolution, details, mayHaveBeenSent });
}

/** A short, single-line excerpt of an unexpected body, so errors never echo a whole page. */
export function excerptOf(body: unknown, max = 200): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
	const oneLine = text.replace(/\s+/g, ' ').trim();
	if (oneLine === '') return '(empty body)';
	return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** The Error-output failure for an unexpected error, when the node routes it instead of stopping. */
export function unexpectedFailureOf(error: unknown): TgoFailure {
	if (error instanceof TgoUnexpectedError) {
		return {
			code: error.code,
			message: error.message,
			...(error.httpCode !== undefined ? { httpCode: error.httpCode } : {}),
			description: error.description,
			// Network failures always carry their own words (networkFailure); an unreadable answer may not.
			resolution: error.resolution ?? 'Retry later. If it keeps happening, contact TGO support with the time of the failure.',
			docsUrl: DOCS.errors,
			...(error.details !== undefined ? { details: error.details } : {}),
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	return {
		code: 'API_ERROR',
		message,
		description: 'The node could not process this item.',
		resolution: 'Check the node parameters for this item and run it again.',
		docsUrl: DOCS.errors,
	};
}

/**
 * What an AI agent gets back for a failed tool call: the code, what happened and what to do, in
 * one small object (n8n hands the model only the node's first output, as JSON text).
 */
export function toolResultOf(failure: TgoFailure): IDataObject {
	return {
		error: {
			code: failure.code,
			message: failure.message,
			resolution: failure.resolution,
			...(failure.details !== undefined ? { details: failure.details } : {}),
		},
	};
}

/** What an AI agent gets when a call succeeded with nothing to list (no sender numbers match, say). */
export const EMPTY_TOOL_RESULT: IDataObject = { results: [], message: 'TGO answered with nothing that matches this request.' };

/**
 * An item the node did not send because an earlier item (`failedItemIndex`) showed that the
 * credential is unusable: the same failure, saying which item found it.
 */
export function credentialFailureFor(failure: TgoFailure, failedItemIndex: number): TgoFailure {
	return { ...failure, details: { ...failure.details, notSentBecauseOfItem: failedItemIndex } };
}

/**
 * Added to the error of a node that stops: which items had already gone through, so a person who
 * runs the workflow again by hand knows what would be repeated.
 */
export function alreadyDoneNote(doneItemIndexes: number[], itemCount: number, doneWord: string): string {
	if (doneItemIndexes.length === 0) return `None of the ${itemCount} input items had been ${doneWord} before this failure.`;
	const shown = doneItemIndexes.slice(0, 10).join(', ') + (doneItemIndexes.length > 10 ? ', …' : '');
	return (
		`${doneItemIndexes.length} of the ${itemCount} input items had already been ${doneWord} before this failure ` +
		`(item index ${shown}). n8n's "Retry On Fail" does not repeat them; running the workflow again by hand would, ` +
		'so remove those items from the input first.'
	);
}

/** Shown in the output pane when "On Error" is "Continue (using error output)". */
export const N8N_ERROR_OUTPUT_HINT =
	'"On Error" is set to "Continue (using error output)", so every failed item is on the third output (the last "Error", which n8n adds), with its input fields and an error code. The TGO Error output (the second) stays empty in this mode.';

/**
 * The error a node stops with: the failure of item `itemIndex`, with `alreadyDone`
 * (`alreadyDoneNote`) added to what n8n shows.
 */
export function stopErrorOf(node: INode, error: unknown, itemIndex: number, alreadyDone: string): Error {
	if (error instanceof TgoUnexpectedError) {
		// The panel that shows a stopped workflow has room for one description: what happened, what
		// to do, and which items already went through.
		const description = [error.description, error.resolution, alreadyDone].filter(Boolean).join(' ');
		const response: JsonObject = { message: error.message, description };
		const apiError = new NodeApiError(node, response, {
			message: error.message,
			description,
			...(error.httpCode !== undefined ? { httpCode: String(error.httpCode) } : {}),
			itemIndex,
		});
		// NodeApiError swaps a message naming a network code (ECONNRESET…) for n8n's generic
		// "retry the request" text; ours says which TGO call failed, and the description whether a
		// retry could send a message twice.
		apiError.message = error.message;
		return apiError;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		error.description = [error.description, alreadyDone].filter(Boolean).join(' ');
		return error;
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex, description: alreadyDone });
}

/** A Concurrency option that is not a whole number of at least 1 stops the node before any item. */
export function invalidConcurrencyError(node: INode, setting: unknown): NodeOperationError {
	return new NodeOperationError(node, `Concurrency must be a whole number of at least 1, not ${JSON.stringify(setting)}`);
}
