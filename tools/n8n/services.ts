// Redis and PostgreSQL for n8n's queue mode, from Debian's packages (tools/provision/queue-services.sh),
// each started by the test on 127.0.0.1 with a free port and its data in a temp folder, and
// stopped (data removed) by the test. PostgreSQL runs as Debian's `postgres` service user: it
// refuses to run as root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, runOk, Service, sleep, tail } from './proc';

async function waitFor(what: string, service: Service, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!service.running) throw new Error(`${what} exited early\n${tail(service.output)}`);
		if (await ready().catch(() => false)) return;
		await sleep(300);
	}
	throw new Error(`${what} was not ready within ${timeoutMs} ms\n${tail(service.output)}`);
}

export class RedisServer {
	private constructor(
		readonly port: number,
		private readonly dir: string,
		readonly service: Service,
	) {}

	static async start(): Promise<RedisServer> {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-redis-'));
		const port = await freePort();
		// No persistence: the queue lives only as long as the test.
		const service = new Service(
			'redis-server',
			['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
			{ cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
		);
		const redis = new RedisServer(port, dir, service);
		await waitFor('redis-server', service, async () => {
			const r = await runOk('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { timeoutMs: 5000 });
			return r.stdout.trim() === 'PONG';
		});
		return redis;
	}

	async stop(): Promise<void> {
		await this.service.stop();
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/** The newest PostgreSQL major installed by Debian's packages (its programs' folder). */
function postgresBinDir(): string {
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
	if (majors.length === 0) throw new Error('PostgreSQL is not installed: run `bash tools/provision/queue-services.sh`');
	return path.join(base, majors.sort((a, b) => Number(a) - Number(b)).pop()!, 'bin');
}

function userIds(name: string): { uid: number; gid: number } {
	const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

export class PostgresServer {
	/** The database and role n8n uses (a dedicated role, as operators set it up). */
	readonly database = 'n8n';
	readonly user = 'n8n';
	readonly password = 'n8n-queue-test-only';

	private constructor(
		readonly port: number,
		private readonly dir: string,
		readonly service: Service,
		private readonly superPassword: string,
		readonly version: string,
	) {}

	static async start(): Promise<PostgresServer> {
		const bin = postgresBinDir();
		const ids = userIds('postgres');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-postgres-'));
		fs.chownSync(dir, ids.uid, ids.gid);
		const data = path.join(dir, 'data');
		const superPassword = 'postgres-queue-test-only';
		const pwfile = path.join(dir, 'pwfile');
		fs.writeFileSync(pwfile, `${superPassword}\n`);
		fs.chownSync(pwfile, ids.uid, ids.gid);
		const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
		await runOk(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8'], {
			cwd: dir,
			env,
			timeoutMs: 120_000,
			...ids,
		});
		const port = await freePort();
		// Loopback TCP only; the Unix socket goes into the temp folder, not /var/run/postgresql.
		const service = new Service(path.join(bin, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir], {
			cwd: dir,
			env,
			...ids,
		});
		const pg = new PostgresServer(port, dir, service, superPassword, path.basename(path.dirname(bin)));
		await waitFor('postgres', service, async () => (await pg.sql('SELECT 1', 'postgres', true)) === '1');
		await pg.sql(`CREATE ROLE ${pg.user} LOGIN PASSWORD '${pg.password}'`);
		await pg.sql(`CREATE DATABASE ${pg.database} OWNER ${pg.user}`);
		return pg;
	}

	/** One statement through psql as the superuser; the result's rows, tab-separated, unaligned. */
	async sql(statement: string, database = 'postgres', quiet = false): Promise<string> {
		const r = await runOk('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-XAtq', '-F', '\t', '-c', statement], {
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PGPASSWORD: this.superPassword, PGCONNECT_TIMEOUT: '5' },
			timeoutMs: 30_000,
		}).catch((err: Error) => {
			if (quiet) return { stdout: '' };
			throw err;
		});
		return r.stdout.trim();
	}

	/** n8n's environment for this database. */
	n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: this.password,
		};
	}

	async stop(): Promise<void> {
		await this.service.stop();
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}
