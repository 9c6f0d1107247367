/**
 * Segmentation and prioritisation of a large portfolio on the server, printed as JSON lines:
 *
 *   {"bench":"strategy.evaluate","value":N,"unit":"ms"}        pure: variables, segment, treatment, priority of every debtor
 *   {"bench":"strategy.preview","value":N,"unit":"ms"}         read every debtor from SQLite and count the moves
 *   {"bench":"strategy.publish","value":N,"unit":"ms"}         publish a new set: validate, re-segment and store every debtor in one transaction
 *   {"bench":"strategy.debtors-per-second","value":N,"unit":"debtors/s"}   of the publication
 *
 * The portfolio is 200,000 debtors with 500,000 obligations (`--debtors`, `--obligations`) in a
 * SQLite file written directly, with a score on half the debtors. The target for the publication
 * is under 10 s.
 *
 * NOTE: on a 2-core machine at a load average of about 10, 200,000 debtors gave evaluate 1.8 s,
 * preview 15.2 s and publish 14.5 s. A profile at 100,000 debtors put most of the store's time in
 * SQLite reads and writes and in garbage collection, not in the evaluation.
 *
 *   npx tsx scripts/bench-strategy.ts [--debtors N] [--obligations N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PRODUCTS } from '../core/src/domain.ts';
import { compileStrategySet, evaluateDebtor, type DebtorFacts } from '../core/src/strategy/evaluate.ts';
import { parseStrategySet, type StrategySet } from '../core/src/strategy/schema.ts';
import { segmentDebtor } from '../core/src/segmentation.ts';
import { createLogger } from '../server/src/logger.ts';
import { openDatabase } from '../server/src/store/database.ts';
import { openStore } from '../server/src/store/open-store.ts';
import { loadResources } from '../server/src/content/load-resources.ts';
import { DEFAULT_RESOURCES_DIR } from '../server/src/paths.ts';
import { SCRIPT_CONTENT_PREFIX } from '../server/src/scripts/script-operation.ts';

const { values } = parseArgs({ options: { debtors: { type: 'string', default: '200000' }, obligations: { type: 'string', default: '500000' } } });
const debtorCount = Number(values.debtors);
const obligationCount = Number(values.obligations);
if (!Number.isInteger(debtorCount) || debtorCount < 1 || !Number.isInteger(obligationCount) || obligationCount < debtorCount) {
  process.stderr.write(`bench-strategy: --debtors and --obligations must be whole numbers with obligations ≥ debtors, got "${values.debtors}" and "${values.obligations}"\n`);
  process.exit(2);
}

const NOW = new Date('2026-12-09T10:00:00-05:00');
const AT = NOW.toISOString();
const CITIES = ['Bogotá', 'Medellín', 'Cali', 'Barranquilla', 'Bucaramanga', 'Pasto'];
const factory = parseStrategySet(JSON.parse(readFileSync(new URL('../resources/strategy.json', import.meta.url), 'utf8')));

/** Builds the factory set with Temprana split by score and a champion/challenger on Media, so that most debtors change. */
function benchSet(): StrategySet {
  const set = structuredClone(factory);
  set.version = 'bench.2';
  const temprana = set.segments.findIndex((segment) => segment.id === 'temprana');
  set.segments.splice(temprana, 0, {
    id: 'temprana-bajo-puntaje',
    name: 'Temprana, puntaje bajo',
    rule: { all: [{ variable: 'dpdBucket', op: 'eq', value: '1-30' }, { variable: 'score', op: 'lt', value: 500 }, { variable: 'writtenOff', op: 'eq', value: false }] },
    strategy: { priority: '5000 + daysPastDue * 10 + min(999, totalBalanceCop / 10000)', scriptId: 'guion-temprana', timeline: [] },
  });
  for (const segment of set.segments) segment.strategy.priority = `(${segment.strategy.priority}) + (if exists(score) then score / 1000 else 0)`;
  set.segments.find((segment) => segment.id === 'media')!.strategy.treatments = [
    { id: 'campeon', name: 'Campeón', role: 'champion', percent: 80 },
    { id: 'retador', name: 'Retador', role: 'challenger', percent: 20, scriptId: 'guion-tardia' },
  ];
  return parseStrategySet(set);
}

