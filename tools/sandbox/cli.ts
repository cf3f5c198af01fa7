/**
 * Runs the TGO sandbox standalone, so a user can try workflows without sending real messages:
 *
 *   npm run sandbox -- --port 8787
 *
 * Options: --port N (default 8787, 0 lets the OS pick), --host ADDRESS (default 127.0.0.1),
 * --latency MS (added to every answer), --quiet (no access log).
 */
import { apiKeys, contacts, senders } from './fixtures';
import { type Sandbox, startSandbox } from './server';

interface CliOptions {
	port: number;
	host: string;
	latencyMs: number;
	quiet: boolean;
}

function parseArguments(argv: string[]): CliOptions {
	const options: CliOptions = { port: 8787, host: '127.0.0.1', latencyMs: 0, quiet: false };
	for (let index = 0; index < argv.length; index++) {
		const [flag, inlineValue] = argv[index].split('=', 2);
		const value = (): string => {
			const next = inlineValue ?? argv[++index];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return next;
		};
		switch (flag) {
			case '--port':
			case '-p': {
				const port = Number(value());
				if (!Number.isInteger(port) || port < 0 || port > 65535)
					throw new Error('--port must be 0..65535');
				options.port = port;
				break;
			}
			case '--host':
				options.host = value();
				break;
			case '--latency':
				options.latencyMs = Number(value()) || 0;
				break;
			case '--quiet':
				options.quiet = true;
				break;
			case '--help':
			case '-h':
				process.stdout.write(
					'Usage: npm run sandbox -- [--port 8787] [--host 127.0.0.1] [--latency ms] [--quiet]\n',
				);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown option ${argv[index]} (try --help)`);
		}
	}
	return options;
}

function banner(sandbox: Sandbox): string {
	const curl =
		`curl -s -X POST ${sandbox.baseUrl}/messages -H 'X-Api-Key: ${sandbox.keys.full}' ` +
		`-H 'Accept: application/json' -H 'Content-Type: application/json' ` +
		`-d '{"sender_phone":"${senders.active.phone}","to_phone":"${contacts.reachable.phone}","type":"text","content":"Hello"}'`;
	return [
		'TGO sandbox is running (sandbox keys only; nothing is really sent).',
		'',
		`  Base URL:              ${sandbox.baseUrl}`,
		`  n8n credential domain: ${sandbox.credentialDomain}`,
		'',
		'  API keys:',
		`    full access (*):     ${sandbox.keys.full}`,
		`    read-only:           ${sandbox.keys.readOnly}   (messages.read, usage.read)`,
		`    send only:           ${sandbox.keys.send}`,
		`    lookup only:         ${sandbox.keys.lookup}`,
		`    expired:             ${sandbox.keys.expired}`,
		`  Each key expires (the full-access one in ${apiKeys.full.expiresInDays} days); GET /me shows when.`,
		'',
		`  Senders: ${senders.active.phone} (ready to send), ${senders.pendingVerification.phone} (waiting for OTP),`,
		`           ${senders.activeButAccountUnverified.phone} (account not verified); GET /sender-numbers lists all.`,
		`  Recipients: any E.164 number; ${contacts.notOnTgoConnect.phone} is not on TGO Connect,`,
		`              ${contacts.cannotReceive.phone} cannot receive.`,
		'',
		`  Try: ${curl}`,
		'',
		'Ctrl-C to stop.',
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const options = parseArguments(process.argv.slice(2));
	// A closed stdout (the terminal or a parent went away) must not take the server down.
	process.stdout.on('error', () => undefined);

	const started = startSandbox({
		port: options.port,
		host: options.host,
		// Method, path, status and time only: headers carry the API key and are never printed.
		accessLog: options.quiet ? undefined : (line) => process.stdout.write(`  ${line}\n`),
	});

	// Handlers before the banner: whoever reads it may signal us the moment it appears.
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		void started
			.then((sandbox) => sandbox.close())
			.then(() => {
				process.stdout.write('TGO sandbox stopped.\n');
				process.exit(0);
			});
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	const sandbox = await started;
	if (stopping) return;
	if (options.latencyMs > 0) sandbox.setLatency(options.latencyMs);
	process.stdout.write(banner(sandbox));
}

main().catch((error: Error) => {
	process.stderr.write(`tgo sandbox: ${error.message}\n`);
	process.exit(1);
});
