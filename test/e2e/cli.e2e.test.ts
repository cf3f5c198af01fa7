// End to end, headless: the REAL n8n CLI imports a credential and a workflow that uses this
// package's node (installed as a community package), executes it with `n8n execute --rawOutput`,
// and the run data is read back — against the TGO sandbox on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { allSenders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { N8nInstance, PACKAGE_NAME } from '../../tools/n8n/n8n';

const CRED_OK = { id: 'tgoSandboxFull01', name: 'TGO sandbox (full key)' };
const CRED_EXPIRED = { id: 'tgoSandboxExpd01', name: 'TGO sandbox (expired key)' };
const CRED_REDIRECTED = { id: 'tgoRedirected001', name: 'TGO behind a redirect' };

/** A loopback server answering every request with `reply`; `hits` counts what reached it. */
async function loopbackServer(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
	const server = http.createServer((req, res) => {
		state.hits++;
		req.resume();
		reply(req, res);
	});
	const state = {
		hits: 0,
		port: 0,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.port = (server.address() as AddressInfo).port;
	return state;
}

function sendersWorkflow(id: string, credential: { id: string; name: string }) {
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a0000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Senders',
				type: `${PACKAGE_NAME}.tgoGetSenderNumbers`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { returnAll: true },
				credentials: { tgoBusinessApi: credential },
			},
		],
		connections: { Start: { main: [[{ node: 'Senders', type: 'main', index: 0 }]] } },
	};
}

describe('headless execution with the n8n CLI', () => {
	let sandbox: Sandbox;
	let instance: N8nInstance;
	// A tenant domain that redirects every call to another origin (the sandbox, by another name).
	let redirector: Awaited<ReturnType<typeof loopbackServer>>;

	beforeAll(async () => {
		sandbox = await startSandbox();
		redirector = await loopbackServer((req, res) =>
			res.writeHead(307, { location: `http://localhost:${sandbox.port}${req.url ?? '/'}` }).end(),
		);
		instance = await N8nInstance.create();
		await instance.importCredentials([
			{ ...CRED_OK, type: 'tgoBusinessApi', data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full } },
			{ ...CRED_EXPIRED, type: 'tgoBusinessApi', data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.expired } },
			{ ...CRED_REDIRECTED, type: 'tgoBusinessApi', data: { domain: `http://127.0.0.1:${redirector.port}`, apiKey: sandbox.keys.full } },
		]);
		await instance.importWorkflow(sendersWorkflow('tgoE2eSendersOk', CRED_OK));
		await instance.importWorkflow(sendersWorkflow('tgoE2eSendersBad', CRED_EXPIRED));
		await instance.importWorkflow(sendersWorkflow('tgoE2eSendersRedir', CRED_REDIRECTED));
	});

	afterAll(async () => {
		await instance?.dispose();
		await redirector?.close();
		await sandbox?.close();
	});

	it('runs a workflow with the package node: one Success item per sender number', async () => {
		const before = sandbox.requests.length;
		const r = await instance.execute('tgoE2eSendersOk');
		expect({ code: r.code, timedOut: r.timedOut, parsed: r.run !== undefined }).toEqual({ code: 0, timedOut: false, parsed: true });
		const [success, error] = r.run!.data.resultData.runData.Senders[0].data!.main;
		expect(error ?? []).toHaveLength(0);
		expect(success).toHaveLength(allSenders.length);
		for (const item of success!) expect(typeof item.json.ready_to_send).toBe('boolean');
		// The real n8n applied the credential: the key went out as X-Api-Key, exactly once.
		const calls = sandbox.requests.slice(before);
		expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /sender-numbers']);
		expect(calls[0].headers['x-api-key']).toBe(sandbox.keys.full);
	});

	it('an expired key: the item goes to the Error output as UNAUTHORIZED, and the key is not in it', async () => {
		const r = await instance.execute('tgoE2eSendersBad');
		expect(r.run).toBeDefined();
		const [success, error] = r.run!.data.resultData.runData.Senders[0].data!.main;
		expect(success ?? []).toHaveLength(0);
		expect(error).toHaveLength(1);
		expect((error![0].json.error as { code: string }).code).toBe('UNAUTHORIZED');
		expect(r.stdout + r.stderr).not.toContain(sandbox.keys.expired);
	});

	it('a redirect is not followed: the run fails with the HTTP status and the key stays with the tenant domain', async () => {
		const before = sandbox.requests.length;
		const r = await instance.execute('tgoE2eSendersRedir');
		expect(r.run).toBeDefined();
		expect(redirector.hits).toBe(1); // one GET, not retried: a redirect is not a server error
		expect(sandbox.requests.length).toBe(before);
		expect(r.run!.data.resultData.error?.message).toMatch(/HTTP 307/);
		expect(r.stdout + r.stderr).not.toContain(sandbox.keys.full);
	});
});
