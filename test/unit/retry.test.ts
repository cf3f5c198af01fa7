import { decideRetry, MAX_RETRIES, parseRetryAfter, type RequestOutcome } from '../../nodes/shared/retry';

const status = (code: number, retryAfterSeconds?: number): RequestOutcome => ({ kind: 'status', status: code, retryAfterSeconds });
const network = (errorCode: string): RequestOutcome => ({ kind: 'network', errorCode });

describe('retry decision table', () => {
	// [outcome, GET retried?, POST retried?]
	const table: Array<[string, RequestOutcome, boolean, boolean]> = [
		['429 without Retry-After', status(429), true, true],
		['429 with Retry-After 2 s', status(429, 2), true, true],
		['429 with Retry-After 31 s (too long to wait)', status(429, 31), false, false],
		['503', status(503), true, true],
		['500', status(500), true, false],
		['502', status(502), true, false],
		['504', status(504), true, false],
		['400', status(400), false, false],
		['401', status(401), false, false],
		['403', status(403), false, false],
		['404', status(404), false, false],
		['422', status(422), false, false],
		['connection refused (never reached the server)', network('ECONNREFUSED'), true, true],
		['connection reset (the server may have acted)', network('ECONNRESET'), true, false],
		['timeout (the server may have acted)', network('ECONNABORTED'), true, false],
		['timeout (ETIMEDOUT)', network('ETIMEDOUT'), true, false],
		['socket hang up / unknown', network('UNKNOWN'), true, false],
		['execution cancelled', network('ERR_CANCELED'), false, false],
	];

	it.each(table)('%s: GET retried = %p, POST retried = %p', (_name, outcome, getRetried, postRetried) => {
		expect(decideRetry('GET', 0, outcome).retry).toBe(getRetried);
		expect(decideRetry('POST', 0, outcome).retry).toBe(postRetried);
	});

	it('backs off 0.5 s, 1 s, 2 s, then gives up after 3 retries (4 attempts)', () => {
		expect([0, 1, 2].map((done) => decideRetry('GET', done, status(500)).delayMs)).toEqual([500, 1000, 2000]);
		expect(decideRetry('GET', MAX_RETRIES, status(500)).retry).toBe(false);
		expect(decideRetry('POST', MAX_RETRIES, status(429, 1)).retry).toBe(false);
	});

	it('waits as long as Retry-After says, up to 30 s', () => {
		expect(decideRetry('POST', 0, status(429, 3)).delayMs).toBe(3000);
		expect(decideRetry('POST', 0, status(429, 30)).delayMs).toBe(30000);
		expect(decideRetry('POST', 0, status(429, 0)).delayMs).toBe(0);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-11-27T10:00:00Z');
		expect(parseRetryAfter('5', now)).toBe(5);
		expect(parseRetryAfter(['7'], now)).toBe(7);
		expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:12 GMT', now)).toBe(12);
		expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});
