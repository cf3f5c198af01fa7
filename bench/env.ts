// Imported first by every bench entry point, before anything loads the test harness: compiled
// code runs from build/, where the harness would look for the package one folder too deep.
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
process.env.TGO_HARNESS_PACKAGE_ROOT ??= REPO_ROOT;
