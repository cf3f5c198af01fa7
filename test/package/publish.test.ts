// `npm publish` whatever the npm settings: the repo's .npmrc turns lifecycle scripts off, and
// package.json's publishConfig turns them back on for publishing only, so the prepack script
// always runs there: outside `npm run release` it refuses (n8n-node prerelease), inside it builds
// before npm packs. Nothing can really be published here: every run is a dry run against a
// loopback registry that refuses connections.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');
const NOWHERE_REGISTRY = 'http://127.0.0.1:9/';

interface NpmRun {
	exitCode: number;
	stdout: string;
	/** stdout and stderr together: npm's and the lifecycle scripts' words. */
	output: string;
}

/** `npm publish --dry-run` in `cwd`, with the environment a developer's shell would have. */
function dryRunPublish(cwd: string, extraEnv: Record<string, string>): Promise<NpmRun> {
	// Drop what a parent `npm test` exports (npm_config_*) and any RELEASE_MODE of the caller.
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'RELEASE_MODE'),
	);
	const args = ['publish', '--dry-run', '--json', '--registry', NOWHERE_REGISTRY];
	return new Promise((resolve) => {
		execFile('npm', args, { cwd, env: { ...env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			resolve({ exitCode: error ? Number(error.code) : 0, stdout, output: `${stdout}\n${stderr}` });
		});
	});
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials?: string[] };
};

/** The package sources, unbuilt, sharing this repo's node_modules (the build tools). */
function unbuiltCheckout(): string {
	const folder = mkdtempSync(path.join(os.tmpdir(), 'tgo-publish-'));
	const parts = ['package.json', '.npmrc', 'tsconfig.json', 'gulpfile.js', 'README.md', 'LICENSE.md', 'nodes', 'credentials', 'icons'];
	for (const part of parts) cpSync(path.join(REPO_ROOT, part), path.join(folder, part), { recursive: true });
	symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'junction');
	return folder;
}

const folders: string[] = [];
afterAll(() => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

test('a plain `npm publish` stops in prepack and asks for `npm run release`, though .npmrc sets ignore-scripts', async () => {
	expect(readFileSync(path.join(REPO_ROOT, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
	const folder = unbuiltCheckout();
	folders.push(folder);

	const run = await dryRunPublish(folder, {});

	expect(run.exitCode).not.toBe(0);
	expect(run.output).toContain('n8n-node prerelease');
	expect(run.output).toContain('Run `npm run release` to publish the package');
	// It stopped before the build and before npm packed anything.
	expect(existsSync(path.join(folder, 'dist'))).toBe(false);
	expect(run.output).not.toContain('"filename"');
}, 120_000);

test('on the release path (RELEASE_MODE set) prepack builds first, so the packed files include every node', async () => {
	const folder = unbuiltCheckout();
	folders.push(folder);

	const run = await dryRunPublish(folder, { RELEASE_MODE: 'true' });

	expect(run.exitCode).toBe(0);
	// The build's log comes first on stdout; npm's JSON report (keyed by package name) starts at a `{` line.
	const report = JSON.parse(run.stdout.slice(run.stdout.search(/^\{/m))) as Record<string, { files: Array<{ path: string }> }>;
	const packed = Object.values(report)[0].files.map((file) => file.path);
	for (const entry of [...manifest.n8n.nodes, ...(manifest.n8n.credentials ?? [])]) {
		expect(packed).toContain(entry);
	}
}, 240_000);
