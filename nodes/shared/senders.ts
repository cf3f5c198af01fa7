import type { IDataObject } from 'n8n-workflow';

import type { SenderNumber } from './schemas';

/**
 * Whether a sender number can send now and, if not, what its owner must do — in the words of
 * TGO's sender-number and account-verification guides. The status set is open: an unknown
 * status is reported as not ready, with a hint to look at the dashboard.
 */

/** One wording per status, wherever a user reads it: the sender list, the filter, the hints, the failures. */
export const SENDER_STATUS_WORDS: Readonly<Record<string, string>> = {
	active: 'active',
	pending_verification: 'waiting for OTP',
	pending_account_verification: 'account not verified',
	rejected: 'rejected',
	suspended: 'suspended',
};

/** A status in words; a status TGO does not document is shown as it came, quoted. */
export function senderStatusInWords(status: string): string {
	return SENDER_STATUS_WORDS[status] ?? `status "${status}"`;
}

const HINTS: Record<string, string> = {
	pending_verification:
		'Waiting for OTP: the number owner finds the OTP in TGO Connect and enters it in the TGO Business dashboard.',
	pending_account_verification:
		'Account not verified: the OTP was accepted, but the owner must verify their TGO Connect account in the TGO Connect app. No new OTP is needed; the number becomes ready to send by itself.',
	rejected: 'Rejected: this number can never send. Register another sender number.',
	suspended: 'Suspended: contact your TGO Business account administrator.',
};

export interface SenderReadiness {
	readyToSend: boolean;
	hint?: string;
}

export function senderReadiness(sender: Pick<SenderNumber, 'status' | 'verification_status'>): SenderReadiness {
	// The docs' own example shows status "active" with verification_status
	// "pending_account_verification": the account gap can surface in either field.
	if (sender.verification_status === 'pending_account_verification') {
		return { readyToSend: false, hint: HINTS.pending_account_verification };
	}
	if (sender.status === 'active') return { readyToSend: true };
	return {
		readyToSend: false,
		hint:
			HINTS[sender.status] ??
			`The sender number has the status "${sender.status}", which TGO does not document. Check it in the TGO Business dashboard.`,
	};
}

/** A sender number as the nodes output it: TGO's fields, plus `ready_to_send` and, when not ready, `hint`. */
export function senderWithReadiness(sender: SenderNumber): IDataObject {
	const { readyToSend, hint } = senderReadiness(sender);
	// Parsed from JSON, so every value is JSON.
	return { ...(sender as IDataObject), ready_to_send: readyToSend, ...(hint ? { hint } : {}) };
}

/**
 * The label used wherever a user picks a sender: `+201001187188 — Support (active, ready to send)`
 * for a number that can send now, `+201001187190 — Billing (cannot send: waiting for OTP)` otherwise.
 */
export function senderLabel(sender: SenderNumber): string {
	const readiness = senderReadiness(sender);
	const state = readiness.readyToSend
		? `${senderStatusInWords(sender.status)}, ready to send`
		: `cannot send: ${senderStatusInWords(
				sender.verification_status === 'pending_account_verification' ? 'pending_account_verification' : sender.status,
			)}`;
	const name = sender.display_name ? ` — ${sender.display_name}` : '';
	return `${sender.phone}${name} (${state})`;
}
