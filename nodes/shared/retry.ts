/**
 * When to try a request again (docs/architecture.md#retries). Pure, so the whole decision table
 * is unit-tested.
 *
 * A retry must never risk a second message to a customer: POST /messages is retried only when
 * the server cannot have acted on it (429 and 503 are refusals; a refused connection never
 * reached it). After a timeout or a reset mid-request the send may have happened, so it is not
 * retried and the item reports the failure instead.
 */

export const MAX_RETRIES = 3;
/** A Retry-After longer than this ends the item as RATE_LIMITED instead of holding the workflow. */
export const MAX_RETRY_AFTER_SECONDS = 30;
const BACKOFF_MS = [500, 1000, 2000];

export type RequestOutcome =
	| { kind: 'status'; status: number; retryAfterSeconds?: number }
	| { kind: 'network'; errorCode: string };

/** Network errors after which the request provably did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a network error code proves the request never reached TGO (so nothing was sent). */
export function neverReachedServer(errorCode: string): boolean {
	return NOT_SENT_CODES.has(errorCode);
}

/**
 * Whether TGO may have carried out a request that failed this way, so that repeating it could do
 * it twice: a request other than GET that may have reached TGO without an answer, or that TGO
 * answered with a server error other than 503 (a 503, like a 429 or a 4xx, is a refusal).
 */
export function mayHaveActed(method: string, outcome: RequestOutcome): boolean {
	if (method.toUpperCase() === 'GET') return false;
	if (outcome.kind === 'network') return !neverReachedServer(outcome.errorCode);
	return outcome.status >= 500 && outcome.status !== 503;
}

export interface RetryDecision {
	retry: boolean;
	delayMs: number;
}

const STOP: RetryDecision = { retry: false, delayMs: 0 };

/** `retriesDone` counts the retries already made (0 after the first attempt). */
export function decideRetry(method: string, retriesDone: number, outcome: RequestOutcome): RetryDecision {
	if (retriesDone >= MAX_RETRIES) return STOP;
	const backoff = BACKOFF_MS[Math.min(retriesDone, BACKOFF_MS.length - 1)];
	const isIdempotent = method.toUpperCase() === 'GET';

	if (outcome.kind === 'network') {
		// The execution was cancelled by the user: stop at once.
		if (outcome.errorCode === 'ERR_CANCELED') return STOP;
		if (isIdempotent || neverReachedServer(outcome.errorCode)) return { retry: true, delayMs: backoff };
		return STOP;
	}

	const { status, retryAfterSeconds } = outcome;
	if (status === 429 || status === 503) {
		if (retryAfterSeconds === undefined) return { retry: true, delayMs: backoff };
		if (retryAfterSeconds > MAX_RETRY_AFTER_SECONDS) return STOP;
		return { retry: true, delayMs: Math.max(0, retryAfterSeconds * 1000) };
	}
	if (status >= 500 && isIdempotent) return { retry: true, delayMs: backoff };
	return STOP;
}

/** Reads Retry-After as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, Math.ceil((date - now) / 1000));
}
