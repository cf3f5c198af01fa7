// TGO Send Message reads a parameter once per execution when it holds no expression, and per item
// when it does (nodes/shared/validation.ts, readOnceUnlessExpression). What a user must see either
// way: every item gets its own value when the value depends on the item, and every item fails on
// its own when a fixed value is wrong. Real n8n-core against the sandbox over loopback.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from '../harness';
import { senders } from '../sandbox/fixtures';
import { type Sandbox, startSandbox } from '../sandbox/server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => sandbox.close());

const senderById = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });

async function sendMessage(parameters: INodeParameters, items: IDataObject[]) {
	return await runNode({
		type: 'tgoSendMessage',
		parameters: { sender: senderById(senders.active.id), toPhone: '={{ $json.phone }}', messageType: 'text', content: 'Hello', ...parameters },
		items,
		credentials: { domain: sandbox.credentialDomain, apiKey: sandbox.keys.full },
	});
}

/** What the sandbox received, by recipient (requests at concurrency > 1 arrive in any order). */
const sentBy = () => new Map(sandbox.requestsTo('POST', '/messages').map((request) => [(request.json as IDataObject).to_phone, request.json as IDataObject]));

describe('parameters set by expression are read for each item', () => {
	test('sender, text and Default Country Code by expression: each message has its own, at any concurrency', async () => {
		const items = [
			{ phone: '01012345601', senderId: senders.active.id, text: 'First', country: '20' },
			{ phone: '0501234567', senderId: senders.activeSecond.id, text: 'Second', country: '966' },
			{ phone: '01012345603', senderId: senders.active.id, text: 'Third', country: '20' },
		];
		const { success, error } = await sendMessage(
			{ sender: senderById('={{ $json.senderId }}'), content: '={{ $json.text }}', options: { defaultCountryCode: '={{ $json.country }}', concurrency: 3 } },
			items,
		);

		expect(error).toEqual([]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const sent = sentBy();
		expect(sent.get('+201012345601')).toMatchObject({ sender_number_id: senders.active.id, content: 'First' });
		expect(sent.get('+966501234567')).toMatchObject({ sender_number_id: senders.activeSecond.id, content: 'Second' });
		expect(sent.get('+201012345603')).toMatchObject({ sender_number_id: senders.active.id, content: 'Third' });
	});

	test('a fixed recipient follows a Default Country Code set by expression', async () => {
		const { success, error } = await sendMessage({ toPhone: '0501234567', options: { defaultCountryCode: '={{ $json.country }}' } }, [
			{ country: '966' },
			{ country: '20' },
		]);

		expect(error).toEqual([]);
		expect(success).toHaveLength(2);
		expect(sandbox.requestsTo('POST', '/messages').map((request) => (request.json as IDataObject).to_phone)).toEqual(['+966501234567', '+20501234567']);
	});
});

describe('fixed parameters serve every item', () => {
	test('a fixed sender, text and country code go with each item\'s own recipient', async () => {
		const { success, error } = await sendMessage({ content: 'Your order shipped', options: { defaultCountryCode: '20' } }, [
			{ phone: '01012345601' },
			{ phone: '01012345602' },
		]);

		expect(error).toEqual([]);
		expect(success).toHaveLength(2);
		expect(sandbox.requestsTo('POST', '/messages').map((request) => request.json)).toEqual([
			{ sender_number_id: senders.active.id, to_phone: '+201012345601', type: 'text', content: 'Your order shipped' },
			{ sender_number_id: senders.active.id, to_phone: '+201012345602', type: 'text', content: 'Your order shipped' },
		]);
	});

	test('a wrong fixed value fails every item on its own, each with the field and the value, and nothing is sent', async () => {
		const { success, error, thrown } = await sendMessage({ options: { defaultCountryCode: 'EG' } }, [
			{ phone: '01012345601' },
			{ phone: '01012345602' },
			{ phone: '01012345603' },
		]);

		expect(thrown).toBeUndefined();
		expect(success).toEqual([]);
		expect(error.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of error.entries()) {
			expect(item.json).toMatchObject({
				phone: `0101234560${index + 1}`,
				error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^Default Country Code: "EG"/) },
			});
		}
		// Not one shared object: each item's error is its own.
		expect(error[0].json.error).not.toBe(error[1].json.error);
		expect(sandbox.requests).toEqual([]);
	});
});
