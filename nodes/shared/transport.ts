import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	classifyHttpFailure,
	excerptOf,
	serverMessageOf,
	TgoFailureError,
	type TgoOperation,
	TgoUnexpectedError,
} from './errors';
import { decideRetry, parseRetryAfter, provablyNotSent, type RequestOutcome } from './retry';
import { TenantDomainError } from './tenant';

/**
 * The only place that talks HTTP to TGO. Every node request goes through `tgoRequest`, which
 * authenticates with the `tgoBusinessApi` credential (its `authenticate` sets the tenant base URL
 * and the X-Api-Key header), retries as `decideRetry` allows, and turns every failure into either
 * a documented `TgoFailureError` or a `TgoUnexpectedError`. It never lets the underlying HTTP
 * error escape: that object holds the request headers, and with them the API key.
 */

export const CREDENTIAL_TYPE = 'tgoBusinessApi';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface TgoRequest {
	operation: TgoOperation;
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	/** A JSON object, or web-standard FormData for media messages. */
	body?: IDataObject | FormData;
	timeoutMs?: number;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export async function tgoRequest(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	request: TgoRequest,
): Promise<unknown> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.path,
		qs: request.qs,
		body: request.body,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Redirects are never followed (they could carry X-Api-Key to another host, or turn a
		// POST /messages into a GET): the credential's authenticate sets that on every request.
	};

	for (let retriesDone = 0; ; retriesDone++) {
		let outcome: RequestOutcome;
		let response: FullResponse | undefined;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				{ ...options },
			)) as FullResponse;
			if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
			outcome = {
				kind: 'status',
				status: response.statusCode,
				retryAfterSeconds: parseRetryAfter(response.headers['retry-after']),
			};
		} catch (error) {
			// The credential refused its Tenant Domain (plain http:// to a remote host, say) before
			// any request left: retrying cannot help, and the user needs its words, which name it.
			const unusableDomain = tenantDomainErrorIn(error);
			if (unusableDomain) throw unusableDomain;
			outcome = { kind: 'network', errorCode: networkErrorCode(error) };
		}

		const decision = decideRetry(request.method, retriesDone, outcome);
		if (!decision.retry) throw failureFor(request, outcome, response?.body);
		await sleep(decision.delayMs);
	}
}

function failureFor(request: TgoRequest, outcome: RequestOutcome, body: unknown): Error {
	if (outcome.kind === 'network') {
		return new TgoUnexpectedError(
			'NETWORK_ERROR',
			`Could not complete the request to TGO (${outcome.errorCode}).`,
			request.method === 'POST'
				? 'The connection failed or timed out before TGO answered. The message may or may not have been sent, so the node did not retry it: check the message logs before sending it again.'
				: 'The connection to TGO failed or timed out, also after retrying.',
			undefined,
			{ mayHaveBeenSent: request.method === 'POST' && !provablyNotSent(outcome.errorCode) },
		);
	}
	const documented = classifyHttpFailure({
		operation: request.operation,
		status: outcome.status,
		body,
		retryAfterSeconds: outcome.retryAfterSeconds,
	});
	if (documented) return new TgoFailureError(documented);
	return new TgoUnexpectedError(
		'API_ERROR',
		`TGO answered ${request.method} ${request.path} with HTTP ${outcome.status}${serverMessageOf(body) ? `: ${serverMessageOf(body)}` : ''}`,
		`Unexpected answer from TGO: ${excerptOf(body)}`,
		outcome.status,
	);
}

/** The error and the causes n8n wrapped it in (NodeApiError → cause → …), a few levels deep. */
function* causeChain(error: unknown): Generator<object> {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		yield current;
		current = (current as { cause?: unknown }).cause;
	}
}

/** The credential's TenantDomainError inside n8n's wrapping, if that is what failed. */
function tenantDomainErrorIn(error: unknown): Error | undefined {
	for (const current of causeChain(error)) {
		// By name too: a second copy of the module (another require path) is another class.
		if (current instanceof TenantDomainError) return current;
		if (current instanceof Error && current.name === 'TenantDomainError') return current;
	}
	return undefined;
}

/** Finds the Node/axios error code (ECONNRESET, ECONNABORTED…) through n8n's error wrapping. */
function networkErrorCode(error: unknown): string {
	for (const current of causeChain(error)) {
		const { code } = current as { code?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	}
	const message = error instanceof Error ? error.message : '';
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up|reset/i.test(message)) return 'ECONNRESET';
	return 'UNKNOWN';
}

/** Checks a 2xx body against its schema; an undocumented shape is an API_ERROR, never a crash. */
export function expectBody<T>(
	schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: Array<string | number>; message: string }> } } },
	body: unknown,
	what: string,
	/** The body is a 2xx answer to a POST: TGO acted on it, even if the node cannot read it. */
	options: { acceptedByTgo?: boolean } = {},
): T {
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
	throw new TgoUnexpectedError(
		'API_ERROR',
		`TGO returned ${what} in an unexpected shape${where}: ${issue?.message ?? 'invalid'}`,
		`Unexpected answer from TGO: ${excerptOf(body)}`,
		undefined,
		{ mayHaveBeenSent: options.acceptedByTgo },
	);
}
