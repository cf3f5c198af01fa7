// The tarball a user installs, checked the way n8n checks a community package before listing it
// as verified (scripts/check-package.mjs: `npm pack`, the scanner's lint rules, the manifest and
// its icons, what ships). Needs `npm run build` (npm test runs it first): it packs dist/.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');
const CHECK_SCRIPT = path.join(REPO_ROOT, 'scripts', 'check-package.mjs');

interface CheckResult {
	tarball: { filename: string; packedBytes: number; unpackedBytes: number; files: string[] };
	lint: Array<{ label: 'source' | 'tarball'; files: number }>;
	n8n: { nodes: string[]; credentials: string[]; icons: Record<string, string[]> };
	problems: string[];
}

interface CheckRun {
	exitCode: number;
	result: CheckResult;
}

function runCheck(folder: string): Promise<CheckRun> {
	return new Promise((resolve, reject) => {
		execFile(process.execPath, [CHECK_SCRIPT, '--json', folder], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			const exitCode = error ? Number(error.code) : 0;
			if (exitCode !== 0 && exitCode !== 1) {
				reject(new Error(`check-package exited with ${error?.code}: ${stderr}`));
				return;
			}
			resolve({ exitCode, result: JSON.parse(stdout) as CheckResult });
		});
	});
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials?: string[] };
};
const manifestFiles = [...manifest.n8n.nodes, ...(manifest.n8n.credentials ?? [])];

/** A throw-away copy of the package folder: what `npm pack` reads, and dist/ if asked. */
function copyOfPackage(withDist: boolean): string {
	const folder = mkdtempSync(path.join(os.tmpdir(), 'tgo-package-copy-'));
	const parts = ['package.json', 'README.md', 'LICENSE.md', '.npmrc', 'nodes', 'credentials', 'icons'];
	for (const part of withDist ? [...parts, 'dist'] : parts) {
		cpSync(path.join(REPO_ROOT, part), path.join(folder, part), { recursive: true });
	}
	return folder;
}

/** A package folder with every way a tarball can be unfit to install, one of each. */
function unfitCopy(): string {
	const folder = copyOfPackage(true);
	const pkgFile = path.join(folder, 'package.json');
	const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
	pkg.files = [...pkg.files, 'notes.txt'];
	pkg.dependencies = { axios: '1.13.2' };
	pkg.peerDependencies = { 'n8n-workflow': '^2.0.0' };
	writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	writeFileSync(path.join(folder, 'notes.txt'), 'release notes draft\n');
	const shared = path.join(folder, 'dist', 'nodes', 'shared');
	writeFileSync(path.join(shared, 'phone.test.js'), "'use strict';\n");
	writeFileSync(
		path.join(shared, 'debug.js'),
		`'use strict';\nexports.where = ${JSON.stringify(folder)};\nexports.trace = () => console.log('here');\n//# sourceMappingURL=debug.js.map\n`,
	);
	writeFileSync(
		path.join(shared, 'debug.js.map'),
		JSON.stringify({ version: 3, file: 'debug.js', sources: ['../../../nodes/shared/debug.ts'], mappings: '' }),
	);
	rmSync(path.join(folder, 'dist', 'icons', 'tgo.dark.svg'));
	return folder;
}

// The three packs run at once: each is mostly waiting on npm and on loading ESLint.
let built: CheckRun;
let unbuilt: CheckRun;
let unfit: CheckRun;
const copies: string[] = [];
beforeAll(async () => {
	copies.push(copyOfPackage(false), unfitCopy());
	[built, unbuilt, unfit] = await Promise.all([runCheck(REPO_ROOT), ...copies.map(runCheck)]);
	const { tarball } = built.result;
	process.stderr.write(
		`${tarball.filename}: ${(tarball.packedBytes / 1000).toFixed(1)} kB packed, ` +
			`${(tarball.unpackedBytes / 1000).toFixed(1)} kB unpacked, ${tarball.files.length} files\n`,
	);
}, 120_000);
afterAll(() => {
	for (const folder of copies) rmSync(folder, { recursive: true, force: true });
});

describe('the tarball `npm pack` makes of the built package', () => {
	test('passes every check: the scanner lint rules, the manifest, contents, paths, maps, dependencies, size', () => {
		expect(built.result.problems).toEqual([]);
		expect(built.exitCode).toBe(0);
	});

	test("the scanner's lint rules ran on the shippable sources and on every packed .js file and package.json", () => {
		const packedScripts = built.result.tarball.files.filter((file) => file.endsWith('.js'));
		expect(packedScripts.length).toBeGreaterThan(manifestFiles.length);
		expect(built.result.lint).toEqual([
			{ label: 'source', files: expect.any(Number) },
			{ label: 'tarball', files: packedScripts.length + 1 },
		]);
		expect(built.result.lint[0].files).toBeGreaterThan(manifestFiles.length);
	});

	test('every node and credential file in the n8n manifest ships, with its light and dark icons', () => {
		const { files } = built.result.tarball;
		expect(built.result.n8n.nodes).toEqual(manifest.n8n.nodes);
		for (const entry of manifestFiles) {
			expect(files).toContain(entry);
			const icons = built.result.n8n.icons[entry];
			expect(icons.map((icon) => path.extname(icon))).toEqual(['.svg', '.svg']);
			for (const icon of icons) expect(files).toContain(icon);
		}
	});

	test('ships dist/, the readme, the licence and package.json, and nothing from the tests', () => {
		const { files } = built.result.tarball;
		const outsideDist = files.filter((file) => !file.startsWith('dist/'));
		expect(outsideDist.sort()).toEqual(['LICENSE.md', 'README.md', 'package.json']);
		expect(files.filter((file) => /(^|\/)(test|tools)\/|\.test\.|sandbox|harness/.test(file))).toEqual([]);
	});
});

describe('the check fails a package that is not fit to install', () => {
	test('without its nodes: a clean clone packed before any build', () => {
		expect(unbuilt.exitCode).toBe(1);
		expect(unbuilt.result.tarball.files.sort()).toEqual(['LICENSE.md', 'README.md', 'package.json']);
		expect(unbuilt.result.problems).toEqual(
			manifestFiles.map((entry) => `${entry} is in the n8n manifest but not in the tarball`),
		);
	});

	test('with a scanner rule broken, an icon missing, stray and test files, a machine path, a dangling map and a runtime dependency', () => {
		expect(unfit.exitCode).toBe(1);
		const [firstNode] = manifest.n8n.nodes;
		const expected = [
			/^lint \(tarball\) dist\/nodes\/shared\/debug\.js:3 error no-console:/,
			/^lint \(tarball\) package\.json:\d+ error @n8n\/community-nodes\/no-runtime-dependencies:/,
			new RegExp(`^${firstNode.replace(/[.]/g, '\\.')}: its icon dist/icons/tgo\\.dark\\.svg is not in the tarball$`),
			/^notes\.txt ships but only dist\//,
			/^dist\/nodes\/shared\/phone\.test\.js is test code$/,
			/^dist\/nodes\/shared\/debug\.js contains the machine path /,
			/^dist\/nodes\/shared\/debug\.js\.map needs \.\.\/\.\.\/\.\.\/nodes\/shared\/debug\.ts, which is neither in the tarball nor embedded$/,
			/^package\.json has runtime dependencies: axios$/,
			/^package\.json must have n8n-workflow as a "\*" peer dependency, not "\^2\.0\.0"$/,
		];
		for (const pattern of expected) {
			expect(unfit.result.problems).toContainEqual(expect.stringMatching(pattern));
		}
	});
});
