import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../fixtures/backends.ts';
import { createLogger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { letterBatch, parseDisplayDate, routeSheet, ROUTE_SHEET_HEADER } from './batches.ts';
import { DEFAULT_LETTER_DISCLOSURES, parseChannelsConfig } from './channel-config.ts';
import { ChannelDispatcher } from './dispatcher.ts';
import { listSends } from './send-table.ts';
import { DEBTOR_ID, WEDNESDAY_10, activity, seedChannelDebtor } from './test-setup.ts';

const logger = createLogger({ level: 'silent' });

/** Text of an uncompressed pdfkit PDF: the hex strings inside each `[...] TJ` run, in WinAnsi. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs = [...source.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((match) =>
    [...match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
  );
  return runs.join('\n');
}
const config = parseChannelsConfig({ letters: true, visits: true }, 'de prueba');

describe('letter and visit batches', () => {
  const backend = useTestBackend('sqlite');
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  async function readyStore(withVisitPermission: boolean): Promise<ServerStore> {
    const store = await backend.openStore(await backend.createDatabase());
    stores.push(store);
    await seedChannelDebtor(store, { timeline: [activity('carta', 'letter', 2), activity('visita', 'visit', 9)] });
    if (withVisitPermission) {
      await store.writeBoardView((sql) => sql.run(`UPDATE obligations SET visit_credit_type = 'agricultural', visit_allowed = 1 WHERE debtor_id = ?`, [DEBTOR_ID]));
    }
    return store;
  }

  it('prints the day letters once with the disclosures', async () => {
    const store = await readyStore(false);
    const dispatcher = new ChannelDispatcher({ store, config, logger });
    expect(await dispatcher.runPass(WEDNESDAY_10)).toMatchObject({ ready: 1 });

    const batch = await letterBatch(store, config, '2026-12-09', WEDNESDAY_10, { compress: false });
    expect(batch.letters).toBe(1);
    expect(batch.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(batch.pdf);
    expect(text).toContain('Calle 45');
    expect(text).toContain('09/12/2026');
    expect(text).toContain('María José Peña Muñoz');
    expect(text).toContain('Información para usted');
    expect(text).toContain(DEFAULT_LETTER_DISCLOSURES[0]!.slice(0, 30));
    expect((await store.readBoardView((sql) => listSends(sql)))[0]!.status).toBe('sent');

    expect((await letterBatch(store, config, '2026-12-09', WEDNESDAY_10)).letters).toBe(0);
  });

  it('counts a ready letter toward the same-day limit', async () => {
    const store = await readyStore(true);
    const dispatcher = new ChannelDispatcher({ store, config, logger });
    await dispatcher.runPass(WEDNESDAY_10);
    // The visit falls due a week after the letter: R6 lets it through on another channel only after 7 days.
    expect(await dispatcher.runPass(new Date('2026-12-16T09:00:00-05:00'))).toMatchObject({ rescheduled: 1 });
    expect(await dispatcher.runPass(new Date('2026-12-16T10:00:01-05:00'))).toMatchObject({ ready: 1 });
  });

  it('writes a route sheet of the legal visits', async () => {
    const store = await readyStore(true);
    const dispatcher = new ChannelDispatcher({ store, config, logger });
    await dispatcher.runPass(WEDNESDAY_10);
    await dispatcher.runPass(new Date('2026-12-16T11:00:00-05:00'));

    const sheet = await routeSheet(store, '2026-12-16', 'csv', new Date('2026-12-16T11:05:00-05:00'));
    expect(sheet.visits).toBe(1);
    const lines = sheet.file.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe(ROUTE_SHEET_HEADER.join(';'));
    expect(lines[1]).toContain('16/12/2026;CC-1020304050;María José Peña Muñoz;Calle 45 # 12-30, apto 401;Bogotá;visita;');

    const xlsx = await routeSheet(store, '2026-12-16', 'xlsx', new Date());
    expect(xlsx.visits).toBe(0);
    expect(xlsx.file.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it.each([
    ['07/12/2026', '2026-12-07'],
    ['29/02/2028', '2028-02-29'],
  ])('reads the date %s', (text, iso) => {
    expect(parseDisplayDate(text)).toBe(iso);
  });

  it.each(['2026-12-07', '31/02/2026', '7/12/2026', ''])('rejects the date "%s"', (text) => {
    expect(() => parseDisplayDate(text)).toThrow(/no es válida: escríbala como dd\/mm\/aaaa/);
  });
});
