// Runs once before the end-to-end test files: makes sure the real n8n is provisioned and packs
// this package, then hands both to the test workers through the environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { packPackage, provision } from './lib/n8n';

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const provisioned = provision();
	const json = path.join(provisioned.N8N_DIR, 'provision.json');
	process.env.TGO_N8N_PROVISION_JSON = json;

	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-e2e-pack-'));
	process.env.TGO_E2E_PACK_DIR = outDir; // removed by global-teardown.ts
	process.env.TGO_E2E_TARBALL = packPackage({ outDir });
	process.stderr.write(
		`\n[e2e] n8n ${provisioned.N8N_VERSION_EXACT} on Node ${provisioned.N8N_NODE_VERSION_EXACT}; ` +
			`package ${path.basename(process.env.TGO_E2E_TARBALL)} (setup ${Math.round((Date.now() - t0) / 1000)} s)\n`,
	);
}
