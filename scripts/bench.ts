/**
 * `npm run bench`: runs every `scripts/bench-*.ts` one after another (so they do not compete for the
 * two cores of a CI machine) and passes their JSON lines `{"bench", "value", "unit"}` through.
 * Targets are read by people from these figures; no test times anything.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptsDir = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(scriptsDir).filter((name) => /^bench-.+\.ts$/.test(name)).sort();
let failures = 0;

for (const bench of benches) {
  console.error(`▶ ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(scriptsDir, bench)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failures += 1;
    console.error(`✗ ${bench} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failures === 0 ? 0 : 1);
