// Runs once before the end-to-end test files: makes sure the real n8n is provisioned, packs this
// package and publishes it to a local npm registry on loopback, then hands all three to the test
// workers through the environment (each n8n instance installs the package by name from there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { packPackage, provision } from '../../tools/n8n/n8n';
import { LocalRegistry } from '../../tools/n8n/registry';

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const provisioned = provision();
	const json = path.join(provisioned.N8N_DIR, 'provision.json');
	process.env.TGO_N8N_PROVISION_JSON = json;

	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-e2e-pack-'));
	process.env.TGO_E2E_PACK_DIR = outDir; // removed by global-teardown.ts
	process.env.TGO_E2E_TARBALL = packPackage({ outDir });
	const registry = await LocalRegistry.start();
	// Stopped by global-teardown.ts, which runs in this same process.
	(globalThis as { tgoE2eRegistry?: LocalRegistry }).tgoE2eRegistry = registry;
	try {
		await registry.publish(process.env.TGO_E2E_TARBALL);
	} catch (error) {
		await registry.stop();
		throw error;
	}
	process.env.TGO_E2E_REGISTRY = registry.url;
	process.stderr.write(
		`\n[e2e] n8n ${provisioned.N8N_VERSION_EXACT} on Node ${provisioned.N8N_NODE_VERSION_EXACT}; ` +
			`package ${path.basename(process.env.TGO_E2E_TARBALL)} (setup ${Math.round((Date.now() - t0) / 1000)} s)\n`,
	);
}
