import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { createLogger } from '../logger.ts';
import type { SqlConnection } from '../store/sql.ts';
import type { ServerStore } from '../store/types.ts';
import { ChannelDispatcher } from './dispatcher.ts';
import { startLocalGateway, startLocalSmtp, type LocalGateway, type LocalSmtp } from './test-servers.ts';
import { DEBTOR_ID, activity, seedChannelDebtor, testConfig } from './test-setup.ts';

const logger = createLogger({ level: 'silent' });

interface GateCase {
  name: string;
  timeline: TimelineActivity[];
  /** Bogotá instant of the pass. */
  at: string;
  /** Extra facts written before the pass. */
  setUp?: (sql: SqlConnection, personId: string) => Promise<unknown>;
  config?: Record<string, unknown>;
  status: 'sent' | 'pending' | 'blocked' | 'ready';
  rules: string[];
  /** Bogotá instant of the next attempt, for a rescheduled send. */
  nextAttemptAt?: string;
  /** Whether the send joins the contact ledger. */
  inLedger?: boolean;
}

const agentCall = (at: string) => async (sql: SqlConnection, personId: string) =>
  sql.run(`INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, agent_id, event_id) VALUES ('call-1', ?, ?, 'voice', 'two-way', ?, 'u-1', NULL)`, [
    DEBTOR_ID,
    personId,
    new Date(at).toISOString(),
  ]);

const CASES: GateCase[] = [
  { name: 'SMS inside the hours', timeline: [activity('sms', 'sms', 2)], at: '2026-12-09T10:00:00-05:00', status: 'sent', rules: [], inLedger: true },
  {
    name: 'SMS after 19:00 moves to 07:00 next day (R1)',
    timeline: [activity('sms', 'sms', 2)],
    at: '2026-12-09T19:30:00-05:00',
    status: 'pending',
    rules: ['R1'],
    nextAttemptAt: '2026-12-10T07:00:00-05:00',
  },
  {
    name: 'SMS on a Sunday moves to Monday (R3)',
    timeline: [activity('sms', 'sms', 6)],
    at: '2026-12-13T10:00:00-05:00',
    status: 'pending',
    rules: ['R3'],
    nextAttemptAt: '2026-12-14T07:00:00-05:00',
  },
  {
    name: 'e-mail on a holiday moves to the next day (R4)',
    timeline: [activity('correo', 'email', 1)],
    at: '2026-12-08T10:00:00-05:00',
    status: 'pending',
    rules: ['R4'],
    nextAttemptAt: '2026-12-09T07:00:00-05:00',
  },
  {
    name: 'WhatsApp after an agent call today (R5, R6)',
    timeline: [activity('whatsapp', 'whatsapp', 2)],
    at: '2026-12-09T10:00:00-05:00',
    setUp: agentCall('2026-12-09T08:15:00-05:00'),
    status: 'pending',
    rules: ['R5', 'R6'],
    nextAttemptAt: '2026-12-16T08:15:00-05:00',
  },
  {
    name: 'WhatsApp with a revoked authorisation (R7)',
    timeline: [activity('whatsapp', 'whatsapp', 2)],
    at: '2026-12-09T10:00:00-05:00',
    setUp: (sql, personId) => sql.run(`UPDATE contact_points SET auth_revoked_at = '2026-12-02T15:00:00.000Z' WHERE person_id = ? AND channel = 'whatsapp'`, [personId]),
    status: 'blocked',
    rules: ['R7'],
  },
  {
    name: 'SMS to a debtor in Madrid after 19:00 there',
    timeline: [activity('sms', 'sms', 2)],
    at: '2026-12-09T14:00:00-05:00',
    setUp: (sql, personId) => sql.run(`UPDATE persons SET time_zone = 'Europe/Madrid' WHERE id = ?`, [personId]),
    status: 'pending',
    rules: ['R1'],
    nextAttemptAt: '2026-12-10T07:00:00-05:00',
  },
  {
    name: 'exempt template with collection content (R10)',
    timeline: [activity('sms', 'sms', 2)],
    at: '2026-12-09T10:00:00-05:00',
    config: { templates: { sms: { body: 'Su saldo en mora es {mora}.', exemptReason: 'requested-information' } } },
    status: 'blocked',
    rules: ['R10'],
  },
  {
    name: 'exempt template without collection content stays out of the ledger',
    timeline: [activity('sms', 'sms', 2)],
    at: '2026-12-09T20:00:00-05:00',
    config: { templates: { sms: { body: 'Hola {nombre}, su clave de acceso fue cambiada el {fecha}.', exemptReason: 'fraud-alert' } } },
    status: 'sent',
    rules: [],
    inLedger: false,
  },
  {
    name: 'visit without the creditor permission (R13)',
    timeline: [activity('visita', 'visit', 2)],
    at: '2026-12-09T10:00:00-05:00',
    status: 'blocked',
    rules: ['R13'],
  },
  {
    name: 'visit of a microcredit with permission',
    timeline: [activity('visita', 'visit', 2)],
    at: '2026-12-09T10:00:00-05:00',
    setUp: (sql) => sql.run(`UPDATE obligations SET visit_credit_type = 'microcredit', visit_allowed = 1 WHERE debtor_id = ?`, [DEBTOR_ID]),
    status: 'ready',
    rules: [],
    inLedger: true,
  },
  { name: 'letter with a postal address', timeline: [activity('carta', 'letter', 2)], at: '2026-12-09T10:00:00-05:00', status: 'ready', rules: [], inLedger: true },
  {
    name: 'exempt letter stays out of the ledger',
    timeline: [activity('carta', 'letter', 2)],
    at: '2026-12-09T10:00:00-05:00',
    config: { templates: { letter: { body: 'Hola {nombre}, le confirmamos el cambio de su dirección el {fecha}.', exemptReason: 'transaction-confirmation' } } },
    status: 'ready',
    rules: [],
    inLedger: false,
  },
  {
    name: 'SMS on the day of a letter cleared before the ledger had letters (R5, R6)',
    timeline: [activity('sms', 'sms', 2)],
    at: '2026-12-09T10:00:00-05:00',
    setUp: (sql, personId) =>
      sql.run(
        `INSERT INTO channel_sends (id, debtor_id, person_id, activity_id, occurrence_date, channel, status, next_attempt_at, attempts, created_at, updated_at)
         VALUES ('carta-antigua', ?, ?, 'carta', '2026-12-09', 'letter', 'ready', ?, 0, ?, ?)`,
        [DEBTOR_ID, personId, ...Array<string>(3).fill(new Date('2026-12-09T08:00:00-05:00').toISOString())],
      ),
    status: 'pending',
    rules: ['R5', 'R6'],
    nextAttemptAt: '2026-12-16T08:00:00-05:00',
  },
  {
    name: 'letter without a postal address (R7)',
    timeline: [activity('carta', 'letter', 2)],
    at: '2026-12-09T10:00:00-05:00',
    setUp: (sql, personId) => sql.run('UPDATE persons SET postal_address = NULL WHERE id = ?', [personId]),
    status: 'blocked',
    rules: ['R7'],
  },
];

