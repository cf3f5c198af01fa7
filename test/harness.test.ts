// The harness itself: the package loads the way n8n loads it, credentials are applied the way
// the n8n app applies them, and nodes really execute inside n8n-core's WorkflowExecute against a
// server over loopback. Needs `npm run build` (the loader reads dist/).
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Workflow } from 'n8n-workflow';
import type { ICredentialType, IHttpRequestOptions, INode, INodeExecutionData } from 'n8n-workflow';

import {
	capturedLogs,
	HarnessCredentialsHelper,
	listSearch,
	loadedPackage,
	MANUAL_TRIGGER_TYPE,
	runNode,
	runWorkflow,
} from '../tools/harness';
import type { LoadedPackage } from '../tools/harness';
import { nodeTypesFor, PACKAGE_ROOT } from '../tools/harness/loader';
import { allSenders, contacts } from '../tools/sandbox/fixtures';
import { startSandbox } from '../tools/sandbox/server';
import type { Sandbox } from '../tools/sandbox/server';

const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes?: string[]; credentials?: string[] };
};
const manifestNodes = manifest.n8n.nodes ?? [];
const manifestCredentials = manifest.n8n.credentials ?? [];

/** Icon URLs as n8n serves them (`icons/<package>/<path in package>`) → files in the package. */
function iconFiles(iconUrl: unknown, packageName: string): string[] {
	if (!iconUrl) return [];
	const urls = typeof iconUrl === 'string' ? [iconUrl] : Object.values(iconUrl as object);
	return urls.map((url: string) => {
		const prefix = `icons/${packageName}/`;
		expect(url.startsWith(prefix)).toBe(true);
		return url.slice(prefix.length);
	});
}

function expectShippedSvg(relativePath: string) {
	// package.json `files` ships dist/ only: an icon anywhere else is missing after `npm install`.
	expect(relativePath.startsWith('dist/')).toBe(true);
	const file = path.join(PACKAGE_ROOT, relativePath);
	expect(existsSync(file)).toBe(true);
	expect(statSync(file).size).toBeGreaterThan(0);
	expect(readFileSync(file, 'utf8')).toContain('<svg');
}

describe("the package, loaded by n8n-core's PackageDirectoryLoader from dist/", () => {
	let pkg: LoadedPackage;
	beforeAll(async () => {
		pkg = await loadedPackage();
	});

	test('loads every node and credential the manifest lists, and nothing else', () => {
		expect(pkg.packageName).toBe(manifest.name);
		const loadedNodeFiles = Object.values(pkg.loader.known.nodes).map((node) => node.sourcePath);
		const loadedCredentialFiles = Object.values(pkg.loader.known.credentials).map(
			(credential) => credential.sourcePath,
		);
		expect(loadedNodeFiles.sort()).toEqual([...manifestNodes].sort());
		expect(loadedCredentialFiles.sort()).toEqual([...manifestCredentials].sort());
		expect(pkg.credentialTypes).toEqual(['tgoBusinessApi']);
		// The contract: users' saved workflows depend on these type names.
		expect([...pkg.nodeTypes].sort()).toEqual(
			['tgoGetAccount', 'tgoGetMessageLogs', 'tgoGetSenderNumbers', 'tgoGetUsage', 'tgoLookupContact', 'tgoRegisterSenderNumber', 'tgoSendMessage'].map(
				(name) => `${manifest.name}.${name}`,
			),
		);
		// Workflows name a community node `<package name>.<node name>`.
		for (const nodeType of pkg.nodeTypes) {
			expect(nodeType).toMatch(new RegExp(`^${manifest.name.replace(/[-.]/g, '\\$&')}\\.tgo[A-Z]\\w+$`));
		}
	});

	test.each(manifestCredentials)('credential %s: its icons exist in dist/', (sourcePath) => {
		const [name] = Object.entries(pkg.loader.known.credentials).find(
			([, known]) => known.sourcePath === sourcePath,
		)!;
		const { type } = pkg.loader.getCredential(name);
		const files = iconFiles(type.iconUrl, pkg.packageName);
		expect(files.length).toBeGreaterThan(0);
		files.forEach(expectShippedSvg);
	});

	test.each(manifestNodes)('node %s: its icons exist in dist/', (sourcePath) => {
		const [name] = Object.entries(pkg.loader.known.nodes).find(([, known]) => known.sourcePath === sourcePath)!;
		const { type } = pkg.loader.getNode(name);
		const descriptions = [type.description, ...pkg.loader.getVersionedNodeTypeAll(type).map((v) => v.description)];
		const files = descriptions.flatMap((description) => iconFiles(description.iconUrl, pkg.packageName));
		expect(files.length).toBeGreaterThan(0);
		files.forEach(expectShippedSvg);
	});
});

