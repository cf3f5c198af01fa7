// Removes the packed tarball's temp folder made by global-setup.ts (same process, same env).
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
	const dir = process.env.TGO_E2E_PACK_DIR;
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
