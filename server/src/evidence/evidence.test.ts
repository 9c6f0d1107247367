import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkRecord, type ChainHead } from '@gestiona/core/evidence-chain';
import { formatCop } from '@gestiona/core/format';
import type { SyncEvent, User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { login, startTestServer } from '../fixtures/server.ts';
import { sha256Hex } from '../store/chain-check.ts';
import { buildDebtorEvidence } from './build-evidence.ts';
import { renderEvidencePdf } from './evidence-pdf.ts';
import type { DebtorEvidence } from './types.ts';
import { writeEvidenceFiles } from './write-files.ts';

type DecisionEvent = Extract<SyncEvent, { type: 'decision.recorded' }>;
type InteractionEvent = Extract<SyncEvent, { type: 'interaction.recorded' }>;

const NOW = new Date('2026-12-09T08:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR = 'CC-81000001';
const DEBTOR_NAME = 'María José Peña Muñoz';

/**
 * Text shown on the pages of an uncompressed PDF. pdfkit writes each run of text as hex strings
 * inside `[...] TJ`, split where kerning applies, in the standard fonts' WinAnsi encoding.
 */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs = [...source.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((match) =>
    [...match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
  );
  return runs.join('\n');
}

describe.each(BACKEND_NAMES)('evidence export on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let agent: User;
  let evidence: DebtorEvidence;
  const tokens: Record<string, string> = {};
  const events: { decisions: DecisionEvent[]; interactions: InteractionEvent[] } = { decisions: [], interactions: [] };

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    const { store } = server;
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await store.importPortfolio({ fileName: 'evidencia.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR.slice(3), nombre: DEBTOR_NAME })])), now: NOW });
    await store.grantLease(DEBTOR, agent.id, new Date('2026-12-04T08:00:00-05:00'));
    for (const username of ['agente1', 'supervisor1']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;

    // Two contacts (a lawful Friday call and a Saturday call after 15:00) and one blocked attempt, all chained.
    const target = (seq: number, at: string): EventTarget => ({ agentId: agent.id, workstationId: 'ws-1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq, at });
    const plan = [
      { at: '2026-12-04T09:00:00-05:00', allowed: true, code: 'NC', kind: 'attempt' as const },
      { at: '2026-12-05T16:00:00-05:00', allowed: true, code: 'RN', kind: 'two-way' as const },
      { at: '2026-12-05T17:00:00-05:00', allowed: false, code: null, kind: null },
    ];
    let head: ChainHead | null = null;
    let seq = 0;
    for (const step of plan) {
      seq += 1;
      const base = decisionEvent(target(seq, step.at)) as DecisionEvent;
      const payload = { ...base.payload, decision: { ...base.payload.decision, allowed: step.allowed, rules: step.allowed ? [] : ['R5' as const] } };
      const chain = linkRecord(payload, head, sha256Hex);
      head = { index: chain.index, hash: chain.hash };
      const decision: DecisionEvent = { ...base, payload: { ...payload, chain } };
      events.decisions.push(decision);
      const toStore: SyncEvent[] = [decision];
      if (step.code !== null) {
        seq += 1;
        const interaction = interactionEvent(target(seq, step.at), { code: step.code, kind: step.kind }) as InteractionEvent;
        // A right-party contact carries the instant main recorded the identity check (R12).
        const identity = step.kind === 'two-way' ? { identityConfirmedAt: step.at.replace('00:00-05:00', '01:00-05:00') } : {};
        const linked: InteractionEvent = {
          ...interaction,
          payload: { ...interaction.payload, decisionId: payload.decisionId, note: 'Dice: <b>no</b> =1+1', ...identity },
        };
        events.interactions.push(linked);
        toStore.push(linked);
      }
      for (const event of toStore) {
        expect(await store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-1', receivedAt: new Date(step.at) })).toEqual({ status: 'stored' });
      }
    }
    evidence = (await buildDebtorEvidence(store, DEBTOR, NOW))!;
  });

  afterAll(async () => {
    await server.close();
  });

  it('names the export time and rule pack', () => {
    expect(evidence.exportedAt).toEqual({ iso: '2026-12-09T08:00:00-05:00', text: '09/12/2026 08:00' });
    expect(evidence.rulePackVersion).toBe('2026.1');
  });

  it('identifies the debtor and obligations', () => {
    const { debtor } = evidence;
    expect(debtor.id).toBe(DEBTOR);
    expect(debtor.docType).toBe('CC');
    expect(debtor.docNumber).toBe(DEBTOR.slice(3));
    expect(debtor.fullName).toBe(DEBTOR_NAME);
    expect(debtor.obligations).toHaveLength(1);
    expect(debtor.obligations[0]!.balanceCents).toBe(123_456_789);
    expect(debtor.obligations[0]!.balanceText).toBe(formatCop(123_456_789));
    expect(debtor.obligations[0]!.productLabel).toBe('Tarjeta de crédito');
    expect(debtor.persons.map((person) => person.roleLabel)).toEqual(['titular', 'referencia personal']);
  });

  it('lists both contacts with their decisions', () => {
    expect(evidence.contacts).toHaveLength(2);
    const [first, second] = evidence.contacts;

    expect(first!.interactionId).toBe(events.interactions[0]!.payload.interactionId);
    expect(first!.channelLabel).toBe('llamada');
    expect(first!.dialedAt).toEqual({ iso: '2026-12-04T09:00:00-05:00', text: '04/12/2026 09:00' });
    expect(first!.agentName).toBe('Ana María Peña');
    expect(first!.workstationId).toBe('ws-1');
    expect(first!.code).toBe('NC');
    expect(first!.codeLabel).toBe('No contesta');
    expect(first!.identityConfirmedAt).toBeNull();
    expect(second!.identityConfirmedAt).toEqual({ iso: '2026-12-05T16:01:00-05:00', text: '05/12/2026 16:01' });
    expect(first!.personName).toBe(DEBTOR_NAME);
    expect(first!.note).toBe('Dice: <b>no</b> =1+1');
    expect(first!.workstationDecision?.decisionId).toBe(events.decisions[0]!.payload.decisionId);
    expect(first!.workstationDecision?.allowed).toBe(true);
    expect(first!.workstationDecision?.chainIndex).toBe(1);
    expect(first!.serverDecision?.allowed).toBe(true);

    expect(second!.dialedAt.text).toBe('05/12/2026 16:00');
    expect(second!.code).toBe('RN');
    expect(second!.codeLabel).toBe('Se niega a pagar');
    expect(second!.kind).toBe('two-way');
    expect(second!.workstationDecision?.allowed).toBe(true);
    expect(second!.serverDecision?.allowed).toBe(false);
    expect(second!.serverDecision?.rules).toEqual(['R2']);
  });

  it('lists the blocked attempt apart', () => {
    expect(evidence.attemptsWithoutContact).toHaveLength(1);
    expect(evidence.attemptsWithoutContact[0]!.allowed).toBe(false);
    expect(evidence.attemptsWithoutContact[0]!.rules).toEqual(['R5']);
    expect(evidence.attemptsWithoutContact[0]!.trustedAt.text).toBe('05/12/2026 17:00');
    expect(evidence.attemptsWithoutContact[0]!.chainIndex).toBe(3);
  });

  it('includes the authorisations on file', () => {
    const mobile = evidence.authorizations.find((auth) => auth.contactPointId === `${DEBTOR}/celular`)!;
    expect(mobile.source).toBe('contrato');
    expect(mobile.grantedOn).toBe('2024-03-15');
    expect(mobile.evidence).toBe('CT-2024-000123');
    expect(mobile.revokedAt).toBeNull();
    const reference = evidence.authorizations.find((auth) => auth.personRole === 'reference')!;
    expect(reference.source).toBeNull();
  });

  it('includes the violation alarm and a verified chain', () => {
    expect(evidence.alarms.map((alarm) => alarm.kind)).toEqual(['violation']);
    expect(evidence.alarms[0]!.eventId).toBe(events.decisions[1]!.id);
    expect(evidence.chains).toEqual([{ workstationId: 'ws-1', chainedDecisions: 3, unchainedDecisions: 0, ok: true, headIndex: 3, problem: null }]);
  });

  it('renders a PDF with the debtor and contacts', async () => {
    const pdf = await renderEvidencePdf(evidence, { compress: false });
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const text = pdfText(pdf);
    expect(text).toContain(DEBTOR_NAME);
    expect(text).toContain('09/12/2026 08:00');
    expect(text).toContain('2026.1');
    expect(text).toContain('05/12/2026 16:00');
    expect(text).toContain('Bloqueado: R2');
    // The note is written as it was typed, markup included; the narrow column wraps it.
    expect(text).toContain('Nota: Dice: <b>no</b>');
  });

  it('writes the JSON and PDF files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gestiona-evidence-'));
    try {
      const files = await writeEvidenceFiles(server.store, DEBTOR, join(dir, 'salida'), NOW);
      expect(files).not.toBeNull();
      const json = JSON.parse(await readFile(files!.json, 'utf8')) as DebtorEvidence;
      expect(json.contacts).toHaveLength(2);
      expect((await readFile(files!.pdf)).subarray(0, 4).toString('latin1')).toBe('%PDF');
      expect(await writeEvidenceFiles(server.store, 'CC-0', dir, NOW)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('GET /api/debtors/:id/evidence', () => {
    const get = (path: string, token?: string) =>
      fetch(`${server.url}/api/debtors/${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

    it('returns JSON for a team lead', async () => {
      const response = await get(`${DEBTOR}/evidence`, tokens.supervisor1);
      expect(response.status).toBe(200);
      const body = (await response.json()) as DebtorEvidence;
      expect(body.debtor.fullName).toBe(DEBTOR_NAME);
      expect(body.contacts).toHaveLength(2);
    });

    it('finds a debtor typed as the screens show it', async () => {
      const response = await get(`${encodeURIComponent(DEBTOR.replace('-', ' ').toLowerCase())}/evidence`, tokens.supervisor1);
      expect(response.status).toBe(200);
      expect(((await response.json()) as DebtorEvidence).debtor.id).toBe(DEBTOR);
    });

    it('returns a PDF for a team lead', async () => {
      const response = await get(`${DEBTOR}/evidence?format=pdf`, tokens.supervisor1);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('%PDF');
    });

    it.each([
      ['an agent', 'agente1', 403],
      ['no token', undefined, 401],
    ] as const)('refuses %s', async (_case, username, status) => {
      const response = await get(`${DEBTOR}/evidence`, username === undefined ? undefined : tokens[username]);
      expect(response.status).toBe(status);
    });

    it('answers 404 for an unknown debtor and 400 for a bad format', async () => {
      expect((await get('CC-0/evidence', tokens.supervisor1)).status).toBe(404);
      expect((await get(`${DEBTOR}/evidence?format=docx`, tokens.supervisor1)).status).toBe(400);
    });
  });
});
