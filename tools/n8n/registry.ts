// A local npm registry (Verdaccio, installed by tools/provision/verdaccio.sh) on
// loopback, for installing this package by name the way users do: `npm publish` puts the packed
// package into it, then n8n or npm install it from there. Storage lives in a temp folder; the
// registry has no uplink, so nothing is fetched from elsewhere and only what we publish exists.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { installByName, npmEnv, PACKAGE_NAME, REPO_ROOT } from './n8n';
import { freePort, runOk, Service, sleep, tail } from './proc';
import { makeThrowawayTls } from '../tls';

export interface VerdaccioProvisioned {
	VERDACCIO_DIR: string;
	VERDACCIO_BIN: string;
	VERDACCIO_NODE: string;
}

/** Run the provision script (a no-op when the cache is ready) and return its paths. */
export function provisionVerdaccio(): VerdaccioProvisioned {
	const out = execFileSync('bash', [path.join(REPO_ROOT, 'tools/provision/verdaccio.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		timeout: 30 * 60_000,
		encoding: 'utf8',
	});
	const values: Record<string, string> = {};
	for (const line of out.split('\n')) {
		const match = /^(VERDACCIO_\w+)=(.*)$/.exec(line);
		if (match) values[match[1]] = match[2];
	}
	if (!values.VERDACCIO_BIN || !values.VERDACCIO_NODE) throw new Error(`verdaccio.sh printed no paths:\n${out}`);
	return values as unknown as VerdaccioProvisioned;
}

/** registry.npmjs.org answered by a LocalRegistry, for npm only (see LocalRegistry.standInForNpmjs). */
export interface NpmjsStandIn {
	/** Lines for an .npmrc: npm then reaches "registry.npmjs.org" through the stand-in. */
	npmrc: string;
	/** `METHOD /path` of each request the stand-in forwarded, in order. */
	readonly served: string[];
	close(): Promise<void>;
}

const NPMJS_HOST = 'registry.npmjs.org';

export class LocalRegistry {
	private constructor(
		readonly url: string,
		private readonly root: string,
		private readonly service: Service,
		/** An npmrc holding the publisher's token for this registry only. */
		readonly userconfig: string,
	) {}

	get output(): string {
		return this.service.output;
	}

	/** Start Verdaccio on 127.0.0.1 (a free port) with an empty storage and one publisher account. */
	static async start(provisioned: VerdaccioProvisioned = provisionVerdaccio()): Promise<LocalRegistry> {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-registry-'));
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		const config = path.join(root, 'config.yaml');
		fs.writeFileSync(
			config,
			[
				`storage: ${path.join(root, 'storage')}`,
				'auth:',
				'  htpasswd:',
				`    file: ${path.join(root, 'htpasswd')}`,
				'    max_users: 10',
				'uplinks: {}',
				'packages:',
				"  '**':",
				'    access: $all',
				'    publish: $authenticated',
				'    unpublish: $authenticated',
				'web:',
				'  enable: false',
				'middlewares:',
				'  audit:',
				'    enabled: false',
				'log: { type: stdout, format: pretty, level: warn }',
				'',
			].join('\n'),
		);
		const service = new Service(provisioned.VERDACCIO_NODE, [provisioned.VERDACCIO_BIN, '--config', config, '--listen', `127.0.0.1:${port}`], {
			cwd: root,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root },
		});
		const registry = new LocalRegistry(url, root, service, path.join(root, 'npmrc'));
		try {
			await registry.waitReady(60_000);
			await registry.addPublisher();
		} catch (err) {
			await registry.stop();
			throw err;
		}
		return registry;
	}

	private async waitReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.service.running) throw new Error(`Verdaccio exited early\n${tail(this.output)}`);
			try {
				if ((await fetch(`${this.url}/-/ping`, { signal: AbortSignal.timeout(2000) })).ok) return;
			} catch {
				/* not listening yet */
			}
			await sleep(300);
		}
		throw new Error(`Verdaccio did not answer within ${timeoutMs} ms\n${tail(this.output)}`);
	}

	/** `npm adduser`'s request: creates the account and yields its token, kept in our npmrc. */
	private async addPublisher(): Promise<void> {
		const name = 'tgo-publisher';
		const res = await fetch(`${this.url}/-/user/org.couchdb.user:${name}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name, password: 'local-registry-only', email: 'publisher@example.com' }),
		});
		const body = (await res.json()) as { token?: string };
		if (!res.ok || !body.token) throw new Error(`Verdaccio refused the publisher account: HTTP ${res.status}`);
		const host = new URL(this.url).host;
		fs.writeFileSync(this.userconfig, `registry=${this.url}/\n//${host}/:_authToken=${body.token}\n`);
	}

	/**
	 * `npm publish` of a packed tarball (from `npm pack`). With `version`, the same files are
	 * published under that version (the tarball unpacked, its package.json's version changed):
	 * how the tests make an update appear on the registry.
	 */
	async publish(tarball: string, version?: string): Promise<void> {
		let target = tarball;
		let work: string | undefined;
		if (version) {
			work = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-publish-'));
			await runOk('tar', ['-xzf', tarball, '-C', work, '--strip-components=1'], { timeoutMs: 60_000 });
			const manifestPath = path.join(work, 'package.json');
			const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
			fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, version }, null, 2));
			target = work;
		}
		try {
			// RELEASE_MODE=true: the package's publish guard lets deliberate publishes through.
			await runOk('npm', ['publish', target, '--registry', `${this.url}/`, '--userconfig', this.userconfig, '--ignore-scripts', '--loglevel=warn'], {
				cwd: os.tmpdir(),
				env: npmEnv({ RELEASE_MODE: 'true' }),
				timeoutMs: 2 * 60_000,
			});
		} finally {
			if (work) fs.rmSync(work, { recursive: true, force: true });
		}
	}

	/** The versions of this package the registry serves (its packument, as npm reads it). */
	async versions(): Promise<string[]> {
		const res = await fetch(`${this.url}/${PACKAGE_NAME}`, { headers: { accept: 'application/json' } });
		if (res.status === 404) return [];
		const body = (await res.json()) as { versions?: Record<string, unknown> };
		return Object.keys(body.versions ?? {});
	}

	/** Install the package by name from this registry into an n8n nodes folder (see installByName). */
	async installInto(nodesDir: string, version: string): Promise<void> {
		await installByName(nodesDir, this.url, version);
	}

	/**
	 * This registry standing in for registry.npmjs.org, for an n8n that installs community packages
	 * only from there (its registry setting left at the default, as for any unlicensed n8n) and has
	 * no test switch for the licence that allows another registry (n8n 1.85's published package
	 * leaves its e2e controller out). The returned .npmrc lines send npm's HTTPS through a loopback
	 * proxy that answers for registry.npmjs.org with a throwaway certificate npm is told to trust, and
	 * forwards every request here: nothing leaves the machine, and npm talks to no other host.
	 */
	async standInForNpmjs(): Promise<NpmjsStandIn> {
		const certificates = makeThrowawayTls([NPMJS_HOST]);
		const target = new URL(this.url);
		const served: string[] = [];
		const tls = https.createServer({ key: fs.readFileSync(certificates.keyFile), cert: fs.readFileSync(certificates.certFile) }, (req, res) => {
			served.push(`${req.method} ${req.url}`);
			// Host and protocol as npm sent them, so the tarball links Verdaccio writes point back here.
			const headers = { ...req.headers, host: NPMJS_HOST, 'x-forwarded-proto': 'https' };
			const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			forward.on('error', () => res.writeHead(502).end());
			req.pipe(forward);
		});
		const proxy = http.createServer((_req, res) => res.writeHead(405).end());
		proxy.on('connect', (req, socket, head) => {
			if (req.url !== `${NPMJS_HOST}:443`) {
				socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
				return;
			}
			socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) socket.unshift(head);
			tls.emit('connection', socket);
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const { port } = proxy.address() as AddressInfo;
		return {
			npmrc: `registry=https://${NPMJS_HOST}/\nhttps-proxy=http://127.0.0.1:${port}/\ncafile=${certificates.caFile}\n`,
			served,
			close: async () => {
				proxy.closeAllConnections();
				tls.closeAllConnections();
				await new Promise<void>((resolve) => proxy.close(() => resolve()));
				certificates.remove();
			},
		};
	}

	async stop(): Promise<void> {
		await this.service.stop();
		fs.rmSync(this.root, { recursive: true, force: true });
	}
}
