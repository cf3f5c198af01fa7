// n8n's strict mode requires eslint.config.mjs to be @n8n/node-cli's default, unmodified.
// `n8n-node lint` checks that, then lints the whole folder with the Cloud rules; we lint only
// what n8n's verification reads (nodes/, credentials/, package.json), so this repeats its check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The package exports only ./eslint (dist/configs/eslint.js); its root is two folders up.
const cliRoot = path.resolve(path.dirname(require.resolve('@n8n/node-cli/eslint')), '../..');
const template = path.join(cliRoot, 'dist/template/templates/shared/default/eslint.config.mjs');
const squash = (text) => text.replace(/\s+/g, ' ').trim();

if (squash(readFileSync('eslint.config.mjs', 'utf8')) !== squash(readFileSync(template, 'utf8'))) {
	console.error('eslint.config.mjs differs from the @n8n/node-cli default: strict mode requires it unmodified.');
	process.exit(1);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (pkg.n8n?.strict !== true) {
	console.error('package.json n8n.strict must be true.');
	process.exit(1);
}
console.log('strict lint config: eslint.config.mjs is the @n8n/node-cli default and n8n.strict is on');
