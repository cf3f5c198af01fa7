// `npm run check:package [-- --json] [package folder]`: the tarball a user installs, checked
// offline the way n8n checks a community package before it lists it as verified, plus what makes
// the tarball fit to install. It packs the folder (default: this repo; its dist/ must be built)
// with `npm pack` and reports:
// - the lint rules of n8n's scanner (@n8n/scan-community-package): its rule set run on the
//   shippable sources (package.json, nodes/ and credentials/) and on the packed .js files and
//   package.json, with the ESLint plugins @n8n/node-cli brings (our devDependency), so the
//   versions are the ones `n8n-node lint` uses (a warning counts as a problem too: the scanner
//   fails on errors only, but `npm run lint` allows no warning either);
// - every node and credential file the `n8n` manifest names, and each one's icons, in the tarball;
// - nothing shipped but dist/, README.md, LICENSE.md, CHANGELOG.md and package.json; no test
//   code; no absolute path of the machine that packed it; no source map that needs a file the
//   tarball lacks;
// - no runtime dependencies, n8n-workflow a `*` peer, and the packed size.
// Exit code 1 when anything is wrong; `--json` prints the whole result for tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// eslint-plugin-n8n-nodes-base treats every file as a node file when NODE_ENV is 'test' (its own
// test mode), which jest sets for the processes it starts; the scanner never runs that way.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRequire = createRequire(path.join(REPO_ROOT, 'package.json'));
// Resolve ESLint and the plugins from @n8n/node-cli's folder: the versions `n8n-node lint` runs.
const cliRequire = createRequire(repoRequire.resolve('@n8n/node-cli/eslint'));

