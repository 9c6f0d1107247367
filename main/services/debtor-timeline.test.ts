import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeDebtor, seedEntries } from '../test-support/fixtures.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { buildDebtorTimeline } from './debtor-timeline.ts';

describe('debtor timeline contacts', () => {
  let dir: string;
  let store: LocalStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
    const entries = seedEntries([makeDebtor('d1')]);
    applyFeedBatch(store, entries, entries.length);
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  it.each([
    ['channel-send:5b0c3f3e', 'sms', 'SMS: Mensaje de la estrategia enviado', 'envío automático del servidor'],
    ['channel-send:6c1d4a4f', 'letter', 'Carta: En el lote de impresión de la estrategia', 'envío automático del servidor'],
    ['channel-send:7d2e5b50', 'visit', 'Visita: En la hoja de ruta de la estrategia', 'envío automático del servidor'],
    ['i-otra-estacion', 'voice', 'Llamada: Contacto registrado en otro canal o estación', 'otra estación o canal'],
  ] as const)('names the remote entry %s', (id, channel, title, where) => {
    const debtor = store.debtors.get('d1')!;
    const personId = debtor.persons[0]!.id;
    store.ledger.addRemote({ id, debtorId: 'd1', personId, channel, kind: 'attempt', at: '2026-12-09T10:00:00-05:00' });

    const [entry] = buildDebtorTimeline({ store, debtor, catalog: null, amountsVisible: false }).filter((item) => item.kind === 'contact');
    expect(entry?.title).toBe(title);
    expect(entry?.detail).toContain(where);
  });
});
