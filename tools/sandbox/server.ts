/**
 * The TGO sandbox: a real HTTP server on loopback that behaves like the documented TGO Business
 * tenant API (TGO's public docs, https://docs.business.tgo-eg.com), with request recording and fault injection
 * for tests and benchmarks.
 *
 * Where the docs are silent the sandbox picks what a Laravel backend would most likely do; each
 * such choice is marked "Undocumented:" below.
 *
 * Request headers (they carry API keys) are recorded for tests but never printed or logged.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	allSenders,
	apiKeys,
	conversationIdFor,
	E164,
	expiryAfter,
	laravelTimestamp,
	lookupContact,
	type MessageLogEntry,
	type Scope,
	seededMessageLog,
	type SenderNumberFixture,
} from './fixtures';
import { boundaryOf, MultipartError, type MultipartFile, parseMultipart } from './multipart';

export interface StartSandboxOptions {
	/** 0 (default) lets the OS pick a free port. */
	port?: number;
	/** Interface to listen on; default 127.0.0.1. */
	host?: string;
	/** The only Host header hostname that is a known tenant; default '127.0.0.1'. */
	tenantHost?: string;
	/** Called once per answered request with `METHOD /path STATUS ms` (never headers, never the key). */
	accessLog?: (line: string) => void;
}

export interface Sandbox {
	port: number;
	/** http://127.0.0.1:PORT/api/v1 */
	baseUrl: string;
	/** http://127.0.0.1:PORT: what a user types in the credential's domain field. */
	credentialDomain: string;
	/** http://localhost:PORT: loopback too, but its Host is not a known tenant, so every call is a 404. */
	unknownTenantDomain: string;
	keys: {
		full: string;
		send: string;
		lookup: string;
		readOnly: string;
		expired: string;
		revoked: string;
	};
	/** Every request received, in arrival order, including faulted ones. */
	requests: RecordedRequest[];
	requestsTo(method: string, path: string): RecordedRequest[];
	/** Sends the sandbox accepted since the last reset (each also added to the message log). */
	sent: SentMessage[];
	/** Sender numbers registered since the last reset (each also in the sender list). */
	registered: SenderNumberFixture[];
	/** Highest number of requests being handled at once since the last reset. */
	maxInFlight: number;
	/** Queues faults for a route ('POST /messages', 'DELETE /api-keys/{id}', or '*' for any route); each is consumed by one request, in order. */
	inject(route: string, ...faults: Fault[]): void;
	clearFaults(): void;
	setLatency(ms: number, jitterMs?: number): void;
	setUsageBody(body: unknown | undefined): void;
	/** Answers GET /me or GET /subscription with this body instead of the sandbox's own (undefined: its own again). */
	setAccountBody(route: AccountRoute, body: unknown | undefined): void;
	/**
	 * Makes a route behave as on a tenant that does not offer it, until reset: 'missing' is
	 * Laravel's unknown-route 404, 'methodNotAllowed' its 405 (the path exists for POST only).
	 */
	setRouteAvailability(route: string, availability: RouteAvailability): void;
	/** Sets the expiry of one of the sandbox's keys (by its secret); null: the key never expires. */
	setKeyExpiry(apiKey: string, expiresAt: string | null): void;
	setLogsPagination(style: LogsPaginationStyle): void;
	reset(): void;
	close(): Promise<void>;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query, relative to /api/v1 ('/messages'); paths outside /api/v1 are kept whole. */
	path: string;
	query: Record<string, string>;
	/** Lower-cased names. */
	headers: Record<string, string>;
	/** Media type without parameters, lower-cased ('application/json', 'multipart/form-data'). */
	contentType?: string;
	json?: unknown;
	fields?: Record<string, string>;
	files?: { field: string; filename: string; contentType: string; data: Buffer }[];
	rawBody: Buffer;
	/** performance.now() when the request head arrived. */
	receivedAt: number;
	/** Status sent; undefined when the connection was reset (or is still being handled). */
	status?: number;
	/** The kind of fault that acted on this request. */
	fault?: string;
}

export interface SentMessage {
	logEntry: MessageLogEntry;
	toPhone: string;
	file?: { filename: string; contentType: string; size: number };
}

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

export type LogsPaginationStyle = 'links' | 'next_page_url' | 'meta' | 'none' | 'array';

export type AccountRoute = 'GET /me' | 'GET /subscription';

export type RouteAvailability = 'available' | 'missing' | 'methodNotAllowed';

/** The documented bodies, verbatim (REFERENCE §9.1). */
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

const API_PREFIX = '/api/v1';
const MAX_BODY_BYTES = 25 * 1024 * 1024;
const DEFAULT_PER_PAGE = 15;
const MESSAGE_TYPES = ['text', 'image', 'voice', 'document'];
const MEDIA_TYPES = ['image', 'voice', 'document'];
const ALL_SCOPES: Scope[] = [
	'*',
	'contacts.lookup',
	'messages.send',
	'messages.read',
	'usage.read',
];