describe.each(BACKEND_NAMES)('channel gate cases on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let gateway: LocalGateway;
  let smtp: LocalSmtp;
  let store: ServerStore | null = null;

  beforeEach(async () => {
    gateway = await startLocalGateway();
    smtp = await startLocalSmtp();
  });
  afterEach(async () => {
    await store?.close();
    store = null;
    await gateway.close();
    await smtp.close();
  });

  it.each(CASES)('$name', async (gateCase) => {
    store = await backend.openStore(await backend.createDatabase());
    const personId = await seedChannelDebtor(store, { timeline: gateCase.timeline });
    if (gateCase.setUp) await store.writeBoardView((sql) => gateCase.setUp!(sql, personId));
    const dispatcher = new ChannelDispatcher({ store, config: testConfig(gateway.url, smtp.port, gateCase.config), logger, sleep: () => Promise.resolve() });

    await dispatcher.runPass(new Date(gateCase.at));

    const row = await store.readBoardView((sql) =>
      sql.get<{ status: string; rules: string | null; next_attempt_at: string; rule_pack_version: string | null }>(`SELECT * FROM channel_sends WHERE id <> 'carta-antigua'`),
    );
    expect(row?.status).toBe(gateCase.status);
    expect(JSON.parse(row?.rules ?? '[]')).toEqual(gateCase.rules);
    expect(row?.rule_pack_version).toBeTruthy();
    if (gateCase.nextAttemptAt !== undefined) expect(row?.next_attempt_at).toBe(new Date(gateCase.nextAttemptAt).toISOString());
    if (gateCase.inLedger !== undefined) {
      const sent = (await store.findLedger(DEBTOR_ID)).filter((entry) => entry.id.startsWith('channel-send:'));
      expect(sent).toHaveLength(gateCase.inLedger ? 1 : 0);
      if (gateCase.inLedger) expect(sent[0]).toMatchObject({ channel: gateCase.timeline[0]!.channel, kind: 'attempt', at: toBogotaIso(new Date(gateCase.at)) });
    }
    const log = await store.readBoardView((sql) => sql.all<{ outcome: string }>('SELECT outcome FROM channel_send_log'));
    expect(log.length).toBeGreaterThan(0);
  });
});
