// The package as n8n loads it: n8n-core's own PackageDirectoryLoader reads dist/ through the
// manifest in package.json, finds every node and the credential under the names saved workflows
// use, and every icon they name is shipped. Needs `npm run build` (the loader reads dist/).
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

import { loadedPackage, type LoadedPackage, PACKAGE_ROOT } from '../../tools/harness';

const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes?: string[]; credentials?: string[] };
};
const manifestNodes = manifest.n8n.nodes ?? [];
const manifestCredentials = manifest.n8n.credentials ?? [];

/** Icon URLs as n8n serves them (`icons/<package>/<path in package>`) → files in the package. */
function iconFiles(iconUrl: unknown, packageName: string): string[] {
	if (!iconUrl) return [];
	const urls = typeof iconUrl === 'string' ? [iconUrl] : Object.values(iconUrl as object);
	return urls.map((url: string) => {
		const prefix = `icons/${packageName}/`;
		expect(url.startsWith(prefix)).toBe(true);
		return url.slice(prefix.length);
	});
}

function expectShippedSvg(relativePath: string) {
	// package.json `files` ships dist/ only: an icon anywhere else is missing after `npm install`.
	expect(relativePath.startsWith('dist/')).toBe(true);
	const file = path.join(PACKAGE_ROOT, relativePath);
	expect(existsSync(file)).toBe(true);
	expect(statSync(file).size).toBeGreaterThan(0);
	expect(readFileSync(file, 'utf8')).toContain('<svg');
}

describe("the package, loaded by n8n-core's PackageDirectoryLoader from dist/", () => {
	let pkg: LoadedPackage;
	beforeAll(async () => {
		pkg = await loadedPackage();
	});

	test('loads every node and credential the manifest lists, and nothing else', () => {
		expect(pkg.packageName).toBe(manifest.name);
		const loadedNodeFiles = Object.values(pkg.loader.known.nodes).map((node) => node.sourcePath);
		const loadedCredentialFiles = Object.values(pkg.loader.known.credentials).map(
			(credential) => credential.sourcePath,
		);
		expect(loadedNodeFiles.sort()).toEqual([...manifestNodes].sort());
		expect(loadedCredentialFiles.sort()).toEqual([...manifestCredentials].sort());
		expect(pkg.credentialTypes).toEqual(['tgoBusinessApi']);
		// The contract: users' saved workflows depend on these type names.
		expect([...pkg.nodeTypes].sort()).toEqual(
			['tgoGetAccount', 'tgoGetMessageLogs', 'tgoGetSenderNumbers', 'tgoGetUsage', 'tgoLookupContact', 'tgoRegisterSenderNumber', 'tgoSendMessage'].map(
				(name) => `${manifest.name}.${name}`,
			),
		);
		// Workflows name a community node `<package name>.<node name>`.
		for (const nodeType of pkg.nodeTypes) {
			expect(nodeType).toMatch(new RegExp(`^${manifest.name.replace(/[-.]/g, '\\$&')}\\.tgo[A-Z]\\w+$`));
		}
	});

	test.each(manifestCredentials)('credential %s: its icons exist in dist/', (sourcePath) => {
		const [name] = Object.entries(pkg.loader.known.credentials).find(
			([, known]) => known.sourcePath === sourcePath,
		)!;
		const { type } = pkg.loader.getCredential(name);
		const files = iconFiles(type.iconUrl, pkg.packageName);
		expect(files.length).toBeGreaterThan(0);
		files.forEach(expectShippedSvg);
	});

	test.each(manifestNodes)('node %s: its icons exist in dist/', (sourcePath) => {
		const [name] = Object.entries(pkg.loader.known.nodes).find(([, known]) => known.sourcePath === sourcePath)!;
		const { type } = pkg.loader.getNode(name);
		const descriptions = [type.description, ...pkg.loader.getVersionedNodeTypeAll(type).map((v) => v.description)];
		const files = descriptions.flatMap((description) => iconFiles(description.iconUrl, pkg.packageName));
		expect(files.length).toBeGreaterThan(0);
		files.forEach(expectShippedSvg);
	});
});
