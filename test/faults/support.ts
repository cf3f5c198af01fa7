// Helpers shared by the fault, fuzz and load tests: finding a secret anywhere in what a run
// produced, and keeping the live errors n8n-core reports (the execution's recorded error is a
// plain-object copy without the non-enumerable `cause`; the live one is what an instance would
// send to its error tracker, so it is scanned too).
import { ErrorReporter } from 'n8n-core';

import { Container } from '../../tools/harness/env';

/** Every error n8n-core's ErrorReporter received in this test file, as live objects. */
export const reportedErrors: unknown[] = [];

let hooked = false;

/** Starts keeping what n8n-core reports; the reporter still does its own work (logging). */
export function keepReportedErrors(): void {
	if (hooked) return;
	hooked = true;
	const reporter = Container.get(ErrorReporter) as unknown as { report: (error: unknown, options?: unknown) => unknown };
	const report = reporter.report.bind(reporter);
	reporter.report = (error: unknown, options?: unknown) => {
		reportedErrors.push(error);
		return report(error, options);
	};
}

/**
 * The paths at which `secret` occurs in `value`: strings anywhere, object keys, and every own
 * property, enumerable or not (an Error's message, stack and cause are not enumerable).
 */
export function placesOf(secret: string, value: unknown, root = '$'): string[] {
	const found: string[] = [];
	const seen = new WeakSet<object>();
	const walk = (current: unknown, path: string, depth: number) => {
		if (typeof current === 'string') {
			if (current.includes(secret)) found.push(path);
			return;
		}
		if (current === null || typeof current !== 'object' || depth > 40) return;
		if (seen.has(current)) return;
		seen.add(current);
		if (Buffer.isBuffer(current) || ArrayBuffer.isView(current)) {
			if (Buffer.from(current.buffer, current.byteOffset, current.byteLength).includes(secret)) found.push(path);
			return;
		}
		if (current instanceof Map) {
			for (const [key, item] of current) {
				walk(key, `${path}<key>`, depth + 1);
				walk(item, `${path}.get(${String(key)})`, depth + 1);
			}
			return;
		}
		if (current instanceof Set) {
			for (const item of current) walk(item, `${path}<item>`, depth + 1);
			return;
		}
		for (const key of Object.getOwnPropertyNames(current)) {
			if (key.includes(secret)) found.push(`${path}<key ${key.length} chars>`);
			let item: unknown;
			try {
				item = (current as Record<string, unknown>)[key];
			} catch {
				continue; // a throwing getter holds nothing we produced
			}
			walk(item, `${path}.${key}`, depth + 1);
		}
	};
	walk(value, root, 0);
	return found;
}

/** Text of every own property, non-enumerable ones included: how long an error really is. */
export function allText(value: unknown): string {
	const parts: string[] = [];
	const seen = new WeakSet<object>();
	const walk = (current: unknown, depth: number) => {
		if (typeof current === 'string') parts.push(current);
		if (current === null || typeof current !== 'object' || depth > 20 || seen.has(current)) return;
		seen.add(current);
		for (const key of Object.getOwnPropertyNames(current)) {
			// The node's own parameters and position are not text the error produced.
			if (key === 'node') continue;
			walk((current as Record<string, unknown>)[key], depth + 1);
		}
	};
	walk(value, 0);
	return parts.join('\n');
}
