/**
 * The agent's worklist over a local store of 20,000 leased debtors, printed as JSON lines:
 *
 *   {"bench":"worklist.first-page","value":N,"unit":"ms"}            no filter, follow-ups and tasks first
 *   {"bench":"worklist.segment","value":N,"unit":"ms"}               one segment
 *   {"bench":"worklist.legal-status","value":N,"unit":"ms"}          contactable only, cache warm
 *   {"bench":"worklist.search","value":N,"unit":"ms"}                a name search
 *   {"bench":"worklist.filters","value":N,"unit":"ms"}               segment, legal status and search together
 *   {"bench":"worklist.cold-plans","value":N,"unit":"ms"}            first page right after a new strategy set
 *   {"bench":"worklist.cold-legal-status","value":N,"unit":"ms"}     first legal-status filter on an empty cache
 *   {"bench":"worklist.quarter-hour-legal-status","value":N,"unit":"ms"}  first legal-status filter after the quarter hour
 *
 * Each figure is the median of `--runs` calls of `worklist:list` (page of 50) through the workstation's
 * dispatch, argument parsing included, except the cold and quarter-hour figures, which are one call
 * each. The target for the warm figures is under 20 ms; the cold ones happen once a day or after a
 * change. The quarter-hour figure happens every 15 minutes while an agent filters by legal status,
 * because every "contactable" entry of the cache expires then and is computed again.
 *
 *   npx tsx scripts/bench-worklist.ts [--debtors N] [--runs N]
 *
 * The workstation logs at level `warn` unless `GESTIONA_LOG_LEVEL` sets another level, so that stdout
 * carries only the figures.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { FeedEntry, PromiseSnapshot } from '@gestiona/core/sync';
import { SettableClock } from '../main/clock.ts';
import { applyFeedBatch } from '../main/store/feed.ts';
import { makeDebtor, seedEntries } from '../main/test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, withStore, TEST_AGENT } from '../main/test-support/workstation.ts';

process.env.GESTIONA_LOG_LEVEL ??= 'warn';

const { values } = parseArgs({ options: { debtors: { type: 'string', default: '20000' }, runs: { type: 'string', default: '21' } } });
const debtorCount = Number(values.debtors);
const runs = Number(values.runs);
if (!Number.isInteger(debtorCount) || debtorCount < 1 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench-worklist: --debtors and --runs must be positive whole numbers, got "${values.debtors}" and "${values.runs}"\n`);
  process.exit(2);
}

/** Wednesday 9 December 2026, 10:00 in Bogotá: inside the weekday window, so statuses vary by contact history. */
const NOW = '2026-12-09T10:00:00-05:00';
const strategy = JSON.parse(readFileSync(new URL('../resources/strategy.json', import.meta.url), 'utf8')) as StrategySet;
const SURNAMES = ['Peña', 'Ramírez', 'Gómez', 'Núñez', 'Rodríguez', 'Martínez', 'Castaño', 'Londoño', 'Restrepo', 'Valencia'];

/** Debtors spread over the default strategy's segments, assigned on the last 10 days, some due today for a call. */
function debtor(index: number): DebtorSnapshot {
  const segment = strategy.segments[index % strategy.segments.length]!;
  const daysAgo = index % 10;
  const base = makeDebtor(`d${index}`, {
    fullName: `Deudor ${index} ${SURNAMES[index % SURNAMES.length]}`,
    docNumber: String(10_000_000 + index),
    segment: segment.id,
    segmentName: segment.name,
    strategyVersion: strategy.version,
    assignedAt: new Date(Date.parse(NOW) - daysAgo * 86_400_000).toISOString(),
    priority: (index * 7919) % 10_000,
  });
  // A quarter of the debtors have no authorised phone, so that the legal statuses are mixed.
  if (index % 4 === 3) base.contactPoints = base.contactPoints.map((point) => ({ ...point, authorization: null }));
  return base;
}

/**
 * One debtor in 100 has a promise from the server: half of them due today, which the page lists
 * first, and half broken on an earlier day, which are tagged where they stand.
 */
function promiseOf(index: number): PromiseSnapshot {
  const broken = index % 200 === 0;
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    debtorId: `d${index}`,
    kind: 'promise',
    code: 'PP',
    agentId: 'u-bench',
    obligationIds: [`d${index}-o1`],
    amountCents: 50_000_000,
    paidCents: 0,
    excessCents: 0,
    madeAt: '2026-12-01T15:00:00.000Z',
    status: broken ? 'broken' : 'pending',
    statusChangedAt: '2026-12-01T15:00:05.000Z',
    statusReason: 'Promesa de pago (PP) registrada.',
    instalments: [{ number: 1, dueOn: broken ? '2026-12-07' : '2026-12-09', amountCents: 50_000_000, paidCents: 0, status: broken ? 'broken' : 'pending' }],
  };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function emit(bench: string, value: number): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 100) / 100, unit: 'ms' })}\n`);
}

const dir = makeTempDir('gestiona-bench-worklist-');
try {
  withStore(dir, (store) => {
    store.meta.setAgent(TEST_AGENT);
    const debtors = Array.from({ length: debtorCount }, (_unused, index) => debtor(index));
    const entries: FeedEntry[] = [...seedEntries(debtors), { seq: debtorCount + 3, type: 'strategy.set', payload: strategy }];
    for (let index = 0; index < debtorCount; index += 100) {
      entries.push({ seq: entries.length + 1, type: 'promise.upsert', payload: promiseOf(index) });
    }
    applyFeedBatch(store, entries, entries.length);
  });

  const clock = new SettableClock(NOW);
  const ws = await openWorkstation(dir, { clock });
  const list = async (args: Record<string, unknown>): Promise<number> => {
    const started = performance.now();
    const result = await ws.call('worklist:list', { offset: 0, limit: 50, ...args });
    const elapsed = performance.now() - started;
    if (!result.ok) throw new Error(`worklist:list ${JSON.stringify(args)} failed: ${result.error.message}`);
    return elapsed;
  };
  const measure = async (args: Record<string, unknown>): Promise<number> => {
    const samples: number[] = [];
    for (let run = 0; run < runs; run += 1) samples.push(await list(args));
    return median(samples);
  };

  emit('worklist.cold-plans', await list({}));
  emit('worklist.cold-legal-status', await list({ legalStatus: 'contactable' }));
  emit('worklist.first-page', await measure({}));
  emit('worklist.segment', await measure({ segment: strategy.segments[1]!.id }));
  emit('worklist.legal-status', await measure({ legalStatus: 'contactable' }));
  emit('worklist.search', await measure({ search: 'ramirez' }));
  emit('worklist.filters', await measure({ segment: strategy.segments[2]!.id, legalStatus: 'contactable', search: 'gomez' }));
  clock.set(new Date(Date.parse(NOW) + 15 * 60_000).toISOString());
  emit('worklist.quarter-hour-legal-status', await list({ legalStatus: 'contactable' }));
  await ws.workstation.close();
} finally {
  removeDir(dir);
}
