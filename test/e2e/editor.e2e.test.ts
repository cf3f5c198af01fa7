// End to end in a browser: a user signs in to the REAL n8n editor (headless Chromium) and finds
// this package's nodes in the node panel, with their icons served by n8n.
import { launchBrowser, screenshot, type Browser } from './lib/browser';
import { DEFAULT_OWNER, N8nInstance, type N8nServer } from './lib/n8n';

const NODE_DISPLAY_NAMES = [
	'TGO Send Message',
	'TGO Lookup Contact',
	'TGO Get Sender Numbers',
	'TGO Get Usage',
	'TGO Get Message Logs',
];

describe('the n8n editor in a browser', () => {
	let instance: N8nInstance;
	let n8n: N8nServer;
	let browser: Browser;

	beforeAll(async () => {
		instance = await N8nInstance.create();
		n8n = await instance.start();
		await n8n.setupOwner(); // the setup form is n8n's, not ours: done over REST
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await instance?.dispose();
	});

	it('signs in with the owner account', async () => {
		const { page } = browser;
		await page.goto(`${n8n.baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
		// n8n 1.x's labels are not tied to their inputs; the field names are stable across 1.x and 2.x.
		await page.locator('input[name="emailOrLdapLoginId"]').or(page.getByLabel('Email')).fill(DEFAULT_OWNER.email);
		await page.locator('input[name="password"]').or(page.getByLabel('Password')).fill(DEFAULT_OWNER.password);
		await screenshot(page, 'e2e-editor-signin');
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
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
});
