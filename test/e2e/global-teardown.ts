// Stops the local registry and removes the packed tarball's temp folder made by global-setup.ts
// (same process, same env).
import fs from 'node:fs';

import type { LocalRegistry } from '../../tools/n8n/registry';

export default async function globalTeardown(): Promise<void> {
	await (globalThis as { tgoE2eRegistry?: LocalRegistry }).tgoE2eRegistry?.stop();
	const dir = process.env.TGO_E2E_PACK_DIR;
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
