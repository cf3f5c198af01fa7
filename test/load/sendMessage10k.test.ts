// Load: 10,000 text messages through TGO Send Message in ONE execution of real n8n-core, against
// the sandbox over loopback, eight requests in flight. Every item must be accounted for, in
// order, sent exactly once; memory must stay flat. Peak RSS is reported; the bound asserted is
// only a guard against a leak that grows with the item count (it is not a timing test).
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../tools/harness';
import { senders } from '../../tools/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';

const ITEM_COUNT = 10_000;
const CONCURRENCY = 8;
// Heap and buffers of n8n-core holding 10,000 input items, 10,000 logged messages and the run
// data measure in the tens of MB; a per-request leak of the response or socket would be hundreds.
const PEAK_RSS_GROWTH_LIMIT_MB = 400;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

/** +20 19 NNNNNNN: a distinct recipient per item. */
const recipientOf = (index: number) => `+2019${String(index).padStart(7, '0')}`;

test(`${ITEM_COUNT.toLocaleString('en')} text items in one execution at concurrency ${CONCURRENCY}: all sent once, in order, with flat memory`, async () => {
	const items: IDataObject[] = Array.from({ length: ITEM_COUNT }, (_, index) => ({ index, phone: recipientOf(index) }));

	global.gc?.();
	// A millisecond per answer, so requests overlap at the server and the in-flight count shows.
	sandbox.setLatency(1);
	const baselineRss = process.memoryUsage.rss();
	let peakRss = baselineRss;
	const sampler = setInterval(() => {
		peakRss = Math.max(peakRss, process.memoryUsage.rss());
	}, 50);
	const started = performance.now();
	let result: Awaited<ReturnType<typeof runNode>>;
	try {
		result = await runNode({
			type: 'tgoSendMessage',
			parameters: {
				sender: { __rl: true, mode: 'id', value: String(senders.active.id) },
				toPhone: '={{ $json.phone }}',
				messageType: 'text',
				// One expression per item (the recipient) keeps the run about the node, not n8n's expression engine.
				content: 'Your order has shipped.',
				options: { concurrency: CONCURRENCY },
			},
			items,
			credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
		});
	} finally {
		clearInterval(sampler);
	}
	peakRss = Math.max(peakRss, process.memoryUsage.rss());
	const elapsedMs = performance.now() - started;
	const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
	console.log(
		`load: ${ITEM_COUNT} sends in ${Math.round(elapsedMs)} ms (${Math.round((ITEM_COUNT / elapsedMs) * 1000)}/s), ` +
			`RSS baseline ${mb(baselineRss)} MB, peak ${mb(peakRss)} MB (+${mb(peakRss - baselineRss)} MB), sandbox max in flight ${sandbox.maxInFlight}`,
	);

	expect(result.thrown).toBeUndefined();
	expect(result.error).toEqual([]);
	expect(result.success).toHaveLength(ITEM_COUNT);
	result.success.forEach((item, index) => {
		if ((item.pairedItem as { item: number }).item !== index) {
			throw new Error(`Success item ${index} is paired with ${JSON.stringify(item.pairedItem)}`);
		}
	});
	expect(result.success[ITEM_COUNT - 1].json).toMatchObject({ content: 'Your order has shipped.', status: 'sent' });

	const posts = sandbox.requestsTo('POST', '/messages');
	expect(posts).toHaveLength(ITEM_COUNT);
	const recipients = new Set(posts.map((post) => (post.json as IDataObject).to_phone));
	expect(recipients.size).toBe(ITEM_COUNT);
	for (let index = 0; index < ITEM_COUNT; index++) {
		if (!recipients.has(recipientOf(index))) throw new Error(`no POST for item ${index}`);
	}
	expect(sandbox.sent).toHaveLength(ITEM_COUNT);
	// The concurrency option is honoured: requests overlap, never more than eight at once (the
	// client is CPU-bound on two cores, so the server does not always see all eight together).
	expect(sandbox.maxInFlight).toBeGreaterThan(1);
	expect(sandbox.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);

	expect(mb(peakRss - baselineRss)).toBeLessThan(PEAK_RSS_GROWTH_LIMIT_MB);
	// About 30 s on an idle 2-core machine (n8n-core's own per-request cost dominates: expression
	// engine, a fresh HTTP agent per request); the limit leaves room for a busy CI machine.
}, 120_000);
