import { capturedLogs } from '../../tools/harness/env';
import { apiKeyLeaks, forgetProbe, recordApiKeys, recordArtifact } from '../../tools/harness/secrets';

// The suite-wide check (test/setup/no-api-key-leaks.ts) is only worth something if it can fail.
describe('the API key leak scan', () => {
	it('finds a key inside an error cause and in a log line, and says where without repeating it', () => {
		const key = 'tgo_scan_probe_0123456789';
		recordApiKeys([key]);
		try {
			const error = new Error('request failed', { cause: { config: { headers: { 'X-Api-Key': key } } } });
			recordArtifact('probe error', error);
			capturedLogs.push(`[debug] sending with ${key}`);

			const leaks = apiKeyLeaks();
			expect(leaks).toEqual([
				'probe error contains an API key ending in …6789',
				expect.stringMatching(/^log line \d+ contains an API key ending in …6789$/),
			]);
			expect(leaks.join(' ')).not.toContain(key);
		} finally {
			forgetProbe(key);
		}
		expect(apiKeyLeaks()).toEqual([]);
	});
});
