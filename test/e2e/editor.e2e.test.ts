// End to end in a browser: a user signs in to the REAL n8n editor (headless Chromium), finds
// this package's nodes in the node panel with their icons served by n8n, opens a shipped example
// workflow (imported with its credential, pointing at the TGO sandbox) and sees every TGO node
// with its icon and its Success / Error outputs, then opens TGO Send Message's parameter panel.
import path from 'node:path';

import { CREDENTIAL_TYPE, EXAMPLE_CREDENTIAL_NAME, loadExamples } from '../../scripts/n8n/examples';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { launchBrowser, screenshot, signIn, type Browser } from './lib/browser';
import { DEFAULT_OWNER, N8nInstance, PACKAGE_NAME, REPO_ROOT, type N8nServer } from './lib/n8n';

const NODE_DISPLAY_NAMES = [
	'TGO Send Message',
	'TGO Lookup Contact',
	'TGO Get Sender Numbers',
	'TGO Get Usage',
	'TGO Get Message Logs',
];

const EXAMPLE_FILE = '01-order-confirmation-after-reachability-check.json';
const EXAMPLE = (() => {
	const found = loadExamples(REPO_ROOT).find((example) => path.basename(example.file) === EXAMPLE_FILE);
	if (!found) throw new Error(`examples/${EXAMPLE_FILE} is missing`);
	return found;
})();
const TGO_NODES = EXAMPLE.workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
const SEND_MESSAGE = TGO_NODES.find((node) => node.type === `${PACKAGE_NAME}.tgoSendMessage`);

describe('the n8n editor in a browser', () => {
	let instance: N8nInstance;
	let n8n: N8nServer;
	let browser: Browser;
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
		instance = await N8nInstance.create();
		// The example as shipped, its credential linked by name on import (before n8n starts).
		await instance.importCredentials([
			{
				id: 'tgoExampleCred01',
				name: EXAMPLE_CREDENTIAL_NAME,
				type: CREDENTIAL_TYPE,
				data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
			},
		]);
		await instance.importWorkflow(EXAMPLE.workflow);
		n8n = await instance.start();
		await n8n.setupOwner(); // the setup form is n8n's, not ours: done over REST
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await instance?.dispose();
		await sandbox?.close();
	});

	it('signs in with the owner account', async () => {
		const { page } = browser;
		await signIn(page, n8n.baseUrl, DEFAULT_OWNER, 'e2e-editor-signin');
		expect(new URL(page.url()).pathname).not.toMatch(/signin|setup/);
	});

	it('lists the five TGO nodes in the node panel, each with its icon', async () => {
		const { page } = browser;
		await page.goto(`${n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.getByTestId('canvas-plus-button').click();
		const search = page.getByTestId('node-creator-search-bar');
		await search.fill('TGO');
		await page.getByTestId('node-creator-item-name').filter({ hasText: 'TGO Send Message' }).waitFor();
		const names = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(names.map((n) => n.trim())).toEqual(expect.arrayContaining(NODE_DISPLAY_NAMES));
		// Icons are files inside the package, served by n8n: every TGO item shows a loaded image
		// (each item holds a light and a dark variant; one of them is visible).
		const iconLoaded = await page
			.getByTestId('node-creator-node-item')
			.filter({ hasText: /^\s*TGO / })
			.evaluateAll((items) =>
				items.map((item) => Array.from(item.querySelectorAll('img')).some((img) => img.complete && img.naturalWidth > 0)),
			);
		expect(iconLoaded).toEqual(NODE_DISPLAY_NAMES.map(() => true));
		await screenshot(page, 'e2e-editor-node-panel');
	});

	it('opens an example workflow: every TGO node with its own icon and Success / Error outputs', async () => {
		const { page } = browser;
		await page.goto(`${n8n.baseUrl}/workflow/${EXAMPLE.workflow.id}`, { waitUntil: 'domcontentloaded' });
		const tgoNodes = page.locator(`[data-test-id="canvas-node"][data-node-type^="${PACKAGE_NAME}."]`);
		await tgoNodes.nth(TGO_NODES.length - 1).waitFor();
		// Icons load after the nodes render: wait until every TGO node's images have settled.
		await tgoNodes.evaluateAll(async (nodes) => {
			const imgs = nodes.flatMap((node) => Array.from(node.querySelectorAll('img')));
			await Promise.all(imgs.map((img) => (img.complete ? undefined : img.decode().catch(() => undefined))));
		});
		const onCanvas = await tgoNodes.evaluateAll((nodes) =>
			nodes.map((node) => ({
				name: node.getAttribute('data-node-name'),
				type: node.getAttribute('data-node-type'),
				// The node's icon: an image that loaded, served from this package (n8n's fallback is a
				// letter or a generic glyph, never an <img> from the package's icons).
				icons: Array.from(node.querySelectorAll('img')).map((img) => ({
					src: new URL(img.src).pathname,
					loaded: img.complete && img.naturalWidth > 0,
				})),
			})),
		);
		expect(onCanvas.map(({ name, type }) => ({ name, type })).sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
			TGO_NODES.map(({ name, type }) => ({ name, type })).sort((a, b) => a.name.localeCompare(b.name)),
		);
		for (const { name, icons } of onCanvas) {
			expect({ name, icons }).toEqual({
				name,
				icons: [{ src: expect.stringMatching(new RegExp(`^/icons/${PACKAGE_NAME}/dist/icons/[\\w-]+\\.svg$`)), loaded: true }],
			});
		}
		// Each TGO node's two outputs, labelled by its outputNames on the canvas, in order.
		for (const node of TGO_NODES) {
			const handles = page.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${node.name}"]`);
			const labels = await handles.evaluateAll((els) =>
				els
					.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
					.map((el) => (el as HTMLElement).innerText.trim()),
			);
			expect({ node: node.name, labels }).toEqual({ node: node.name, labels: ['Success', 'Error'] });
		}
		await screenshot(page, 'e2e-editor-example-workflow');
	});

	it("opens TGO Send Message's panel and shows its parameters", async () => {
		const { page } = browser;
		if (!SEND_MESSAGE) throw new Error(`examples/${EXAMPLE_FILE} has no TGO Send Message node`);
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${SEND_MESSAGE.name}"]`).dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		// The node's own parameters, each with its input, shown on the Parameters tab.
		for (const name of Object.keys(SEND_MESSAGE.parameters).filter((key) => key !== 'options')) {
			await ndv.getByTestId(`parameter-input-${name}`).waitFor({ state: 'visible' });
		}
		const labels = await ndv
			.locator('label')
			// A label's first line is its title (a Fixed / Expression switch may follow it).
			.evaluateAll((els) => els.filter((el) => el.checkVisibility()).map((el) => (el as HTMLElement).innerText.trim().split('\n')[0].trim()));
		// (The credential's label is n8n's own: "Credential" on 2.x, "Credential to connect with" on 1.x.)
		expect(labels).toEqual(expect.arrayContaining([expect.stringMatching(/^Credential/), 'Sender', 'To Phone', 'Message Type', 'Text']));
		// The values of the example: its credential linked by name on import, the text message type.
		const inputValue = (testId: string) => ndv.getByTestId(testId).locator('input').first().inputValue();
		expect(await inputValue('parameter-input-messageType')).toBe('Text');
		expect(await inputValue('node-credentials-select')).toBe(EXAMPLE_CREDENTIAL_NAME);
		await screenshot(page, 'e2e-editor-send-message-panel');
	});
});
