// What an injected fault answers instead of the route (Sandbox.inject queues them per route).
import * as http from 'node:http';

import type { Reply } from './routes/route';

export type Fault =
	/** `body`: JSON-encoded unless it is a string, which is sent as text/plain. Default body: Laravel's for that status. */
	| { kind: 'status'; status: number; retryAfter?: number | string; body?: unknown }
	/** Handles the request at once (side effects happen) but answers only after `ms`. */
	| { kind: 'delay'; ms: number }
	/** Answers normally: holds a place in the queue so the faults after it hit later requests (fail only the Nth). */
	| { kind: 'pass' }
	| { kind: 'resetBeforeBody' }
	/** Reads and records the body, handles it (side effects happen), then drops the connection unanswered. */
	| { kind: 'resetAfterBody' }
	| { kind: 'html'; status?: number }
	| { kind: 'invalidJson' }
	| { kind: 'emptyBody' };

const PROXY_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const DEFAULT_FAULT_MESSAGES: Record<number, string> = {
	429: 'Too Many Attempts.',
	500: 'Server Error',
	503: 'Service Unavailable',
};

/** The answer of a fault that replies (every kind but delay, pass and the connection resets). */
export function faultReply(fault: Fault): Reply {
	switch (fault.kind) {
		case 'status': {
			const headers: Record<string, string> = {};
			if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
			if (fault.status === 429) {
				headers['x-ratelimit-limit'] = '60';
				headers['x-ratelimit-remaining'] = '0';
			}
			if (typeof fault.body === 'string')
				return { status: fault.status, headers, text: fault.body };
			const json = fault.body ?? {
				message: DEFAULT_FAULT_MESSAGES[fault.status] ?? http.STATUS_CODES[fault.status] ?? 'Error',
			};
			return { status: fault.status, headers, json };
		}
		case 'html':
			return { status: fault.status ?? 502, text: PROXY_502_PAGE, contentType: 'text/html' };
		case 'invalidJson':
			return {
				status: 200,
				text: '{"data":{"id":41,"sender_number_id":1,"recipient_user_id":1234,"status":"se',
				contentType: 'application/json',
			};
		case 'emptyBody':
			return { status: 200, contentType: 'application/json' };
		default:
			throw new Error(`Fault ${fault.kind} is not answered with a body.`);
	}
}
