import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCop } from '@gestiona/core/format';
import type { SyncEvent, User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { startTestServer } from '../fixtures/server.ts';
import { buildDebtorEvidence } from './build-evidence.ts';
import { renderEvidencePdf } from './evidence-pdf.ts';
import type { DebtorEvidence } from './types.ts';

type InteractionEvent = Extract<SyncEvent, { type: 'interaction.recorded' }>;

const NOW = new Date('2026-12-09T08:00:00-05:00');
const DEBTOR = 'CC-81000002';
const CREDITOR = 'Banco Cafetero del Sur';

/** Text runs of an uncompressed pdfkit PDF, decoded from the hex strings inside `[...] TJ`. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs = [...source.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((match) =>
    [...match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
  );
  return runs.join('\n');
}

describe('evidence section on credit-report notices and collection fees', () => {
  const backend = useTestBackend('sqlite');
  let server: RunningServer;
  let agent: User;
  let evidence: DebtorEvidence;

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    const { store } = server;
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' });
    const rows = [
      portfolioRow({ numero_documento: DEBTOR.slice(3), numero_obligacion: 'TC-0001', valor_vencido: '1.234.567,00' }),
      portfolioRow({ numero_documento: DEBTOR.slice(3), numero_obligacion: 'HP-0002', producto: 'Hipotecario', valor_vencido: '1.000.000,00' }),
    ];
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    const terms = [
      'numero_obligacion;entidad;fecha_aviso_1;porcentaje_gastos_cobranza;tabla_gastos_informada;cobro_judicial',
      `TC-0001;${CREDITOR};02/11/2026;10;sí;no`,
      `HP-0002;${CREDITOR};30/11/2026;10;sí;no`,
    ];
    await store.importObligationTerms({ fileName: 'avisos.csv', bytes: utf8(`${terms.join('\r\n')}\r\n`), now: NOW });
    await store.grantLease(DEBTOR, agent.id, new Date('2026-12-04T08:00:00-05:00'));

    // A right-party promise on Friday 04/12/2026 that recorded 20.000 pesos of fees.
    const target: EventTarget = { agentId: agent.id, workstationId: 'ws-1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq: 1, at: '2026-12-04T09:00:00-05:00' };
    const decision = decisionEvent(target);
    const base = interactionEvent({ ...target, seq: 2 }, { code: 'PP', kind: 'two-way' }) as InteractionEvent;
    const decisionId = (decision.payload as { decisionId: string }).decisionId;
    const promise: InteractionEvent = { ...base, payload: { ...base.payload, decisionId, fields: { amount: 22_000_000, date: '2026-12-10', collectionFee: 2_000_000 } } };
    for (const event of [decision, promise]) {
      expect(await store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-1', receivedAt: new Date(target.at) })).toEqual({ status: 'stored' });
    }
    evidence = (await buildDebtorEvidence(store, DEBTOR, NOW))!;
  });

  afterAll(async () => {
    await server.close();
  });

  it('lists the notices and R14 per obligation', () => {
    const byNumber = new Map(evidence.obligationTerms.map((terms) => [terms.number, terms]));
    expect(byNumber.get('TC-0001')).toMatchObject({ notices: ['2026-11-02'], noticesText: '02/11/2026', creditReport: { requiredNotices: 1, allowed: true, allowedFrom: '2026-11-22' } });
    expect(byNumber.get('HP-0002')?.creditReport).toMatchObject({ allowed: false, allowedFrom: '2026-12-20' });
    expect(byNumber.get('HP-0002')?.creditReport?.text).toContain('desde el 20/12/2026');
  });

  it('evaluates R15 from the stored right-party contact', () => {
    const byNumber = new Map(evidence.obligationTerms.map((terms) => [terms.number, terms]));
    expect(byNumber.get('TC-0001')?.collectionFee).toMatchObject({ schedulePercent: 10, disclosedToDebtor: true, inLitigation: false, allowed: true });
    expect(byNumber.get('HP-0002')?.collectionFee?.allowed).toBe(false);
    expect(byNumber.get('HP-0002')?.collectionFee?.text).toContain('créditos de vivienda');
  });

  it('lists the fee recorded in the promise', () => {
    expect(evidence.collectionFees).toEqual([
      { interactionId: expect.any(String), code: 'PP', dialedAt: '2026-12-04T09:00:00-05:00', feeCents: 2_000_000, feeText: formatCop(2_000_000) },
    ]);
  });

  it('renders the section in the PDF', async () => {
    const text = pdfText(await renderEvidencePdf(evidence, { compress: false }));
    expect(text).toContain('Avisos de reporte y gastos de cobranza');
    expect(text).toContain('02/11/2026');
    expect(text).toContain('Gastos de cobranza registrados en tipificaciones:');
    expect(text).toContain('04/12/2026 09:00');
  });
});
