// The ways n8n runs a node besides the default one (docs/architecture.md#execution-modes), in real n8n-core against the
// sandbox: as an AI Agent tool (through n8n-core's engine path, as n8n 2.x's agent calls tools),
// under each "On Error" setting, with "Retry On Fail", "Execute Once" and "Always Output Data".
// The judge is what the sandbox received and what every output holds.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { type NodeSettings, runAsTool, runNode, runWorkflow } from '../../tools/harness';
import { allSenders, contacts, senders } from '../../tools/sandbox/fixtures';
import { useSandbox } from './setup';

const { sandbox, credentials } = useSandbox();
const senderById = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });
/** A distinct reachable recipient per customer (any number without a fixture can receive). */
const phoneOf = (n: number) => `+2010200000${String(n).padStart(2, '0')}`;
const customers = (count: number) => Array.from({ length: count }, (_, n) => ({ customer: `C${n}`, phone: phoneOf(n) }));

/** Send Message with a text to each item's `phone`. */
async function sendToEach(items: IDataObject[], settings: NodeSettings = {}, parameters: INodeParameters = {}) {
	return await runNode({
		type: 'tgoSendMessage',
		parameters: {
			sender: senderById(senders.active.id),
			toPhone: '={{ $json.phone }}',
			messageType: 'text',
			content: '=Hello {{ $json.customer }}',
			...parameters,
		},
		items,
		credentials: credentials(),
		settings,
	});
}

const sendPosts = () => sandbox.requestsTo('POST', '/messages');
/** POSTs the sandbox received per recipient phone. */
const postsPerPhone = () => {
	const counts: Record<string, number> = {};
	for (const request of sendPosts()) {
		const phone = (request.json as IDataObject | undefined)?.to_phone as string;
		counts[phone] = (counts[phone] ?? 0) + 1;
	}
	return counts;
};
/** Messages the sandbox accepted per recipient phone. */
const acceptedPerPhone = () => {
	const counts: Record<string, number> = {};
	for (const sent of sandbox.sent) counts[sent.toPhone] = (counts[sent.toPhone] ?? 0) + 1;
	return counts;
};
const passThrough = { kind: 'delay', ms: 0 } as const;
const pairedItems = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);

