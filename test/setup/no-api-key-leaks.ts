// After every test file: no API key handed to a credential in that file may appear in anything
// the runs produced (output items, thrown errors with their cause and context, list-search
// answers) or in any log line. Together the files cover the whole suite.
import { apiKeyLeaks } from '../../tools/harness/secrets';

afterAll(() => {
	expect(apiKeyLeaks()).toEqual([]);
});
