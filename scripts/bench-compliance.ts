/**
 * Throughput of the compliance gate on one core, printed as JSON lines:
 *
 *   {"bench":"gate.evaluate","value":N,"unit":"evaluations/s"}
 *   {"bench":"gate.next-slot","value":N,"unit":"evaluations/s"}
 *   {"bench":"gate.abroad","value":N,"unit":"evaluations/s"}
 *
 * Each request carries a 7-day history of 20 contacts, more than any lawful history holds, so that
 * R5/R6 scan a worst case. `gate.evaluate` runs a 2,000-debtor worklist in which half the debtors are
 * contactable. `gate.next-slot` runs only blocked requests whose next legal slot is several boundaries
 * away (R5 today, an R6 lock, a weekend and a holiday). `gate.abroad` runs the `gate.evaluate`
 * worklist for people who live in Madrid, half of them with their own schedule request (R9), which
 * adds the time zone rules and the per-request schedule. There are no thresholds, because the numbers
 * depend on the machine.
 *
 *   npx tsx scripts/bench-compliance.ts [--seconds N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateGate } from '@gestiona/core/compliance/gate';
import { parseRulePack } from '@gestiona/core/compliance/rule-pack';
import type { GateHistoryEntry, GateRequest, RulePack, ScheduleRequest } from '@gestiona/core/compliance/types';
import { CHANNELS } from '@gestiona/core/domain';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WORKLIST_SIZE = 2_000;
const HISTORY_SIZE = 20;

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' } } });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write(`bench-compliance: --seconds must be a positive number of seconds, got "${values.seconds}"\n`);
  process.exit(2);
}

const pack = parseRulePack(JSON.parse(readFileSync(new URL('../resources/rule-pack.json', import.meta.url), 'utf8')));

/** Wednesday 9 December 2026, 10:00 in Bogotá: inside the weekday window. */
const WORKLIST_AT = Date.parse('2026-12-09T10:00:00-05:00');

/** Saturday 5 December 2026, 14:00 in Bogotá, before a Sunday and the 8 December holiday. */
const BLOCKED_AT = Date.parse('2026-12-05T14:00:00-05:00');

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** 20 contacts spread over the 7 days before `atMs`, none of them today, all on `channel`. */
function pastWeek(atMs: number, channel: GateRequest['channel'], seed: number): GateHistoryEntry[] {
  return Array.from({ length: HISTORY_SIZE }, (_, index) => ({
    at: iso(atMs - DAY - ((index * 7 + seed) % 6) * DAY - (index % 5) * HOUR),
    channel,
    kind: index % 3 === 0 ? 'two-way' : 'attempt',
  }));
}

function worklist(): GateRequest[] {
  return Array.from({ length: WORKLIST_SIZE }, (_, index) => {
    const channel = CHANNELS[index % CHANNELS.length]!;
    const history = pastWeek(WORKLIST_AT, channel, index);
    // Every other debtor had one of those contacts on another channel, which R6 blocks.
    if (index % 2 === 1) history[HISTORY_SIZE - 1] = { ...history[HISTORY_SIZE - 1]!, channel: CHANNELS[(index + 1) % CHANNELS.length]! };
    return { at: iso(WORKLIST_AT + (index % 60) * 60_000), channel, party: 'debtor', authorized: true, history };
  });
}

const EVENINGS_REQUEST: ScheduleRequest = {
  window: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '21:00' }],
  requestedOn: '2026-02-01',
  contractSignedOn: '2025-06-01',
  evidence: 'SOL-BENCH',
  consumerInitiated: true,
};

function abroadWorklist(): GateRequest[] {
  return worklist().map((request, index) => ({
    ...request,
    personTimeZone: 'Europe/Madrid',
    ...(index % 2 === 0 ? { scheduleRequest: EVENINGS_REQUEST } : {}),
  }));
}

function blockedRequests(): GateRequest[] {
  return Array.from({ length: WORKLIST_SIZE }, (_, index) => {
    const channel = CHANNELS[index % CHANNELS.length]!;
    const history = pastWeek(BLOCKED_AT, channel, index);
    history[0] = { at: iso(BLOCKED_AT - HOUR), channel, kind: 'attempt' };
    history[1] = { at: iso(BLOCKED_AT - 2 * DAY), channel: CHANNELS[(index + 2) % CHANNELS.length]!, kind: 'two-way' };
    return { at: iso(BLOCKED_AT + (index % 30) * 60_000), channel, party: 'debtor', authorized: true, history };
  });
}

/** Evaluates the requests round-robin for about `durationMs` and returns evaluations per second. */
function measure(requests: readonly GateRequest[], rulePack: RulePack, durationMs: number): number {
  let evaluations = 0;
  let sink = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (const request of requests) {
      if (evaluateGate(request, rulePack).allowed) sink += 1;
    }
    evaluations += requests.length;
    elapsed = performance.now() - started;
  }
  // Reading `sink` keeps the engine from discarding the evaluations as dead code.
  if (sink < 0) process.stderr.write('unreachable\n');
  return Math.round((evaluations / elapsed) * 1000);
}

const benches: [string, GateRequest[]][] = [
  ['gate.evaluate', worklist()],
  ['gate.next-slot', blockedRequests()],
  ['gate.abroad', abroadWorklist()],
];

for (const [name, requests] of benches) {
  measure(requests, pack, 300);
  const value = measure(requests, pack, seconds * 1000);
  process.stdout.write(`${JSON.stringify({ bench: name, value, unit: 'evaluations/s' })}\n`);
}
