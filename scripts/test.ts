/**
 * `npm test`: type-checks every part, lints, builds the renderer the browser tests load, then runs
 * every vitest project (unit and browser end-to-end). Ends with one plain line `N passed, N failed`
 * that counts each test plus each of the checks before them, and exits non-zero on any failure.
 *
 * Options: `--unit` runs only the unit project (no Chromium needed); `--e2e` only the browser tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { chromiumPath } from '../e2e/support/chromium.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const projects = args.has('--unit') ? ['unit'] : args.has('--e2e') ? ['e2e'] : ['unit', 'e2e'];

let passed = 0;
let failed = 0;

function step(name: string, command: string, commandArgs: string[]): boolean {
  console.log(`\n▶ ${name}: ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`✗ ${name} failed (exit ${result.status ?? result.signal})`);
  }
  return ok;
}

if (projects.includes('e2e') && !chromiumPath()) {
  console.log('Chromium is missing: the browser tests need it. Install it with: sudo apt-get install chromium');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const tsc = join(repoRoot, 'node_modules/.bin/tsc');
for (const project of ['core', 'core/tsconfig.test.json', 'server', 'main', 'preload', 'renderer', '.']) {
  step(`type check ${project}`, tsc, ['-p', project, '--noEmit']);
}
step('lint', join(repoRoot, 'node_modules/.bin/eslint'), ['.']);
if (projects.includes('e2e')) step('renderer build', 'npm', ['run', '-s', 'build:renderer']);

const reportDir = mkdtempSync(join(tmpdir(), 'gestiona-test-'));
const reportFile = join(reportDir, 'vitest.json');
const vitestArgs = ['run', ...projects.flatMap((name) => ['--project', name]), '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
console.log(`\n▶ tests: vitest ${vitestArgs.join(' ')}`);
const vitest = spawnSync(join(repoRoot, 'node_modules/.bin/vitest'), vitestArgs, { cwd: repoRoot, stdio: 'inherit', env: process.env });

const reportSchema = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  testResults: z.array(z.object({ status: z.string(), assertionResults: z.array(z.object({ status: z.string() })) })),
});
const report = existsSync(reportFile) ? reportSchema.safeParse(JSON.parse(readFileSync(reportFile, 'utf8'))) : null;
rmSync(reportDir, { recursive: true, force: true });

let skipped = 0;
if (report?.success) {
  passed += report.data.numPassedTests;
  // A file that fails to load has no failed test in it, so count it on its own. Counting failed
  // suites instead would count every describe block around one failed test as another failure.
  const brokenFiles = report.data.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'));
  failed += report.data.numFailedTests + brokenFiles.length;
  skipped = report.data.numPendingTests + report.data.numTodoTests;
} else {
  console.log(`✗ vitest wrote no readable report (exit ${vitest.status ?? vitest.signal})`);
  failed += 1;
}
if (vitest.status !== 0 && failed === 0) failed += 1;

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
