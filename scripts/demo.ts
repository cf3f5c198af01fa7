// `npm run demo`: the example workflows, run headless by the REAL n8n app with this package
// installed as a community node, against the TGO sandbox on loopback. Prints a short summary per
// workflow and stops everything it started. Exit code 0 when every example ran as expected.
//
//   npm run demo                 # n8n's own output goes to build/demo/n8n.log
//   npm run demo -- --verbose    # ... and to the terminal too
//
// Environment: TGO_E2E_KEEP=1 keeps the n8n user folder (its path is printed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../tools/sandbox/server';
import { type FakeModel, fakeOpenAiCredential, startFakeModel } from '../tools/n8n/fake-model';
import { N8nInstance, packPackage, parseRawOutput, provision, REPO_ROOT } from '../tools/n8n/n8n';
import {
	CREDENTIAL_TYPE,
	EXAMPLE_CREDENTIAL_NAME,
	type Example,
	exampleModelScript,
	loadExamples,
	MODEL_CREDENTIAL_NAME,
	summarizeRun,
} from '../tools/n8n/examples';

const verbose = process.argv.includes('--verbose');
const LOG_DIR = path.join(REPO_ROOT, 'build', 'demo');
const LOG_FILE = path.join(LOG_DIR, 'n8n.log');

const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const out = (line = '') => process.stdout.write(`${line}\n`);

function log(text: string): void {
	fs.appendFileSync(LOG_FILE, text.endsWith('\n') ? text : `${text}\n`);
	if (verbose) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function step<T>(label: string, action: () => Promise<T> | T): Promise<T> {
	const t0 = Date.now();
	try {
		const result = await action();
		out(`  ✓ ${label} (${seconds(t0)})`);
		return result;
	} catch (error) {
		out(`  ✗ ${label}`);
		throw error;
	}
}

/** The sandbox's requests since `from`, as `GET /contacts/lookup ×2, POST /messages ×1`. */
function trafficSince(sandbox: Sandbox, from: number): string {
	const counts = new Map<string, number>();
	for (const request of sandbox.requests.slice(from)) {
		const key = `${request.method} ${request.path}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return [...counts].map(([key, count]) => `${key} ×${count}`).join(', ') || 'none';
}

let sandbox: Sandbox | undefined;
let model: FakeModel | undefined;
let instance: N8nInstance | undefined;
let packDir: string | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
	cleaning ??= (async () => {
		await instance?.dispose().catch(() => undefined);
		await sandbox?.close().catch(() => undefined);
		await model?.close().catch(() => undefined);
		if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
	})();
	return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		out(`\n${signal}: stopping n8n and the sandbox …`);
		void cleanup().then(() => process.exit(130));
	});
}

async function runExample(index: number, example: Example): Promise<boolean> {
	const { workflow } = example;
	const from = sandbox!.requests.length;
	// The stand-in model answers an example's AI Agent from a script (none for the other examples).
	model!.reset();
	model!.script(...exampleModelScript(workflow.id));
	const t0 = Date.now();
	const result = await instance!.cli(['execute', `--id=${workflow.id}`, '--rawOutput'], 180_000);
	log(`\n===== n8n execute --id=${workflow.id} (${example.file}) exit ${String(result.code)} in ${result.ms} ms\n${result.stdout}\n${result.stderr}`);
	const run = parseRawOutput(result.stdout);
	const summary = summarizeRun(workflow, run);

	out();
	out(`${index}. ${workflow.name}`);
	out(`   ${example.file} · n8n execute exit ${String(result.code)} · ${seconds(t0)}`);
	for (const line of summary.lines) out(`   ${line}`);
	out(`   sandbox received: ${trafficSince(sandbox!, from)}`);
	const modelCalls = model!.modelCalls();
	if (modelCalls.length) out(`   stand-in model answered ${modelCalls.length} calls of the agent (${modelCalls[0].api} API)`);

	const problems = [...summary.problems];
	for (const refused of model!.requests.filter((request) => request.refusal)) problems.push(`the stand-in model refused a call: ${refused.refusal}`);
	if (model!.pendingTurns) problems.push(`the agent stopped before the stand-in model's script was done (${model!.pendingTurns} answers left)`);
	if (result.timedOut) problems.push('n8n execute timed out');
	else if (result.code !== 0) {
		// The workflow's own error is reported above when n8n printed the run; otherwise its last words.
		const lastWords = (result.stderr || result.stdout)
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line !== '' && !line.startsWith('at '))
			.slice(-2)
			.join(' / ');
		problems.push(`n8n execute exited ${String(result.code ?? result.signal)}${summary.problems.length ? '' : `: ${lastWords}`}`);
	}
	for (const problem of problems) out(`   UNEXPECTED: ${problem}`);
	return problems.length === 0;
}

async function main(): Promise<number> {
	fs.mkdirSync(LOG_DIR, { recursive: true });
	fs.writeFileSync(LOG_FILE, `npm run demo, ${new Date().toISOString()}\n`);
	out('TGO Business nodes: the example workflows in a real n8n, against the local TGO sandbox');
	out(`(n8n's output: ${path.relative(process.cwd(), LOG_FILE) || LOG_FILE})`);
	out();

	const examples = loadExamples(REPO_ROOT);
	const provisioned = await step('n8n (provision or reuse the cached install)', () => provision());
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-demo-pack-'));
	const tarball = await step('build and pack the package', () => packPackage({ outDir: packDir }));
	sandbox = await step('start the TGO sandbox', () => startSandbox({ accessLog: (line) => log(`[sandbox] ${line}`) }));
	model = await step('start the stand-in OpenAI model (scripted, loopback)', () => startFakeModel({ accessLog: (line) => log(`[model] ${line}`) }));
	instance = await step(`install ${path.basename(tarball)} into a fresh n8n user folder`, () =>
		N8nInstance.create({ provisioned, tarball }),
	);
	await step(`import the credentials "${EXAMPLE_CREDENTIAL_NAME}" (sandbox key) and "${MODEL_CREDENTIAL_NAME}" (stand-in model), and ${examples.length} example workflows`, async () => {
		await instance!.importCredentials([
			{
				id: 'tgoDemoCredent01',
				name: EXAMPLE_CREDENTIAL_NAME,
				type: CREDENTIAL_TYPE,
				data: { domain: sandbox!.credentialDomain, apiKey: sandbox!.keys.full },
			},
			fakeOpenAiCredential(model!, 'tgoDemoModelCred', MODEL_CREDENTIAL_NAME),
		]);
		await instance!.importWorkflows(examples.map((example) => example.workflow));
	});
	out(`  n8n ${provisioned.N8N_VERSION_EXACT} on Node ${provisioned.N8N_NODE_VERSION_EXACT}; sandbox ${sandbox.baseUrl}`);

	let ok = true;
	for (const [index, example] of examples.entries()) {
		ok = (await runExample(index + 1, example)) && ok;
	}

	out();
	if (process.env.TGO_E2E_KEEP === '1') out(`n8n user folder kept: ${instance.userFolder}`);
	await cleanup();
	out(
		ok
			? `All ${examples.length} example workflows ran as expected in ${seconds(started)}. n8n, the sandbox and the stand-in model are stopped.`
			: `Something unexpected failed (see above and ${LOG_FILE}). n8n, the sandbox and the stand-in model are stopped.`,
	);
	return ok ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	async (error: Error) => {
		out(`\ndemo failed: ${error.message}`);
		out(`(details in ${LOG_FILE})`);
		log(String(error.stack ?? error));
		await cleanup();
		process.exit(1);
	},
);