interface Reply {
	status: number;
	json?: unknown;
	text?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

interface ApiKeyState {
	id: number;
	name: string;
	key: string;
	scopes: Scope[];
	status: string;
	expires_at: string | null;
	last_used_at: string | null;
	created_at: string;
}

interface HandlerContext {
	record: RecordedRequest;
	/** Query and body merged, strings trimmed and '' turned into null (Laravel's default middleware). */
	input: Record<string, unknown>;
	files: MultipartFile[];
	apiKey: ApiKeyState;
	routeParameter?: string;
	/** Origin as the client addressed it, for absolute pagination URLs. */
	origin: string;
}

interface Route {
	method: string;
	key: string;
	pattern: RegExp;
	/** null: any valid key (the docs name no scope for these). */
	scope: Scope | null;
	handle: (context: HandlerContext) => Reply;
}

// ---------------------------------------------------------------- Laravel-style validation

function attributeName(field: string): string {
	return field.replace(/_/g, ' ');
}

function present(value: unknown): boolean {
	return value !== undefined && value !== null;
}

/** Laravel's `integer` rule: integers, or strings that are integers. */
function isIntegerLike(value: unknown): boolean {
	if (typeof value === 'number') return Number.isInteger(value);
	return typeof value === 'string' && /^[+-]?\d+$/.test(value);
}

class Validation {
	readonly errors: Record<string, string[]> = {};

	add(field: string, message: string): void {
		(this.errors[field] ??= []).push(message);
	}

	required(field: string): void {
		this.add(field, `The ${attributeName(field)} field is required.`);
	}

	get failed(): boolean {
		return Object.keys(this.errors).length > 0;
	}

	reply(): Reply {
		return { status: 422, json: { message: messages.invalidData, errors: this.errors } };
	}
}

/** Laravel's TrimStrings + ConvertEmptyStringsToNull middleware, applied to all input. */
function normaliseInput(value: unknown): unknown {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? null : trimmed;
	}
	if (Array.isArray(value)) return value.map(normaliseInput);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, normaliseInput(item)]),
		);
	}
	return value;
}

function nowIso(): string {
	return laravelTimestamp();
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
	if (!hostHeader) return undefined;
	let host = hostHeader.trim().toLowerCase();
	if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
	const colon = host.lastIndexOf(':');
	if (colon !== -1) host = host.slice(0, colon);
	return host.replace(/\.$/, '');
}

