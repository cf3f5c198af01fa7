// node build/bench/profile.js [ours|floor] [items] [runs]
//
// A CPU profile of TGO Send Message (or the helper floor) sending text messages sequentially to
// the sandbox at 0 ms latency: the sandbox in its own process, the sends in a child started with
// --cpu-prof (child.ts's `sends` scenario). Prints the functions with the most self time and
// where the .cpuprofile is (open it in Chrome DevTools or VS Code for the call tree).
import './env';

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { RemoteSandbox } from './sandboxProcess';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

const nameOf = (frame: ProfileNode['callFrame']) => {
	const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|build)\//, '$1/')}:${frame.lineNumber + 1}` : '';
	return `${frame.functionName || '(anonymous)'} ${where}`.trim();
};

/** The package's own code (dist/nodes, dist/credentials), as loaded by the harness. */
const isOurs = (frame: ProfileNode['callFrame']) => /\/dist\/(nodes|credentials)\//.test(frame.url);

/**
 * Two views of the samples (µs): self time per function, and the time under each of the
 * package's functions that is not under a deeper one of ours (what n8n or Node did because that
 * function asked), the request helper's own work counted apart.
 */
function summarise(profile: CpuProfile): { self: Map<string, number>; ours: Map<string, number> } {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const self = new Map<string, number>();
	const ours = new Map<string, number>();
	const add = (map: Map<string, number>, key: string, time: number) => map.set(key, (map.get(key) ?? 0) + time);
	profile.samples.forEach((id, index) => {
		const time = profile.timeDeltas[index] ?? 0;
		const leaf = byId.get(id);
		if (!leaf) return;
		add(self, nameOf(leaf.callFrame), time);
		let helper = false;
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
			const frame = byId.get(current)!.callFrame;
			if (/^(httpRequestWithAuthentication|requestWithAuthentication)$/.test(frame.functionName)) helper = true;
			if (isOurs(frame)) {
				add(ours, helper ? `${nameOf(frame)} → n8n request helper` : nameOf(frame), time);
				return;
			}
		}
	});
	return { self, ours };
}

async function main() {
	const [who = 'ours', items = '500', runs = '10'] = process.argv.slice(2);
	const sandbox = await RemoteSandbox.start();
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-profile-'));
	try {
		const target = { domain: sandbox.credentialDomain, apiKey: sandbox.apiKey };
		const options = { items: Number(items), concurrency: 1, runs: Number(runs), floor: who === 'floor' ? 1 : 0 };
		const { stdout } = await promisify(execFile)(
			process.execPath,
			['--expose-gc', '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', directory, path.join(__dirname, 'child.js'), 'sends', JSON.stringify(target), JSON.stringify(options)],
			{ encoding: 'utf8' },
		);
		console.log(`${who}: ${stdout.trim()}`);
	} finally {
		await sandbox.close();
	}
	const [file] = fs.readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'));
	const profile = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as CpuProfile;
	const { self, ours } = summarise(profile);
	const all = [...self.values()].reduce((sum, time) => sum + time, 0);
	const print = (title: string, totals: Map<string, number>, count: number) => {
		console.log(`\n${title}`);
		for (const [name, time] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, count)) {
			console.log(`${((100 * time) / all).toFixed(1).padStart(5)}%  ${name}`);
		}
	};
	print('Self time (% of the profile):', self, 25);
	print('Under the package\'s functions, deepest of ours (% of the profile):', ours, 40);
	console.log(`profile: ${path.join(directory, file)}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
