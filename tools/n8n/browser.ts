// Headless Chromium for the end-to-end browser checks: Debian's /usr/bin/chromium (installed by
// tools/provision/chromium.sh) driven by playwright-core; Playwright's own browser download
// cannot work on these machines. Flags keep Chromium off the (closed) network.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { DEFAULT_OWNER, type N8nInstance, type Owner, REPO_ROOT } from './n8n';

export const CHROMIUM = process.env.TGO_CHROMIUM ?? '/usr/bin/chromium';

// --headless comes from Playwright's `headless: true`; the rest stops Chromium's background
// connections (refused here, many at a time, without them) and first-run work.
export const CHROMIUM_ARGS = [
	'--no-sandbox', // root in CI
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

// n8n's front end marks elements with data-test-id (Playwright's default is data-testid).
selectors.setTestIdAttribute('data-test-id');

export interface Browser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

/** A fresh headless Chromium with an empty --user-data-dir, removed again on close(). */
export async function launchBrowser(timeoutMs = 60_000): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: run \`bash tools/provision/chromium.sh\` first`);
	}
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1280, height: 800 },
		timeout: timeoutMs,
	});
	context.setDefaultTimeout(30_000);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		async close() {
			await context.close().catch(() => undefined);
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Screenshot into test-results/ (kept by CI as an artifact; ignored by git). */
export async function screenshot(page: Page, name: string): Promise<string> {
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const file = path.join(RESULTS_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

/** Sign in on n8n's sign-in page as a user does; resolves once the editor has left /signin. */
export async function signIn(page: Page, baseUrl: string, owner: Owner = DEFAULT_OWNER, screenshotName?: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	// n8n 1.x's labels are not tied to their inputs; the field names are stable across 1.x and 2.x.
	await page.locator('input[name="emailOrLdapLoginId"]').or(page.getByLabel('Email')).fill(owner.email);
	await page.locator('input[name="password"]').or(page.getByLabel('Password')).fill(owner.password);
	if (screenshotName) await screenshot(page, screenshotName);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Starts the instance's n8n, sets up its owner over REST, signs in with a fresh browser and opens a workflow. */
export async function openInEditor(instance: N8nInstance, workflowId: string): Promise<Browser> {
	const n8n = await instance.start();
	await n8n.setupOwner();
	const browser = await launchBrowser();
	try {
		await signIn(browser.page, n8n.baseUrl);
		await browser.page.goto(`${n8n.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		return browser;
	} catch (error) {
		await browser.close();
		throw error;
	}
}