function urlHost(host: string): string {
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

const PROXY_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

// ---------------------------------------------------------------- the server

class TgoSandbox implements Sandbox {
	port = 0;
	baseUrl = '';
	credentialDomain = '';
	unknownTenantDomain = '';
	readonly keys: Sandbox['keys'] = {
		full: apiKeys.full.key,
		send: apiKeys.send.key,
		lookup: apiKeys.lookup.key,
		readOnly: apiKeys.readOnly.key,
		expired: apiKeys.expired.key,
		revoked: apiKeys.revoked.key,
	};
	readonly requests: RecordedRequest[] = [];
	readonly sent: SentMessage[] = [];
	readonly registered: SenderNumberFixture[] = [];

	private readonly servers: http.Server[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly faults = new Map<string, Fault[]>();
	private inFlight = 0;
	private highestInFlight = 0;
	private latencyMs = 0;
	private latencyJitterMs = 0;
	private usageBody: unknown = undefined;
	private readonly accountBodies = new Map<AccountRoute, unknown>();
	private readonly unavailableRoutes = new Map<string, Exclude<RouteAvailability, 'available'>>();
	private paginationStyle: LogsPaginationStyle = 'links';
	private senderNumbers: SenderNumberFixture[] = [];
	private keyStore: ApiKeyState[] = [];
	private messageLog: MessageLogEntry[] = [];
	private nextIds = { message: 0, sender: 0, key: 0 };
	private readonly routes: Route[];

	constructor(
		private readonly tenantHost: string,
		private readonly accessLog?: (line: string) => void,
	) {
		this.routes = [
			{
				method: 'POST',
				key: 'POST /messages',
				pattern: /^\/messages$/,
				scope: 'messages.send',
				handle: (c) => this.sendMessage(c),
			},
			{
				method: 'GET',
				key: 'GET /messages',
				pattern: /^\/messages$/,
				scope: 'messages.read',
				handle: (c) => this.listMessages(c),
			},
			{
				method: 'GET',
				key: 'GET /contacts/lookup',
				pattern: /^\/contacts\/lookup$/,
				scope: 'contacts.lookup',
				handle: (c) => this.lookup(c),
			},
			{
				method: 'GET',
				key: 'GET /usage',
				pattern: /^\/usage$/,
				scope: 'usage.read',
				handle: () => this.usage(),
			},
			{
				method: 'POST',
				key: 'POST /sender-numbers',
				pattern: /^\/sender-numbers$/,
				scope: 'messages.send',
				handle: (c) => this.createSender(c),
			},
			// Undocumented scopes for the routes below: any valid key may call them.
			{
				method: 'GET',
				key: 'GET /sender-numbers',
				pattern: /^\/sender-numbers$/,
				scope: null,
				handle: () => this.listSenders(),
			},
			{
				method: 'POST',
				key: 'POST /api-keys',
				pattern: /^\/api-keys$/,
				scope: null,
				handle: (c) => this.createKey(c),
			},
			{
				method: 'DELETE',
				key: 'DELETE /api-keys/{id}',
				pattern: /^\/api-keys\/([^/]+)$/,
				scope: null,
				handle: (c) => this.revokeKey(c),
			},
			{ method: 'GET', key: 'GET /me', pattern: /^\/me$/, scope: null, handle: (c) => this.me(c) },
			{
				method: 'GET',
				key: 'GET /subscription',
				pattern: /^\/subscription$/,
				scope: null,
				handle: () => this.subscription(),
			},
		];
		this.restoreFixtures();
	}

	get maxInFlight(): number {
		return this.highestInFlight;
	}

	async listen(port: number, host: string): Promise<void> {
		const primary = http.createServer((req, res) => this.serve(req, res));
		await new Promise<void>((resolve, reject) => {
			primary.once('error', reject);
			primary.listen(port, host, () => resolve());
		});
		this.servers.push(primary);
		this.port = (primary.address() as AddressInfo).port;

		// `localhost` may resolve to ::1 first on some machines; answer there too so
		// unknownTenantDomain reaches the sandbox (and gets its 404) instead of a refused connection.
		if (host === '127.0.0.1') {
			const ipv6 = http.createServer((req, res) => this.serve(req, res));
			const listening = await new Promise<boolean>((resolve) => {
				ipv6.once('error', () => resolve(false));
				ipv6.listen(this.port, '::1', () => resolve(true));
			});
			if (listening) this.servers.push(ipv6);
		}

		this.credentialDomain = `http://${urlHost(this.tenantHost)}:${this.port}`;
		this.baseUrl = `${this.credentialDomain}${API_PREFIX}`;
		const otherLoopbackName = this.tenantHost === 'localhost' ? '127.0.0.1' : 'localhost';
		this.unknownTenantDomain = `http://${otherLoopbackName}:${this.port}`;
	}

	// ------------------------------------------------------------ control surface

	requestsTo(method: string, path: string): RecordedRequest[] {
		const wanted = relativePath(path.split('?')[0]);
		return this.requests.filter(
			(request) => request.method === method.toUpperCase() && request.path === wanted,
		);
	}

	inject(route: string, ...faults: Fault[]): void {
		const key = this.routeKeyOf(route);
		const queue = this.faults.get(key) ?? [];
		queue.push(...faults);
		this.faults.set(key, queue);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	setLatency(ms: number, jitterMs = 0): void {
		this.latencyMs = Math.max(0, ms);
		this.latencyJitterMs = Math.max(0, jitterMs);
	}

	setUsageBody(body: unknown | undefined): void {
		this.usageBody = body;
	}

	setLogsPagination(style: LogsPaginationStyle): void {
		this.paginationStyle = style;
	}

	setAccountBody(route: AccountRoute, body: unknown | undefined): void {
		if (body === undefined) this.accountBodies.delete(route);
		else this.accountBodies.set(route, body);
	}

	setRouteAvailability(route: string, availability: RouteAvailability): void {
		const key = this.routeKeyOf(route);
		if (availability === 'available') this.unavailableRoutes.delete(key);
		else this.unavailableRoutes.set(key, availability);
	}

	setKeyExpiry(apiKey: string, expiresAt: string | null): void {
		const key = this.keyStore.find((candidate) => candidate.key === apiKey);
		if (!key) throw new Error('setKeyExpiry: not one of this sandbox\'s keys.');
		key.expires_at = expiresAt;
	}

	reset(): void {
		this.requests.length = 0;
		this.sent.length = 0;
		this.registered.length = 0;
		this.faults.clear();
		this.highestInFlight = this.inFlight;
		this.latencyMs = 0;
		this.latencyJitterMs = 0;
		this.usageBody = undefined;
		this.accountBodies.clear();
		this.unavailableRoutes.clear();
		this.paginationStyle = 'links';
		this.restoreFixtures();
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		await Promise.all(
			this.servers.map(
				(server) =>
					new Promise<void>((resolve) => {
						server.close(() => resolve());
						server.closeAllConnections();
					}),
			),
		);
	}

	private restoreFixtures(): void {
		this.senderNumbers = allSenders.map((senderNumber) => ({ ...senderNumber }));
		const createdAt = '2025-01-05T10:00:00.000000Z';
		const now = Date.now();
		this.keyStore = Object.values(apiKeys).map(({ expiresInDays, ...fixture }) => ({
			...fixture,
			scopes: [...fixture.scopes],
			expires_at: expiryAfter(expiresInDays, now),
			created_at: createdAt,
		}));
		this.messageLog = seededMessageLog();
		this.nextIds = {
			message: Math.max(...this.messageLog.map((entry) => entry.id)) + 1,
			sender: Math.max(...this.senderNumbers.map((senderNumber) => senderNumber.id)) + 1,
			key: Math.max(...this.keyStore.map((key) => key.id)) + 1,
		};
	}

	private routeKeyOf(route: string): string {
		if (route.trim() === '*') return '*';
		const match = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(route);
		if (!match) throw new Error(`Route must look like 'POST /messages', got '${route}'.`);
		const method = match[1].toUpperCase();
		const path = relativePath(match[2].split('?')[0]);
		const found = this.routes.find(
			(candidate) =>
				candidate.method === method &&
				(candidate.key.endsWith(` ${path}`) || candidate.pattern.test(path)),
		);
		if (!found) {
			throw new Error(
				`Unknown sandbox route '${route}'. Known: ${this.routes.map((r) => r.key).join(', ')}, *.`,
			);
		}
		return found.key;
	}

	private takeFault(routeKey: string | undefined): Fault | undefined {
		for (const key of [routeKey, '*']) {
			if (key === undefined) continue;
			const queue = this.faults.get(key);
			if (queue?.length) return queue.shift();
		}
		return undefined;
	}

	private sleep(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	// ------------------------------------------------------------ request pipeline

	/** A bug in the sandbox answers 500 (like Laravel's "Server Error") instead of leaving the client hanging. */
	private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
		this.onRequest(req, res).catch((error: Error) => {
			process.stderr.write(`tgo sandbox: internal error: ${error.stack ?? error.message}\n`);
			if (!res.headersSent && !res.destroyed)
				this.write(res, { status: 500, json: { message: 'Server Error' } });
			else res.destroy();
		});
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		this.inFlight++;
		this.highestInFlight = Math.max(this.highestInFlight, this.inFlight);
		let finished = false;
		res.once('close', () => {
			if (!finished) {
				finished = true;
				this.inFlight--;
			}
		});

		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (value !== undefined)
				headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
		}
		const record: RecordedRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: relativePath(url.pathname),
			// URLSearchParams decodes '+' as a space, as PHP does: an unencoded '+' in a phone is lost.
			query: Object.fromEntries(url.searchParams),
			headers,
			contentType: headers['content-type']?.split(';')[0].trim().toLowerCase() || undefined,
			rawBody: Buffer.alloc(0),
			receivedAt: performance.now(),
		};
		// Recorded before any fault acts, so a test can count what reached the server.
		this.requests.push(record);

		const started = performance.now();
		const matched = this.matchRoute(record.method, url.pathname);
		const taken = this.takeFault(matched.route?.key);
		const fault = taken?.kind === 'pass' ? undefined : taken;
		if (fault) record.fault = fault.kind;

		if (fault?.kind === 'resetBeforeBody') {
			req.socket.destroy();
			this.accessLog?.(`${record.method} ${record.path} reset before body`);
			return;
		}

		const body = await readBody(req);
		if (body === undefined) return; // client went away mid-body
		record.rawBody = body.data;

		let reply: Reply;
		if (body.tooLarge) {
			reply = { status: 413, json: { message: 'The request entity is too large.' } };
		} else if (fault && fault.kind !== 'delay' && fault.kind !== 'resetAfterBody') {
			this.parseBody(record, req);
			reply = faultReply(fault);
		} else {
			reply = this.dispatch(record, req, matched, url);
		}

		if (fault?.kind === 'resetAfterBody') {
			req.socket.destroy();
			this.accessLog?.(`${record.method} ${record.path} reset after body`);
			return;
		}
		if (fault?.kind === 'delay') await this.sleep(fault.ms);
		await this.sleep(this.latencyMs + Math.random() * this.latencyJitterMs);
		// The client may have given up while we waited; the work is done either way, as on a real server.
		if (res.destroyed || req.socket.destroyed) return;

		record.status = reply.status;
		this.write(res, reply);
		this.accessLog?.(
			`${record.method} ${record.path} ${reply.status} ${Math.round(performance.now() - started)}ms`,
		);
	}

	private matchRoute(
		method: string,
		pathname: string,
	): { route?: Route; parameter?: string; allowedMethods?: string[] } {
		const withoutSlash = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
		if (!withoutSlash.startsWith(`${API_PREFIX}/`)) return {};
		const path = withoutSlash.slice(API_PREFIX.length);
		const onPath = this.routes.filter((route) => route.pattern.test(path));
		const route = onPath.find((candidate) => candidate.method === method);
		// A tenant without the route: Laravel's 404, or its 405 when the path exists for POST only.
		const availability = route && this.unavailableRoutes.get(route.key);
		if (availability === 'missing') return {};
		if (availability === 'methodNotAllowed') return { allowedMethods: ['POST'] };
		if (route) return { route, parameter: route.pattern.exec(path)?.[1] };
		return { allowedMethods: onPath.map((candidate) => candidate.method) };
	}

	/** Fills json / fields / files of the record; returns an error reply for an unreadable multipart body. */
	private parseBody(record: RecordedRequest, req: http.IncomingMessage): Reply | undefined {
		const raw = record.rawBody;
		if (raw.length === 0) return undefined;
		const type = record.contentType ?? '';
		if (type === 'application/json' || type.endsWith('+json')) {
			try {
				record.json = JSON.parse(raw.toString('utf8'));
			} catch {
				// Laravel reads a malformed JSON body as empty input, so the rules then report missing fields.
			}
		} else if (type === 'multipart/form-data') {
			const boundary = boundaryOf(req.headers['content-type']);
			try {
				if (!boundary)
					throw new MultipartError('multipart/form-data without a boundary parameter.');
				const parsed = parseMultipart(raw, boundary);
				record.fields = parsed.fields;
				record.files = parsed.files;
			} catch (error) {
				if (!(error instanceof MultipartError)) throw error;
				// PHP would silently drop such a body and answer 422; being explicit points at the client bug.
				return {
					status: 400,
					json: { message: `Malformed multipart/form-data body: ${error.message}` },
				};
			}
		} else if (type === 'application/x-www-form-urlencoded') {
			record.fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
		}
		return undefined;
	}

	private dispatch(
		record: RecordedRequest,
		req: http.IncomingMessage,
		matched: { route?: Route; parameter?: string; allowedMethods?: string[] },
		url: URL,
	): Reply {
		const parseError = this.parseBody(record, req);
		const routePath = url.pathname.replace(/^\/+/, '').replace(/\/+$/, '');

		const { route } = matched;
		if (!route) {
			if (matched.allowedMethods?.length) {
				const allowed = matched.allowedMethods.includes('GET')
					? [...matched.allowedMethods, 'HEAD']
					: matched.allowedMethods;
				return {
					status: 405,
					headers: { allow: allowed.join(', ') },
					json: {
						message: `The ${record.method} method is not supported for route ${routePath}. Supported methods: ${allowed.join(', ')}.`,
					},
				};
			}
			return { status: 404, json: { message: `The route ${routePath} could not be found.` } };
		}

		// 1. The Host names the tenant, before the key is looked at (REFERENCE §2).
		if (hostnameOf(record.headers.host) !== this.tenantHost.toLowerCase()) {
			return { status: 404, json: { message: messages.tenantNotFound } };
		}

		// 2. The key: missing, unknown, revoked and expired keys are all the same 401.
		const presented = record.headers['x-api-key']?.trim();
		const apiKey = presented
			? this.keyStore.find((candidate) => candidate.key === presented)
			: undefined;
		const expired = apiKey?.expires_at != null && Date.parse(apiKey.expires_at) <= Date.now();
		if (!apiKey || apiKey.status !== 'active' || expired) {
			return { status: 401, json: { message: messages.unauthenticated } };
		}
		apiKey.last_used_at = nowIso();

		// 3. The scope.
		if (route.scope && !apiKey.scopes.includes('*') && !apiKey.scopes.includes(route.scope)) {
			return { status: 403, json: { message: messages.missingScope } };
		}

		if (parseError) return parseError;

		const body =
			record.json !== null && typeof record.json === 'object' && !Array.isArray(record.json)
				? record.json
				: {};
		const input = normaliseInput({ ...record.query, ...record.fields, ...body }) as Record<
			string,
			unknown
		>;
		const origin = `http://${record.headers.host}`;
		return route.handle({
			record,
			input,
			files: record.files ?? [],
			apiKey,
			routeParameter: matched.parameter,
			origin,
		});
	}

	private write(res: http.ServerResponse, reply: Reply): void {
		const headers: Record<string, string> = {
			'cache-control': 'no-cache, private',
			...reply.headers,
		};
		let payload: string | undefined;
		if (reply.json !== undefined) {
			payload = JSON.stringify(reply.json);
			headers['content-type'] = 'application/json';
		} else if (reply.text !== undefined) {
			payload = reply.text;
			headers['content-type'] = reply.contentType ?? 'text/plain; charset=UTF-8';
		} else if (reply.contentType) {
			headers['content-type'] = reply.contentType;
		}
		if (reply.status !== 204 && reply.status !== 304) {
			headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
		}
		res.writeHead(reply.status, headers);
		res.end(payload);
	}

	// ------------------------------------------------------------ routes

	private findSender(by: { id?: unknown; phone?: unknown }): SenderNumberFixture | undefined {
		if (by.id !== undefined)
			return this.senderNumbers.find((candidate) => candidate.id === Number(by.id));
		return this.senderNumbers.find((candidate) => candidate.phone === by.phone);
	}

	/**
	 * Laravel-style rules for "exactly one of sender_number_id / sender_phone" shared by the send
	 * and (undocumented, mirrored) the lookup. Returns the sender when one was named and exists.
	 */
	private senderRules(
		input: Record<string, unknown>,
		validation: Validation,
		required: boolean,
	): SenderNumberFixture | undefined {
		const hasId = present(input.sender_number_id);
		const hasPhone = present(input.sender_phone);
		if (hasId && hasPhone) {
			validation.add(
				'sender_number_id',
				'The sender number id field prohibits sender phone from being present.',
			);
			return undefined;
		}
		if (!hasId && !hasPhone) {
			if (required) {
				validation.add(
					'sender_number_id',
					'The sender number id field is required when sender phone is not present.',
				);
				validation.add(
					'sender_phone',
					'The sender phone field is required when sender number id is not present.',
				);
			}
			return undefined;
		}
		if (hasId) {
			if (!isIntegerLike(input.sender_number_id)) {
				validation.add('sender_number_id', 'The sender number id field must be an integer.');
				return undefined;
			}
			const found = this.findSender({ id: input.sender_number_id });
			if (!found) validation.add('sender_number_id', 'The selected sender number id is invalid.');
			return found;
		}
		if (typeof input.sender_phone !== 'string') {
			validation.add('sender_phone', 'The sender phone field must be a string.');
			return undefined;
		}
		const found = this.findSender({ phone: input.sender_phone });
		if (!found) validation.add('sender_phone', 'The selected sender phone is invalid.');
		return found;
	}

	/** Undocumented: the docs give no format rule; E.164 ("+" and 8–15 digits) is enforced here. */
	private phoneRule(input: Record<string, unknown>, field: string, validation: Validation): void {
		const value = input[field];
		if (!present(value)) validation.required(field);
		else if (typeof value !== 'string')
			validation.add(field, `The ${attributeName(field)} field must be a string.`);
		else if (!E164.test(value))
			validation.add(field, `The ${attributeName(field)} field format is invalid.`);
	}

	private sendMessage({ input, files }: HandlerContext): Reply {
		const validation = new Validation();
		const senderNumber = this.senderRules(input, validation, true);
		this.phoneRule(input, 'to_phone', validation);

		const type = input.type;
		if (!present(type)) validation.required('type');
		else if (typeof type !== 'string' || !MESSAGE_TYPES.includes(type))
			validation.add('type', 'The selected type is invalid.');

		// Undocumented: content is required for text (implied by every example), optional caption otherwise.
		if (present(input.content) && typeof input.content !== 'string') {
			validation.add('content', 'The content field must be a string.');
		} else if (type === 'text' && !present(input.content)) {
			validation.add('content', 'The content field is required when type is text.');
		}

		if (type === 'voice' && !present(input.duration)) {
			validation.add('duration', 'The duration field is required when type is voice.');
		} else if (present(input.duration)) {
			if (!isIntegerLike(input.duration))
				validation.add('duration', 'The duration field must be an integer.');
			else if (Number(input.duration) < 1 || Number(input.duration) > 300) {
				validation.add('duration', 'The duration field must be between 1 and 300.');
			}
		}

		const media = [...files].reverse().find((file) => file.field === 'media');
		if (typeof type === 'string' && MEDIA_TYPES.includes(type)) {
			// A zero-byte upload counts as no upload (PHP reports it as such).
			if (media && media.data.length > 0) {
				// ok
			} else if (present(input.media) && !media) {
				validation.add('media', 'The media field must be a file.');
			} else {
				validation.add('media', `The media field is required when type is ${type}.`);
			}
		}

		if (validation.failed || !senderNumber) return validation.reply();

		// Business rules, checked after validation (REFERENCE §9.1). Undocumented: their status code; 422 here.
		if (
			senderNumber.status === 'pending_account_verification' ||
			senderNumber.verification_status === 'pending_account_verification'
		) {
			return { status: 422, json: { message: messages.accountNotVerified } };
		}
		if (senderNumber.status !== 'active') {
			return { status: 422, json: { message: messages.senderNotActive } };
		}
		const toPhone = input.to_phone as string;
		const recipient = lookupContact(toPhone, senderNumber.id);
		if (!recipient.can_receive || recipient.recipient_id === null) {
			return {
				status: 422,
				json: { message: messages.recipientCannotReceive, reason_code: recipient.reason_code },
			};
		}

		const id = this.nextIds.message++;
		const logEntry: MessageLogEntry = {
			id,
			sender_number_id: senderNumber.id,
			recipient_user_id: recipient.recipient_id,
			conversation_id: conversationIdFor(senderNumber.id, recipient.recipient_id),
			message_id: 900_000 + id,
			message_type: type as string,
			content: (input.content as string | null | undefined) ?? null,
			status: 'sent',
			sent_at: nowIso(),
		};
		this.messageLog.unshift(logEntry);
		this.sent.push({
			logEntry,
			toPhone,
			file: media
				? { filename: media.filename, contentType: media.contentType, size: media.data.length }
				: undefined,
		});
		return { status: 201, json: { data: { ...logEntry } } };
	}

	private listMessages({ input, record, origin }: HandlerContext): Reply {
		// Undocumented: page / per_page. Laravel ignores an unusable page (treats it as 1).
		const validation = new Validation();
		let perPage = DEFAULT_PER_PAGE;
		if (present(input.per_page)) {
			if (!isIntegerLike(input.per_page))
				validation.add('per_page', 'The per page field must be an integer.');
			else if (Number(input.per_page) < 1 || Number(input.per_page) > 100) {
				validation.add('per_page', 'The per page field must be between 1 and 100.');
			} else perPage = Number(input.per_page);
		}
		if (validation.failed) return validation.reply();
		const requestedPage = Number(input.page);
		const page = Number.isInteger(requestedPage) && requestedPage >= 1 ? requestedPage : 1;

		const total = this.messageLog.length;
		const lastPage = Math.max(1, Math.ceil(total / perPage));
		const offset = (page - 1) * perPage;
		const data = this.messageLog.slice(offset, offset + perPage).map((entry) => ({ ...entry }));
		const from = data.length ? offset + 1 : null;
		const to = data.length ? offset + data.length : null;

		// Links keep the other query parameters (Laravel's withQueryString()), so per_page survives.
		const path = `${origin}${API_PREFIX}/messages`;
		const pageUrl = (target: number): string => {
			const query = new URLSearchParams(record.query);
			query.delete('page');
			query.set('page', String(target));
			return `${path}?${query.toString()}`;
		};
		const prev = page > 1 ? pageUrl(Math.min(page - 1, lastPage)) : null;
		const next = page < lastPage ? pageUrl(page + 1) : null;
		const pageLinks = [
			{ url: prev, label: '&laquo; Previous', active: false },
			...Array.from({ length: lastPage }, (_, index) => ({
				url: pageUrl(index + 1),
				label: String(index + 1),
				active: index + 1 === page,
			})),
			{ url: next, label: 'Next &raquo;', active: false },
		];

		switch (this.paginationStyle) {
			case 'links':
				return {
					status: 200,
					json: {
						data,
						links: { first: pageUrl(1), last: pageUrl(lastPage), prev, next },
						meta: {
							current_page: page,
							from,
							last_page: lastPage,
							links: pageLinks,
							path,
							per_page: perPage,
							to,
							total,
						},
					},
				};
			case 'next_page_url':
				return {
					status: 200,
					json: {
						current_page: page,
						data,
						first_page_url: pageUrl(1),
						from,
						last_page: lastPage,
						last_page_url: pageUrl(lastPage),
						links: pageLinks,
						next_page_url: next,
						path,
						per_page: perPage,
						prev_page_url: prev,
						to,
						total,
					},
				};
			case 'meta':
				return {
					status: 200,
					json: {
						data,
						meta: { current_page: page, last_page: lastPage, per_page: perPage, total },
					},
				};
			// 'none' and 'array': the requested page, with nothing telling the client more exist.
			case 'none':
				return { status: 200, json: { data } };
			case 'array':
				return { status: 200, json: data };
		}
	}

	private lookup({ input }: HandlerContext): Reply {
		const validation = new Validation();
		this.phoneRule(input, 'phone', validation);
		// Undocumented: sender params are optional; the send's "not both" rule is mirrored.
		const senderNumber = this.senderRules(input, validation, false);
		if (validation.failed) return validation.reply();
		return { status: 200, json: lookupContact(input.phone as string, senderNumber?.id) };
	}

	/** Undocumented shape: "usage grouped by sender number" plus tenant totals and limits. */
	private usage(): Reply {
		if (this.usageBody !== undefined) return { status: 200, json: this.usageBody };
		const countsFor = (entries: MessageLogEntry[]) => ({
			messages_sent: entries.filter((entry) => entry.status !== 'failed').length,
			messages_failed: entries.filter((entry) => entry.status === 'failed').length,
			by_type: Object.fromEntries(
				MESSAGE_TYPES.map((type) => [
					type,
					entries.filter((entry) => entry.message_type === type).length,
				]),
			),
		});
		const oldest = this.messageLog.reduce(
			(earliest, entry) => (entry.sent_at < earliest ? entry.sent_at : earliest),
			nowIso(),
		);
		return {
			status: 200,
			json: {
				data: {
					period: { from: oldest, to: nowIso() },
					totals: countsFor(this.messageLog),
					limits: { messages_per_day: 1000, messages_per_month: 30000 },
					senders: this.senderNumbers
						.map((senderNumber) => {
							const entries = this.messageLog.filter(
								(entry) => entry.sender_number_id === senderNumber.id,
							);
							return {
								sender_number_id: senderNumber.id,
								sender_phone: senderNumber.phone,
								display_name: senderNumber.display_name,
								...countsFor(entries),
								last_sent_at: entries.length
									? entries.reduce(
											(latest, entry) => (entry.sent_at > latest ? entry.sent_at : latest),
											'',
										)
									: null,
							};
						})
						.filter((row) => row.messages_sent + row.messages_failed > 0),
				},
			},
		};
	}

	private listSenders(): Reply {
		return {
			status: 200,
			json: { data: this.senderNumbers.map((senderNumber) => ({ ...senderNumber })) },
		};
	}

	private createSender({ input }: HandlerContext): Reply {
		const validation = new Validation();
		this.phoneRule(input, 'phone', validation);
		if (typeof input.phone === 'string' && E164.test(input.phone)) {
			if (this.findSender({ phone: input.phone })) validation.add('phone', messages.phoneTaken);
			// The OTP goes to the phone's TGO Connect account (REFERENCE §8.3): without one there is no owner to verify.
			else if (!lookupContact(input.phone).exists) validation.add('phone', messages.phoneNotOnTgoConnect);
		}
		const displayName = input.display_name;
		if (present(displayName) && typeof displayName !== 'string') {
			validation.add('display_name', 'The display name field must be a string.');
		} else if (typeof displayName === 'string' && displayName.length > 255) {
			validation.add(
				'display_name',
				'The display name field must not be greater than 255 characters.',
			);
		}
		if (validation.failed) return validation.reply();

		const createdAt = nowIso();
		const created: SenderNumberFixture = {
			id: this.nextIds.sender++,
			phone: input.phone as string,
			display_name: (displayName as string | null | undefined) ?? null,
			status: 'pending_verification',
			verification_status: null,
			created_at: createdAt,
			updated_at: createdAt,
		};
		this.senderNumbers.push(created);
		this.registered.push({ ...created });
		// Undocumented: response shape and status; { data } and 201 like the other creations.
		return { status: 201, json: { data: { ...created } } };
	}

	private publicKey(key: ApiKeyState) {
		return {
			id: key.id,
			name: key.name,
			prefix: 'tgo_',
			scopes: [...key.scopes],
			status: key.status,
			expires_at: key.expires_at,
			last_used_at: key.last_used_at,
		};
	}

	private createKey({ input }: HandlerContext): Reply {
		const validation = new Validation();
		if (!present(input.name)) validation.required('name');
		else if (typeof input.name !== 'string')
			validation.add('name', 'The name field must be a string.');
		else if (input.name.length > 255)
			validation.add('name', 'The name field must not be greater than 255 characters.');

		// Undocumented: the default when scopes are omitted; full access here.
		let scopes: Scope[] = ['*'];
		if (present(input.scopes)) {
			if (!Array.isArray(input.scopes))
				validation.add('scopes', 'The scopes field must be an array.');
			else {
				input.scopes.forEach((scope, index) => {
					if (!ALL_SCOPES.includes(scope as Scope))
						validation.add(`scopes.${index}`, `The selected scopes.${index} is invalid.`);
				});
				scopes = [...new Set(input.scopes as Scope[])];
			}
		}
		let days = 90;
		if (present(input.expires_in_days)) {
			if (!isIntegerLike(input.expires_in_days)) {
				validation.add('expires_in_days', 'The expires in days field must be an integer.');
			} else if (Number(input.expires_in_days) < 1 || Number(input.expires_in_days) > 365) {
				validation.add('expires_in_days', 'The expires in days field must be between 1 and 365.');
			} else days = Number(input.expires_in_days);
		}
		if (validation.failed) return validation.reply();

		const created: ApiKeyState = {
			id: this.nextIds.key++,
			name: input.name as string,
			key: `tgo_${randomBytes(24).toString('base64url')}`,
			scopes,
			status: 'active',
			expires_at: laravelTimestamp(new Date(Date.now() + days * 86_400_000)),
			last_used_at: null,
			created_at: nowIso(),
		};
		this.keyStore.push(created);
		return { status: 201, json: { data: this.publicKey(created), plain_text_key: created.key } };
	}

	private revokeKey({ routeParameter }: HandlerContext): Reply {
		const target = /^\d+$/.test(routeParameter ?? '')
			? this.keyStore.find((candidate) => candidate.id === Number(routeParameter))
			: undefined;
		if (!target) {
			return {
				status: 404,
				json: { message: `No query results for model [App\\Models\\ApiKey] ${routeParameter}` },
			};
		}
		// Revoking twice is harmless (204 again).
		target.status = 'revoked';
		return { status: 204 };
	}

	private me({ apiKey }: HandlerContext): Reply {
		if (this.accountBodies.has('GET /me')) return { status: 200, json: this.accountBodies.get('GET /me') };
		return {
			status: 200,
			json: {
				user: { id: 1, name: 'Sandbox Owner', email: 'owner@sandbox.invalid' },
				api_key: this.publicKey(apiKey),
				organization: { id: 1, name: 'Sandbox Trading Co.', domain: this.tenantHost },
				subscription: { plan: 'business', status: 'active' },
			},
		};
	}

	/** Undocumented: the inner shapes of plan, limits and usage_snapshot; usage is keyed like the limits. */
	private subscription(): Reply {
		if (this.accountBodies.has('GET /subscription')) {
			return { status: 200, json: this.accountBodies.get('GET /subscription') };
		}
		const now = new Date().toISOString();
		const sentSince = (prefix: string) =>
			this.messageLog.filter((entry) => entry.status !== 'failed' && entry.sent_at.startsWith(prefix)).length;
		return {
			status: 200,
			json: {
				plan: { code: 'business', name: 'Business', billing_cycle: 'monthly' },
				status: 'active',
				limits: [
					{ key: 'messages_per_day', limit: 1000 },
					{ key: 'messages_per_month', limit: 30000 },
					// Seven fixture senders of eight allowed: close to the limit, as example 07 shows.
					{ key: 'sender_numbers', limit: 8 },
				],
				usage_snapshot: {
					messages_per_day: sentSince(now.slice(0, 10)),
					messages_per_month: sentSince(now.slice(0, 7)),
					sender_numbers: this.senderNumbers.length,
				},
			},
		};
	}
}

/** '/api/v1/messages' → '/messages'; other paths are kept as they are. Trailing slashes dropped. */
function relativePath(pathname: string): string {
	const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
	if (trimmed === API_PREFIX) return '/';
	return trimmed.startsWith(`${API_PREFIX}/`) ? trimmed.slice(API_PREFIX.length) : trimmed;
}

function readBody(
	req: http.IncomingMessage,
): Promise<{ data: Buffer; tooLarge: boolean } | undefined> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			// Keep draining past the limit so the client sees a 413 rather than a stalled upload.
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve({ data: Buffer.concat(chunks), tooLarge }));
		req.on('error', () => resolve(undefined));
		req.on('aborted', () => resolve(undefined));
	});
}

const DEFAULT_FAULT_MESSAGES: Record<number, string> = {
	429: 'Too Many Attempts.',
	500: 'Server Error',
	503: 'Service Unavailable',
};

function faultReply(fault: Fault): Reply {
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

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new TgoSandbox(options.tenantHost ?? '127.0.0.1', options.accessLog);
	await sandbox.listen(options.port ?? 0, options.host ?? '127.0.0.1');
	return sandbox;
}
