// n8n's queue mode on loopback, for the queue-mode tests and the benchmark: Redis and PostgreSQL
// (services.ts), a local npm registry with this package published to it (registry.ts),
// one main `n8n start` that takes the webhooks, and `n8n worker` processes. Every process has its
// own user folder, as on separate machines, with the package installed there by name from the
// registry; all share the database, Redis and one encryption key. Binary data stays in the mode
// n8n picks for queue mode by default (database). stop() ends every process it started.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8nInstance, PACKAGE_NAME, packPackage, REPO_ROOT, type CredentialInput, type N8nServer } from './n8n';
import type { Service } from './proc';
import { LocalRegistry } from './registry';
import { PostgresServer, RedisServer } from './services';

/** The TGO credential the queue-mode workflows use (its data comes from the sandbox). */
export const QUEUE_CREDENTIAL = { id: 'tgoQueueCred0001', name: 'TGO Business account', type: 'tgoBusinessApi' };
const SENDER = { __rl: true, mode: 'id', value: '1' };

type Connections = Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;

/** A workflow started by a production webhook: Webhook → (Split Out →) TGO Send Message. */
export function webhookWorkflow(opts: {
	id: string;
	path: string;
	responseMode: 'lastNode' | 'onReceived';
	splitMessages: boolean;
	send: Record<string, unknown>;
}) {
	const nodes: Array<Record<string, unknown>> = [
		{
			id: `${opts.id}-webhook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `0d1e2f30-0000-4000-8000-${opts.id.slice(-12).padStart(12, '0')}`,
			parameters: {
				httpMethod: 'POST',
				path: opts.path,
				responseMode: opts.responseMode,
				// 'lastNode' answers with TGO Send Message's first output: the Success items.
				...(opts.responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}),
				options: {},
			},
		},
	];
	const connections: Connections = {};
	const link = (from: string, to: string) => (connections[from] = { main: [[{ node: to, type: 'main', index: 0 }]] });
	if (opts.splitMessages) {
		nodes.push({
			id: `${opts.id}-split`,
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.messages', options: {} },
		});
		link('Webhook', 'Split Out');
		link('Split Out', 'TGO Send Message');
	} else {
		link('Webhook', 'TGO Send Message');
	}
	nodes.push({
		id: `${opts.id}-send`,
		name: 'TGO Send Message',
		type: `${PACKAGE_NAME}.tgoSendMessage`,
		typeVersion: 1,
		position: [440, 0],
		parameters: { sender: SENDER, ...opts.send },
		credentials: { tgoBusinessApi: { id: QUEUE_CREDENTIAL.id, name: QUEUE_CREDENTIAL.name } },
	});
	return { id: opts.id, name: `Queue ${opts.path}`, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/**
 * A bulk send by webhook: one text per item of the body's `messages` ({ to, text }), `concurrency`
 * at a time; by default the webhook answers once the execution is done, with the Success items.
 */
export function bulkSendWorkflow(opts: { id: string; path: string; concurrency: number; responseMode?: 'lastNode' | 'onReceived' }) {
	return webhookWorkflow({
		id: opts.id,
		path: opts.path,
		responseMode: opts.responseMode ?? 'lastNode',
		splitMessages: true,
		send: { toPhone: '={{ $json.to }}', messageType: 'text', content: '={{ $json.text }}', options: { concurrency: opts.concurrency } },
	});
}

/** Install Debian's Redis and PostgreSQL when missing (a no-op when they are there). */
export function installQueueServices(): void {
	execFileSync('bash', [path.join(REPO_ROOT, 'tools/provision/queue-services.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
}

export interface QueueClusterOptions {
	workers: number;
	/** `n8n worker --concurrency`; n8n's default (10) when omitted. */
	workerConcurrency?: number;
	credentials: CredentialInput[];
	/** Imported and activated (published) before main starts. */
	workflows: Array<{ id: string; [k: string]: unknown }>;
}

export class QueueCluster {
	main!: N8nInstance;
	server!: N8nServer;
	readonly workers: Service[] = [];
	private readonly hosts: N8nInstance[] = [];
	private registry?: LocalRegistry;
	redis?: RedisServer;
	postgres?: PostgresServer;
	private version = '';
	private packDir?: string;

	private constructor(private readonly opts: QueueClusterOptions) {}

	static async start(opts: QueueClusterOptions): Promise<QueueCluster> {
		const cluster = new QueueCluster(opts);
		try {
			await cluster.boot();
		} catch (err) {
			await cluster.stop();
			throw err;
		}
		return cluster;
	}

	private queueEnv(): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis!.port),
			...this.postgres!.n8nEnv(),
		};
	}

	/** A fresh user folder with the package installed by name from the local registry. */
	private async host(): Promise<N8nInstance> {
		const host = await N8nInstance.create({ tarball: false, extraEnv: this.queueEnv() });
		this.hosts.push(host);
		await this.registry!.installInto(host.nodesDir, this.version);
		return host;
	}

	private async boot(): Promise<void> {
		this.registry = await LocalRegistry.start();
		// A fresh `npm pack` (or the one the test run's global setup made), removed again by stop().
		this.packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-queue-pack-'));
		await this.registry.publish(packPackage({ outDir: this.packDir }));
		[this.version] = await this.registry.versions();
		[this.redis, this.postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
		this.main = await this.host();
		await this.main.importCredentials(this.opts.credentials);
		await this.main.importWorkflows(this.opts.workflows);
		for (const workflow of this.opts.workflows) await this.main.publishWorkflow(workflow.id);
		this.server = await this.main.start();
		await this.server.ready();
		for (let i = 0; i < this.opts.workers; i++) await this.addWorker();
	}

	/** One more `n8n worker` on its own user folder; resolves once it is ready for jobs. */
	async addWorker(): Promise<Service> {
		const host = await this.host();
		const worker = await host.startWorker({ concurrency: this.opts.workerConcurrency });
		this.workers.push(worker);
		return worker;
	}

	/** POST a JSON body to a production webhook on main. */
	webhook(webhookPath: string, body: unknown, timeoutMs = 3 * 60_000): Promise<Response> {
		return fetch(`${this.server.baseUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
	}

	/** Everything each long-running process printed (main, workers, registry, Redis, PostgreSQL). */
	logs(): Record<string, string> {
		return {
			main: this.server?.output ?? '',
			...Object.fromEntries(this.workers.map((worker, i) => [`worker ${i + 1}`, worker.output])),
			registry: this.registry?.output ?? '',
			redis: this.redis?.service.output ?? '',
			postgres: this.postgres?.service.output ?? '',
		};
	}

	/** n8n first (workers and main), then Redis, PostgreSQL and the registry. */
	async stop(): Promise<void> {
		await Promise.all(this.hosts.map((host) => host.dispose()));
		await Promise.all([this.redis?.stop(), this.postgres?.stop(), this.registry?.stop()]);
		if (this.packDir) fs.rmSync(this.packDir, { recursive: true, force: true });
	}
}
