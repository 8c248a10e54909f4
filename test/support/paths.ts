/** Where tests find the repository, its fixtures and the shared reference data. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (tests run from `dist/`, two or three levels below it). */
export const REPO_ROOT: string = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** `../shared` beside the checkout: the reference docs and test data. */
export const SHARED_DIR: string = path.resolve(REPO_ROOT, '..', 'shared');

/** The shared test data: `promqltest/`, `openmetrics/`. */
export const SHARED_TESTDATA: string = path.join(SHARED_DIR, 'testdata');

/** The `vigil` launcher, for tests that run the CLI as a user would. */
export const VIGIL_BIN: string = path.join(REPO_ROOT, 'bin', 'vigil.js');
