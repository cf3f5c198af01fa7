// Security under faults, through the real nodes in n8n-core:
// - a plain-http Tenant Domain that is not loopback is refused before any connection is opened,
//   with an error that names the domain (the API key must never travel in clear text);
// - an error never echoes more of a TGO answer than its documented `message` and a bounded
//   excerpt, however large the body;
// - a redirect from the tenant is never followed, so the key cannot travel to another origin;
// - the API key appears nowhere in what these runs produce (the fault matrix scans its own runs).
import * as dc from 'node:diagnostics_channel';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { capturedLogs, runNode, type NodeRunResult } from '../../tools/harness';
import { senders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { allText, keepReportedErrors, placesOf, reportedErrors } from './support';

interface NodeCall {
	type: string;
	/** Tells apart two entries for one node (Get Account's two calls); the type otherwise. */
	label?: string;
	/** The route a fault is injected on. */
	route: string;
	parameters: INodeParameters;
}

const NODES: NodeCall[] = [
	{
		type: 'tgoSendMessage',
		route: 'POST /messages',
		parameters: {
			sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
			toPhone: '={{ $json.phone }}',
			messageType: 'text',
			content: 'Your parcel is on its way',
		},
	},
	{ type: 'tgoLookupContact', route: 'GET /contacts/lookup', parameters: { phone: '={{ $json.phone }}' } },
	{ type: 'tgoRegisterSenderNumber', route: 'POST /sender-numbers', parameters: { phone: '={{ $json.phone }}', displayName: 'New branch' } },
	{ type: 'tgoGetSenderNumbers', route: 'GET /sender-numbers', parameters: { returnAll: true } },
	{ type: 'tgoGetUsage', route: 'GET /usage', parameters: {} },
	{ type: 'tgoGetMessageLogs', route: 'GET /messages', parameters: { returnAll: false, limit: 5 } },
	{ type: 'tgoGetAccount', label: 'tgoGetAccount GET /me', route: 'GET /me', parameters: { options: { includeSubscription: false } } },
	{ type: 'tgoGetAccount', label: 'tgoGetAccount GET /subscription', route: 'GET /subscription', parameters: {} },
];

const labelled = NODES.map((node) => [node.label ?? node.type, node] as const);

const ITEMS: IDataObject[] = [{ phone: '+201230000001' }, { phone: '+201230000002' }];
const SECRET_KEY = 'tgo_SecurityTestKey_DoNotLeak_7f3a9c';

let sandbox: Sandbox;
const results: NodeRunResult[] = [];

beforeAll(async () => {
	keepReportedErrors();
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => sandbox.close());

async function run(node: NodeCall, domain: string, apiKey: string, continueOnFail: boolean): Promise<NodeRunResult> {
	const result = await runNode({
		type: node.type,
		parameters: node.parameters,
		items: ITEMS,
		credentials: { domain, apiKey },
		continueOnFail,
	});
	results.push(result);
	return result;
}

/** Every TCP connection and HTTP request this process starts while `action` runs. */
async function connectionsDuring<T>(action: () => Promise<T>): Promise<{ value: T; connections: string[] }> {
	const connections: string[] = [];
	const onSocket = () => connections.push('net.client.socket');
	const onRequest = (message: unknown) => {
		const { request } = message as { request: { host?: string; path?: string } };
		connections.push(`http.client.request.start ${request.host ?? ''}${request.path ?? ''}`);
	};
	dc.subscribe('net.client.socket', onSocket);
	dc.subscribe('http.client.request.start', onRequest);
	try {
		return { value: await action(), connections };
	} finally {
		dc.unsubscribe('net.client.socket', onSocket);
		dc.unsubscribe('http.client.request.start', onRequest);
	}
}

describe('plain http:// to a host that is not loopback is refused before any request', () => {
	// .invalid never resolves (RFC 2606): even a regression could not reach any host with the key.
	const DOMAIN = 'http://tgo-business.invalid';

	test.each(labelled)(
		'%s: the node stops naming the domain and the item, and no connection is opened',
		async (_type, node) => {
			const { value: result, connections } = await connectionsDuring(() => run(node, DOMAIN, SECRET_KEY, false));

			expect(connections).toEqual([]);
			expect(result.success).toEqual([]);
			expect(result.error).toEqual([]);
			expect(result.thrown?.message).toContain(`"${DOMAIN}"`);
			expect(result.thrown?.message).toMatch(/unencrypted/);
			expect(result.thrown).toMatchObject({ context: { itemIndex: 0 } });
		},
	);

	test.each(labelled)(
		'%s under Continue on Fail: every item goes to Error naming the domain, at once, with no connection',
		async (_type, node) => {
			const started = performance.now();
			const { value: result, connections } = await connectionsDuring(() => run(node, DOMAIN, SECRET_KEY, true));

			expect(connections).toEqual([]);
			expect(result.thrown).toBeUndefined();
			expect(result.success).toEqual([]);
			expect(result.error.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			for (const item of result.error) {
				expect((item.json.error as IDataObject).message).toContain(`"${DOMAIN}"`);
			}
			// Not retried as if it were a network failure (that would be 3.5 s of backoff per item).
			expect(performance.now() - started).toBeLessThan(1500);
		},
	);
});

describe('a redirect from the tenant is never followed', () => {
	/** A loopback server on its own port (another origin), recording what reaches it. */
	async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
		const server = http.createServer(handler);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
	}
	const stop = async (server: http.Server) => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};

	test.each([301, 302, 307, 308])('%i to another origin: the API key never reaches it, and the item fails with that status', async (status) => {
		const reached: http.IncomingHttpHeaders[] = [];
		const elsewhere = await listen((request, response) => {
			reached.push(request.headers);
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
		});
		const tenant = await listen((request, response) => {
			response.writeHead(status, { location: `${elsewhere.url}${request.url}` }).end();
		});
		try {
			for (const node of NODES) {
				const result = await run(node, tenant.url, SECRET_KEY, true);
				expect(result.error[0].json.error).toMatchObject({ code: 'API_ERROR', httpCode: status });
			}
			expect(reached).toEqual([]);
		} finally {
			await stop(tenant.server);
			await stop(elsewhere.server);
		}
	});
});

describe('errors quote at most a bounded excerpt of what TGO answered', () => {
	const HUGE_PAGE = `<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>${'<p>Stack frame in vendor/laravel/framework/src/Illuminate/Foundation/Exceptions/Handler.php line 42</p>\n'.repeat(20_000)}</body></html>`;
	const HUGE_JSON = { exception: 'ErrorException', trace: Array.from({ length: 20_000 }, (_, line) => ({ file: '/var/www/app/Http/Kernel.php', line })) };
	// Message, description, resolution and n8n's copies of them: a few hundred characters each,
	// whatever the size of the body (1-2 MB here).
	const EXCERPT_BOUND = 4000;

	test('the bodies are huge', () => {
		expect(HUGE_PAGE.length).toBeGreaterThan(1_000_000);
		expect(JSON.stringify(HUGE_JSON).length).toBeGreaterThan(500_000);
	});

	test.each(labelled.flatMap(([label, node]) => [
		[label, 'a 1.9 MB HTML 500 page', node, HUGE_PAGE] as const,
		[label, 'a 0.9 MB JSON 500 body without a message', node, HUGE_JSON] as const,
	]))('%s, %s: the Error item and the thrown error stay short', async (_type, _what, node, body) => {
		// GETs retry a 500: refuse the first three attempts with an immediate 503 (Retry-After: 0)
		// and give the huge page to the last one, whose answer the error is made of.
		const injectFaults = () =>
			sandbox.inject(
				node.route,
				...(node.route.startsWith('GET') ? [0, 1, 2].map(() => ({ kind: 'status' as const, status: 503, retryAfter: 0 })) : []),
				{ kind: 'status', status: 500, body },
			);

		injectFaults();
		const underContinue = await run(node, sandbox.credentialDomain, sandbox.keys.full, true);
		expect(underContinue.error[0].json.error).toMatchObject({ code: 'API_ERROR', httpCode: 500 });
		expect(allText(underContinue.error[0].json.error).length).toBeLessThan(EXCERPT_BOUND);
		expect(JSON.stringify(underContinue.error[0].json).length).toBeLessThan(EXCERPT_BOUND);

		sandbox.reset();
		injectFaults();
		const stopped = await run(node, sandbox.credentialDomain, sandbox.keys.full, false);
		expect(stopped.thrown).toMatchObject({ name: 'NodeApiError', httpCode: '500', context: { itemIndex: 0 } });
		// Everything the error carries, its stack excepted (that is code, not the body).
		expect(allText({ ...stopped.thrown, stack: '' }).length).toBeLessThan(EXCERPT_BOUND);
	});

	test('n8n-core reported those errors live, and even with their causes they stay short', () => {
		expect(reportedErrors.length).toBeGreaterThan(0);
		for (const error of reportedErrors) {
			const { stack: _stack, ...rest } = error as Error;
			expect(allText({ ...rest, message: (error as Error).message, cause: (error as Error).cause }).length).toBeLessThan(EXCERPT_BOUND);
		}
	});
});

describe('the API key appears in nothing these runs produced', () => {
	test('outputs, thrown errors with their causes, errors reported live, and logs', () => {
		const keys = [SECRET_KEY, sandbox.keys.full];
		expect(results.length).toBeGreaterThan(20);
		const places = keys.flatMap((key) => [
			...placesOf(key, results.map(({ success, error, thrown, runData }) => ({ success, error, thrown, runData })), 'runs'),
			...placesOf(key, reportedErrors, 'reported errors'),
			...placesOf(key, capturedLogs, 'logs'),
		]);
		expect(places).toEqual([]);
	});
});