describe('the harness credentials helper', () => {
	let pkg: LoadedPackage;
	beforeAll(async () => {
		pkg = await loadedPackage();
	});

	test("applies the loaded credential type's own authenticate and fills defaults like the app", async () => {
		const helper = new HarnessCredentialsHelper(pkg, { key: { apiKey: 'tgo_secret' } });
		const credentials = await helper.getDecrypted({} as never, { id: 'key', name: 'TGO' }, 'tgoBusinessApi');
		// The credential's notice is a property too: n8n fills its (empty) default like any other.
		expect(credentials).toEqual({ domain: 'business.tgo-eg.com', apiKey: 'tgo_secret', connectionCodesNotice: '' });

		const signed = await helper.authenticate(credentials, 'tgoBusinessApi', { url: '/usage', headers: {} });
		expect(signed.headers).toMatchObject({ 'X-Api-Key': 'tgo_secret' });
		// The key must not follow a redirect to another host or to plain http.
		expect(signed).toMatchObject({ baseURL: 'https://business.tgo-eg.com/api/v1', disableFollowRedirect: true });
		expect(helper.getParentTypes('tgoBusinessApi')).toEqual([]);
	});

	test('resolves a generic authenticate ({{$credentials.x}} expressions) with n8n’s expression engine', async () => {
		// No credential of this package uses the generic form today; the harness must still
		// handle it the way the n8n app does, should one switch to it.
		const generic: ICredentialType = {
			name: 'genericExample',
			displayName: 'Generic example',
			properties: [{ displayName: 'Key', name: 'apiKey', type: 'string', default: '' }],
			authenticate: {
				type: 'generic',
				properties: {
					headers: { 'X-Api-Key': '={{$credentials.apiKey}}', Accept: 'application/json' },
					qs: { tenant: '={{$credentials.domain}}' },
				},
			},
		};
		const loader = { getCredential: () => ({ type: generic, sourcePath: '' }), known: { credentials: {} } };
		const helper = new HarnessCredentialsHelper({ ...pkg, loader } as unknown as LoadedPackage, {});
		const node: INode = {
			id: '1',
			name: 'Input',
			type: 'harness.input',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: await nodeTypesFor() });
		const request: IHttpRequestOptions = { url: '/x', headers: { 'User-Agent': 'n8n' }, qs: { page: 2 } };

		const signed = await helper.authenticate({ apiKey: 'k1', domain: 'acme' }, 'genericExample', request, workflow, node);
		expect(signed.headers).toEqual({ 'User-Agent': 'n8n', 'X-Api-Key': 'k1', Accept: 'application/json' });
		expect(signed.qs).toEqual({ page: 2, tenant: 'acme' });
	});
});

