// `npm run dev`: the REAL n8n editor with this package installed as a community node, a TGO
// sandbox, a ready credential pointing at it, the example workflows imported and an owner account,
// so you can drag the TGO nodes onto a canvas and try them. Ctrl-C stops everything.
//
//   npm run dev                              # editor on http://127.0.0.1:5678
//   npm run dev -- --port 5700 --sandbox-port 8800 --keep
//
// Options: --port N (n8n; also N8N_PORT), --sandbox-port N (default 8787, another free port if
// taken), --keep (keep the n8n user folder after Ctrl-C; by default it is removed).
// Environment: TGO_DEV_EMAIL / TGO_DEV_PASSWORD (the owner account to create).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { contacts, senders } from '../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../tools/sandbox/server';
import { N8nInstance, type N8nServer, packPackage, provision, REPO_ROOT } from '../tools/n8n/n8n';
import { CREDENTIAL_TYPE, EXAMPLE_CREDENTIAL_NAME, loadExamples } from '../tools/n8n/examples';

interface Options {
	port: number;
	sandboxPort: number;
	keep: boolean;
}

function parseArguments(argv: string[]): Options {
	const options: Options = { port: Number(process.env.N8N_PORT) || 5678, sandboxPort: 8787, keep: false };
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index].split('=', 2);
		const value = (): number => {
			const raw = inline ?? argv[++index];
			const port = Number(raw);
			if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${flag} needs a port number (1..65535), not ${String(raw)}`);
			return port;
		};
		if (flag === '--port') options.port = value();
		else if (flag === '--sandbox-port') options.sandboxPort = value();
		else if (flag === '--keep') options.keep = true;
		else if (flag === '--help' || flag === '-h') {
			process.stdout.write('Usage: npm run dev -- [--port 5678] [--sandbox-port 8787] [--keep]\n');
			process.exit(0);
		} else throw new Error(`Unknown option ${argv[index]} (try --help)`);
	}
	return options;
}

const OWNER = {
	email: process.env.TGO_DEV_EMAIL || 'demo@example.com',
	password: process.env.TGO_DEV_PASSWORD || 'TgoSandbox-Demo1',
	firstName: 'TGO',
	lastName: 'Demo',
};

const LOG_DIR = path.join(REPO_ROOT, 'build', 'dev');
const LOG_FILE = path.join(LOG_DIR, 'n8n.log');
const out = (line = '') => process.stdout.write(`${line}\n`);

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

let sandbox: Sandbox | undefined;
let instance: N8nInstance | undefined;
let server: N8nServer | undefined;
let packDir: string | undefined;
let stopping: Promise<void> | undefined;

function stopAll(keep: boolean): Promise<void> {
	stopping ??= (async () => {
		await server?.stop().catch(() => undefined);
		if (instance) {
			if (keep) out(`n8n user folder kept: ${instance.userFolder}`);
			else await instance.dispose().catch(() => undefined);
		}
		await sandbox?.close().catch(() => undefined);
		if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
	})();
	return stopping;
}

async function main(): Promise<void> {
	const options = parseArguments(process.argv.slice(2));
	let exiting = false;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (exiting) return;
			exiting = true;
			out(`\n${signal}: stopping n8n and the TGO sandbox …`);
			void stopAll(options.keep).then(() => {
				out('Stopped.');
				process.exit(0);
			});
		});
	}

	if (!(await portIsFree(options.port))) {
		throw new Error(`port ${options.port} on 127.0.0.1 is in use: stop what runs there or pick another with --port N`);
	}
	fs.mkdirSync(LOG_DIR, { recursive: true });
	fs.writeFileSync(LOG_FILE, `npm run dev, ${new Date().toISOString()}\n`);

	const provisioned = provision();
	out('Building and packing the package …');
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-dev-pack-'));
	const tarball = packPackage({ outDir: packDir });

	const sandboxPort = (await portIsFree(options.sandboxPort)) ? options.sandboxPort : 0;
	sandbox = await startSandbox({ port: sandboxPort, accessLog: (line) => out(`[sandbox] ${line}`) });

	out('Installing it into a fresh n8n user folder, with the credential and the examples …');
	instance = await N8nInstance.create({ provisioned, tarball, keep: options.keep });
	const credentialId = 'tgoDevCredentia1';
	await instance.importCredentials([
		{
			id: credentialId,
			name: EXAMPLE_CREDENTIAL_NAME,
			type: CREDENTIAL_TYPE,
			data: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		},
	]);
	const examples = loadExamples(REPO_ROOT);
	await instance.importWorkflows(examples.map((example) => example.workflow));

	out(`Starting n8n ${provisioned.N8N_VERSION_EXACT} on http://127.0.0.1:${options.port} …`);
	server = await instance.start({
		port: options.port,
		timeoutMs: 180_000,
		extraEnv: { N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: LOG_FILE },
	});
	await server.ready(OWNER);

	// The credential is there and works: the same check as the editor's "Test" button.
	const saved = await server.getCredential(credentialId);
	const test = await server.testCredential({ id: credentialId, name: EXAMPLE_CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data: saved.data ?? {} });
	if (test.status !== 'OK') throw new Error(`the credential test failed: ${test.message}`);

	out();
	out('Ready. Open the n8n editor and sign in:');
	out();
	out(`  n8n editor     http://127.0.0.1:${options.port}`);
	out(`  e-mail         ${OWNER.email}`);
	out(`  password       ${OWNER.password}`);
	out();
	out(`  credential     "${EXAMPLE_CREDENTIAL_NAME}" (TGO Business API): the sandbox, full-access key; test OK`);
	out(`  examples       ${examples.length} workflows under Overview: ${examples.map((e) => e.workflow.name.replace(/^TGO example \d+: /, '')).join('; ')}`);
	out(`  TGO sandbox    ${sandbox.baseUrl} (nothing is really sent)`);
	out(`                 senders: ${senders.active.phone} Support (ready to send), ${senders.pendingVerification.phone} (waiting for OTP), ${senders.activeButAccountUnverified.phone} (account not verified)`);
	out(`                 recipients: any E.164 number; ${contacts.notOnTgoConnect.phone} is not on TGO Connect, ${contacts.cannotReceive.phone} cannot receive`);
	out(`                 other keys for a second credential: read-only ${sandbox.keys.readOnly}, expired ${sandbox.keys.expired}`);
	out(`  n8n log        ${path.relative(process.cwd(), LOG_FILE) || LOG_FILE}`);
	out();
	out('Search "TGO" in the node panel. Ctrl-C stops n8n and the sandbox.');
	out();

	// If n8n stops on its own, say so and stop the rest.
	server.service.child.once('exit', (code, signal) => {
		if (exiting) return;
		exiting = true;
		out(`n8n exited (${String(code ?? signal)}); see ${LOG_FILE}. Stopping the sandbox …`);
		void stopAll(options.keep).then(() => process.exit(1));
	});
}

main().catch(async (error: Error) => {
	out(`\nnpm run dev failed: ${error.message}`);
	await stopAll(false);
	process.exit(1);
});
