// End to end: the package as users get it, by name from an npm registry. A fresh `npm pack` is
// published with `npm publish` to a local Verdaccio on loopback; the registry then serves exactly
// that tarball, and the real n8n loads the package installed by name from it.
import crypto from 'node:crypto';
import fs from 'node:fs';

import { N8nInstance, PACKAGE_NAME, packPackage, TGO_NODES, type N8nServer } from '../../tools/n8n/n8n';
import { LocalRegistry } from '../../tools/n8n/registry';

const NODE_TYPES = TGO_NODES.map((node) => `${PACKAGE_NAME}.${node.name}`);

describe('installing the package by name from an npm registry', () => {
	let registry: LocalRegistry;
	let instance: N8nInstance;
	let n8n: N8nServer;
	let tarball: string;

	beforeAll(async () => {
		registry = await LocalRegistry.start();
		tarball = packPackage();
		await registry.publish(tarball);
		instance = await N8nInstance.create({ tarball: false });
	});

	afterAll(async () => {
		await instance?.dispose();
		await registry?.stop();
	});

	it('the registry serves the published tarball, byte for byte', async () => {
		const packument = (await (await fetch(`${registry.url}/${PACKAGE_NAME}`)).json()) as {
			'dist-tags': Record<string, string>;
			versions: Record<string, { dist: { integrity: string; tarball: string } }>;
		};
		const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;
		expect(packument['dist-tags'].latest).toBe(version);
		const local = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
		expect(packument.versions[version].dist.integrity).toBe(local);
		const served = Buffer.from(await (await fetch(packument.versions[version].dist.tarball)).arrayBuffer());
		expect(served.equals(fs.readFileSync(tarball))).toBe(true);
	});

	it('n8n loads every TGO node and the credential installed by name from it', async () => {
		const version = (await registry.versions())[0];
		await registry.installInto(instance.nodesDir, version);
		n8n = await instance.start();
		await n8n.ready();
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		expect(names).toEqual(expect.arrayContaining(NODE_TYPES));
		expect((await n8n.credentialTypes()).map((type) => type.name)).toContain('tgoBusinessApi');
	});
});
