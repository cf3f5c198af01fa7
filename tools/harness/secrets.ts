// Collects every API key the harness handed to a credential and everything the runs produced
// (outputs, the execution's error with its cause and context, errors thrown by list searches),
// so one check per test file can prove no key ever reached a user-visible place. Logs are read
// from `capturedLogs` at check time.
import { capturedLogs } from './env';

const usedApiKeys = new Set<string>();
const artifacts: Array<{ what: string; text: string }> = [];

// Very short test keys ('k1') could match unrelated text; real and sandbox keys are long.
const MIN_KEY_LENGTH = 8;

export function recordApiKeys(keys: Iterable<unknown>): void {
	for (const key of keys) {
		if (typeof key === 'string' && key.length >= MIN_KEY_LENGTH) usedApiKeys.add(key);
	}
}

/** Serialises anything, including Error objects' non-enumerable message/stack and their causes. */
function serialise(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, current: unknown) => {
		if (current instanceof Error) {
			const { message, stack, name } = current;
			return { name, message, stack, ...(current as unknown as Record<string, unknown>), cause: (current as { cause?: unknown }).cause };
		}
		if (current && typeof current === 'object') {
			if (seen.has(current)) return '[circular]';
			seen.add(current);
		}
		return current;
	}) ?? String(value);
}

export function recordArtifact(what: string, value: unknown): void {
	artifacts.push({ what, text: serialise(value) });
}

/** Where a used API key appears: in a run's outputs, an error, or a log line. */
export function apiKeyLeaks(): string[] {
	const leaks: string[] = [];
	const places = [
		...artifacts,
		...capturedLogs.map((line, index) => ({ what: `log line ${index}`, text: line })),
	];
	for (const key of usedApiKeys) {
		for (const place of places) {
			if (place.text.includes(key)) leaks.push(`${place.what} contains an API key ending in …${key.slice(-4)}`);
		}
	}
	return leaks;
}

export function scannedCounts(): { apiKeys: number; artifacts: number; logLines: number } {
	return { apiKeys: usedApiKeys.size, artifacts: artifacts.length, logLines: capturedLogs.length };
}

/** Only for the scanner's own test: forget a probe so the after-file check stays meaningful. */
export function forgetProbe(key: string): void {
	usedApiKeys.delete(key);
}