function emit(bench: string, value: number, unit = 'ms'): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 100) / 100, unit })}\n`);
}

/** Obligations of debtor i: 1 to 4, so the total is about `obligationCount`. */
function obligationsOf(index: number): { product: (typeof PRODUCTS)[number]; balanceCents: number; overdueCents: number; daysPastDue: number; writtenOff: boolean }[] {
  const extra = Math.floor((obligationCount - debtorCount) / debtorCount);
  const count = 1 + extra + (index % debtorCount < (obligationCount - debtorCount) % debtorCount ? 1 : 0);
  return Array.from({ length: count }, (_unused, k) => {
    const seed = (index * 7919 + k * 104_729) % 1_000_003;
    return {
      product: PRODUCTS[seed % PRODUCTS.length]!,
      balanceCents: (seed % 50_000) * 100_000,
      overdueCents: (seed % 5_000) * 10_000,
      // The worst obligation sets the band, spread evenly from -20 to 279 days past due.
      daysPastDue: ((index * 13) % 300) - 20 - k * 15,
      writtenOff: seed % 97 === 0,
    };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'gestiona-bench-strategy-'));
try {
  const dbPath = join(dir, 'server.sqlite');
  let facts: DebtorFacts[] = [];
  {
    const { db } = openDatabase(dbPath);
    const insertDebtor = db.prepare(
      `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due,
                            created_at, updated_at, segment_id, segment_name, segment_assigned_at, score)
       VALUES (?, 'CC', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertObligation = db.prepare(
      `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
       VALUES (?, ?, 'Banco', ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    db.transaction(() => {
      for (let index = 0; index < debtorCount; index += 1) {
        const id = `CC-${10_000_000 + index}`;
        const obligations = obligationsOf(index);
        const band = segmentDebtor(obligations);
        const score = index % 2 === 0 ? 150 + ((index * 31) % 800) : null;
        const city = CITIES[index % CITIES.length]!;
        insertDebtor.run(id, String(10_000_000 + index), `Deudor ${index}`, city, band.segment, band.priority, band.scriptId, band.totalBalanceCents, band.maxDaysPastDue, AT, AT, band.segment, band.segment, AT, score);
        obligations.forEach((obligation, k) => {
          insertObligation.run(`${id}-${k}`, id, `${id}-${k}`, obligation.product, obligation.balanceCents, obligation.overdueCents, obligation.daysPastDue, obligation.writtenOff ? 1 : 0, AT);
        });
        facts.push({ id, city, score, obligations, promiseStatus: 'none', disputeOpen: false, deceased: false, lastPaymentOn: null, paymentsLast90Days: 0 });
      }
    })();
    db.close();
  }

  const set = benchSet();
  let started = performance.now();
  const compiled = compileStrategySet(set);
  let checksum = 0;
  const bySegment = new Map<string, number>();
  for (const debtor of facts) {
    const assignment = evaluateDebtor(compiled, debtor, '2026-12-09');
    checksum += assignment.priority;
    bySegment.set(assignment.segmentId, (bySegment.get(assignment.segmentId) ?? 0) + 1);
  }
  emit('strategy.evaluate', performance.now() - started);
  if (!Number.isFinite(checksum)) throw new Error('bench-strategy: a priority was not a number');
  // The in-memory copy is not needed any more; dropping it keeps the store's figures free of its garbage collection.
  facts = [];

  const store = await openStore({ dbPath, logger: createLogger({ level: 'silent' }) });
  try {
    const admin = await store.createUser({ username: 'admin', fullName: 'Admin', role: 'admin', password: 'clave-segura-1' }, NOW);
    // A set may only name published scripts; the factory scripts are what a server holds after its first start.
    const scripts = (await loadResources(DEFAULT_RESOURCES_DIR)).filter((item) => item.key.startsWith(SCRIPT_CONTENT_PREFIX));
    await store.publishContent(scripts, NOW);
    started = performance.now();
    const preview = await store.previewStrategy(set, NOW);
    emit('strategy.preview', performance.now() - started);

    started = performance.now();
    const publication = await store.publishStrategy({ strategy: set, publishedBy: admin.id, now: NOW });
    const elapsed = performance.now() - started;
    emit('strategy.publish', elapsed);
    emit('strategy.debtors-per-second', (debtorCount / elapsed) * 1000, 'debtors/s');
    if (publication.preview?.debtors !== debtorCount || publication.preview.moved !== preview.moved) {
      throw new Error(`bench-strategy: the publication re-segmented ${publication.preview?.debtors} debtors (${publication.preview?.moved} moved), the preview ${preview.moved}`);
    }
    process.stderr.write(
      `bench-strategy: ${debtorCount} debtors, ${obligationCount} obligations; ${preview.moved} moved, ${preview.changed} changed; ${JSON.stringify(Object.fromEntries(bySegment))}\n`,
    );
  } finally {
    await store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
