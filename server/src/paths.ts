/** Default locations under the repository root, resolved from this file so they work from any working directory. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_RESOURCES_DIR = join(REPOSITORY_ROOT, 'resources');
export const DEFAULT_DB_PATH = join(REPOSITORY_ROOT, '.data', 'server.sqlite');
export const SAMPLE_PORTFOLIO_FILE = join(DEFAULT_RESOURCES_DIR, 'sample-portfolio.csv');
