// Drive the REAL n8n application (provisioned by tools/provision/n8n.sh) the way a user runs it:
// a fresh user folder, this package installed into <userFolder>/.n8n/nodes like Settings →
// Community Nodes does, then the n8n CLI (import / execute) or `n8n start` and its REST API.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, run, runOk, Service, sleep, tail, type RunResult } from './proc';

/**
 * The clone's root: the nearest folder above this file whose package.json is this package, so
 * the driver also works compiled (e.g. build/tools/n8n for `npm run demo` / `npm run dev`).
 */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest)) {
			try {
				if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'n8n-nodes-tgo-business') return dir;
			} catch {
				/* not JSON: keep looking */
			}
		}
		if (path.dirname(dir) === dir) return path.resolve(from, '../..');
	}
}
export const PACKAGE_NAME = 'n8n-nodes-tgo-business';

/** Every node the package ships: its type name and the display name the node panel shows. */
export const TGO_NODES = [
	{ name: 'tgoSendMessage', displayName: 'TGO Send Message' },
	{ name: 'tgoLookupContact', displayName: 'TGO Lookup Contact' },
	{ name: 'tgoGetSenderNumbers', displayName: 'TGO Get Sender Numbers' },
	{ name: 'tgoGetUsage', displayName: 'TGO Get Usage' },
	{ name: 'tgoGetMessageLogs', displayName: 'TGO Get Message Logs' },
	{ name: 'tgoRegisterSenderNumber', displayName: 'TGO Register Sender Number' },
	{ name: 'tgoGetAccount', displayName: 'TGO Get Account' },
] as const;

// ---------------------------------------------------------------------------------------------
// Provisioning and packing (both slow: done once, normally from jest's globalSetup)
// ---------------------------------------------------------------------------------------------

export interface Provisioned {
	N8N_DIR: string;
	N8N_VERSION_EXACT: string;
	N8N_NODE: string;
	N8N_NODE_VERSION_EXACT: string;
	N8N_BIN: string;
	N8N_WRAPPER: string;
}

/**
 * Run the provision script (a no-op when the cache is ready) and return its paths.
 * `TGO_N8N_PROVISION_JSON` short-circuits it (set by globalSetup for the test workers).
 */
export function provision(opts: { n8nVersion?: string; timeoutMs?: number } = {}): Provisioned {
	const cached = process.env.TGO_N8N_PROVISION_JSON;
	if (cached && !opts.n8nVersion) return JSON.parse(fs.readFileSync(cached, 'utf8')) as Provisioned;
	const out = execFileSync('bash', [path.join(REPO_ROOT, 'tools/provision/n8n.sh')], {
		env: { ...process.env, ...(opts.n8nVersion ? { N8N_VERSION: opts.n8nVersion } : {}) },
		stdio: ['ignore', 'pipe', 'inherit'], // progress lines (stderr) stay visible
		timeout: opts.timeoutMs ?? 30 * 60_000,
		encoding: 'utf8',
	});
	const dir = /^N8N_DIR=(.*)$/m.exec(out)?.[1];
	if (!dir) throw new Error(`n8n.sh printed no N8N_DIR:\n${out}`);
	return JSON.parse(fs.readFileSync(path.join(dir, 'provision.json'), 'utf8')) as Provisioned;
}

/**
 * `npm run build` then `npm pack`: the same tarball a user gets from the registry.
 * `TGO_E2E_TARBALL` short-circuits it (set by globalSetup).
 */
export function packPackage(opts: { build?: boolean; outDir?: string } = {}): string {
	const cached = process.env.TGO_E2E_TARBALL;
	if (cached && fs.existsSync(cached)) return cached;
	const outDir = opts.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-pack-'));
	const npmEnv = { ...process.env };
	if (opts.build !== false) {
		execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, env: npmEnv, stdio: 'pipe', timeout: 5 * 60_000 });
	}
	const json = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: REPO_ROOT,
		env: npmEnv,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 2 * 60_000,
	});
	// npm may print lifecycle noise before the JSON array.
	const info = JSON.parse(json.slice(json.indexOf('['))) as Array<{ filename: string }>;
	return path.join(outDir, info[0].filename);
}

// ---------------------------------------------------------------------------------------------
// One isolated n8n instance: user folder, installed package, CLI and server
// ---------------------------------------------------------------------------------------------