describe(
	'a TGO node executing in WorkflowExecute against the sandbox over loopback',
	() => {
		let sandbox: Sandbox;
		beforeAll(async () => {
			sandbox = await startSandbox();
		});
		beforeEach(() => sandbox.reset());
		afterAll(async () => {
			await sandbox.close();
		});

		test('Get Sender Numbers sends the key as X-Api-Key and returns every sender on Success', async () => {
			const apiKey = sandbox.keys.full;
			const result = await runNode({
				type: 'tgoGetSenderNumbers',
				parameters: { returnAll: true },
				credentials: { domain: sandbox.credentialDomain, apiKey },
			});

			expect(result.thrown).toBeUndefined();
			const requests = sandbox.requestsTo('GET', '/sender-numbers');
			expect(requests).toHaveLength(1);
			expect(requests[0].headers['x-api-key']).toBe(apiKey);

			expect(result.error).toEqual([]);
			expect(result.success.map((item) => item.json.id)).toEqual(allSenders.map((sender) => sender.id));
			for (const item of result.success) {
				expect(typeof item.json.ready_to_send).toBe('boolean');
				expect(item.pairedItem).toEqual({ item: 0 });
			}

			// The capture saw the run (n8n-core logs each node it starts) and never the key.
			expect(result.logs.some((line) => line.includes('TGO Get Sender Numbers'))).toBe(true);
			expect(capturedLogs.filter((line) => line.includes(apiKey))).toEqual([]);
		});

		test('the input node hands the test’s items over unchanged, binary and pairedItem included', async () => {
			const items: INodeExecutionData[] = [
				{
					json: { customer: 'Mona' },
					binary: {
						data: { data: Buffer.from('%PDF-1.4').toString('base64'), mimeType: 'application/pdf', fileName: 'invoice.pdf' },
					},
					pairedItem: { item: 0 },
				},
			];
			const result = await runNode({
				type: 'tgoGetSenderNumbers',
				parameters: { returnAll: false, limit: 1 },
				credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
				items,
			});

			expect(result.runData['Harness Input'][0].data?.main[0]).toEqual(items);
			expect(result.success).toHaveLength(1);
		});

		test('an importable workflow runs from a Manual Trigger, with its credential referenced by name', async () => {
			const result = await runWorkflow(
				{
					nodes: [
						{
							id: 'a',
							name: "When clicking 'Execute workflow'",
							type: MANUAL_TRIGGER_TYPE,
							typeVersion: 1,
							position: [0, 0],
							parameters: {},
						},
						{
							id: 'b',
							name: 'Ready senders',
							type: `${manifest.name}.tgoGetSenderNumbers`,
							typeVersion: 1,
							position: [220, 0],
							parameters: { returnAll: true, filters: { readyOnly: true } },
							credentials: { tgoBusinessApi: { id: 'cred-1', name: 'TGO Business account' } },
						},
					],
					connections: {
						"When clicking 'Execute workflow'": {
							main: [[{ node: 'Ready senders', type: 'main', index: 0 }]],
						},
					},
				},
				{
					credentials: {
						'TGO Business account': { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
					},
				},
			);

			expect(result.thrown).toBeUndefined();
			const [success, error] = result.outputsOf('Ready senders');
			expect(error).toEqual([]);
			expect(success.length).toBeGreaterThan(0);
			expect(success.every((item) => item.json.ready_to_send === true)).toBe(true);
			expect(sandbox.requestsTo('GET', '/sender-numbers')).toHaveLength(1);
		});
	},
);

describe('Send Message: binary input and the sender list search', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	test("a document from the input item's binary reaches the server as the multipart file", async () => {
		const pdf = Buffer.from('%PDF-1.4 harness');
		const result = await runNode({
			type: 'tgoSendMessage',
			parameters: {
				sender: { __rl: true, mode: 'id', value: String(allSenders[0].id) },
				toPhone: contacts.reachable.phone,
				messageType: 'document',
				content: 'Your invoice',
			},
			credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
			items: [
				{
					json: {},
					binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'invoice.pdf' } },
				},
			],
		});

		expect(result.thrown).toBeUndefined();
		expect(result.error).toEqual([]);
		expect(result.success).toHaveLength(1);
		const [send] = sandbox.requestsTo('POST', '/messages');
		expect(send.contentType).toBe('multipart/form-data');
		expect(send.files?.[0]).toMatchObject({ filename: 'invoice.pdf' });
		expect(send.files?.[0].data.equals(pdf)).toBe(true);
	});

	test("listSearch runs the node's searchSenderNumbers in n8n-core's LoadOptionsContext", async () => {
		const apiKey = sandbox.keys.full;
		const { results } = await listSearch(
			'tgoSendMessage',
			'searchSenderNumbers',
			{ domain: sandbox.credentialDomain, apiKey },
			allSenders[0].phone,
		);

		expect(results).toContainEqual(expect.objectContaining({ value: String(allSenders[0].id) }));
		const [request] = sandbox.requestsTo('GET', '/sender-numbers');
		expect(request.headers['x-api-key']).toBe(apiKey);
	});
});
