/**
 * Fixture data of the TGO sandbox: sender numbers in every documented status, contacts that can
 * and cannot receive, API keys with their scopes, and the seeded message log.
 *
 * Everything here is immutable; the server copies what it mutates, so several sandboxes can run
 * side by side (one per jest worker) without sharing state.
 */

export type Scope = '*' | 'messages.send' | 'messages.read' | 'contacts.lookup' | 'usage.read';

export interface SenderNumberFixture {
	readonly id: number;
	readonly phone: string;
	readonly display_name: string | null;
	/** Open enum (docs/tgo-api.md#sender-numbers): active, pending_verification, pending_account_verification, rejected, suspended. */
	readonly status: string;
	/** Only `pending_account_verification` is documented (docs/tgo-api.md#sender-numbers). */
	readonly verification_status: string | null;
	readonly created_at: string;
	readonly updated_at: string;
}

function sender(
	id: number,
	phone: string,
	displayName: string | null,
	status: string,
	verificationStatus: string | null,
): SenderNumberFixture {
	const createdAt = `2025-0${1 + (id % 9)}-1${id % 10}T09:30:00.000000Z`;
	return Object.freeze({
		id,
		phone,
		display_name: displayName,
		status,
		verification_status: verificationStatus,
		created_at: createdAt,
		updated_at: createdAt,
	});
}

export const senders = Object.freeze({
	/** Ready to send: OTP done, owner's TGO Connect account verified. */
	active: sender(1, '+201001187188', 'Support', 'active', null),
	/** A second ready sender; some contacts cannot be reached from it (see contacts.unreachableFromSecondSender). */
	activeSecond: sender(2, '+201001187189', 'Sales', 'active', null),
	/** Registered, waiting for the owner to enter the OTP in the dashboard. */
	pendingVerification: sender(3, '+201001187190', 'Billing', 'pending_verification', null),
	/**
	 * OTP accepted, owner still has to verify their TGO Connect account; signalled by `status`
	 * alone (verification_status left null so a client is tested on each signal separately).
	 */
	pendingAccountVerification: sender(
		4,
		'+201001187191',
		'Marketing',
		'pending_account_verification',
		null,
	),
	/** The docs' example (docs/tgo-api.md#account-and-subscription): status active, but verification_status says the account is unverified. */
	activeButAccountUnverified: sender(
		5,
		'+201001187192',
		'Operations',
		'active',
		'pending_account_verification',
	),
	/** Can never send. */
	rejected: sender(6, '+201001187193', 'Old line', 'rejected', null),
	/** Blocked by an administrator (status named on the docs' errors page only). */
	suspended: sender(7, '+201001187194', 'Promotions', 'suspended', null),
});

export type SenderName = keyof typeof senders;

export const allSenders: readonly SenderNumberFixture[] = Object.freeze(Object.values(senders));

export interface LookupResult {
	exists: boolean;
	can_receive: boolean;
	reason_code: string;
	recipient_id: number | null;
	is_verified: boolean;
	phone_verified_at: string | null;
}

export interface ContactFixture {
	readonly phone: string;
	/** What GET /contacts/lookup answers for this phone when no (or any other) sender is given. */
	readonly lookup: Readonly<LookupResult>;
	/** Reachability can depend on the sender: from these senders the contact cannot receive. */
	readonly blockedSenders?: readonly { senderNumberId: number; reasonCode: string }[];
}

/**
 * Deterministic TGO Connect user id for any phone, so repeated lookups and sends agree.
 */
export function recipientIdFor(phone: string): number {
	let hash = 0;
	for (const char of phone) hash = (hash * 31 + char.charCodeAt(0)) % 900_000;
	return 100_000 + hash;
}

const reachableLookup = (phone: string): LookupResult => ({
	exists: true,
	can_receive: true,
	reason_code: 'ok',
	recipient_id: recipientIdFor(phone),
	is_verified: true,
	phone_verified_at: '2025-03-02T11:20:00.000000Z',
});

export const contacts = Object.freeze({
	/** The docs' example recipient; a verified TGO Connect user. */
	reachable: Object.freeze({
		phone: '+201010000000',
		lookup: Object.freeze(reachableLookup('+201010000000')),
	}) as ContactFixture,
	/** No TGO Connect account for this phone. Reason codes other than "ok" are not documented: ours are realistic guesses. */
	notOnTgoConnect: Object.freeze({
		phone: '+201010000001',
		lookup: Object.freeze({
			exists: false,
			can_receive: false,
			reason_code: 'not_found',
			recipient_id: null,
			is_verified: false,
			phone_verified_at: null,
		}),
	}) as ContactFixture,
	/** Has an account, but it cannot receive messages (blocked). */
	cannotReceive: Object.freeze({
		phone: '+201010000002',
		lookup: Object.freeze({
			exists: true,
			can_receive: false,
			reason_code: 'recipient_blocked',
			recipient_id: recipientIdFor('+201010000002'),
			is_verified: true,
			phone_verified_at: '2024-11-19T08:00:00.000000Z',
		}),
	}) as ContactFixture,
	/** Has an account that has not verified its phone yet. */
	notVerified: Object.freeze({
		phone: '+201010000003',
		lookup: Object.freeze({
			exists: true,
			can_receive: false,
			reason_code: 'recipient_not_verified',
			recipient_id: recipientIdFor('+201010000003'),
			is_verified: false,
			phone_verified_at: null,
		}),
	}) as ContactFixture,
	/** Reachable from every sender except senders.activeSecond, which this user has blocked. */
	unreachableFromSecondSender: Object.freeze({
		phone: '+201010000004',
		lookup: Object.freeze(reachableLookup('+201010000004')),
		blockedSenders: Object.freeze([
			{ senderNumberId: senders.activeSecond.id, reasonCode: 'sender_blocked_by_recipient' },
		]),
	}) as ContactFixture,
});

