// End to end in a browser, as a user installs a community package: Settings → Community Nodes →
// Install → `n8n-nodes-tgo-business`, fetched by name from an npm registry (a local Verdaccio on
// loopback, where a fresh `npm pack` was published). The TGO nodes then appear in the node
// panel and a workflow using them runs against the TGO sandbox; 0.1.1 is published and the user
// updates to it from the same page; finally the user uninstalls the package.
//
// n8n lets only a licensed instance install from a registry other than registry.npmjs.org
// (licence feature `feat:communityNodes:customRegistry`, checked in CommunityPackagesService).
// Where n8n ships its own end-to-end switch (2.41.1, 1.123.81), this test turns that single
// feature on through it (E2E_TESTS=true and PATCH /rest/e2e/feature). n8n 1.85's published package
// leaves the switch out: there n8n keeps its default registry, and npm reaches "registry.npmjs.org"
// through a loopback stand-in for it (LocalRegistry.standInForNpmjs). Everything else is the path a
// user takes on npmjs.org.
import fs from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { contacts, senders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { launchBrowser, screenshot, signIn, type Browser } from '../../tools/n8n/browser';
import { N8nInstance, PACKAGE_NAME, packPackage, provision, TGO_NODES, type N8nServer } from '../../tools/n8n/n8n';
import { LocalRegistry, type NpmjsStandIn } from '../../tools/n8n/registry';

const NODE_DISPLAY_NAMES = TGO_NODES.map((node) => node.displayName);
const MESSAGE = 'Installed from the registry, sent from the editor';

describe('installing, updating and uninstalling the package from Settings → Community Nodes', () => {
	let sandbox: Sandbox;
	let registry: LocalRegistry;
	let npmjs: NpmjsStandIn | undefined;
	let instance: N8nInstance;
	let n8n: N8nServer;
	let browser: Browser;
	let tarball: string;

	beforeAll(async () => {
		sandbox = await startSandbox();
		registry = await LocalRegistry.start();
		tarball = packPackage();
		await registry.publish(tarball);
		const testSwitch = fs.existsSync(path.join(provision().N8N_DIR, 'app/node_modules/n8n/dist/controllers/e2e.controller.js'));
		npmjs = testSwitch ? undefined : await registry.standInForNpmjs();
		instance = await N8nInstance.create({
			tarball: false,
			extraEnv: testSwitch ? { E2E_TESTS: 'true', N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url } : {},
		});
		// n8n looks for updates with a plain `npm outdated` in its nodes folder, which reads npm's own
		// settings: the folder's .npmrc names the registry (n8n 1.x runs npm without our environment).
		// n8n 1.85 installs with a plain `npm install <package>` there, which would also fetch the
		// n8n-workflow peer from npmjs.org (newer n8n strips peers first); the stand-in holds only this
		// package, so npm leaves the peer out and the nodes use n8n's own n8n-workflow, as in every other e2e file.
		fs.writeFileSync(path.join(instance.nodesDir, '.npmrc'), npmjs ? `${npmjs.npmrc}legacy-peer-deps=true\n` : `registry=${registry.url}/\n`);
		n8n = await instance.start();
		await n8n.setupOwner();
		if (testSwitch) {
			const licence = await n8n.rest('PATCH', '/rest/e2e/feature', { feature: 'feat:communityNodes:customRegistry', enabled: true });
			if (licence.status !== 200) throw new Error(`enabling the custom-registry feature: HTTP ${licence.status} ${licence.text}`);
		}
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await instance?.dispose();
		await npmjs?.close();
		await registry?.stop();
		await sandbox?.close();
	});

	const installedManifest = () => path.join(instance.nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
	const installedVersion = () =>
		fs.existsSync(installedManifest()) ? (JSON.parse(fs.readFileSync(installedManifest(), 'utf8')) as { version: string }).version : undefined;

	async function openCommunityNodes(page: Page): Promise<void> {
		await page.goto(`${n8n.baseUrl}/settings/community-nodes`, { waitUntil: 'domcontentloaded' });
		// The page's Install button ("Install a community node" while nothing is installed).
		await page.getByRole('button', { name: /^install/i }).first().waitFor();
	}

	/** n8n's install / update / uninstall dialogs close once the server is done. */
	async function dialogsClosed(page: Page): Promise<void> {
		await page.waitForFunction(
			() => Array.from(document.querySelectorAll('[role="dialog"]')).every((dialog) => !(dialog as HTMLElement).checkVisibility()),
			undefined,
			{ timeout: 120_000 },
		);
	}

	async function tgoNodesInPanel(page: Page): Promise<string[]> {
		await page.goto(`${n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.getByTestId('canvas-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill('TGO');
		await page.waitForTimeout(500); // the list filters as the user types
		return (await page.getByTestId('node-creator-item-name').allInnerTexts()).map((n) => n.trim()).filter((n) => n.startsWith('TGO '));
	}

	it('installs n8n-nodes-tgo-business by name', async () => {
		const { page } = browser;
		await signIn(page, n8n.baseUrl);
		await openCommunityNodes(page);
		await screenshot(page, 'e2e-community-1-empty');
		await page.getByRole('button', { name: /install/i }).first().click();
		await page.locator('[data-test-id="package-name-input"] input, input[data-test-id="package-name-input"]').fill(PACKAGE_NAME);
		await page.getByTestId('user-agreement-checkbox').click();
		await screenshot(page, 'e2e-community-2-install-dialog');
		await page.getByTestId('install-community-package-button').click();
		const card = page.getByTestId('community-package-card').filter({ hasText: PACKAGE_NAME });
		await card.waitFor({ timeout: 120_000 });
		await dialogsClosed(page);
		await screenshot(page, 'e2e-community-3-installed');
		expect(installedVersion()).toBe('0.1.0');
		expect(await card.innerText()).toMatch(new RegExp(`${TGO_NODES.length} nodes`, 'i'));
		// Where n8n installs from registry.npmjs.org, it came through the stand-in.
		if (npmjs) expect(npmjs.served).toContain(`GET /${PACKAGE_NAME}`);
	});

	it('shows every TGO node in the node panel', async () => {
		const { page } = browser;
		expect((await tgoNodesInPanel(page)).sort()).toEqual([...NODE_DISPLAY_NAMES].sort());
		await screenshot(page, 'e2e-community-4-node-panel');
	});

	it('runs a workflow with a TGO node from the editor', async () => {
		const { page } = browser;
		const credential = await n8n.createCredential({
			name: 'TGO Business account',
			type: 'tgoBusinessApi',
			data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		});
		const created = await n8n.rest<{ data: { id: string } }>('POST', '/rest/workflows', {
			name: 'Installed from the registry',
			active: false, // n8n 1.x requires it (the 1.x editor sends it); 2.x accepts it
			nodes: [
				{ id: 'c0ffee00-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'c0ffee00-0000-4000-8000-000000000002',
					name: 'TGO Send Message',
					type: `${PACKAGE_NAME}.tgoSendMessage`,
					typeVersion: 1,
					position: [260, 0],
					parameters: { sender: { __rl: true, mode: 'id', value: String(senders.active.id) }, toPhone: contacts.reachable.phone, messageType: 'text', content: MESSAGE, options: {} },
					credentials: { tgoBusinessApi: { id: credential.id, name: 'TGO Business account' } },
				},
			],
			connections: { Start: { main: [[{ node: 'TGO Send Message', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		expect({ status: created.status, error: created.status === 200 ? '' : created.text }).toEqual({ status: 200, error: '' });
		await page.goto(`${n8n.baseUrl}/workflow/${created.body.data.id}`, { waitUntil: 'domcontentloaded' });
		await page.getByTestId('execute-workflow-button').click();
		// The node shows its run succeeded (n8n's green check on the canvas node).
		const node = page.locator('[data-test-id="canvas-node"][data-node-name="TGO Send Message"]');
		await node.locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 60_000 });
		await screenshot(page, 'e2e-community-5-workflow-ran');
		const sends = sandbox.requestsTo('POST', '/messages');
		expect(sends.map((r) => (r.json as { to_phone?: string; content?: string }).content)).toEqual([MESSAGE]);
		expect((sends[0].json as { to_phone?: string }).to_phone).toBe(contacts.reachable.phone);
	});

	it('updates to 0.1.1 once it is published', async () => {
		const { page } = browser;
		await registry.publish(tarball, '0.1.1');
		await openCommunityNodes(page);
		const card = page.getByTestId('community-package-card').filter({ hasText: PACKAGE_NAME });
		const update = card.getByRole('button', { name: /update/i });
		await update.waitFor();
		await screenshot(page, 'e2e-community-6-update-available');
		await update.click();
		// The dialog's button says "Confirm update" (2.x, 1.123) or "Update package" (1.85).
		await page.locator('[role="dialog"]').getByRole('button', { name: /^(confirm update|update package)$/i }).click();
		await card.getByText('v0.1.1').waitFor({ timeout: 120_000 });
		expect(await card.getByRole('button', { name: /update/i }).count()).toBe(0);
		await dialogsClosed(page);
		await screenshot(page, 'e2e-community-7-updated');
		expect(installedVersion()).toBe('0.1.1');
		expect((await tgoNodesInPanel(page)).sort()).toEqual([...NODE_DISPLAY_NAMES].sort());
	});

	it('uninstalls it: the package is gone and so are its nodes', async () => {
		const { page } = browser;
		await openCommunityNodes(page);
		const card = page.getByTestId('community-package-card').filter({ hasText: PACKAGE_NAME });
		await card.getByTestId('action-toggle').click();
		await page.getByText(/uninstall package/i).click();
		await page.locator('[role="dialog"]').getByRole('button', { name: /^(confirm uninstall|uninstall package)$/i }).click();
		await card.waitFor({ state: 'detached', timeout: 120_000 });
		await dialogsClosed(page);
		await screenshot(page, 'e2e-community-8-uninstalled');
		expect(installedVersion()).toBeUndefined();
		expect(await tgoNodesInPanel(page)).toEqual([]);
	});
});