/** What may ship: the compiled package and the files npm and n8n's listing show. */
const SHIPPED_ROOT_FILES = new Set(['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md']);
const SHIPPED_FOLDER = 'dist/';
/** A tarball past this has picked up something it should not (fixtures, node_modules, media). */
export const PACKED_BYTES_BUDGET = 256 * 1024;
/** The patterns the scanner lints in a source checkout and in the unpacked tarball. */
const SOURCE_LINTED = /^(package\.json|(nodes|credentials)\/.+\.(js|ts|json))$/;
const TARBALL_LINTED = /^(package\.json|.+\.js)$/;
const TEST_CODE = /(^|\/)(test|tests|__tests__|__mocks__|fixtures?)\/|\.(test|spec)\.[cm]?[jt]s(\.map)?$/;
const TEXT_FILE = /\.(js|cjs|mjs|map|json|ts|md|svg|txt)$/;
/** Home folders of Linux, macOS and Windows: in compiled code they can only come from a build machine. */
const HOME_PATH = /(\/home\/[^/\s'"`]+\/|\/Users\/[^/\s'"`]+\/|[A-Za-z]:\\{1,2}Users\\{1,2})/;

/** Every file under `root`, as forward-slash paths relative to it. */
function filesUnder(root) {
	return readdirSync(root, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'));
}

/** The source files the scanner lints in a checkout: package.json, nodes/ and credentials/. */
function shippableSources(packageRoot) {
	const folders = ['nodes', 'credentials'].filter((folder) => existsSync(path.join(packageRoot, folder)));
	const files = folders.flatMap((folder) => filesUnder(path.join(packageRoot, folder)).map((f) => `${folder}/${f}`));
	return ['package.json', ...files].filter((f) => SOURCE_LINTED.test(f));
}

/** npm's environment without the npm_* settings of a parent `npm test` (dry-run and the like). */
function plainNpmEnv() {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** `npm pack` into `workDir`, lifecycle scripts off (the check packs what is built), then unpacked. */
function packAndUnpack(packageRoot, workDir) {
	const json = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
		cwd: packageRoot,
		env: plainNpmEnv(),
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [packed] = JSON.parse(json.slice(json.indexOf('[')));
	const unpackedRoot = path.join(workDir, 'package');
	mkdirSync(unpackedRoot);
	execFileSync('tar', ['-xzf', path.join(workDir, packed.filename), '-C', unpackedRoot, '--strip-components=1']);
	return {
		filename: packed.filename,
		packedBytes: packed.size,
		unpackedBytes: packed.unpackedSize,
		files: packed.files.map((file) => file.path).sort(),
		unpackedRoot,
	};
}

/** The scanner's ESLint rule set, written out from its source (v0.32.0), as a flat config. */
async function scannerConfig() {
	const { n8nCommunityNodesPlugin } = await import(
		pathToFileURL(cliRequire.resolve('@n8n/eslint-plugin-community-nodes')).href
	);
	const nodesBase = cliRequire('eslint-plugin-n8n-nodes-base');
	// The parser alone, from the typescript-eslint that @n8n/node-cli depends on.
	const parser = createRequire(cliRequire.resolve('typescript-eslint'))('@typescript-eslint/parser');
	const { community, credentials, nodes } = nodesBase.configs;
	return [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': nodesBase } },
		{ files: ['package.json'], rules: community.rules },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...credentials.rules,
				// The scanner turns these two off: not meant for community credentials, and the
				// community plugin's credential-password-field replaces the second.
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...nodes.rules,
				// Also off in the scanner: enum inputs/outputs, and an API's own maximum as maxValue.
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		// package.json and the TS sources go through the TypeScript parser, as in the scanner.
		{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser } },
	];
}

/** Lints `files` (relative to `root`) as the scanner does: inline eslint-disable comments do not count. */
async function lint(root, files, label) {
	const { ESLint } = await import(pathToFileURL(cliRequire.resolve('eslint')).href);
	const eslint = new ESLint({
		cwd: root,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scannerConfig(),
	});
	const results = await eslint.lintFiles(files.map((file) => path.join(root, file)));
	const messages = results.flatMap((result) =>
		result.messages.map((message) => ({
			file: path.relative(root, result.filePath).split(path.sep).join('/'),
			line: message.line,
			rule: message.ruleId,
			severity: message.severity === 2 ? 'error' : 'warning',
			message: message.message,
		})),
	);
	return { label, files: results.length, messages };
}

/** `icon` of a description or credential: a string or { light, dark }; only `file:` icons are files. */
function iconFilePaths(icon) {
	if (!icon) return [];
	const values = typeof icon === 'string' ? [icon] : Object.values(icon);
	return values.filter((value) => typeof value === 'string' && value.startsWith('file:')).map((value) => value.slice(5));
}

/**
 * Loads a manifest file the way n8n's loader does (the class named like the file, created with
 * no arguments) and returns its icon files as package paths. n8n-workflow comes from this repo,
 * as it comes from n8n itself once installed.
 */
function iconsOf(unpackedRoot, manifestPath) {
	const file = path.join(unpackedRoot, manifestPath);
	const className = path.basename(manifestPath).replace(/\.(node|credentials)\.js$/, '');
	const Exported = createRequire(file)(file)[className];
	if (typeof Exported !== 'function') throw new Error(`exports no class named ${className}`);
	const instance = new Exported();
	const icons = [instance.icon, instance.description?.icon];
	for (const version of Object.values(instance.nodeVersions ?? {})) icons.push(version.description?.icon);
	const relative = icons.flatMap(iconFilePaths).map((iconPath) =>
		path.relative(unpackedRoot, path.resolve(path.dirname(file), iconPath)).split(path.sep).join('/'),
	);
	return [...new Set(relative)];
}

function checkManifest(manifest, shipped, unpackedRoot, problems) {
	const nodes = manifest.n8n?.nodes ?? [];
	const credentials = manifest.n8n?.credentials ?? [];
	if (nodes.length === 0) problems.push('package.json n8n.nodes lists no node');
	const icons = {};
	for (const entry of [...nodes, ...credentials]) {
		if (!shipped.has(entry)) {
			problems.push(`${entry} is in the n8n manifest but not in the tarball`);
			continue;
		}
		try {
			icons[entry] = iconsOf(unpackedRoot, entry);
		} catch (error) {
			problems.push(`${entry} does not load as n8n loads it: ${error.message}`);
			continue;
		}
		if (icons[entry].length === 0) problems.push(`${entry} has no icon file`);
		for (const icon of icons[entry]) {
			if (!shipped.has(icon)) problems.push(`${entry}: its icon ${icon} is not in the tarball`);
			else if (icon.endsWith('.svg') && !readFileSync(path.join(unpackedRoot, icon), 'utf8').includes('<svg')) {
				problems.push(`${entry}: its icon ${icon} is not an SVG image`);
			}
		}
	}
	return { nodes, credentials, icons };
}

function checkContents(files, problems) {
	for (const file of files) {
		if (!file.startsWith(SHIPPED_FOLDER) && !SHIPPED_ROOT_FILES.has(file)) {
			problems.push(`${file} ships but only dist/, ${[...SHIPPED_ROOT_FILES].join(', ')} should`);
		}
		if (TEST_CODE.test(file)) problems.push(`${file} is test code`);
	}
}

/** Absolute paths of the packing machine: the package folder, this repo and the home folder. */
function machinePaths(packageRoot) {
	const paths = new Set([packageRoot, REPO_ROOT, os.homedir()].filter((p) => p.length > 1));
	for (const p of [...paths]) paths.add(p.split(path.sep).join('/'));
	return [...paths];
}

function checkMachinePaths(unpackedRoot, files, packageRoot, problems) {
	const own = machinePaths(packageRoot);
	for (const file of files.filter((f) => TEXT_FILE.test(f))) {
		const text = readFileSync(path.join(unpackedRoot, file), 'utf8');
		const found = own.find((p) => text.includes(p)) ?? (file.startsWith(SHIPPED_FOLDER) && HOME_PATH.exec(text)?.[0]);
		if (found) problems.push(`${file} contains the machine path ${found}`);
	}
}

/** A source map must not need a file the tarball lacks: each source is shipped or embedded. */
function checkSourceMaps(unpackedRoot, files, shipped, problems) {
	const inPackage = (fromFile, reference) =>
		path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), reference));
	for (const file of files.filter((f) => f.endsWith('.js'))) {
		const text = readFileSync(path.join(unpackedRoot, file), 'utf8');
		const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
		if (url && !url.startsWith('data:') && !shipped.has(inPackage(file, url))) {
			problems.push(`${file} points at the source map ${url}, which is not in the tarball`);
		}
	}
	for (const file of files.filter((f) => f.endsWith('.map'))) {
		const map = JSON.parse(readFileSync(path.join(unpackedRoot, file), 'utf8'));
		(map.sources ?? []).forEach((source, index) => {
			if (typeof map.sourcesContent?.[index] === 'string') return;
			if (!shipped.has(inPackage(file, path.posix.join(map.sourceRoot ?? '', source)))) {
				problems.push(`${file} needs ${source}, which is neither in the tarball nor embedded`);
			}
		});
	}
}

