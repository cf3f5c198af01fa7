// GET /usage: what was sent, per sender number and in total, from the message log.
import { laravelTimestamp, type MessageLogEntry } from '../fixtures';
import { MESSAGE_TYPES } from './messages';
import type { Reply, Route, RouteContext } from './route';

/** Undocumented shape: "usage grouped by sender number" plus tenant totals and limits. */
function usage({ state }: RouteContext): Reply {
	if (state.usageBody !== undefined) return { status: 200, json: state.usageBody };
	const countsFor = (entries: MessageLogEntry[]) => ({
		messages_sent: entries.filter((entry) => entry.status !== 'failed').length,
		messages_failed: entries.filter((entry) => entry.status === 'failed').length,
		by_type: Object.fromEntries(
			MESSAGE_TYPES.map((type) => [
				type,
				entries.filter((entry) => entry.message_type === type).length,
			]),
		),
	});
	const oldest = state.messageLog.reduce(
		(earliest, entry) => (entry.sent_at < earliest ? entry.sent_at : earliest),
		laravelTimestamp(),
	);
	return {
		status: 200,
		json: {
			data: {
				period: { from: oldest, to: laravelTimestamp() },
				totals: countsFor(state.messageLog),
				limits: { messages_per_day: 1000, messages_per_month: 30000 },
				senders: state.senderNumbers
					.map((senderNumber) => {
						const entries = state.messageLog.filter(
							(entry) => entry.sender_number_id === senderNumber.id,
						);
						return {
							sender_number_id: senderNumber.id,
							sender_phone: senderNumber.phone,
							display_name: senderNumber.display_name,
							...countsFor(entries),
							last_sent_at: entries.length
								? entries.reduce(
										(latest, entry) => (entry.sent_at > latest ? entry.sent_at : latest),
										'',
									)
								: null,
						};
					})
					.filter((row) => row.messages_sent + row.messages_failed > 0),
			},
		},
	};
}

export const usageRoute: Route = {
	method: 'GET',
	path: '/usage',
	scope: 'usage.read',
	handle: usage,
};
