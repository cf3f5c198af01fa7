// The words a business user reads: parameter names in failures are the editor's display names,
// every sender status has one wording, every network failure says what happened and whether the
// message can have gone out, and the help of each phone parameter shows the format by example.
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { TgoGetAccount } from '../../nodes/TgoGetAccount/TgoGetAccount.node';
import { TgoGetMessageLogs } from '../../nodes/TgoGetMessageLogs/TgoGetMessageLogs.node';
import { TgoGetSenderNumbers } from '../../nodes/TgoGetSenderNumbers/TgoGetSenderNumbers.node';
import { TgoGetUsage } from '../../nodes/TgoGetUsage/TgoGetUsage.node';
import { TgoLookupContact } from '../../nodes/TgoLookupContact/TgoLookupContact.node';
import { TgoRegisterSenderNumber } from '../../nodes/TgoRegisterSenderNumber/TgoRegisterSenderNumber.node';
import { TgoSendMessage } from '../../nodes/TgoSendMessage/TgoSendMessage.node';
import { INPUT_FIELDS, senderStatusOptions } from '../../nodes/shared/descriptions';
import { networkFailure, type TgoOperation, unexpectedAnswer } from '../../nodes/shared/errors';
import { neverReachedServer } from '../../nodes/shared/retry';
import { senderNumber } from '../../nodes/shared/schemas';
import { SENDER_STATUS_WORDS, senderLabel, senderReadiness } from '../../nodes/shared/senders';
import { allSenders as senderFixtures } from '../../tools/sandbox/fixtures';

/** The sandbox's senders, one in every status, as the nodes read them from TGO's answer. */
const allSenders = senderFixtures.map((fixture) => senderNumber.parse(fixture));

const NODES: INodeTypeDescription[] = [
	new TgoSendMessage().description,
	new TgoLookupContact().description,
	new TgoGetSenderNumbers().description,
	new TgoGetUsage().description,
	new TgoGetMessageLogs().description,
	new TgoRegisterSenderNumber().description,
	new TgoGetAccount().description,
];

/** Every parameter of every node, options of collections included, with its path as `options.timeout`. */
function allParameters(): Array<{ path: string; property: INodeProperties }> {
	const found: Array<{ path: string; property: INodeProperties }> = [];
	for (const node of NODES) {
		for (const property of node.properties) {
			found.push({ path: property.name, property });
			if (property.type === 'collection') {
				for (const option of (property.options ?? []) as INodeProperties[]) {
					found.push({ path: `${property.name}.${option.name}`, property: option });
				}
			}
		}
	}
	return found;
}

describe('INVALID_INPUT names each parameter as the editor shows it', () => {
	it.each(Object.entries(INPUT_FIELDS))('%s: its label is the display name of "%s"', (_key, field) => {
		// "Sender (By Phone)": the parameter's display name, then the mode the user chose.
		const [, displayName, mode] = /^(.*?)(?: \((From List|By ID|By Phone)\))?$/.exec(field.label) ?? [];
		const shown = allParameters().filter(({ path, property }) => path === field.name && property.displayName === displayName);
		expect(shown.length).toBeGreaterThan(0);
		if (mode) {
			const modes = shown.flatMap(({ property }) => property.modes ?? []).map((m) => m.displayName);
			expect(modes).toContain(mode);
		}
	});
});

describe('one wording per sender status', () => {
	it('the Status filter offers each status by its words, and names TGO\'s own value in the option\'s help', () => {
		for (const option of senderStatusOptions) {
			expect(option.name.toLowerCase()).toBe(SENDER_STATUS_WORDS[String(option.value)].toLowerCase());
			expect(option.description).toContain(`"${String(option.value)}"`);
		}
		expect(senderStatusOptions.map((option) => option.value).sort()).toEqual(Object.keys(SENDER_STATUS_WORDS).sort());
	});

	it('the hint of a sender that cannot send starts with the same words as its label', () => {
		for (const sender of allSenders) {
			const { readyToSend, hint } = senderReadiness(sender);
			const label = senderLabel(sender);
			if (readyToSend) {
				expect(label).toMatch(/\(active, ready to send\)$/);
				continue;
			}
			const words = /\(cannot send: (.*)\)$/.exec(label)?.[1] ?? '';
			expect({ label, hint: hint?.toLowerCase().startsWith(words.toLowerCase()) }).toEqual({ label, hint: true });
		}
	});

	it('no label shows a raw status word', () => {
		for (const sender of allSenders) expect(senderLabel(sender)).not.toMatch(/pending_|_verification/);
	});
});

