// The HTTPS figures of `npm run bench`, run in their own process: Node reads NODE_EXTRA_CA_CERTS
// (the throwaway CA of tools/tls.ts) only at start-up, so run.ts starts this file with it
// set. Two sandboxes in their own processes, one serving HTTPS and one HTTP, at the same latency;
// one interleaved comparison of TGO Send Message and the HTTP Request node over HTTPS, with ours
// over HTTP beside them to show what a TLS connection per request costs. Prints one JSON line.
//
//   node build/bench/https.js '<options JSON>'      (started by run.ts; not run by hand)
import './env';

import { compare, type Compared, type ControllableSandbox } from './compare';
import { loadHttpRequestNode } from './httpRequestNode';
import { RemoteSandbox } from './sandboxProcess';
import { type Measured, recipients, sendWithHttpRequestNode, sendWithNode, type Target } from './scenarios';

export interface HttpsOptions {
	keyFile: string;
	certFile: string;
	rounds: number;
	latencyMs: number;
	/** Messages per unit of concurrency: 1 × for the sequential runs, 8 × for the runs at 8. */
	itemsPerSlot: number;
}

export interface HttpsResult extends Compared {
	/** The pacing of the HTTP Request node's batches of 8: the mean time of a request at 8 in flight over TLS. */
	perRequestMs: number;
	/** Most requests the sandbox had in flight at once, for the runs at 8. */
	inFlight: Record<string, number>;
}

async function main() {
	if (!process.env.NODE_EXTRA_CA_CERTS) throw new Error('bench/https.js needs NODE_EXTRA_CA_CERTS (run.ts sets it)');
	const options = JSON.parse(process.argv[2]) as HttpsOptions;
	const base = loadHttpRequestNode();
	const secure = await RemoteSandbox.start({ keyFile: options.keyFile, certFile: options.certFile });
	const plain = await RemoteSandbox.start();
	try {
		const both: ControllableSandbox = {
			reset: async () => void (await Promise.all([secure.reset(), plain.reset()])),
			setLatency: async (ms, jitterMs) => void (await Promise.all([secure.setLatency(ms, jitterMs), plain.setLatency(ms, jitterMs)])),
		};
		const https: Target = { domain: secure.credentialDomain, apiKey: secure.apiKey };
		const http: Target = { domain: plain.credentialDomain, apiKey: plain.apiKey };
		const one = recipients(options.itemsPerSlot);
		const eight = recipients(8 * options.itemsPerSlot);
		// The HTTP Request node cannot cap requests in flight, only space batches: spaced by the mean
		// time of a request when 8 are in flight over TLS (latency, handshake, waiting for the CPU;
		// measured here on ours), batches of 8 keep about 8 in flight on average.
		await both.setLatency(options.latencyMs);
		await sendWithNode(https, eight, 8);
		const perRequestMs = Math.round((await sendWithNode(https, eight, 8)).ms / options.itemsPerSlot);
		const inFlight: Record<string, number> = {};
		const observe = (name: string, run: () => Promise<Measured>) => async () => {
			const took = await run();
			inFlight[name] = Math.max(inFlight[name] ?? 0, (await secure.stats()).maxInFlight);
			return took;
		};
		const compared: Compared = await compare(
			both,
			{ ms: options.latencyMs },
			{
				ours1: () => sendWithNode(https, one, 1),
				httpRequestNode1: () => sendWithHttpRequestNode(base, https, one, { loopOverItems: true }),
				oursHttp1: () => sendWithNode(http, one, 1),
				ours8: observe('ours8', () => sendWithNode(https, eight, 8)),
				httpRequestNode8: observe('httpRequestNode8', () => sendWithHttpRequestNode(base, https, eight, { batchSize: 8, batchIntervalMs: perRequestMs })),
				oursHttp8: () => sendWithNode(http, eight, 8),
			},
			options.rounds,
		);
		const result: HttpsResult = { ...compared, perRequestMs, inFlight };
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} finally {
		await secure.close();
		await plain.close();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