export const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * What TGO Connect says about `phone`, seen from `senderNumberId` when given. Any valid E.164
 * phone that is not a fixture is a reachable user (load tests send to thousands of numbers).
 */
export function lookupContact(phone: string, senderNumberId?: number): LookupResult {
	const contact = Object.values(contacts).find((candidate) => candidate.phone === phone);
	if (!contact) return reachableLookup(phone);
	const block = contact.blockedSenders?.find((entry) => entry.senderNumberId === senderNumberId);
	if (block) return { ...contact.lookup, can_receive: false, reason_code: block.reasonCode };
	return { ...contact.lookup };
}

export interface ApiKeyFixture {
	readonly id: number;
	readonly name: string;
	readonly key: string;
	readonly scopes: readonly Scope[];
	readonly status: 'active' | 'revoked';
	/** Days from the sandbox's start (or reset) to the key's expiry; negative: expired that long ago. */
	readonly expiresInDays: number;
	readonly last_used_at: string | null;
}

const DAY_MS = 86_400_000;

/**
 * A key's `expires_at`, `days` whole days after `now` plus half a day: the whole days left, as a
 * client counts them, stay exactly `days` for the next twelve hours, so tests can assert them.
 */
export function expiryAfter(days: number, now: number = Date.now()): string {
	return laravelTimestamp(new Date(now + days * DAY_MS + DAY_MS / 2));
}

function apiKey(
	id: number,
	name: string,
	key: string,
	scopes: Scope[],
	overrides: Partial<ApiKeyFixture> = {},
): ApiKeyFixture {
	return Object.freeze({
		id,
		name,
		key,
		scopes: Object.freeze(scopes),
		status: 'active' as const,
		// TGO's default lifetime (docs/tgo-api.md#authentication-and-api-keys).
		expiresInDays: 90,
		last_used_at: null,
		...overrides,
	});
}

/** Sandbox-only keys: they open nothing but this server. Each expires (docs/tgo-api.md#authentication-and-api-keys), relative to the sandbox's start. */
export const apiKeys = Object.freeze({
	/** Expires soon, so the key-expiry example (07) raises its alert against the sandbox. */
	full: apiKey(1, 'Sandbox full access', 'tgo_SbxFullAccess7QmR2vXk9pLw', ['*'], { expiresInDays: 10 }),
	send: apiKey(2, 'Sandbox send only', 'tgo_SbxSendOnly3HtN8cYd4bQe', ['messages.send']),
	lookup: apiKey(3, 'Sandbox lookup only', 'tgo_SbxLookupOnly6JwP1sZa5nUf', ['contacts.lookup'], { expiresInDays: 365 }),
	readOnly: apiKey(4, 'Sandbox read only', 'tgo_SbxReadOnly2KvM7gTb8rHy', ['messages.read', 'usage.read'], {
		expiresInDays: 30,
	}),
	expired: apiKey(5, 'Sandbox expired', 'tgo_SbxExpired9LxC4dWe3mJs', ['*'], { expiresInDays: -30 }),
	revoked: apiKey(6, 'Sandbox revoked', 'tgo_SbxRevoked5NzF6hRu2kGa', ['*'], { status: 'revoked', expiresInDays: 60 }),
});

export type ApiKeyName = keyof typeof apiKeys;

export interface MessageLogEntry {
	id: number;
	sender_number_id: number;
	recipient_user_id: number;
	conversation_id: number;
	message_id: number;
	message_type: string;
	content: string | null;
	/** Value set undocumented; the sandbox uses "sent" for accepted sends and a few "failed" in the seed. */
	status: string;
	sent_at: string;
}

/** Deterministic conversation id for a sender/recipient pair. */
export function conversationIdFor(senderNumberId: number, recipientUserId: number): number {
	return 50_000 + ((senderNumberId * 7919 + recipientUserId) % 40_000);
}

/** Laravel's default JSON timestamp: ISO 8601 with microseconds, e.g. 2026-01-15T08:00:00.000000Z. */
export function laravelTimestamp(date: Date = new Date()): string {
	return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export const SEEDED_LOG_COUNT = 40;

/**
 * 40 past messages (3 pages at the default per_page of 15), newest first, from the two active
 * senders, every message type represented.
 */
export function seededMessageLog(): MessageLogEntry[] {
	const types = ['text', 'text', 'image', 'text', 'voice', 'document'];
	const newest = Date.parse('2026-01-15T08:00:00Z');
	const entries: MessageLogEntry[] = [];
	for (let id = SEEDED_LOG_COUNT; id >= 1; id--) {
		const senderNumberId = id % 3 === 0 ? senders.activeSecond.id : senders.active.id;
		const recipientPhone = `+2010100${String(1000 + id).padStart(5, '0')}`;
		const recipientUserId = recipientIdFor(recipientPhone);
		const messageType = types[id % types.length];
		entries.push({
			id,
			sender_number_id: senderNumberId,
			recipient_user_id: recipientUserId,
			conversation_id: conversationIdFor(senderNumberId, recipientUserId),
			message_id: 900_000 + id,
			message_type: messageType,
			content:
				messageType === 'text'
					? `Seeded message ${id}`
					: messageType === 'image'
						? `Photo ${id}`
						: null,
			status: id % 13 === 0 ? 'failed' : 'sent',
			sent_at: laravelTimestamp(new Date(newest - (SEEDED_LOG_COUNT - id) * 37 * 60_000)),
		});
	}
	return entries;
}