describe('network failures say what happened, and never claim more than the node knows', () => {
	const CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_CANCELED', 'EPROTO'];
	const REQUESTS: Array<{ operation: TgoOperation; method: string }> = [
		{ operation: 'sendMessage', method: 'POST' },
		{ operation: 'lookupContact', method: 'GET' },
		{ operation: 'listSenderNumbers', method: 'GET' },
		{ operation: 'getUsage', method: 'GET' },
		{ operation: 'listMessageLogs', method: 'GET' },
	];
	const cases = CODES.flatMap((errorCode) => REQUESTS.map((request) => ({ ...request, errorCode })));

	it.each(cases)('$operation ($method), $errorCode', ({ operation, method, errorCode }) => {
		const reachedTgo = !neverReachedServer(errorCode);
		const attempts = reachedTgo && method === 'POST' ? 1 : 4;
		const words = networkFailure({ operation, method, attempts, errorCode, reachedTgo, timeoutMs: 30_000 });
		const all = `${words.message} ${words.description} ${words.resolution}`;

		expect(words.message).toMatch(new RegExp(`^Could not complete the request to TGO \\(${errorCode}\\): \\w`));
		expect(words.details).toEqual({ networkCode: errorCode, attempts, reachedTgo: reachedTgo ? 'maybe' : 'no' });
		if (!reachedTgo) {
			expect(words.description).toBe(
				`The request never reached TGO, so nothing was ${operation === 'sendMessage' ? 'sent' : 'changed'}. The node tried 4 times.`,
			);
			expect(all).not.toMatch(/may have been sent|did not repeat/);
			expect(words.resolution).toMatch(/Tenant Domain/);
		} else if (method === 'POST') {
			expect(words.description).toMatch(/may have been sent\. The node did not repeat it/);
			expect(words.resolution).toMatch(/^Before sending this item again, look for the message in TGO Get Message Logs/);
		} else {
			expect(words.description).toBe('The node tried 4 times without an answer. It only reads from TGO, so nothing was changed.');
			expect(all).not.toMatch(/may have been sent/);
		}
	});

	it('spells out the common codes', () => {
		const words = (errorCode: string, method = 'POST') =>
			networkFailure({ operation: 'sendMessage', method, attempts: 4, errorCode, reachedTgo: !neverReachedServer(errorCode), timeoutMs: 30_000 });
		expect(words('ECONNREFUSED').message).toBe(
			'Could not complete the request to TGO (ECONNREFUSED): the connection was refused: nothing answers at that address and port.',
		);
		expect(words('ECONNREFUSED').resolution).toMatch(/the message was not sent, so this cannot send it twice\.$/);
		expect(words('ENOTFOUND').message).toBe('Could not complete the request to TGO (ENOTFOUND): the Tenant Domain was not found: no such domain exists in DNS.');
		expect(words('ENOTFOUND').resolution).toMatch(/^Check the credential's Tenant Domain letter by letter against the domain your TGO Business dashboard shows/);
		expect(words('ECONNABORTED', 'GET').message).toBe('Could not complete the request to TGO (ECONNABORTED): TGO did not answer within 30 s (the Timeout option).');
		expect(words('ECONNABORTED', 'GET').resolution).toMatch(/raise the Timeout option/);
	});
});

describe('an undocumented HTTP answer says whether the message can have gone out', () => {
	const answer = (method: string, status: number, operation: TgoOperation = 'sendMessage', attempts = 1) =>
		unexpectedAnswer({ operation, method, path: '/messages', status, body: { message: 'Server Error' }, attempts });

	it('a 500 on a send: may have been sent, not repeated, check the message logs', () => {
		const words = answer('POST', 500);
		expect(words.message).toBe('TGO answered POST /messages with HTTP 500: Server Error');
		expect(words.description).toMatch(/the message may have been sent\. The node did not repeat it/);
		expect(words.resolution).toMatch(/^Before sending this item again, look for the message in TGO Get Message Logs/);
	});

	it('a 503 on a send after the retries: refused, so nothing was sent', () => {
		expect(answer('POST', 503, 'sendMessage', 4).description).toMatch(/The node tried 4 times; TGO refused the request, so nothing was sent\.$/);
	});

	it('a 500 on a read: tried again, nothing to check', () => {
		const words = answer('GET', 500, 'listMessageLogs', 4);
		expect(words.description).toMatch(/The node tried 4 times\.$/);
		expect(words.resolution).not.toMatch(/Message Logs/);
	});
});

describe('help texts', () => {
	it.each([
		['TGO Send Message', 'toPhone'],
		['TGO Lookup Contact', 'phone'],
	])('%s → %s: the format by example, and where to set a default country code', (nodeName, parameter) => {
		const node = NODES.find((candidate) => candidate.displayName === nodeName);
		const description = node?.properties.find((property) => property.name === parameter)?.description ?? '';
		expect(description).toContain('international format');
		expect(description).toContain('e.g. +201010000000');
		expect(description).toContain('Options → Default Country Code');
		expect(description).not.toMatch(/E\.164/);
	});

	it('the Timeout option reads as n8n\'s own nodes do: "Timeout", in ms', () => {
		const timeouts = allParameters().filter(({ path }) => path === 'options.timeout');
		expect(timeouts.length).toBeGreaterThan(0);
		for (const { property } of timeouts) {
			expect(property.displayName).toBe('Timeout');
			expect(property.description).toMatch(/^Time in ms to wait for TGO/);
		}
	});

	// The node's description is also the tool description an AI agent reads.
	it.each(NODES.map((node) => [node.displayName, node] as const))('%s says what it does and when to use it, briefly', (_name, node) => {
		expect(node.description.length).toBeLessThanOrEqual(200);
		expect(node.description).toMatch(/TGO (Connect|Business)|API key/);
		if (node.properties.some((property) => /phone/i.test(property.name))) {
			expect(node.description).toMatch(/international format, e\.g\. \+201010000000/);
		}
	});
});
