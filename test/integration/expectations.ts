// Assertions the integration tests share: what a user must find on an Error-output item.
import type { INodeExecutionData } from 'n8n-workflow';

import type { NodeRunResult } from '../../tools/harness';

export interface ExpectedFailure {
	code: string;
	message: string;
	httpCode?: number;
}

/** A documented failure: its code, TGO's words and the guidance every Error item carries. */
export function expectDocumentedFailure(item: INodeExecutionData, expected: ExpectedFailure): void {
	expect(item.json.error).toMatchObject({
		...expected,
		description: expect.any(String),
		resolution: expect.any(String),
		docsUrl: expect.stringMatching(/^https:\/\/docs\.business\.tgo-eg\.com\//),
	});
}

/**
 * Items given as `{ account }` all came out on Error, once each and in order, paired with their
 * input, with the same documented failure (a credential problem fails every item alike).
 */
export function expectEveryItemFailed(result: NodeRunResult, accounts: string[], expected: ExpectedFailure): void {
	expect(result.thrown).toBeUndefined();
	expect(result.success).toEqual([]);
	expect(result.error.map((item) => item.json.account)).toEqual(accounts);
	expect(result.error.map((item) => item.pairedItem)).toEqual(accounts.map((_account, index) => ({ item: index })));
	for (const item of result.error) expectDocumentedFailure(item, expected);
}
