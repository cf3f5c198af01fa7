// The harness itself: credentials are applied the way the n8n app applies them, and nodes really
// execute inside n8n-core's WorkflowExecute against a server over loopback. Needs `npm run build`
// (the loader reads dist/).
import { Workflow } from 'n8n-workflow';
import type { ICredentialType, IHttpRequestOptions, INode, INodeExecutionData } from 'n8n-workflow';

import {
	capturedLogs,
	HarnessCredentialsHelper,
	loadedPackage,
	MANUAL_TRIGGER_TYPE,
	nodeTypesFor,
	runNode,
	runWorkflow,
} from '../../tools/harness';
import type { LoadedPackage } from '../../tools/harness';
import { allSenders } from '../../tools/sandbox/fixtures';
import { useSandbox } from '../integration/setup';

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
		const { sandbox } = useSandbox();

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
							type: `${(await loadedPackage()).packageName}.tgoGetSenderNumbers`,
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
