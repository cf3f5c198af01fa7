// POST /messages: send a TGO Connect message (JSON for text, multipart with `media` otherwise).
import { conversationIdFor, laravelTimestamp, lookupContact, type MessageLogEntry } from '../fixtures';
import { messages, type Reply, type Route, type RouteContext } from './route';
import { isIntegerLike, phoneRule, present, senderRules, Validation } from './validation';

export const MESSAGE_TYPES = ['text', 'image', 'voice', 'document'];
const MEDIA_TYPES = ['image', 'voice', 'document'];

function sendMessage({ state, input, files }: RouteContext): Reply {
	const validation = new Validation();
	const senderNumber = senderRules(state, input, validation, true);
	phoneRule(input, 'to_phone', validation);

	const type = input.type;
	if (!present(type)) validation.required('type');
	else if (typeof type !== 'string' || !MESSAGE_TYPES.includes(type))
		validation.add('type', 'The selected type is invalid.');

	// Undocumented: content is required for text (implied by every example), optional caption otherwise.
	if (present(input.content) && typeof input.content !== 'string') {
		validation.add('content', 'The content field must be a string.');
	} else if (type === 'text' && !present(input.content)) {
		validation.add('content', 'The content field is required when type is text.');
	}

	if (type === 'voice' && !present(input.duration)) {
		validation.add('duration', 'The duration field is required when type is voice.');
	} else if (present(input.duration)) {
		if (!isIntegerLike(input.duration))
			validation.add('duration', 'The duration field must be an integer.');
		else if (Number(input.duration) < 1 || Number(input.duration) > 300) {
			validation.add('duration', 'The duration field must be between 1 and 300.');
		}
	}

	const media = [...files].reverse().find((file) => file.field === 'media');
	if (typeof type === 'string' && MEDIA_TYPES.includes(type)) {
		// A zero-byte upload counts as no upload (PHP reports it as such).
		if (media && media.data.length > 0) {
			// ok
		} else if (present(input.media) && !media) {
			validation.add('media', 'The media field must be a file.');
		} else {
			validation.add('media', `The media field is required when type is ${type}.`);
		}
	}

	if (validation.failed || !senderNumber) return validation.reply();

	// Business rules, checked after validation (docs/tgo-api.md#errors). Undocumented: their status code; 422 here.
	if (
		senderNumber.status === 'pending_account_verification' ||
		senderNumber.verification_status === 'pending_account_verification'
	) {
		return { status: 422, json: { message: messages.accountNotVerified } };
	}
	if (senderNumber.status !== 'active') {
		return { status: 422, json: { message: messages.senderNotActive } };
	}
	const toPhone = input.to_phone as string;
	const recipient = lookupContact(toPhone, senderNumber.id);
	if (!recipient.can_receive || recipient.recipient_id === null) {
		return {
			status: 422,
			json: { message: messages.recipientCannotReceive, reason_code: recipient.reason_code },
		};
	}

	const id = state.nextIds.message++;
	const logEntry: MessageLogEntry = {
		id,
		sender_number_id: senderNumber.id,
		recipient_user_id: recipient.recipient_id,
		conversation_id: conversationIdFor(senderNumber.id, recipient.recipient_id),
		message_id: 900_000 + id,
		message_type: type as string,
		content: (input.content as string | null | undefined) ?? null,
		status: 'sent',
		sent_at: laravelTimestamp(),
	};
	state.messageLog.unshift(logEntry);
	state.sent.push({
		logEntry,
		toPhone,
		file: media
			? { filename: media.filename, contentType: media.contentType, size: media.data.length }
			: undefined,
	});
	return { status: 201, json: { data: { ...logEntry } } };
}

export const sendMessageRoute: Route = {
	method: 'POST',
	path: '/messages',
	scope: 'messages.send',
	handle: sendMessage,
};
