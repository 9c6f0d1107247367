import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bogotaDate } from '@gestiona/core/format';
import { useTestBackend } from '../fixtures/backends.ts';
import { createLogger } from '../logger.ts';
import { ChannelDispatcher } from './dispatcher.ts';
import { startLocalGateway, startLocalSmtp, type LocalGateway, type LocalSmtp } from './test-servers.ts';
import { DEBTOR_ID, activity, seedChannelDebtor, testConfig } from './test-setup.ts';

const logger = createLogger({ level: 'silent' });
const WEEK_MS = 7 * 86_400_000;
/** Pass times of each day, Bogotá clock: morning, noon, evening (inside and outside the hours). */
const PASS_HOURS = ['07:30', '12:00', '18:45', '21:00'];

const activityArbitrary = fc.record({
  channel: fc.constantFrom('sms' as const, 'email' as const, 'whatsapp' as const, 'letter' as const, 'visit' as const),
  dayOffset: fc.integer({ min: 0, max: 8 }),
  repeat: fc.option(fc.record({ everyDays: fc.integer({ min: 1, max: 4 }), times: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
});

describe('channel sends over ten days', () => {
  const backend = useTestBackend('sqlite');
  let gateway: LocalGateway;
  let smtp: LocalSmtp;

  beforeAll(async () => {
    gateway = await startLocalGateway();
    smtp = await startLocalSmtp();
  });
  afterAll(async () => {
    await gateway.close();
    await smtp.close();
  });

  it('never sends twice a day or across a channel lock', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(activityArbitrary, { minLength: 1, maxLength: 5 }),
        fc.option(fc.integer({ min: 0, max: 9 * 24 }), { nil: null }),
        async (activities, callHour) => {
          const store = await backend.openStore(await backend.createDatabase());
          try {
            const timeline = activities.map((entry, index) => activity(`a${index}-${entry.channel}`, entry.channel, entry.dayOffset, { repeat: entry.repeat ?? null }));
            const personId = await seedChannelDebtor(store, { timeline });
            await store.writeBoardView((sql) => sql.run(`UPDATE obligations SET visit_credit_type = 'microcredit', visit_allowed = 1 WHERE debtor_id = ?`, [DEBTOR_ID]));
            // An agent's call on some day, recorded when it happens, which later sends must respect.
            let callAt = callHour === null ? null : new Date(Date.parse('2026-12-07T07:00:00-05:00') + callHour * 3_600_000);
            const dispatcher = new ChannelDispatcher({ store, config: testConfig(gateway.url, smtp.port), logger, sleep: () => Promise.resolve() });
            for (let day = 7; day <= 16; day += 1) {
              for (const hour of PASS_HOURS) {
                const passAt = new Date(`2026-12-${String(day).padStart(2, '0')}T${hour}:00-05:00`);
                if (callAt !== null && callAt <= passAt) {
                  const at = callAt.toISOString();
                  await store.writeBoardView((sql) =>
                    sql.run(`INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, agent_id, event_id) VALUES ('call', ?, ?, 'voice', 'attempt', ?, 'u-1', NULL)`, [DEBTOR_ID, personId, at]),
                  );
                  callAt = null;
                }
                await dispatcher.runPass(passAt);
              }
            }

            const ledger = await store.findLedger(DEBTOR_ID);
            const sends = ledger.filter((entry) => entry.id.startsWith('channel-send:'));
            for (const send of sends) {
              for (const other of ledger) {
                // A call placed after a send is the desk's to check, because the feed gives its gate the send.
                if (other.id === send.id || Date.parse(other.at) > Date.parse(send.at)) continue;
                expect(bogotaDate(other.at), `${send.id} and ${other.id} on one day`).not.toBe(bogotaDate(send.at));
                if (Math.abs(Date.parse(other.at) - Date.parse(send.at)) < WEEK_MS) expect(other.channel, `${send.id} inside the lock of ${other.id}`).toBe(send.channel);
              }
            }
            const rows = await store.readBoardView((sql) => sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM channel_sends GROUP BY debtor_id, activity_id, occurrence_date HAVING COUNT(*) > 1'));
            expect(rows).toEqual([]);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);
});
