// End to end in a browser: a user signs in to the REAL n8n editor (headless Chromium), finds
// this package's nodes in the node panel with their icons served by n8n, opens a shipped example
// workflow (imported with its credential, pointing at the TGO sandbox) and sees every TGO node
// with its icon and its Success / Error outputs, then opens TGO Send Message's parameter panel.
import path from 'node:path';

import { CREDENTIAL_TYPE, EXAMPLE_CREDENTIAL_NAME, loadExamples } from '../../tools/n8n/examples';
import { senderNumber } from '../../nodes/shared/schemas';
import { senderLabel } from '../../nodes/shared/senders';
import { allSenders as senders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { launchBrowser, screenshot, signIn, type Browser } from '../../tools/n8n/browser';
import { DEFAULT_OWNER, N8nInstance, PACKAGE_NAME, REPO_ROOT, TGO_NODES as PACKAGE_NODES, type N8nServer } from '../../tools/n8n/n8n';

// Every node the package ships, by display name: the node panel must show exactly these.
const NODE_DISPLAY_NAMES = PACKAGE_NODES.map((node) => node.displayName);

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

	it(`lists the ${NODE_DISPLAY_NAMES.length} TGO nodes in the node panel, each with its icon`, async () => {
		const { page } = browser;
		await page.goto(`${n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.getByTestId('canvas-plus-button').click();
		const search = page.getByTestId('node-creator-search-bar');
		await search.fill('TGO');
		await page.getByTestId('node-creator-item-name').filter({ hasText: 'TGO Send Message' }).waitFor();
		const names = await page.getByTestId('node-creator-item-name').allInnerTexts();
		// Exactly the package's nodes, no more and no fewer (other n8n nodes may match the search too).
		const tgoNames = names.map((n) => n.trim()).filter((n) => n.startsWith('TGO '));
		expect(tgoNames.sort()).toEqual([...NODE_DISPLAY_NAMES].sort());
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

	it("To Phone's help shows the format by example and points at the Default Country Code option", async () => {
		const { page } = browser;
		const ndv = page.getByTestId('ndv');
		// n8n shows a parameter's description in a tooltip on the help icon beside its label.
		const label = ndv.getByTestId('input-label').filter({ has: page.locator('label', { hasText: /^To Phone/ }) });
		await label.hover();
		await label.locator('[class*="infoIcon"] svg').hover();
		// The tooltip's container: reka-ui's popper on n8n 2.x, Element Plus's on 1.x.
		const help = page.locator('[data-reka-popper-content-wrapper], .el-popper').filter({ hasText: 'international format' });
		await help.waitFor({ state: 'visible' });
		expect((await help.innerText()).trim()).toBe(
			"The recipient's phone number in international format: + and the country code, then the number, e.g. +201010000000. Spaces and dashes are fine. For numbers written without the country code (01010000000), set Options → Default Country Code.",
		);
		await screenshot(page, 'e2e-editor-to-phone-help');
		await page.mouse.move(0, 0);
		await help.waitFor({ state: 'hidden' });
	});

	it('the sender list marks the numbers that are ready to send, and says in words why the others cannot', async () => {
		const { page } = browser;
		const ndv = page.getByTestId('ndv');
		await ndv.getByTestId('rlc-input').first().click();
		const items = page.getByTestId('rlc-item');
		await items.nth(senders.length - 1).waitFor();
		const labels = (await items.allInnerTexts()).map((text) => text.trim());
		expect(labels).toEqual(senders.map((sender) => senderLabel(senderNumber.parse(sender))));
		expect(labels.slice(0, 2)).toEqual(['+201001187188 — Support (active, ready to send)', '+201001187189 — Sales (active, ready to send)']);
		expect(labels).toContain('+201001187190 — Billing (cannot send: waiting for OTP)');
		expect(labels.join('\n')).not.toMatch(/pending_/);
		await screenshot(page, 'e2e-editor-sender-list');
		await page.keyboard.press('Escape');
	});
});
