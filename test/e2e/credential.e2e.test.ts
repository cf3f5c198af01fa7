// End to end: the credential test of `tgoBusinessApi`, run by the REAL n8n application (with this
// package installed as a community package) through its REST API — the same call the editor's
// credential dialog makes — against the TGO sandbox on loopback. Runs on every tested n8n
// version (N8N_VERSION=1.123.81 or 1.85.4 for 1.x), where the same words must come back.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { messages, startSandbox, type Fault, type Sandbox } from '../../tools/sandbox/server';
import { N8nInstance, type N8nServer } from '../../tools/n8n/n8n';

const CREDENTIAL_TYPE = 'tgoBusinessApi';
// The credential's words when TGO's answer is not the sender list, whatever its status.
const NOT_CONFIRMED = /did not answer with the sender number list/;

/** A loopback server that answers every request with `reply` and records what it received. */
async function recordingServer(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
	const received: Array<{ url?: string; headers: http.IncomingHttpHeaders }> = [];
	const server = http.createServer((req, res) => {
		received.push({ url: req.url, headers: req.headers });
		req.resume();
		reply(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		port,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('credential test in the real n8n app', () => {
	let sandbox: Sandbox;
	let instance: N8nInstance;
	let n8n: N8nServer;

	beforeAll(async () => {
		sandbox = await startSandbox();
		instance = await N8nInstance.create();
		n8n = await instance.start();
		await n8n.ready(); // owner setup, then a cookie login
	});

	afterAll(async () => {
		await instance?.dispose();
		await sandbox?.close();
	});

	afterEach(() => sandbox.clearFaults()); // a failed test must not leave its fault to the next

	const sandboxCalls = () => sandbox.requests.filter((r) => r.path === '/sender-numbers');

	it('loads the credential type from the installed package', async () => {
		const types = await n8n.credentialTypes();
		const ours = types.find((t) => t.name === CREDENTIAL_TYPE);
		expect(ours).toBeDefined();
		expect(ours?.displayName).toBe('TGO Business API');
	});

	it('valid key: OK, and the key travels as X-Api-Key to the tenant API', async () => {
		const before = sandboxCalls().length;
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		});
		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
		const calls = sandboxCalls().slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0].method).toBe('GET');
		expect(calls[0].headers['x-api-key']).toBe(sandbox.keys.full);
		expect(calls[0].headers.accept).toContain('application/json');
	});

	it.each([
		['an unknown key', 'tgo_NotARealKey000000000000'],
		['an expired key', 'expired'],
		['a revoked key', 'revoked'],
	])('%s: Error naming the key problem, without echoing the key, after one request', async (_label, keyOrName) => {
		const apiKey = keyOrName in sandbox.keys ? sandbox.keys[keyOrName as keyof Sandbox['keys']] : keyOrName;
		const before = sandboxCalls().length;
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API key/i);
		expect(result.message).toMatch(/invalid|revoked|expired/i);
		expect(result.message).not.toContain(apiKey);
		// n8n resends a request that failed with 401 once; an answered test request is not "failed".
		expect(sandboxCalls().length - before).toBe(1);
	});

	it('unknown tenant domain: Error naming the domain problem', async () => {
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.unknownTenantDomain, apiKey: sandbox.keys.full },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/domain/i);
		expect(result.message).not.toMatch(/API key is invalid/i);
		expect(result.message).not.toContain(sandbox.keys.full);
	});

	it('a key without the needed scope (403 with TGO\'s body): Error naming the scope', async () => {
		sandbox.inject('GET /sender-numbers', { kind: 'status', status: 403, body: { message: messages.missingScope } });
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/lacks a scope/);
	});

	// Any answer that is not the sender list fails the test, whatever its status: never
	// "Connection successful" for a server error, a proxy's HTML page or a broken body.
	it.each<[string, Fault]>([
		['500 Server Error', { kind: 'status', status: 500 }],
		['503 with Retry-After', { kind: 'status', status: 503, retryAfter: 1 }],
		['502 HTML page from a proxy', { kind: 'html', status: 502 }],
		['200 HTML page (a login or parking page)', { kind: 'html', status: 200 }],
		['200 with cut-off JSON', { kind: 'invalidJson' }],
		['200 with an empty body', { kind: 'emptyBody' }],
		['200 whose data is not a list', { kind: 'status', status: 200, body: { data: { id: 1 } } }],
		['200 with another JSON shape', { kind: 'status', status: 200, body: { senders: [] } }],
		['418 with an unknown message', { kind: 'status', status: 418, body: { message: 'I am a teapot' } }],
	])('%s: Error, not OK', async (_label, fault) => {
		sandbox.inject('GET /sender-numbers', fault);
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(NOT_CONFIRMED);
		expect(result.message).not.toContain(sandbox.keys.full);
	});

	// n8n words a failed connection itself, and a declarative credential test cannot change that
	// (n8n reads only TGO's answers through its rules): by its bare code, or in a sentence of its own
	// where n8n-workflow 1.99 to 1.x drops the request's cause (n8n 1.123.81; not 1.85 or 2.x).
	// The dialog shows the credential's notice below the fields: it must explain the code.
	it.each([
		['a mistyped domain (no such domain)', 'ENOTFOUND', /incorrect host \(domain\)/, () => 'https://tgo-busines.invalid', /compare Tenant Domain letter by letter with the domain your TGO Business dashboard shows/],
		['a closed port', 'ECONNREFUSED', /refused the connection/, async () => `http://127.0.0.1:${await closedPort()}`, /the domain exists but n8n could not connect to it: check the port/],
	])('%s: n8n reports %s, and the credential form explains it', async (_label, code, sentence, domain, explanation) => {
		const result = await n8n.testCredential({ type: CREDENTIAL_TYPE, data: { domain: await domain(), apiKey: sandbox.keys.full } });
		const workflowPackage = path.join(instance.provisioned.N8N_DIR, 'app/node_modules/n8n-workflow/package.json');
		const [major, minor] = (JSON.parse(fs.readFileSync(workflowPackage, 'utf8')) as { version: string }).version.split('.').map(Number);
		const dropsCause = major === 1 && minor >= 99;
		expect(result).toEqual({ status: 'Error', message: dropsCause ? expect.stringMatching(sentence) : code });

		const ours = (await n8n.credentialTypes()).find((t) => t.name === CREDENTIAL_TYPE) as { properties?: Array<{ type: string; displayName: string }> };
		const notices = (ours?.properties ?? []).filter((property) => property.type === 'notice').map((property) => property.displayName);
		expect(notices).toEqual([expect.stringContaining(code)]);
		expect(notices[0]).toMatch(explanation);
	});

	it('plain http:// to a remote host: Error naming the domain, before any request', async () => {
		const before = sandbox.requests.length;
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: 'http://tgo-business.invalid', apiKey: sandbox.keys.full },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Tenant Domain "http://tgo-business.invalid" is not usable');
		expect(result.message).toMatch(/unencrypted/);
		expect(result.message).not.toContain(sandbox.keys.full);
		expect(sandbox.requests.length).toBe(before);
	});

	it('a redirect is not followed: the key goes to the tenant domain only', async () => {
		const elsewhere = await recordingServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'));
		const redirector = await recordingServer((req, res) =>
			res.writeHead(302, { location: `http://localhost:${elsewhere.port}${req.url ?? '/'}` }).end(),
		);
		try {
			const result = await n8n.testCredential({
				type: CREDENTIAL_TYPE,
				data: { domain: `http://127.0.0.1:${redirector.port}`, apiKey: sandbox.keys.full },
			});
			expect(result.status).toBe('Error');
			expect(redirector.received).toHaveLength(1);
			expect(elsewhere.received).toHaveLength(0);
		} finally {
			await Promise.all([redirector.close(), elsewhere.close()]);
		}
	});

	it('saved credential (the editor saves, then tests by id): OK', async () => {
		const saved = await n8n.createCredential({
			name: 'TGO sandbox',
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		});
		expect(saved.id).toEqual(expect.any(String));
		// The editor opens the saved credential (n8n redacts the key), then tests the form's data
		// with the id; n8n puts the stored secret back in place of the redaction marker.
		const opened = await n8n.getCredential(saved.id);
		expect(JSON.stringify(opened)).not.toContain(sandbox.keys.full);
		const result = await n8n.testCredential({ id: saved.id, name: 'TGO sandbox', type: CREDENTIAL_TYPE, data: opened.data ?? {} });
		expect(result.status).toBe('OK');
	});
});
