// GET /sender-numbers lists the tenant's sender numbers; POST /sender-numbers registers one,
// which then waits for its owner's OTP.
import { E164, laravelTimestamp, lookupContact, type SenderNumberFixture } from '../fixtures';
import { messages, type Reply, type Route, type RouteContext } from './route';
import { phoneRule, present, Validation } from './validation';

function listSenders({ state }: RouteContext): Reply {
	return {
		status: 200,
		json: { data: state.senderNumbers.map((senderNumber) => ({ ...senderNumber })) },
	};
}

function createSender({ state, input }: RouteContext): Reply {
	const validation = new Validation();
	phoneRule(input, 'phone', validation);
	if (typeof input.phone === 'string' && E164.test(input.phone)) {
		if (state.findSender({ phone: input.phone })) validation.add('phone', messages.phoneTaken);
		// The OTP goes to the phone's TGO Connect account (docs/tgo-api.md#registering-a-sender-number): without one there is no owner to verify.
		else if (!lookupContact(input.phone).exists) validation.add('phone', messages.phoneNotOnTgoConnect);
	}
	const displayName = input.display_name;
	if (present(displayName) && typeof displayName !== 'string') {
		validation.add('display_name', 'The display name field must be a string.');
	} else if (typeof displayName === 'string' && displayName.length > 255) {
		validation.add(
			'display_name',
			'The display name field must not be greater than 255 characters.',
		);
	}
	if (validation.failed) return validation.reply();

	const createdAt = laravelTimestamp();
	const created: SenderNumberFixture = {
		id: state.nextIds.sender++,
		phone: input.phone as string,
		display_name: (displayName as string | null | undefined) ?? null,
		status: 'pending_verification',
		verification_status: null,
		created_at: createdAt,
		updated_at: createdAt,
	};
	state.senderNumbers.push(created);
	state.registered.push({ ...created });
	// Undocumented: response shape and status; { data } and 201 like the other creations.
	return { status: 201, json: { data: { ...created } } };
}

export const registerSenderNumberRoute: Route = {
	method: 'POST',
	path: '/sender-numbers',
	scope: 'messages.send',
	handle: createSender,
};

// Undocumented scope: any valid key may list.
export const listSenderNumbersRoute: Route = {
	method: 'GET',
	path: '/sender-numbers',
	scope: null,
	handle: listSenders,
};
