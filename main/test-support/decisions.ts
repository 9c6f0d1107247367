/** Gate decision records for store tests, numbered so that each one is distinct. */
import { toBogotaIso } from '@gestiona/core/format';
import type { DecisionRecord } from '../store/decisions.ts';

/** Returns a UUID whose last digits are `n`, stable across runs. */
export function numberedUuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Builds the `n`-th decision of a test: even numbers allowed, odd numbers blocked by R5. */
export function makeDecisionRecord(n: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const at = toBogotaIso(Date.UTC(2026, 2, 3, 15, 0, n));
  const allowed = n % 2 === 0;
  return {
    id: numberedUuid(n),
    requestId: numberedUuid(1_000_000 + n),
    debtorId: `d${n % 3}`,
    personId: `d${n % 3}-p1`,
    contactPointId: `d${n % 3}-c1`,
    channel: 'voice',
    request: { at, channel: 'voice', party: 'debtor', authorized: true, history: [] },
    decision: {
      allowed,
      rules: allowed ? [] : ['R5'],
      reasons: allowed ? [] : [{ rule: 'R5', message: 'Ya hubo un contacto hoy con esta persona (R5).' }],
      warnings: [],
      nextAllowedAt: allowed ? at : null,
      rulePackVersion: '2026.1',
      evaluatedAt: at,
    },
    historySize: 0,
    trustedAt: at,
    localAt: at,
    clockOffsetMs: 0,
    clockSyncedAt: null,
    workstationRule: null,
    ...overrides,
  };
}
