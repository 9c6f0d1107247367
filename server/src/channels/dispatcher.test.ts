import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { createLogger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { ChannelDispatcher } from './dispatcher.ts';
import { SEND_LEDGER_PREFIX, listSends } from './send-table.ts';
import { startLocalGateway, startLocalSmtp, type LocalGateway, type LocalSmtp } from './test-servers.ts';
import { DEBTOR_ID, WEDNESDAY_10, activity, seedChannelDebtor, testConfig } from './test-setup.ts';
import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import { feedEntrySchema } from '@gestiona/core/sync';

const logger = createLogger({ level: 'silent' });
const noWait = () => Promise.resolve();

describe.each(BACKEND_NAMES)('channel dispatcher on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let gateway: LocalGateway;
  let smtp: LocalSmtp;
  const stores: ServerStore[] = [];

  beforeEach(async () => {
    gateway = await startLocalGateway();
    smtp = await startLocalSmtp();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await gateway.close();
    await smtp.close();
  });

  async function setUp(timeline: readonly TimelineActivity[], configExtra: Record<string, unknown> = {}) {
    const location = await backend.createDatabase();
    const store = await backend.openStore(location);
    stores.push(store);
    const personId = await seedChannelDebtor(store, { timeline });
    const config = testConfig(gateway.url, smtp.port, configExtra);
    const dispatcher = new ChannelDispatcher({ store, config, logger, sleep: noWait });
    return { store, personId, dispatcher, location };
  }

  const statuses = async (store: ServerStore) => Object.fromEntries((await store.readBoardView((sql) => listSends(sql))).map((send) => [send.activityId, send]));

  it('sends a due SMS once and reschedules the e-mail of the same day', async () => {
    const { store, dispatcher } = await setUp([activity('a-sms', 'sms', 2), activity('b-correo', 'email', 2)]);

    const first = await dispatcher.runPass(WEDNESDAY_10);
    expect(first).toMatchObject({ planned: 2, sent: 1, rescheduled: 1 });
    expect(gateway.requests).toHaveLength(1);
    expect(gateway.requests[0]!.body).toMatchObject({ channel: 'sms', to: '+573001234567' });
    expect(gateway.requests[0]!.authorization).toBe('Bearer token-sms');
    expect(gateway.requests[0]!.body.text).toMatch(/\$\s234\.567/);
    expect(smtp.mails).toHaveLength(0);

    const sends = await statuses(store);
    expect(sends['a-sms']!.status).toBe('sent');
    expect(sends['b-correo']!.status).toBe('pending');
    // R6: a week on the SMS channel only, so the e-mail waits until the lock ends.
    expect(Date.parse(sends['b-correo']!.nextAttemptAt)).toBeGreaterThanOrEqual(WEDNESDAY_10.getTime() + 7 * 86_400_000);

    const second = await dispatcher.runPass(new Date(WEDNESDAY_10.getTime() + 60_000));
    expect(second).toMatchObject({ planned: 0, sent: 0 });
    expect(gateway.requests).toHaveLength(1);

    const ledger = await store.findLedger(DEBTOR_ID);
    expect(ledger.filter((entry) => entry.id.startsWith(SEND_LEDGER_PREFIX))).toEqual([
      expect.objectContaining({ channel: 'sms', kind: 'attempt', debtorId: DEBTOR_ID }),
    ]);
  });

  it('sends the SMS to the desk that holds the debtor', async () => {
    const { store, dispatcher } = await setUp([activity('sms', 'sms', 2)]);
    const agent = await store.createUser({ username: 'agente1', fullName: 'Agente Uno', role: 'agent', password: 'clave-agente-123' }, WEDNESDAY_10);
    await store.grantLease(DEBTOR_ID, agent.id, new Date(WEDNESDAY_10.getTime() - 3_600_000));
    const before = (await store.pullFeed(agent.id, 0, 1000)).cursor;

    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ sent: 1 });
    const entries = (await store.pullFeed(agent.id, before, 1000)).entries;
    expect(entries).toEqual([
      expect.objectContaining({ type: 'ledger.add', payload: expect.objectContaining({ channel: 'sms', debtorId: DEBTOR_ID, at: '2026-12-09T10:00:00-05:00' }) }),
    ]);
    expect(entries[0]).toMatchObject({ payload: { activity: { activityId: 'sms', occurrenceDate: '2026-12-09' } } });
  });

  it.each([
    ['letter', 'carta'],
    ['visit', 'visita'],
  ] as const)('sends a cleared %s to the desk that holds the debtor', async (channel, activityId) => {
    const { store, dispatcher } = await setUp([activity(activityId, channel, 2)]);
    await store.writeBoardView((sql) => sql.run(`UPDATE obligations SET visit_credit_type = 'microcredit', visit_allowed = 1 WHERE debtor_id = ?`, [DEBTOR_ID]));
    const agent = await store.createUser({ username: 'agente1', fullName: 'Agente Uno', role: 'agent', password: 'clave-agente-123' }, WEDNESDAY_10);
    await store.grantLease(DEBTOR_ID, agent.id, new Date(WEDNESDAY_10.getTime() - 3_600_000));
    const before = (await store.pullFeed(agent.id, 0, 1000)).cursor;

    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ ready: 1 });
    const entries = (await store.pullFeed(agent.id, before, 1000)).entries;
    expect(entries).toHaveLength(1);
    // The desk parses the entry with the shared schema, so a letter must pass it.
    const entry = feedEntrySchema.parse(entries[0]);
    expect(entry).toMatchObject({
      type: 'ledger.add',
      payload: { channel, kind: 'attempt', debtorId: DEBTOR_ID, at: '2026-12-09T10:00:00-05:00', activity: { activityId, occurrenceDate: '2026-12-09' } },
    });
  });

  it('hands a cleared letter over with the debtor to a new lease holder', async () => {
    const { store, dispatcher } = await setUp([activity('carta', 'letter', 2)]);
    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ ready: 1 });

    const agent = await store.createUser({ username: 'agente1', fullName: 'Agente Uno', role: 'agent', password: 'clave-agente-123' }, WEDNESDAY_10);
    await store.grantLease(DEBTOR_ID, agent.id, new Date(WEDNESDAY_10.getTime() + 3_600_000));
    const ledgerAdds = (await store.pullFeed(agent.id, 0, 1000)).entries.map((raw) => feedEntrySchema.parse(raw)).filter((entry) => entry.type === 'ledger.add');
    expect(ledgerAdds).toEqual([expect.objectContaining({ payload: expect.objectContaining({ channel: 'letter', id: expect.stringMatching(/^channel-send:/) }) })]);
  });

  it('drops a rescheduled send that a hold stopped', async () => {
    const { store, dispatcher } = await setUp([activity('sms', 'sms', 2)]);
    expect(await dispatcher.runPass(new Date('2026-12-09T19:30:00-05:00'))).toMatchObject({ rescheduled: 1 });

    const agent = await store.createUser({ username: 'agente1', fullName: 'Agente Uno', role: 'agent', password: 'clave-agente-123' }, WEDNESDAY_10);
    await store.writeBoardView((sql) =>
      sql.run(
        `INSERT INTO collection_holds (debtor_id, kind, code, since, interaction_id, agent_id, recorded_at) VALUES (?, 'stopped', 'FA', '2026-12-09T20:00:00.000Z', 'i-1', ?, '2026-12-09T20:00:00.000Z')`,
        [DEBTOR_ID, agent.id],
      ),
    );
    expect(await dispatcher.runPass(new Date('2026-12-10T08:00:00-05:00'))).toMatchObject({ sent: 0, blocked: 1 });
    expect(gateway.requests).toHaveLength(0);
    expect((await statuses(store))['sms']!.status).toBe('blocked');
  });

  it('sends the e-mail through SMTP with Spanish formats', async () => {
    const { store, dispatcher } = await setUp([activity('correo', 'email', 2)]);
    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ sent: 1 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['maria.pena@ejemplo.com.co']);
    expect(mail.from).toBe('avisos@cobranzas.example');
    const sends = await statuses(store);
    expect(mail.raw).toContain(`Message-ID: <${sends['correo']!.id}@gestiona.invalid>`);
    const unfolded = mail.raw.replace(/=\r?\n/g, '');
    expect(unfolded).toMatch(/09\/12\/2026/);
    expect(sends['correo']!.status).toBe('sent');
  });

  it('retries a failing gateway with backoff and delivers once', async () => {
    const { store, dispatcher } = await setUp([activity('whatsapp', 'whatsapp', 2)]);
    gateway.script = [503, 'hang'];
    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ sent: 1, failed: 0 });
    expect(gateway.requests).toHaveLength(3);
    const keys = new Set(gateway.requests.map((request) => request.key));
    expect(keys.size).toBe(1);
    expect(gateway.delivered.size).toBe(1);
    const sends = await statuses(store);
    expect(sends['whatsapp']).toMatchObject({ status: 'sent', attempts: 3 });

    await dispatcher.runPass(new Date(WEDNESDAY_10.getTime() + 3_600_000));
    expect(gateway.requests).toHaveLength(3);
  });

  it('retries an unreachable gateway in a later pass', async () => {
    const { store, dispatcher } = await setUp([activity('sms', 'sms', 2)]);
    gateway.script = [503, 503, 503, 503, 503, 503];
    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ sent: 0, failed: 0 });
    expect(gateway.requests).toHaveLength(3);
    expect((await statuses(store))['sms']).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: new Date(WEDNESDAY_10.getTime() + 60_000).toISOString() });

    // The single later pass of the test configuration fails as well, so the send is given up.
    expect(await dispatcher.runPass(new Date(WEDNESDAY_10.getTime() + 60_000))).toMatchObject({ failed: 1 });
    expect(gateway.requests).toHaveLength(6);
    expect(gateway.delivered.size).toBe(0);
    expect((await statuses(store))['sms']).toMatchObject({ status: 'failed', attempts: 6 });
  });

  it('marks a send failed after a permanent gateway error', async () => {
    const { store, dispatcher } = await setUp([activity('sms', 'sms', 2)]);
    gateway.script = [400];
    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ sent: 0, failed: 1 });
    expect(gateway.requests).toHaveLength(1);
    const sends = await statuses(store);
    expect(sends['sms']!.status).toBe('failed');
    expect(await store.findLedger(DEBTOR_ID)).toEqual([]);
  });

  it('sends once when two dispatchers race on one database', async () => {
    const { store, dispatcher, location } = await setUp([activity('a-sms', 'sms', 2), activity('b-sms', 'sms', 1), activity('c-whatsapp', 'whatsapp', 2)]);
    // PostgreSQL: a second server node with its own store. SQLite serves one node, so there the
    // rival is a second dispatcher on the same store, whose claims go through the same table.
    const other = backendName === 'postgres' ? await backend.openStore(location) : store;
    if (other !== store) stores.push(other);
    const rival = new ChannelDispatcher({ store: other, config: testConfig(gateway.url, smtp.port), logger, sleep: noWait });

    const [left, right] = await Promise.all([dispatcher.runPass(WEDNESDAY_10), rival.runPass(WEDNESDAY_10)]);
    expect(left.sent + right.sent).toBe(1);
    expect(gateway.requests).toHaveLength(1);
    const sends = Object.values(await statuses(store));
    expect(sends).toHaveLength(3);
    expect(sends.filter((send) => send.status === 'sent')).toHaveLength(1);
  });
});
