import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { failedRequestError, TgoFailureError, type TgoOperation } from './errors';
import { decideRetry, parseRetryAfter, type RequestOutcome } from './retry';
import { TenantDomainError } from './tenant';

/**
 * The only place that talks HTTP to TGO. Every node request goes through `tgoRequest`, which
 * authenticates with the `tgoBusinessApi` credential (its `authenticate` sets the tenant base URL
 * and the X-Api-Key header), retries as `decideRetry` allows, and hands the final failure to
 * `failedRequestError` (errors.ts), which words it as a documented `TgoFailureError` or a
 * `TgoUnexpectedError`. It never lets the underlying HTTP error escape: that object holds the
 * request headers, and with them the API key.
 */

export const CREDENTIAL_TYPE = 'tgoBusinessApi';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface TgoRequest {
	operation: TgoOperation;
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	/** A JSON object, or a multipart body (media messages). */
	body?: IDataObject | MultipartBody;
	timeoutMs?: number;
	/**
	 * The endpoint may be missing on a tenant (sibling-documented only): when the answer is
	 * ENDPOINT_UNAVAILABLE, `tgoRequest` resolves to NOT_OFFERED instead of failing.
	 */
	optional?: boolean;
	/** The phone the request is about, named when TGO says it cannot receive messages. */
	recipient?: string;
}

/** A multipart/form-data body, encoded by the caller (`mediaBody`), sent as it is. */
export interface MultipartBody {
	contentType: string;
	bytes: Buffer;
}

const isMultipart = (body: TgoRequest['body']): body is MultipartBody => Buffer.isBuffer((body as Partial<MultipartBody> | undefined)?.bytes);

/** What `tgoRequest` resolves to for an `optional` endpoint the tenant does not offer. */
export const NOT_OFFERED = Symbol('endpoint not offered by this tenant');

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export async function tgoRequest(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	request: TgoRequest,
): Promise<unknown> {
	const { operation, method, path, recipient, timeoutMs = DEFAULT_TIMEOUT_MS } = request;
	const options: IHttpRequestOptions = {
		method,
		url: path,
		qs: request.qs,
		...(isMultipart(request.body)
			? { body: request.body.bytes, headers: { 'Content-Type': request.body.contentType } }
			: { body: request.body }),
		timeout: timeoutMs,
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

		const decision = decideRetry(method, retriesDone, outcome);
		if (!decision.retry) {
			const attempts = retriesDone + 1;
			const failure = failedRequestError({ operation, method, path, attempts, timeoutMs, recipient }, outcome, response?.body);
			if (request.optional && failure instanceof TgoFailureError && failure.failure.code === 'ENDPOINT_UNAVAILABLE') {
				return NOT_OFFERED;
			}
			throw failure;
		}
		await sleep(decision.delayMs);
	}
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
