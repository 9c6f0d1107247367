/**
 * The desk's gate and the server's dispatcher must read the same contacts. After each dispatcher pass
 * the desk applies the lease holder's feed. A call checked at the desk then gets the decision that the
 * server's gate reaches on its own ledger, letters and visits included.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateGate } from '@gestiona/core/compliance/gate';
import { toBogotaIso } from '@gestiona/core/format';
import { ChannelDispatcher } from '../../server/src/channels/dispatcher.ts';
import { gateHistory } from '../../server/src/channels/gate-check.ts';
import { startLocalGateway, startLocalSmtp, type LocalGateway, type LocalSmtp } from '../../server/src/channels/test-servers.ts';
import { DEBTOR_ID, activity, seedChannelDebtor, testConfig } from '../../server/src/channels/test-setup.ts';
import { useTestBackend } from '../../server/src/fixtures/backends.ts';
import { createLogger as createServerLogger } from '../../server/src/logger.ts';
import type { ServerStore } from '../../server/src/store/types.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { gateRequestFor } from './gate-check.ts';

const serverLogger = createServerLogger({ level: 'silent' });
const silent = createLogger({ level: 'silent' });
/** Pass times of each day, Bogotá clock: inside the hours and after they close. */
const PASS_HOURS = ['07:30', '12:00', '18:45', '21:00'];

const activityArbitrary = fc.record({
  channel: fc.constantFrom('sms' as const, 'email' as const, 'whatsapp' as const, 'letter' as const, 'visit' as const),
  dayOffset: fc.integer({ min: 0, max: 8 }),
  repeat: fc.option(fc.record({ everyDays: fc.integer({ min: 1, max: 4 }), times: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
});

/** Applies every feed entry of the agent after `cursor` to the desk; returns the new cursor. */
async function syncDesk(server: ServerStore, desk: LocalStore, agentId: string, cursor: number): Promise<number> {
  let after = cursor;
  for (;;) {
    const page = await server.pullFeed(agentId, after, 500);
    if (page.entries.length > 0) applyFeedBatch(desk, page.entries, page.cursor);
    after = page.cursor;
    if (!page.hasMore) return after;
  }
}

describe('desk and server gates on server sends', () => {
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

  it('decide the same on a call after every pass', async () => {
    let fieldContactsCompared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(activityArbitrary, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 120 }), async (activities, callDelayMinutes) => {
        const server = await backend.openStore(await backend.createDatabase(), { leaseDays: 30 });
        const dir = makeTempDir();
        const desk = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
        try {
          const timeline = activities.map((entry, index) => activity(`a${index}-${entry.channel}`, entry.channel, entry.dayOffset, { repeat: entry.repeat ?? null }));
          const personId = await seedChannelDebtor(server, { timeline });
          await server.writeBoardView((sql) => sql.run(`UPDATE obligations SET visit_credit_type = 'microcredit', visit_allowed = 1 WHERE debtor_id = ?`, [DEBTOR_ID]));
          const agent = await server.createUser({ username: 'agente1', fullName: 'Agente Uno', role: 'agent', password: 'clave-agente-123' }, new Date('2026-12-07T06:00:00-05:00'));
          await server.grantLease(DEBTOR_ID, agent.id, new Date('2026-12-07T06:00:00-05:00'));
          const dispatcher = new ChannelDispatcher({ store: server, config: testConfig(gateway.url, smtp.port), logger: serverLogger, sleep: () => Promise.resolve() });

          let cursor = 0;
          for (let day = 7; day <= 16; day += 1) {
            for (const hour of PASS_HOURS) {
              const passAt = new Date(`2026-12-${String(day).padStart(2, '0')}T${hour}:00-05:00`);
              await dispatcher.runPass(passAt);
              cursor = await syncDesk(server, desk, agent.id, cursor);

              const callAt = new Date(passAt.getTime() + callDelayMinutes * 60_000);
              const pack = desk.referenceData.rulePack()!;
              const point = desk.debtors.get(DEBTOR_ID)!.contactPoints.find((candidate) => candidate.personId === personId && candidate.channel === 'voice')!;
              const deskRequest = gateRequestFor(desk.ledger, { atIso: toBogotaIso(callAt), point, party: 'debtor', person: null });
              const serverHistory = await server.writeChannels((tables) => gateHistory(tables, personId, callAt));
              const serverDecision = evaluateGate({ ...deskRequest, history: serverHistory }, pack);

              expect(evaluateGate(deskRequest, pack), `call at ${callAt.toISOString()}`).toEqual(serverDecision);
              if (deskRequest.history.some((entry) => entry.channel === 'letter' || entry.channel === 'visit')) fieldContactsCompared += 1;
            }
          }
        } finally {
          desk.close();
          removeDir(dir);
          await server.close();
        }
      }),
      {
        numRuns: 8,
        // A letter, then a visit that the letter's channel lock pushes a week later.
        examples: [
          [
            [
              { channel: 'letter', dayOffset: 2, repeat: undefined },
              { channel: 'visit', dayOffset: 3, repeat: undefined },
            ],
            30,
          ],
        ],
      },
    );
    expect(fieldContactsCompared).toBeGreaterThan(0);
  }, 300_000);
});
