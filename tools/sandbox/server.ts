/**
 * The TGO sandbox: a real HTTP server on loopback that behaves like the documented TGO Business
 * tenant API (TGO's public docs, https://docs.business.tgo-eg.com), with request recording and fault injection
 * for tests and benchmarks.
 *
 * Where the docs are silent the sandbox picks what a Laravel backend would most likely do; each
 * such choice is marked "Undocumented:" (here and in routes/).
 *
 * This file is the HTTP server: recording, fault injection, the tenant / key / scope checks and
 * the control surface tests use. Each API route is a small file in routes/, listed in
 * routes/index.ts; the tenant's data they share is state.ts.
 *
 * Request headers (they carry API keys) are recorded for tests but never printed or logged.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

import { apiKeys, laravelTimestamp, type SenderNumberFixture } from './fixtures';
import { type Fault, faultReply } from './faults';
import { boundaryOf, MultipartError, parseMultipart } from './multipart';
import { API_PREFIX, messages, type Reply, type Route, routes } from './routes';
import { type AccountRoute, type LogsPaginationStyle, SandboxState, type SentMessage } from './state';

export type { Fault } from './faults';
export { messages } from './routes';
export type { AccountRoute, LogsPaginationStyle, SentMessage } from './state';

export interface StartSandboxOptions {
	/** 0 (default) lets the OS pick a free port. */
	port?: number;
	/** Interface to listen on; default 127.0.0.1. */
	host?: string;
	/** The only Host header hostname that is a known tenant; default '127.0.0.1'. */
	tenantHost?: string;
	/** Called once per answered request with `METHOD /path STATUS ms` (never headers, never the key). */
	accessLog?: (line: string) => void;
	/** PEM key and certificate: serve HTTPS instead of HTTP (the benchmark's TLS figures); the domains then start with https://. */
	tls?: { key: string | Buffer; cert: string | Buffer };
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

export type RouteAvailability = 'available' | 'missing' | 'methodNotAllowed';

const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** A route of the table with what the server matches it by: 'DELETE /api-keys/{id}' and its pattern. */
interface ServedRoute extends Route {
	key: string;
	pattern: RegExp;
}

function served(route: Route): ServedRoute {
	const pattern = new RegExp(`^${route.path.replace(/\{[^/}]+\}/g, '([^/]+)')}$`);
	return { ...route, key: `${route.method} ${route.path}`, pattern };
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

	private readonly servers: http.Server[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly faults = new Map<string, Fault[]>();
	private inFlight = 0;
	private highestInFlight = 0;
	private latencyMs = 0;
	private latencyJitterMs = 0;
	private readonly unavailableRoutes = new Map<string, Exclude<RouteAvailability, 'available'>>();
	private readonly state: SandboxState;
	private readonly routes: ServedRoute[] = routes.map(served);

	constructor(
		private readonly tenantHost: string,
		private readonly accessLog?: (line: string) => void,
	) {
		this.state = new SandboxState(tenantHost);
	}

	get maxInFlight(): number {
		return this.highestInFlight;
	}

	get sent(): SentMessage[] {
		return this.state.sent;
	}

	get registered(): SenderNumberFixture[] {
		return this.state.registered;
	}

	async listen(port: number, host: string, tls?: StartSandboxOptions['tls']): Promise<void> {
		const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.serve(req, res);
		const createServer = () => (tls ? https.createServer(tls, handler) : http.createServer(handler));
		const scheme = tls ? 'https' : 'http';
		const primary = createServer();
		await new Promise<void>((resolve, reject) => {
			primary.once('error', reject);
			primary.listen(port, host, () => resolve());
		});
		this.servers.push(primary);
		this.port = (primary.address() as AddressInfo).port;

		// `localhost` may resolve to ::1 first on some machines; answer there too so
		// unknownTenantDomain reaches the sandbox (and gets its 404) instead of a refused connection.
		if (host === '127.0.0.1') {
			const ipv6 = createServer();
			const listening = await new Promise<boolean>((resolve) => {
				ipv6.once('error', () => resolve(false));
				ipv6.listen(this.port, '::1', () => resolve(true));
			});
			if (listening) this.servers.push(ipv6);
		}

		this.credentialDomain = `${scheme}://${urlHost(this.tenantHost)}:${this.port}`;
		this.baseUrl = `${this.credentialDomain}${API_PREFIX}`;
		const otherLoopbackName = this.tenantHost === 'localhost' ? '127.0.0.1' : 'localhost';
		this.unknownTenantDomain = `${scheme}://${otherLoopbackName}:${this.port}`;
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
		this.state.usageBody = body;
	}

	setLogsPagination(style: LogsPaginationStyle): void {
		this.state.paginationStyle = style;
	}

	setAccountBody(route: AccountRoute, body: unknown | undefined): void {
		if (body === undefined) this.state.accountBodies.delete(route);
		else this.state.accountBodies.set(route, body);
	}

	setRouteAvailability(route: string, availability: RouteAvailability): void {
		const key = this.routeKeyOf(route);
		if (availability === 'available') this.unavailableRoutes.delete(key);
		else this.unavailableRoutes.set(key, availability);
	}

	setKeyExpiry(apiKey: string, expiresAt: string | null): void {
		const key = this.state.keyStore.find((candidate) => candidate.key === apiKey);
		if (!key) throw new Error('setKeyExpiry: not one of this sandbox\'s keys.');
		key.expires_at = expiresAt;
	}

	reset(): void {
		this.requests.length = 0;
		this.faults.clear();
		this.highestInFlight = this.inFlight;
		this.latencyMs = 0;
		this.latencyJitterMs = 0;
		this.unavailableRoutes.clear();
		this.state.reset();
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
	): { route?: ServedRoute; parameter?: string; allowedMethods?: string[] } {
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
		matched: { route?: ServedRoute; parameter?: string; allowedMethods?: string[] },
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

		// 1. The Host names the tenant, before the key is looked at (docs/tgo-api.md#base-url-and-tenancy).
		if (hostnameOf(record.headers.host) !== this.tenantHost.toLowerCase()) {
			return { status: 404, json: { message: messages.tenantNotFound } };
		}

		// 2. The key: missing, unknown, revoked and expired keys are all the same 401.
		const presented = record.headers['x-api-key']?.trim();
		const apiKey = presented
			? this.state.keyStore.find((candidate) => candidate.key === presented)
			: undefined;
		const expired = apiKey?.expires_at != null && Date.parse(apiKey.expires_at) <= Date.now();
		if (!apiKey || apiKey.status !== 'active' || expired) {
			return { status: 401, json: { message: messages.unauthenticated } };
		}
		apiKey.last_used_at = laravelTimestamp();

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
			state: this.state,
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

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new TgoSandbox(options.tenantHost ?? '127.0.0.1', options.accessLog);
	await sandbox.listen(options.port ?? 0, options.host ?? '127.0.0.1', options.tls);
	return sandbox;
}
