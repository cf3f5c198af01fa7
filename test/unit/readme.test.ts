// The README's sandbox tables tell a user what each test number does: they must match the sandbox.
import fs from 'node:fs';
import path from 'node:path';

import { senderNumber } from '../../nodes/shared/schemas';
import { senderLabel } from '../../nodes/shared/senders';
import { allSenders, contacts, lookupContact } from '../../tools/sandbox/fixtures';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The README table row that starts with this number. */
function rowOf(phone: string): string {
	const row = README.split('\n').find((line) => line.startsWith(`| \`${phone}\``));
	if (!row) throw new Error(`README has no row for ${phone}`);
	return row;
}

describe('README: the sandbox numbers and what each does', () => {
	it.each(Object.entries(contacts))('recipient %s', (_name, contact) => {
		const answer = lookupContact(contact.phone);
		const row = rowOf(contact.phone);
		if (answer.can_receive) expect(row).toMatch(/can receive/i);
		else expect(row).toContain(`reason \`${answer.reason_code}\``);
		for (const block of contact.blockedSenders ?? []) {
			const blocked = allSenders.find((sender) => sender.id === block.senderNumberId);
			expect(row).toContain(`reason \`${block.reasonCode}\``);
			expect(row).toContain(String(blocked?.phone));
		}
	});

	it.each(allSenders.map((sender) => [sender.phone, sender] as const))('sender %s is shown with its label in the list', (_phone, sender) => {
		const state = /\((.*)\)$/.exec(senderLabel(senderNumber.parse(sender)))?.[1] ?? '';
		expect(rowOf(sender.phone)).toContain(`| ${state}`);
	});
});
