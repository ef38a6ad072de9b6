/** Where the e2e tests read and write. */
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..', '..')
/** `npm run build:h5` output. */
export const H5_BUILD = join(ROOT, 'dist', 'h5')
/** Artifacts (gitignored). */
export const RESULTS = join(ROOT, 'test-results', 'e2e')
/**
 * The copy of the H5 build the stacks serve, taken once per run by
 * ./global-setup.ts, so another `npm run build:h5` / `npm start` rebuilding
 * dist/h5 meanwhile does not change the app under test.
 */
export const H5_COPY = join(RESULTS, 'h5')