/** Environment that keeps n8n quiet and offline: no telemetry, banners, templates or license calls. */
export function hygieneEnv(n8nVersion: string): Record<string, string> {
	const major = Number(n8nVersion.split('.')[0]);
	return {
		// 2.x refreshes an MCP server registry from n8n's API at start (unknown module name on 1.x).
		...(major >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// Late 1.x defaults to the isolated-vm expression engine, whose native build needs Node 22+
		// and install scripts: on Node 20 use the engine 1.x users had before it.
		...(major < 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_ONBOARDING_FLOW_DISABLED: 'true',
		N8N_METRICS: 'false',
		// The sandbox lives on loopback; a user-level SSRF guard would block it.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// Community packages on, but never reinstalled or looked up on the registry by n8n itself.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// Plain http on loopback: the auth cookie must not be marked Secure.
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_PROXY: '127.0.0.1,localhost,::1',
		no_proxy: '127.0.0.1,localhost,::1',
	};
}

export interface CredentialInput {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecuteResult extends RunResult {
	/** Parsed `--rawOutput` JSON (the run's IRun object), or undefined when none was printed. */
	run?: N8nRun;
}

// The part of n8n's IRun that tests read; everything else passes through untyped.
export interface N8nRun {
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>;
			error?: { message?: string; [k: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
	status?: string;
	finished?: boolean;
	[k: string]: unknown;
}

export interface InstanceOptions {
	provisioned?: Provisioned;
	/** Tarball to install as a community package; omitted → packPackage(). `false` → none. */
	tarball?: string | false;
	/** Keep the temp folder after dispose() (debugging). Also: TGO_E2E_KEEP=1. */
	keep?: boolean;
	extraEnv?: Record<string, string>;
}

export class N8nInstance {
	readonly root: string;
	readonly userFolder: string;
	readonly nodesDir: string;
	readonly encryptionKey = 'tgo-e2e-encryption-key-not-secret';
	private readonly services: N8nServer[] = [];
	private readonly workers: Service[] = [];

	private constructor(
		readonly provisioned: Provisioned,
		private readonly opts: InstanceOptions,
	) {
		this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-n8n-'));
		this.userFolder = this.root; // n8n keeps its data in <N8N_USER_FOLDER>/.n8n
		this.nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(this.nodesDir, { recursive: true });
	}

	static async create(opts: InstanceOptions = {}): Promise<N8nInstance> {
		const inst = new N8nInstance(opts.provisioned ?? provision(), opts);
		const tarball = opts.tarball === undefined ? packPackage() : opts.tarball;
		// The e2e run publishes its packed package to a local registry (global-setup.ts): install
		// that one by name, as users do. Any other tarball (a test's own) is installed from the file.
		const registry = process.env.TGO_E2E_REGISTRY;
		if (tarball && registry && tarball === process.env.TGO_E2E_TARBALL) {
			await installByName(inst.nodesDir, registry, packageVersion());
		} else if (tarball) {
			await inst.installPackage(tarball);
		}
		return inst;
	}

	/** Environment for every n8n process of this instance. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const base: NodeJS.ProcessEnv = {};
		// Only what a shell needs from the parent: no npm_config_* / jest variables leak into n8n.
		for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'USER', 'SHELL']) {
			if (process.env[k] !== undefined) base[k] = process.env[k];
		}
		return {
			...base,
			PATH: `${path.dirname(this.provisioned.N8N_NODE)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
			...hygieneEnv(this.provisioned.N8N_VERSION_EXACT),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			...this.opts.extraEnv,
			...extra,
		};
	}

	/**
	 * Install a packed tarball exactly the way n8n 2.x's Settings → Community Nodes does
	 * (CommunityPackagesService.downloadPackage), with our tarball in place of `npm pack <name>`:
	 * unpack into <userFolder>/.n8n/nodes/node_modules/<name>, drop dev/peer/optional
	 * dependencies from its package.json (n8n-workflow comes from the host), `npm install` its
	 * runtime dependencies with scripts off, and record it in <userFolder>/.n8n/nodes/package.json.
	 * At start n8n scans that node_modules for `n8n-nodes-*` packages, so node types are
	 * `n8n-nodes-tgo-business.<name>`.
	 */
	async installPackage(tarball: string): Promise<void> {
		const pkgDir = path.join(this.nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(pkgDir, { recursive: true, force: true });
		fs.mkdirSync(pkgDir, { recursive: true });
		await runOk('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], { timeoutMs: 60_000 });
		const manifestPath = path.join(pkgDir, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
		delete manifest.devDependencies;
		delete manifest.peerDependencies;
		delete manifest.optionalDependencies;
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		await runOk(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: pkgDir, env: npmEnv(), timeoutMs: 3 * 60_000 },
		);
		const nodesPkgJson = path.join(this.nodesDir, 'package.json');
		const nodesPkg = fs.existsSync(nodesPkgJson)
			? (JSON.parse(fs.readFileSync(nodesPkgJson, 'utf8')) as { dependencies?: Record<string, string> })
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodesPkg.dependencies = { ...nodesPkg.dependencies, [PACKAGE_NAME]: String(manifest.version) };
		fs.writeFileSync(nodesPkgJson, JSON.stringify(nodesPkg, null, 2));
	}

	/** Run the n8n CLI with this instance's environment. */
	async cli(args: string[], timeoutMs = 120_000, extraEnv: Record<string, string> = {}): Promise<RunResult> {
		// `execute` starts a task-runner broker (default port 5679): give each command its own.
		const brokerPort = String(await freePort());
		return await run(this.provisioned.N8N_NODE, [this.provisioned.N8N_BIN, ...args], {
			cwd: this.root,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: brokerPort, N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1', ...extraEnv }),
			timeoutMs,
		});
	}

	private async cliOk(args: string[], timeoutMs?: number): Promise<RunResult> {
		const r = await this.cli(args, timeoutMs);
		if (r.code !== 0 || r.timedOut) {
			throw new Error(
				`n8n ${args.join(' ')} ${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}\n` +
					`--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`,
			);
		}
		return r;
	}

	private writeJson(name: string, value: unknown): string {
		const file = path.join(this.root, name);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	/** `n8n import:credentials`; plain-object `data` is encrypted by n8n with the instance key. */
	async importCredentials(creds: CredentialInput[]): Promise<void> {
		const file = this.writeJson(`credentials-${Date.now()}.json`, creds);
		await this.cliOk(['import:credentials', `--input=${file}`]);
	}

	/** `n8n import:workflow`; the workflow must carry an `id` (execute finds it by id). */
	async importWorkflow(workflow: { id: string; [k: string]: unknown }): Promise<void> {
		if (!workflow.id) throw new Error('importWorkflow: the workflow needs an id');
		const file = this.writeJson(`workflow-${workflow.id}.json`, workflow);
		await this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/** `n8n import:workflow` of several workflows in one command (one n8n start instead of one each). */
	async importWorkflows(workflows: Array<{ id: string; [k: string]: unknown }>): Promise<void> {
		const missing = workflows.find((workflow) => !workflow.id);
		if (missing) throw new Error(`importWorkflows: every workflow needs an id (${String(missing.name)})`);
		const file = this.writeJson(`workflows-${Date.now()}.json`, workflows);
		await this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/** `n8n publish:workflow --id=…`: activates a workflow in the database (n8n 2.x; no owner account needed). */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${id}`]);
	}

	/** `n8n execute --id … --rawOutput`: parsed run data (JSON from the first line that is `{`). */
	async execute(id: string, timeoutMs = 180_000): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], timeoutMs);
		return { ...r, run: parseRawOutput(r.stdout) };
	}

	/** `n8n start` on 127.0.0.1 with free ports (or `port` for the editor); resolves once /healthz answers. */
	async start(opts: { timeoutMs?: number; extraEnv?: Record<string, string>; port?: number } = {}): Promise<N8nServer> {
		const port = opts.port ?? (await freePort());
		const brokerPort = await freePort(); // task runner broker: parallel instances must not share 5679
		const env = this.env({
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			...opts.extraEnv,
		});
		const service = new Service(this.provisioned.N8N_NODE, [this.provisioned.N8N_BIN, 'start'], {
			cwd: this.root,
			env,
		});
		const server = new N8nServer(`http://127.0.0.1:${port}`, service);
		this.services.push(server);
		try {
			await server.waitHealthy(opts.timeoutMs ?? 120_000);
		} catch (err) {
			await server.stop();
			throw err;
		}
		return server;
	}

	/**
	 * `n8n worker` (queue mode: the queue and database settings come from `extraEnv`), its health
	 * server on 127.0.0.1 and a free port; resolves once /healthz/readiness answers 200, which n8n
	 * gives when the worker reaches its database and Redis.
	 */
	async startWorker(opts: { concurrency?: number; timeoutMs?: number; extraEnv?: Record<string, string> } = {}): Promise<Service> {
		const healthPort = await freePort();
		const env = this.env({
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			// Each process's task-runner broker needs its own port (default 5679 for all).
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			...opts.extraEnv,
		});
		const args = [this.provisioned.N8N_BIN, 'worker', ...(opts.concurrency ? [`--concurrency=${opts.concurrency}`] : [])];
		const worker = new Service(this.provisioned.N8N_NODE, args, { cwd: this.root, env });
		this.workers.push(worker);
		const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
		for (;;) {
			if (!worker.running) throw new Error(`n8n worker exited early\n${tail(worker.output, 60)}`);
			const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2000) }).then(
				(res) => res.ok,
				() => false,
			);
			if (ready) return worker;
			if (Date.now() > deadline) {
				await worker.stop();
				throw new Error(`n8n worker was not ready in time\n${tail(worker.output, 60)}`);
			}
			await sleep(500);
		}
	}

	/** Stop every server and worker this instance started and remove its folder. */
	async dispose(): Promise<void> {
		await Promise.all([...this.services.map((s) => s.stop()), ...this.workers.map((w) => w.stop())]);
		if (!(this.opts.keep || process.env.TGO_E2E_KEEP === '1')) {
			fs.rmSync(this.root, { recursive: true, force: true });
		}
	}
}

/** npm's environment without the project's npm_config_* (ignore-scripts etc. from `npm run`). */
/** The version in the repo's package.json: what the e2e run packs and publishes. */
export function packageVersion(): string {
	return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Install the package by name from a registry into an n8n nodes folder (<userFolder>/.n8n/nodes),
 * as an operator does on each queue-mode worker: `npm install n8n-nodes-tgo-business@<version>`
 * there. n8n loads every n8n-nodes-* package of that folder's node_modules at start.
 * `--legacy-peer-deps`: the peer n8n-workflow is the host's own (n8n's installer drops peer
 * dependencies too), never a second copy.
 */
export async function installByName(nodesDir: string, registryUrl: string, version: string): Promise<void> {
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	await runOk(
		'npm',
		['install', `${PACKAGE_NAME}@${version}`, '--registry', `${registryUrl}/`, '--save-exact', '--legacy-peer-deps', '--ignore-scripts', '--audit=false', '--fund=false', '--loglevel=warn'],
		{ cwd: nodesDir, env: npmEnv(), timeoutMs: 3 * 60_000 },
	);
}

export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
	return { ...env, ...extra };
}

/** `--rawOutput` prints logs first, then the run as pretty JSON starting at a line that is `{`. */
export function parseRawOutput(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{');
	if (start < 0) return undefined;
	const rest = lines.slice(start).join('\n');
	// Find the matching end: try from the last `}` line backwards (logs may follow the JSON).
	for (let end = rest.lastIndexOf('\n}'); end >= 0; end = rest.lastIndexOf('\n}', end - 1)) {
		try {
			return JSON.parse(rest.slice(0, end + 2)) as N8nRun;
		} catch {
			/* keep looking */
		}
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// The running server and its REST API
// ---------------------------------------------------------------------------------------------

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: Owner = {
	email: 'owner@example.com',
	password: 'E2e-Owner-Passw0rd',
	firstName: 'E2E',
	lastName: 'Owner',
};

export interface RestResponse<T = unknown> {
	status: number;
	body: T;
	text: string;
	headers: Headers;
}

export class N8nServer {
	private cookie = '';
	// n8n binds the auth cookie to a browser id sent as a header; any constant works.
	private readonly browserId = 'tgo-e2e-browser';

	constructor(
		readonly baseUrl: string,
		readonly service: Service,
	) {}

	get output(): string {
		return this.service.output;
	}

	async waitHealthy(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.service.running) {
				throw new Error(`n8n start exited early (code ${this.service.child.exitCode})\n${tail(this.output, 60)}`);
			}
			try {
				const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
				if (res.ok) {
					// /healthz answers early, and until n8n has finished starting every other path
					// answers 200 with the text "n8n is starting up. Please wait": wait for real JSON.
					const settings = await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(5000) });
					const body = await settings.text();
					if (settings.ok && (settings.headers.get('content-type') ?? '').includes('application/json') && body.startsWith('{')) return;
				}
			} catch {
				/* not listening yet */
			}
			await sleep(500);
		}
		throw new Error(`n8n did not become healthy within ${timeoutMs} ms\n${tail(this.output, 60)}`);
	}

	/** A REST call with the session cookie (if any); never throws for an HTTP status. */
	async rest<T = unknown>(method: string, urlPath: string, body?: unknown, timeoutMs = 60_000): Promise<RestResponse<T>> {
		const res = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, body: parsed as T, text, headers: res.headers };
	}

	private static expectOk<T>(what: string, r: RestResponse<T>): T {
		if (r.status < 200 || r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
		return r.body;
	}

	/** POST /rest/owner/setup (first start only); keeps the session cookie it sets. */
	async setupOwner(owner: Owner = DEFAULT_OWNER): Promise<unknown> {
		return N8nServer.expectOk('owner setup', await this.rest('POST', '/rest/owner/setup', owner));
	}

	/** POST /rest/login (email + password); keeps the session cookie. */
	async login(owner: Owner = DEFAULT_OWNER): Promise<unknown> {
		return N8nServer.expectOk(
			'login',
			await this.rest('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password }),
		);
	}

	/** Owner setup and a fresh cookie login: the state a user has after first opening the editor. */
	async ready(owner: Owner = DEFAULT_OWNER): Promise<void> {
		await this.setupOwner(owner);
		this.cookie = '';
		await this.login(owner);
	}

	/**
	 * POST /rest/credentials/test: runs the credential type's `test` inside n8n, as the "Test"
	 * button of the credential dialog does. Returns n8n's `{ status: 'OK' | 'Error', message }`.
	 * With `id`, n8n tests that saved credential, putting its stored secrets back where `data`
	 * holds the redaction marker. Without `id`: n8n 2.x lets the owner test unsaved data (id '');
	 * n8n 1.x answers 403 to that, so the data is saved, tested by id and deleted again — the
	 * editor's own order there (it saves, then tests).
	 */
	async testCredential(cred: { type: string; name?: string; data: Record<string, unknown>; id?: string }): Promise<CredentialTestResult> {
		const name = cred.name ?? 'e2e';
		const body = (id: string) => ({ credentials: { id, name, type: cred.type, data: cred.data } });
		if (cred.id !== undefined) {
			return N8nServer.expectOk('credential test', await this.rest<{ data: CredentialTestResult }>('POST', '/rest/credentials/test', body(cred.id))).data;
		}
		const unsaved = await this.rest<{ data: CredentialTestResult }>('POST', '/rest/credentials/test', body(''));
		if (unsaved.status !== 403 && unsaved.status !== 404) return N8nServer.expectOk('credential test', unsaved).data;
		const saved = await this.createCredential({ name: `${name} (test ${Date.now()})`, type: cred.type, data: cred.data });
		try {
			return N8nServer.expectOk('credential test', await this.rest<{ data: CredentialTestResult }>('POST', '/rest/credentials/test', body(saved.id))).data;
		} finally {
			await this.rest('DELETE', `/rest/credentials/${encodeURIComponent(saved.id)}`);
		}
	}

	/** POST /rest/credentials: save a credential as the editor does; returns its id. */
	async createCredential(cred: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; [k: string]: unknown }> {
		const r = await this.rest<{ data: { id: string } }>('POST', '/rest/credentials', cred);
		return N8nServer.expectOk('create credential', r).data;
	}

	/** GET /rest/credentials/:id?includeData=true: what the editor loads (secrets redacted). */
	async getCredential(id: string): Promise<{ id: string; type: string; data?: Record<string, unknown>; [k: string]: unknown }> {
		const r = await this.rest<{ data: { id: string; type: string; data?: Record<string, unknown> } }>(
			'GET',
			`/rest/credentials/${encodeURIComponent(id)}?includeData=true`,
		);
		return N8nServer.expectOk('get credential', r).data;
	}

	/** GET /types/nodes.json (needs a session): the node types n8n loaded. */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return N8nServer.expectOk('node types', await this.rest('GET', '/types/nodes.json'));
	}

	/** GET /types/credentials.json: the credential types n8n loaded. */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return N8nServer.expectOk('credential types', await this.rest('GET', '/types/credentials.json'));
	}

	async stop(): Promise<void> {
		await this.service.stop();
	}
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}
