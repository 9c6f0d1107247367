import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { auditCommand } from '../admin/view-audit-cli.ts';
import { buildDebtorEvidence } from '../evidence/build-evidence.ts';
import { renderEvidencePdf } from '../evidence/evidence-pdf.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { ingestBatch } from '../sync/ingest.ts';
import type { StoreLocation } from './open-store.ts';
import type { ServerStore } from './types.ts';

/** Tuesday 1 December 2026, 08:00 in Bogotá. */
const T0 = new Date('2026-12-01T08:00:00-05:00');
const HOUR = 60 * 60 * 1000;
const DEBTOR_ID = 'CC-40000000';
const OTHER_DEBTOR_ID = 'CC-40000001';

const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

/** Text shown on the pages of an uncompressed PDF: pdfkit writes each run as hex strings inside `[...] TJ`. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs = [...source.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((match) =>
    [...match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
  );
  return runs.join('\n');
}

describe.each(BACKEND_NAMES)('debtor views on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let template: StoreLocation;
  let holder: User;
  let other: User;

  beforeAll(async () => {
    template = await backend.createDatabase();
    const store = await backend.openStore(template);
    holder = await store.createUser({ username: 'agente1', fullName: 'Laura Gómez', role: 'agent', password: 'secreto-123' }, T0);
    other = await store.createUser({ username: 'agente2', fullName: 'Pedro Ríos', role: 'agent', password: 'secreto-123' }, T0);
    const rows = [
      portfolioRow({ numero_documento: DEBTOR_ID.slice(3), numero_obligacion: 'OB-1' }),
      portfolioRow({ numero_documento: OTHER_DEBTOR_ID.slice(3), numero_obligacion: 'OB-2' }),
    ];
    await store.importPortfolio({ fileName: 'consultas.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await store.close();
  });

  let store: ServerStore;
  let seq: number;
  beforeEach(async () => {
    store = await backend.openStore(await backend.copyDatabase(template));
    seq = 0;
    await store.grantLease(DEBTOR_ID, holder.id, T0);
  });
  afterEach(async () => {
    await store.close();
  });

  function view(agent: User, viewedAt: Date, options: { debtorId?: string; workstationId?: string; reason?: string } = {}): SyncEvent {
    seq += 1;
    const iso = toBogotaIso(viewedAt);
    return {
      id: randomUUID(),
      type: 'debtor.viewed',
      workstationId: options.workstationId ?? `ws-${agent.username}`,
      seq,
      agentId: agent.id,
      occurredAt: iso,
      payload: {
        debtorId: options.debtorId ?? DEBTOR_ID,
        viewedAt: iso,
        localAt: toBogotaIso(viewedAt.getTime() - 1500),
        clockOffsetMs: 1500,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      },
    };
  }

  const ingest = (event: SyncEvent, receivedAt = at(2 * HOUR)) => store.ingestEvent(event, { agentId: event.agentId, workstationId: event.workstationId, receivedAt });

  it('stores a leased view once', async () => {
    const event = view(holder, at(HOUR));
    expect(await ingest(event)).toEqual({ status: 'stored' });
    expect(await ingest(event)).toEqual({ status: 'duplicate' });

    const views = await store.findDebtorViews({ debtorId: DEBTOR_ID });
    expect(views).toEqual([
      {
        eventId: event.id,
        debtorId: DEBTOR_ID,
        agentId: holder.id,
        agentUsername: 'agente1',
        agentFullName: 'Laura Gómez',
        workstationId: 'ws-agente1',
        viewedAt: at(HOUR).toISOString(),
        localAt: new Date(at(HOUR).getTime() - 1500).toISOString(),
        clockOffsetMs: 1500,
        reason: null,
        leased: true,
        receivedAt: at(2 * HOUR).toISOString(),
      },
    ]);
    expect(await store.countEvents()).toBe(1);
    expect(await store.listAlarms({ debtorId: DEBTOR_ID, limit: 10 })).toEqual([]);
  });

  it('stores an unleased view and raises an alarm', async () => {
    const event = view(other, at(HOUR));
    expect(await ingest(event)).toEqual({ status: 'stored' });
    expect(await ingest(event)).toEqual({ status: 'duplicate' });

    expect((await store.findDebtorViews({ debtorId: DEBTOR_ID })).map((stored) => stored.leased)).toEqual([false]);
    const alarms = await store.listAlarms({ debtorId: DEBTOR_ID, limit: 10 });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ kind: 'violation', agentId: other.id, workstationId: 'ws-agente2', eventId: event.id, decisionId: null });
    expect(alarms[0]!.message).toContain(`Consulta del expediente del deudor ${DEBTOR_ID} sin asignación`);
    expect(alarms[0]!.message).toContain('01/12/2026 09:00');
  });

  it.each([
    { name: 'before the lease', offset: -HOUR, leased: false },
    { name: 'at the grant', offset: 0, leased: true },
    { name: 'inside the lease', offset: 24 * HOUR, leased: true },
    { name: 'after the lease end', offset: 8 * 24 * HOUR, leased: false },
  ])('judges a view $name', async ({ offset, leased }) => {
    expect(await ingest(view(holder, at(offset)), at(offset + HOUR))).toEqual({ status: 'stored' });
    expect((await store.findDebtorViews({ debtorId: DEBTOR_ID }))[0]!.leased).toBe(leased);
    expect(await store.listAlarms({ debtorId: DEBTOR_ID, limit: 10 })).toHaveLength(leased ? 0 : 1);
  });

  it('names the wrap-up reason in the alarm', async () => {
    expect(await ingest(view(holder, at(8 * 24 * HOUR), { reason: 'wrap-up' }), at(8 * 24 * HOUR))).toEqual({ status: 'stored' });
    const [alarm] = await store.listAlarms({ debtorId: DEBTOR_ID, limit: 10 });
    expect(alarm!.message).toContain('Motivo informado por la estación: gestión pendiente de tipificar');
  });

  it('excuses a wrap-up reopen after a recent contact', async () => {
    const snapshot = (await store.getDebtorSnapshot(DEBTOR_ID, at(7 * 24 * HOUR)))!;
    const person = snapshot.persons.find((candidate) => candidate.role === 'debtor')!;
    const point = snapshot.contactPoints.find((candidate) => candidate.personId === person.id)!;
    // Monday 7 December 2026, 10:00 in Bogotá: inside the lease and inside the legal hours.
    const dialedAt = at(6 * 24 * HOUR + 2 * HOUR);
    const target = { agentId: holder.id, workstationId: 'ws-agente1', debtorId: DEBTOR_ID, personId: person.id, contactPointId: point.id, seq: 100, at: toBogotaIso(dialedAt) };
    expect(await ingest(decisionEvent(target), dialedAt)).toEqual({ status: 'stored' });

    // The lease ended at 08:00 on Tuesday; the agent reopens the file at 09:00 to typify that call.
    const reopenedAt = at(7 * 24 * HOUR + HOUR);
    expect(await ingest(view(holder, reopenedAt, { reason: 'wrap-up' }), reopenedAt)).toEqual({ status: 'stored' });
    expect((await store.findDebtorViews({ debtorId: DEBTOR_ID })).map((stored) => stored.leased)).toEqual([false]);
    const viewAlarms = (await store.listAlarms({ debtorId: DEBTOR_ID, limit: 10 })).filter((alarm) => alarm.message.includes('Consulta del expediente'));
    expect(viewAlarms).toEqual([]);

    // Without the wrap-up reason, the same reopen is an access to personal data outside the lease.
    expect(await ingest(view(holder, reopenedAt), reopenedAt)).toEqual({ status: 'stored' });
    const after = (await store.listAlarms({ debtorId: DEBTOR_ID, limit: 10 })).filter((alarm) => alarm.message.includes('Consulta del expediente'));
    expect(after).toHaveLength(1);
  });

  // A server that predates `debtor.viewed` parses it exactly as this one parses any event type it
  // does not know: the event is rejected by id and kept aside, and the rest of the batch goes on.
  it('rejects an unknown event type cleanly', async () => {
    const known = view(holder, at(HOUR));
    const unknown = { ...view(holder, at(HOUR)), type: 'debtor.printed' };
    const identity = { agentId: holder.id, workstationId: known.workstationId };
    const results = await ingestBatch(store, [unknown, known], identity, at(2 * HOUR), createLogger({ level: 'silent' }));
    expect(results).toEqual([
      { id: unknown.id, status: 'rejected', error: expect.stringMatching(/^Evento inválido \(invalid event\): type: /) },
      { id: known.id, status: 'stored' },
    ]);
    expect((await store.listRejectedEvents()).map((record) => [record.eventId, record.code])).toEqual([[unknown.id, 'invalid-event']]);
  });

  // The reason reaches the agent's outbox and the compliance officer's list of rejected events.
  it('words the parse problems of a malformed event in Spanish', async () => {
    const malformed = { ...view(holder, at(HOUR)), seq: 'siete' };
    const identity = { agentId: holder.id, workstationId: malformed.workstationId };
    const [result] = await ingestBatch(store, [malformed], identity, at(2 * HOUR), createLogger({ level: 'silent' }));
    expect(result).toEqual({ id: malformed.id, status: 'rejected', error: 'Evento inválido (invalid event): seq: Entrada inválida: se esperaba número, recibido texto.' });
  });

  it('rejects a view of an unknown debtor', async () => {
    const outcome = await ingest(view(holder, at(HOUR), { debtorId: 'CC-99' }));
    expect(outcome).toMatchObject({ status: 'rejected', code: 'unknown-debtor' });
    expect(await store.countEvents()).toBe(0);
    expect(await store.countRejectedEvents()).toBe(1);
  });

  it('rejects a view sent for another agent', async () => {
    const event = view(holder, at(HOUR));
    const outcome = await store.ingestEvent(event, { agentId: other.id, workstationId: event.workstationId, receivedAt: at(2 * HOUR) });
    expect(outcome).toMatchObject({ status: 'rejected', code: 'wrong-agent' });
    expect(await store.findDebtorViews({ debtorId: DEBTOR_ID })).toEqual([]);
  });

  it('lists views of one debtor since an instant', async () => {
    for (const event of [view(holder, at(3 * HOUR)), view(holder, at(HOUR)), view(other, at(2 * HOUR)), view(holder, at(HOUR), { debtorId: OTHER_DEBTOR_ID })]) {
      expect((await ingest(event, at(4 * HOUR))).status).toBe('stored');
    }
    const all = await store.findDebtorViews({ debtorId: DEBTOR_ID });
    expect(all.map((stored) => [stored.viewedAt, stored.agentUsername])).toEqual([
      [at(HOUR).toISOString(), 'agente1'],
      [at(2 * HOUR).toISOString(), 'agente2'],
      [at(3 * HOUR).toISOString(), 'agente1'],
    ]);
    const since = await store.findDebtorViews({ debtorId: DEBTOR_ID, since: at(2 * HOUR) });
    expect(since.map((stored) => stored.viewedAt)).toEqual([at(2 * HOUR).toISOString(), at(3 * HOUR).toISOString()]);
  });

  it('exports the views in the evidence', async () => {
    await ingest(view(holder, at(HOUR)));
    await ingest(view(other, at(2 * HOUR)));
    const evidence = (await buildDebtorEvidence(store, DEBTOR_ID, at(3 * HOUR)))!;
    expect(evidence.fileViews).toEqual([
      expect.objectContaining({ agentName: 'Laura Gómez', workstationId: 'ws-agente1', leased: true, reasonText: null, viewedAt: { iso: '2026-12-01T09:00:00-05:00', text: '01/12/2026 09:00' } }),
      expect.objectContaining({ agentName: 'Pedro Ríos', workstationId: 'ws-agente2', leased: false }),
    ]);
    expect(JSON.parse(JSON.stringify(evidence)).fileViews).toHaveLength(2);

    const text = pdfText(await renderEvidencePdf(evidence, { compress: false }));
    expect(text).toContain('Consultas del expediente');
    expect(text).toContain('Pedro Ríos');
    expect(text).toContain('ws-agente2');
  });

  describe('audit views command', () => {
    let out: string[];
    let err: string[];
    beforeEach(() => {
      out = [];
      err = [];
    });
    const run = (...args: string[]) => auditCommand(args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => at(5 * HOUR) });

    it('prints the views in Bogotá time', async () => {
      await ingest(view(holder, at(HOUR + 5_000)));
      await ingest(view(other, at(2 * HOUR)));
      expect(await run('views', DEBTOR_ID)).toBe(0);
      expect(out).toEqual([
        `2 consultas del expediente ${DEBTOR_ID} (horas de Bogotá):`,
        '  01/12/2026 09:00:05  Laura Gómez (agente1)  estación ws-agente1  asignado',
        '  01/12/2026 10:00:00  Pedro Ríos (agente2)  estación ws-agente2  SIN ASIGNACIÓN',
        '1 sin asignación: revise las alarmas de ese deudor (npm run server -- alarms).',
      ]);
      expect(err).toEqual([]);
    });

    it('filters by a dd/mm/aaaa date', async () => {
      await ingest(view(holder, at(HOUR)));
      expect(await run('views', DEBTOR_ID, '--since', '02/12/2026')).toBe(0);
      expect(out).toEqual([`Nadie ha consultado el expediente ${DEBTOR_ID} en ese periodo.`]);
    });

    it('writes the CSV with the shared writer', async () => {
      await ingest(view(other, at(HOUR)));
      const dir = tempDir();
      try {
        const file = join(dir.path, 'consultas.csv');
        expect(await run('views', DEBTOR_ID, '--csv', file)).toBe(0);
        expect(out).toEqual([`1 consulta del expediente ${DEBTOR_ID} exportada(s) a ${file}.`]);
        const csv = await readFile(file, 'utf8');
        expect(csv.startsWith('\uFEFFFecha y hora (Bogotá);Usuario;Nombre;Estación;Deudor asignado;')).toBe(true);
        expect(csv).toContain('\r\n01/12/2026 09:00:00;agente2;Pedro Ríos;ws-agente2;No;;01/12/2026 08:59:58;1500;01/12/2026 10:00:00\r\n');
      } finally {
        dir.remove();
      }
    });

    it.each([
      { args: ['views'], message: 'Indique un solo deudor' },
      { args: ['views', 'CC-99'], message: 'El deudor "CC-99" no existe' },
      { args: ['views', DEBTOR_ID, '--since', '31/02/2026'], message: 'Fecha inválida: "31/02/2026"' },
      { args: ['imprime'], message: 'Subcomando desconocido: "imprime"' },
    ])('rejects $args', async ({ args, message }) => {
      expect(await run(...args)).toBe(1);
      expect(err.join('\n')).toContain(message);
    });
  });
});

