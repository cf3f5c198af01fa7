// The tenant's data the routes read and change: sender numbers, API keys and the message log,
// seeded from the fixtures, plus the answers a test substituted. Reset puts it all back.
import {
	allSenders,
	apiKeys,
	expiryAfter,
	type MessageLogEntry,
	type Scope,
	seededMessageLog,
	type SenderNumberFixture,
} from './fixtures';

export interface ApiKeyState {
	id: number;
	name: string;
	key: string;
	scopes: Scope[];
	status: string;
	expires_at: string | null;
	last_used_at: string | null;
	created_at: string;
}

export interface SentMessage {
	logEntry: MessageLogEntry;
	toPhone: string;
	file?: { filename: string; contentType: string; size: number };
}

export type LogsPaginationStyle = 'links' | 'next_page_url' | 'meta' | 'none' | 'array';

export type AccountRoute = 'GET /me' | 'GET /subscription';

export class SandboxState {
	/** Kept for the life of the sandbox (tests may hold them); emptied on reset. */
	readonly sent: SentMessage[] = [];
	readonly registered: SenderNumberFixture[] = [];
	senderNumbers: SenderNumberFixture[] = [];
	keyStore: ApiKeyState[] = [];
	messageLog: MessageLogEntry[] = [];
	nextIds = { message: 0, sender: 0, key: 0 };
	/** Set by tests: a usage / account body instead of the sandbox's own, and the log's paging style. */
	usageBody: unknown = undefined;
	readonly accountBodies = new Map<AccountRoute, unknown>();
	paginationStyle: LogsPaginationStyle = 'links';

	constructor(readonly tenantHost: string) {
		this.restoreFixtures();
	}

	reset(): void {
		this.sent.length = 0;
		this.registered.length = 0;
		this.usageBody = undefined;
		this.accountBodies.clear();
		this.paginationStyle = 'links';
		this.restoreFixtures();
	}

	findSender(by: { id?: unknown; phone?: unknown }): SenderNumberFixture | undefined {
		if (by.id !== undefined)
			return this.senderNumbers.find((candidate) => candidate.id === Number(by.id));
		return this.senderNumbers.find((candidate) => candidate.phone === by.phone);
	}

	private restoreFixtures(): void {
		this.senderNumbers = allSenders.map((senderNumber) => ({ ...senderNumber }));
		const createdAt = '2025-01-05T10:00:00.000000Z';
		const now = Date.now();
		this.keyStore = Object.values(apiKeys).map(({ expiresInDays, ...fixture }) => ({
			...fixture,
			scopes: [...fixture.scopes],
			expires_at: expiryAfter(expiresInDays, now),
			created_at: createdAt,
		}));
		this.messageLog = seededMessageLog();
		this.nextIds = {
			message: Math.max(...this.messageLog.map((entry) => entry.id)) + 1,
			sender: Math.max(...this.senderNumbers.map((senderNumber) => senderNumber.id)) + 1,
			key: Math.max(...this.keyStore.map((key) => key.id)) + 1,
		};
	}
}