describe('as an AI Agent tool (n8n-core engine path)', () => {
	const fromAi = {
		toPhone: "={{ $fromAI('toPhone', 'Recipient phone in international form, e.g. +201010000000', 'string') }}",
		content: "={{ $fromAI('text', 'The message text', 'string') }}",
	};
	const sendTool = (calls: IDataObject[], settings?: NodeSettings) =>
		runAsTool({
			type: 'tgoSendMessage',
			parameters: { sender: senderById(senders.active.id), messageType: 'text', ...fromAi },
			calls,
			credentials: credentials(),
			settings,
		});

	test('the model gets the sent message for a send, and the sandbox got exactly that POST', async () => {
		const run = await sendTool([{ toPhone: contacts.reachable.phone, text: 'Your order has shipped' }]);

		expect(run.thrown).toBeUndefined();
		expect(sendPosts().map((request) => request.json)).toEqual([
			expect.objectContaining({ to_phone: contacts.reachable.phone, content: 'Your order has shipped', type: 'text' }),
		]);
		expect(run.observations).toHaveLength(1);
		expect(JSON.parse(run.observations[0])).toEqual([
			expect.objectContaining({ id: sandbox.sent[0].logEntry.id, content: 'Your order has shipped', status: 'sent' }),
		]);
	});

	test('a documented failure reaches the model as its code, message and resolution, never as an empty result', async () => {
		const run = await sendTool([{ toPhone: contacts.notOnTgoConnect.phone, text: 'Hi' }]);

		expect(run.thrown).toBeUndefined();
		const [result] = JSON.parse(run.observations[0]) as IDataObject[];
		expect(result).toEqual({
			error: {
				code: 'RECIPIENT_UNREACHABLE',
				message: expect.any(String),
				resolution: expect.stringMatching(/\w/),
				details: expect.objectContaining({ reasonCode: 'not_found' }),
			},
		});
		expect(run.observations[0]).not.toContain(sandbox.keys.full);
		expect(sandbox.sent).toEqual([]);
	});

	test('a phone the model made up is INVALID_INPUT for the model, and nothing is sent', async () => {
		const run = await sendTool([{ toPhone: 'call me on my mobile', text: 'Hi' }]);

		const [result] = JSON.parse(run.observations[0]) as Array<{ error: IDataObject }>;
		expect(result.error.code).toBe('INVALID_INPUT');
		expect(result.error.message).toContain('call me on my mobile');
		expect(sendPosts()).toEqual([]);
	});

	test('an unexpected failure (HTTP 500) reaches the model too; an explicit "Stop Workflow" stops the agent instead', async () => {
		sandbox.inject('POST /messages', { kind: 'status', status: 500 });
		const routed = await sendTool([{ toPhone: contacts.reachable.phone, text: 'Hi' }]);
		expect(routed.thrown).toBeUndefined();
		expect(JSON.parse(routed.observations[0])).toEqual([{ error: expect.objectContaining({ code: 'API_ERROR' }) }]);

		sandbox.inject('POST /messages', { kind: 'status', status: 500 });
		const stopped = await sendTool([{ toPhone: contacts.reachable.phone, text: 'Hi' }], { onError: 'stopWorkflow' });
		expect(stopped.thrown?.message).toMatch(/HTTP 500/);
		expect(sendPosts()).toHaveLength(2);
	});

	test('with Retry On Fail, a send that may have gone out (connection reset after the body) is not sent again', async () => {
		sandbox.inject('POST /messages', { kind: 'resetAfterBody' });
		const run = await sendTool([{ toPhone: contacts.reachable.phone, text: 'Hi' }], {
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
		});

		// n8n tries the tool again (its first item holds `error`), but no second POST leaves.
		expect(run.toolRuns.length).toBeGreaterThanOrEqual(1);
		expect(sendPosts()).toHaveLength(1);
		expect(JSON.parse(run.observations[0])).toEqual([{ error: expect.objectContaining({ code: 'NETWORK_ERROR' }) }]);
	});

	test('two calls in one turn each get their own answer', async () => {
		const run = await sendTool([
			{ toPhone: phoneOf(1), text: 'first' },
			{ toPhone: contacts.cannotReceive.phone, text: 'second' },
		]);
		expect(run.observations).toHaveLength(2);
		expect(JSON.parse(run.observations[0])).toEqual([expect.objectContaining({ content: 'first' })]);
		expect(JSON.parse(run.observations[1])).toEqual([{ error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE' }) }]);
		expect(acceptedPerPhone()).toEqual({ [phoneOf(1)]: 1 });
	});

	test('a list with nothing in it reaches the model as an empty result in words, not an empty string', async () => {
		// A suspended number is never ready to send: the filter leaves nothing.
		const none = await runAsTool({
			type: 'tgoGetSenderNumbers',
			parameters: { returnAll: true, filters: { status: ['suspended'], readyOnly: true } },
			calls: [{}],
			credentials: credentials(),
		});
		expect(JSON.parse(none.observations[0])).toEqual([{ results: [], message: 'TGO answered with nothing that matches this request.' }]);
	});

	test('Lookup Contact and Get Sender Numbers as tools answer with what TGO said', async () => {
		const lookup = await runAsTool({
			type: 'tgoLookupContact',
			parameters: { phone: "={{ $fromAI('phone', 'Phone to check', 'string') }}" },
			calls: [{ phone: contacts.reachable.phone }, { phone: contacts.cannotReceive.phone }],
			credentials: credentials(),
		});
		expect(JSON.parse(lookup.observations[0])).toEqual([expect.objectContaining({ can_receive: true })]);
		expect(JSON.parse(lookup.observations[1])).toEqual([
			{ error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE', details: { reasonCode: 'recipient_blocked' } }) },
		]);

		const list = await runAsTool({
			type: 'tgoGetSenderNumbers',
			parameters: { returnAll: true },
			calls: [{}],
			credentials: credentials(),
		});
		const senderList = JSON.parse(list.observations[0]) as IDataObject[];
		expect(senderList.map((sender) => sender.phone)).toEqual(allSenders.map((sender) => sender.phone));
		expect(senderList.find((sender) => sender.id === senders.active.id)).toMatchObject({ ready_to_send: true });
	});
});

describe('as a LangChain tool (n8n 1.x agents, n8n-core createNodeAsTool)', () => {
	const sendTool = (calls: IDataObject[], settings?: NodeSettings) =>
		runAsTool({
			type: 'tgoSendMessage',
			parameters: {
				sender: senderById(senders.active.id),
				messageType: 'text',
				toPhone: "={{ $fromAI('toPhone', 'Recipient phone in international form, e.g. +201010000000', 'string') }}",
				content: "={{ $fromAI('text', 'The message text', 'string') }}",
			},
			calls,
			credentials: credentials(),
			settings,
			via: 'langchain',
		});

	test('the model gets the sent message, or the failure with its resolution', async () => {
		const run = await sendTool([
			{ toPhone: contacts.reachable.phone, text: 'Your order has shipped' },
			{ toPhone: contacts.notOnTgoConnect.phone, text: 'Hi' },
		]);
		expect(run.thrown).toBeUndefined();
		expect(JSON.parse(run.observations[0])).toEqual([expect.objectContaining({ content: 'Your order has shipped', status: 'sent' })]);
		expect(JSON.parse(run.observations[1])).toEqual([
			{ error: expect.objectContaining({ code: 'RECIPIENT_UNREACHABLE', resolution: expect.stringMatching(/\w/) }) },
		]);
		expect(acceptedPerPhone()).toEqual({ [contacts.reachable.phone]: 1 });
	});

	test('with Retry On Fail and "Stop Workflow", a send that may have gone out is tried once, however often n8n retries', async () => {
		sandbox.inject('POST /messages', { kind: 'resetAfterBody' });
		const run = await sendTool([{ toPhone: contacts.reachable.phone, text: 'Hi' }], {
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
			onError: 'stopWorkflow',
		});
		expect(run.observations[0]).toMatch(/^Error: /);
		expect(sendPosts()).toHaveLength(1);
	});
});

describe('"On Error" settings: every item exactly once, every failure of a kind on one output', () => {
	// Two unreachable recipients, one with input fields and one with none (the case that used to
	// split across outputs), a national number (INVALID_INPUT), and good ones.
	const mixed: IDataObject[] = [
		{ customer: 'Mona', phone: phoneOf(1) },
		{ customer: 'Karim', phone: contacts.cannotReceive.phone },
		{ phone: contacts.notOnTgoConnect.phone },
		{ customer: 'Omar', phone: '01001234567' },
		{ customer: 'Sara', phone: phoneOf(2) },
		{ customer: 'Lina', phone: phoneOf(3) },
	];
	/** Sequential sends: items 0, 1, 2, 4, 5 POST in that order (3 is refused before); Lina's gets HTTP 500. */
	const failLinasSend = () => sandbox.inject('POST /messages', passThrough, passThrough, passThrough, passThrough, { kind: 'status', status: 500 });
	const codes = (items: INodeExecutionData[]) => items.map((item) => [item.pairedItem, (item.json.error as IDataObject).code]);

	test('"Stop Workflow" (the default): documented failures on the TGO Error output, with the input fields', async () => {
		const result = await sendToEach(mixed);
		expect(result.thrown).toBeUndefined();
		expect(pairedItems(result.success)).toEqual([{ item: 0 }, { item: 4 }, { item: 5 }]);
		expect(result.error.map((item) => [item.json.phone, (item.json.error as IDataObject).code])).toEqual([
			[contacts.cannotReceive.phone, 'RECIPIENT_UNREACHABLE'],
			[contacts.notOnTgoConnect.phone, 'RECIPIENT_UNREACHABLE'],
			['01001234567', 'INVALID_INPUT'],
		]);
		expect(result.n8nError).toEqual([]);
	});

	test('"Stop Workflow": an unexpected failure stops the node, saying which items were already sent', async () => {
		sandbox.inject('POST /messages', passThrough, passThrough, { kind: 'status', status: 500 });
		const result = await sendToEach(customers(4));

		expect(result.thrown).toMatchObject({ name: 'NodeApiError', context: expect.objectContaining({ itemIndex: 2 }) });
		const description = (result.thrown as { description?: string }).description ?? '';
		expect(description).toContain('2 of the 4 input items had already been sent before this failure (item index 0, 1)');
		expect(description).toContain('Retry On Fail');
		expect(postsPerPhone()).toEqual({ [phoneOf(0)]: 1, [phoneOf(1)]: 1, [phoneOf(2)]: 1 });
	});

	test('"Continue": unexpected failures join the documented ones on the TGO Error output', async () => {
		failLinasSend();
		const result = await sendToEach(mixed, { onError: 'continueRegularOutput' });

		expect(result.thrown).toBeUndefined();
		expect(pairedItems(result.success)).toEqual([{ item: 0 }, { item: 4 }]);
		expect(codes(result.error)).toEqual([
			[{ item: 1 }, 'RECIPIENT_UNREACHABLE'],
			[{ item: 2 }, 'RECIPIENT_UNREACHABLE'],
			[{ item: 3 }, 'INVALID_INPUT'],
			[{ item: 5 }, 'API_ERROR'],
		]);
		expect(result.error[3].json).toMatchObject({ customer: 'Lina', phone: phoneOf(3) });
		expect(result.n8nError).toEqual([]);
	});

	test('"Continue (using error output)": every failure on the output n8n adds, with the input fields; the TGO Error output stays empty', async () => {
		failLinasSend();
		const result = await sendToEach(mixed, { onError: 'continueErrorOutput' });

		expect(result.thrown).toBeUndefined();
		expect(result.error).toEqual([]);
		expect(pairedItems(result.success)).toEqual([{ item: 0 }, { item: 4 }]);
		expect(codes(result.n8nError)).toEqual([
			[{ item: 1 }, 'RECIPIENT_UNREACHABLE'],
			[{ item: 2 }, 'RECIPIENT_UNREACHABLE'],
			[{ item: 3 }, 'INVALID_INPUT'],
			[{ item: 5 }, 'API_ERROR'],
		]);
		expect(result.n8nError.map((item) => [item.json.customer, item.json.phone])).toEqual([
			['Karim', contacts.cannotReceive.phone],
			[undefined, contacts.notOnTgoConnect.phone],
			['Omar', '01001234567'],
			['Lina', phoneOf(3)],
		]);
		for (const item of result.n8nError) {
			expect(item.json.error).toMatchObject({ message: expect.any(String), resolution: expect.any(String) });
		}
		// The output pane tells the user where the failures went.
		expect(result.runData['TGO Send Message'][0].hints).toEqual([
			expect.objectContaining({ location: 'outputPane', message: expect.stringContaining('every failed item is on the third output') }),
		]);
	});
});

describe('"Retry On Fail" never sends a message twice', () => {
	const retry: NodeSettings = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

	/** TGO refuses (503, "try again now") until the transport's 4 attempts are used up. */
	const refusedFourTimes = Array.from({ length: 4 }, () => ({ kind: 'status', status: 503, retryAfter: 0 }) as const);

	test('4 items, the 3rd refused by TGO until the node stops: n8n re-runs it, items 1 and 2 are not sent again, 3 and 4 are sent', async () => {
		sandbox.inject('POST /messages', passThrough, passThrough, ...refusedFourTimes);
		const result = await sendToEach(customers(4), retry);

		expect(result.thrown).toBeUndefined();
		expect(postsPerPhone()).toEqual({ [phoneOf(0)]: 1, [phoneOf(1)]: 1, [phoneOf(2)]: 5, [phoneOf(3)]: 1 });
		expect(acceptedPerPhone()).toEqual({ [phoneOf(0)]: 1, [phoneOf(1)]: 1, [phoneOf(2)]: 1, [phoneOf(3)]: 1 });
		// Each Success item is TGO's first answer for it, in input order.
		expect(result.success.map((item) => item.json.id)).toEqual(
			[0, 1, 2, 3].map((n) => sandbox.sent.find((sent) => sent.toPhone === phoneOf(n))?.logEntry.id),
		);
		expect(pairedItems(result.success)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	test('4 items, the 3rd POST answered 500 (TGO may have sent it): no item is POSTed twice, and the node says what went out', async () => {
		sandbox.inject('POST /messages', passThrough, passThrough, { kind: 'status', status: 500 });
		const result = await sendToEach(customers(4), { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });

		expect(postsPerPhone()).toEqual({ [phoneOf(0)]: 1, [phoneOf(1)]: 1, [phoneOf(2)]: 1 });
		expect(result.thrown).toMatchObject({ name: 'NodeApiError', context: expect.objectContaining({ itemIndex: 2 }) });
		const description = (result.thrown as { description?: string }).description ?? '';
		expect(description).toContain('the message may have been sent');
		expect(description).toContain('2 of the 4 input items had already been sent before this failure (item index 0, 1)');
	});

	test('at concurrency 3 too: no recipient is POSTed twice, and Success keeps input order when the retry succeeds', async () => {
		sandbox.inject('POST /messages', passThrough, passThrough, passThrough, ...refusedFourTimes);
		const result = await sendToEach(customers(8), retry, { options: { concurrency: 3 } });

		expect(result.thrown).toBeUndefined();
		expect(acceptedPerPhone()).toEqual(Object.fromEntries(customers(8).map(({ phone }) => [phone, 1])));
		// Only refused POSTs were repeated: one accepted POST per recipient, plus the four 503s.
		expect(sendPosts().filter((request) => request.status === 201)).toHaveLength(8);
		expect(sendPosts()).toHaveLength(12);
		expect(result.success.map((item) => item.json.content)).toEqual(customers(8).map(({ customer }) => `Hello ${customer}`));

		sandbox.reset();
		sandbox.inject('POST /messages', passThrough, passThrough, passThrough, { kind: 'status', status: 500 });
		const stopped = await sendToEach(customers(8), retry, { options: { concurrency: 3 } });
		expect(stopped.thrown).toMatchObject({ name: 'NodeApiError' });
		expect(Math.max(...Object.values(postsPerPhone()))).toBe(1);
	});

	test('a send that may have gone out (reset after TGO read it) is never retried; the node stops naming what was sent', async () => {
		sandbox.inject('POST /messages', passThrough, { kind: 'resetAfterBody' });
		const result = await sendToEach(customers(3), { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });

		expect(postsPerPhone()).toEqual({ [phoneOf(0)]: 1, [phoneOf(1)]: 1 });
		expect(result.thrown).toMatchObject({ name: 'NodeApiError', context: expect.objectContaining({ itemIndex: 1 }) });
		expect((result.thrown as { description?: string }).description).toContain(
			'1 of the 3 input items had already been sent before this failure (item index 0)',
		);
	});

	test('"Execute Once" sends only the first item, once, even when retried', async () => {
		sandbox.inject('POST /messages', ...refusedFourTimes);
		const result = await sendToEach(customers(3), { ...retry, executeOnce: true });

		expect(result.thrown).toBeUndefined();
		expect(postsPerPhone()).toEqual({ [phoneOf(0)]: 5 });
		expect(acceptedPerPhone()).toEqual({ [phoneOf(0)]: 1 });
		expect(result.success).toHaveLength(1);
	});

	test('"Always Output Data": when nothing succeeds, n8n adds one empty Success item; it is no message and nothing is sent for it', async () => {
		const result = await sendToEach([{ customer: 'Karim', phone: contacts.cannotReceive.phone }], { alwaysOutputData: true });
		expect(result.error.map((item) => (item.json.error as IDataObject).code)).toEqual(['RECIPIENT_UNREACHABLE']);
		expect(result.success).toEqual([{ json: {}, pairedItem: [{ item: 0, input: 0 }] }]);
		expect(sandbox.sent).toEqual([]);

		// Such an empty item fed to a send (no phone) is refused before any request.
		sandbox.reset();
		const fromEmpty = await sendToEach([{}]);
		expect((fromEmpty.error[0].json.error as IDataObject).code).toBe('INVALID_INPUT');
		expect(sendPosts()).toEqual([]);
	});

	test('the memory is the node run\'s own: a second execution, or a second TGO node on the same items, sends again', async () => {
		await sendToEach(customers(1), retry);
		await sendToEach(customers(1), retry);
		expect(acceptedPerPhone()).toEqual({ [phoneOf(0)]: 2 });

		sandbox.reset();
		const sendNode = (name: string, y: number) => ({
			id: name,
			name,
			type: 'n8n-nodes-tgo-business.tgoSendMessage',
			typeVersion: 1,
			position: [200, y] as [number, number],
			parameters: { sender: senderById(senders.active.id), toPhone: phoneOf(5), messageType: 'text', content: name },
			credentials: { tgoBusinessApi: { id: 'tgo', name: 'TGO' } },
			...retry,
		});
		const run = await runWorkflow(
			{
				nodes: [
					{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					sendNode('Send A', 0),
					sendNode('Send B', 200),
				],
				connections: {
					'Manual Trigger': {
						main: [
							[
								{ node: 'Send A', type: 'main', index: 0 },
								{ node: 'Send B', type: 'main', index: 0 },
							],
						],
					},
				},
			},
			{ credentials: { tgo: credentials() } },
		);
		expect(run.thrown).toBeUndefined();
		expect(sandbox.sent.map((sent) => sent.logEntry.content).sort()).toEqual(['Send A', 'Send B']);
	});
});

describe('Include Input Fields', () => {
	test('off (the default): Success is TGO\'s answer alone; on: the input fields too, TGO\'s value winning on a clash', async () => {
		const items = [{ customer: 'Mona', row: 7, status: 'new', phone: phoneOf(1) }];
		const plain = await sendToEach(items);
		expect(plain.success[0].json).not.toHaveProperty('customer');

		const kept = await sendToEach(items, {}, { options: { includeInputFields: true } });
		expect(kept.success[0].json).toMatchObject({ customer: 'Mona', row: 7, phone: phoneOf(1), status: 'sent', content: 'Hello Mona' });
		expect(kept.success[0].json.id).toBe(sandbox.sent[1].logEntry.id);
	});

	test('Register Sender Number keeps the input fields (the form\'s branch name) beside the new sender', async () => {
		const result = await runNode({
			type: 'tgoRegisterSenderNumber',
			parameters: { phone: '={{ $json.phone }}', displayName: '={{ $json.branch }}', options: { includeInputFields: true } },
			items: [{ branch: 'Maadi', manager: 'Hoda', phone: phoneOf(40) }],
			credentials: credentials(),
		});
		expect(result.success[0].json).toMatchObject({ branch: 'Maadi', manager: 'Hoda', phone: phoneOf(40), display_name: 'Maadi', ready_to_send: false });
	});

	test('Lookup Contact keeps the input fields beside the lookup', async () => {
		const result = await runNode({
			type: 'tgoLookupContact',
			parameters: { phone: '={{ $json.phone }}', options: { includeInputFields: true } },
			items: [{ customer: 'Mona', phone: contacts.reachable.phone }],
			credentials: credentials(),
		});
		expect(result.success[0].json).toMatchObject({ customer: 'Mona', phone: contacts.reachable.phone, can_receive: true });
	});
});

