import type { IDataObject } from 'n8n-workflow';

import type { SenderNumber } from './schemas';

/**
 * Whether a sender number can send now and, if not, what its owner must do — in the words of
 * TGO's sender-number and account-verification guides. The status set is open: an unknown
 * status is reported as not ready, with a hint to look at the dashboard.
 */

const HINTS: Record<string, string> = {
	pending_verification:
		'The OTP has not been entered yet. The number owner finds the OTP in TGO Connect and enters it in the TGO Business dashboard.',
	pending_account_verification:
		'The OTP was accepted, but the owner must verify their TGO Connect account in the TGO Connect app. No new OTP is needed; the number becomes ready by itself.',
	rejected: 'This number was rejected and can never send. Register another sender number.',
	suspended: 'This number is suspended. Contact your TGO Business account administrator.',
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

/** The label used wherever a user picks a sender: `+201001187188 — Support (active)`. */
export function senderLabel(sender: SenderNumber): string {
	const readiness = senderReadiness(sender);
	const state = readiness.readyToSend
		? sender.status
		: sender.verification_status === 'pending_account_verification' && sender.status === 'active'
			? 'needs account verification'
			: sender.status;
	const name = sender.display_name ? ` — ${sender.display_name}` : '';
	return `${sender.phone}${name} (${state})`;
}
