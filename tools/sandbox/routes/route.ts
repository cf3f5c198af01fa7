// What every route file is written against: the route definition, the context a handler gets and
// the reply it returns, and the documented answer wordings.
import type { Scope } from '../fixtures';
import type { MultipartFile } from '../multipart';
import type { RecordedRequest } from '../server';
import type { ApiKeyState, SandboxState } from '../state';

export const API_PREFIX = '/api/v1';

/** The documented bodies, verbatim (docs/tgo-api.md#errors). */
export const messages = Object.freeze({
	tenantNotFound: 'Tenant could not be identified for this domain.',
	unauthenticated: 'Unauthenticated.',
	missingScope: 'This API key does not have the required scope.',
	invalidData: 'The given data was invalid.',
	senderNotActive: 'The sender number is not active.',
	accountNotVerified: 'يجب أن يكون صاحب الرقم موثقًا داخل TGO Connect قبل استخدام API الإرسال.',
	// Undocumented: the wording of a refused send to an unreachable recipient.
	recipientCannotReceive: 'The recipient cannot receive messages.',
	// Undocumented: the wordings of a refused sender registration (Laravel's unique rule, and a custom rule).
	phoneTaken: 'The phone has already been taken.',
	phoneNotOnTgoConnect: 'The phone does not belong to a TGO Connect account.',
});

export interface Reply {
	status: number;
	json?: unknown;
	text?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

export interface RouteContext {
	/** The tenant's data: senders, keys, message log, and the answers a test set. */
	state: SandboxState;
	record: RecordedRequest;
	/** Query and body merged, strings trimmed and '' turned into null (Laravel's default middleware). */
	input: Record<string, unknown>;
	files: MultipartFile[];
	/** The caller's key, already checked: known, active, not expired, with the route's scope. */
	apiKey: ApiKeyState;
	/** The `{…}` part of the path, e.g. the id of DELETE /api-keys/{id}. */
	routeParameter?: string;
	/** Origin as the client addressed it, for absolute pagination URLs. */
	origin: string;
}

export interface Route {
	method: 'GET' | 'POST' | 'DELETE';
	/** Relative to /api/v1; one `{name}` segment matches any one path segment. */
	path: string;
	/** null: any valid key (the docs name no scope for these). */
	scope: Scope | null;
	handle: (context: RouteContext) => Reply;
}
