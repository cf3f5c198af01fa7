// End to end: the credential test of `tgoBusinessApi`, run by the REAL n8n application (with this
// package installed as a community package) through its REST API — the same call the editor's
// credential dialog makes — against the TGO sandbox on loopback.
import { startSandbox, type Sandbox } from '../sandbox/server';
import { N8nInstance, type N8nServer } from './lib/n8n';

const CREDENTIAL_TYPE = 'tgoBusinessApi';

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
	])('%s: Error naming the key problem, without echoing the key', async (_label, keyOrName) => {
		const apiKey = keyOrName in sandbox.keys ? sandbox.keys[keyOrName as keyof Sandbox['keys']] : keyOrName;
		const result = await n8n.testCredential({
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API key/i);
		expect(result.message).toMatch(/invalid|revoked|expired/i);
		expect(result.message).not.toContain(apiKey);
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