function checkDependencies(manifest, problems) {
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		const names = Object.keys(manifest[field] ?? {});
		if (names.length > 0) problems.push(`package.json has runtime ${field}: ${names.join(', ')}`);
	}
	const peer = manifest.peerDependencies?.['n8n-workflow'];
	if (peer !== '*') problems.push(`package.json must have n8n-workflow as a "*" peer dependency, not ${JSON.stringify(peer)}`);
}

/** Packs `packageRoot` and checks the tarball; returns the facts and the list of problems. */
export async function checkPackage(packageRoot = REPO_ROOT) {
	packageRoot = path.resolve(packageRoot);
	const workDir = mkdtempSync(path.join(os.tmpdir(), 'tgo-package-check-'));
	try {
		const tarball = packAndUnpack(packageRoot, workDir);
		const { unpackedRoot, files } = tarball;
		// Beside the unpacked folder, so that its node files find n8n-workflow as they would in n8n.
		symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(workDir, 'node_modules'), 'junction');
		const shipped = new Set(files);
		const manifest = JSON.parse(readFileSync(path.join(unpackedRoot, 'package.json'), 'utf8'));
		const problems = [];

		const lintRuns = [
			await lint(packageRoot, shippableSources(packageRoot), 'source'),
			await lint(unpackedRoot, files.filter((f) => TARBALL_LINTED.test(f)), 'tarball'),
		];
		for (const run of lintRuns) {
			for (const m of run.messages) {
				problems.push(`lint (${run.label}) ${m.file}:${m.line} ${m.severity} ${m.rule ?? ''}: ${m.message}`);
			}
		}
		const n8n = checkManifest(manifest, shipped, unpackedRoot, problems);
		checkContents(files, problems);
		checkMachinePaths(unpackedRoot, files, packageRoot, problems);
		checkSourceMaps(unpackedRoot, files, shipped, problems);
		checkDependencies(manifest, problems);
		if (tarball.packedBytes > PACKED_BYTES_BUDGET) {
			problems.push(`the tarball is ${tarball.packedBytes} bytes, over the ${PACKED_BYTES_BUDGET}-byte budget`);
		}
		const { unpackedRoot: _unpacked, ...facts } = tarball;
		return { tarball: facts, lint: lintRuns.map(({ label, files: count }) => ({ label, files: count })), n8n, problems };
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const json = args.includes('--json');
	const folder = args.find((arg) => !arg.startsWith('--')) ?? REPO_ROOT;
	if (!existsSync(path.join(folder, 'package.json')) || !statSync(folder).isDirectory()) {
		console.error(`${folder} is not a package folder`);
		process.exit(2);
	}
	const result = await checkPackage(folder);
	if (json) {
		process.stdout.write(`${JSON.stringify(result, null, '\t')}\n`);
	} else {
		const { tarball, lint: runs, n8n, problems } = result;
		console.log(
			`${tarball.filename}: ${kB(tarball.packedBytes)} packed, ${kB(tarball.unpackedBytes)} unpacked, ${tarball.files.length} files`,
		);
		console.log(`scanner lint rules: ${runs.map((run) => `${run.files} ${run.label} files`).join(', ')}`);
		console.log(`n8n manifest: ${n8n.nodes.length} nodes, ${n8n.credentials.length} credentials`);
		console.log(problems.length === 0 ? 'no problems' : `${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`);
	}
	process.exitCode = result.problems.length === 0 ? 0 : 1;
}
