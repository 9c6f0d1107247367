import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { boardSchema } from '@gestiona/core/board';
import { linkRecord, type ChainHead } from '@gestiona/core/evidence-chain';
import { pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import { sha256Hex } from './chain-check.ts';
import { clockJumpFinding, findHeadProblem } from './reported-state-check.ts';
import type { AlarmRecord, StoredDecisionLink } from './types.ts';

const hashOf = (label: string): string => sha256Hex(label);

function storedLink(index: number, hash: string, seq = index): StoredDecisionLink {
  return {
    eventId: `event-${seq}`,
    workstationId: 'ws-1',
    workstationSeq: seq,
    decisionId: `decision-${seq}`,
    index,
    prevHash: index === 1 ? '0'.repeat(64) : hashOf(`link-${index - 1}`),
    hash,
    receivedAt: '2026-12-07T14:00:00.000Z',
  };
}

describe('findHeadProblem', () => {
  const head3 = storedLink(3, hashOf('link-3'));

  it.each([
    ['no links on the server', { index: 2, hash: hashOf('x') }, null, [], null],
    ['the same head', { index: 3, hash: hashOf('link-3') }, head3, [head3], null],
    ['a head ahead of the server', { index: 7, hash: hashOf('link-7') }, head3, [], null],
    ['a head behind the server', { index: 2, hash: hashOf('link-2') }, head3, [storedLink(2, hashOf('link-2'))], 'rewound'],
    ['no head after pushed links', { index: 0, hash: null }, head3, [], 'rewound'],
    ['another hash at the head', { index: 3, hash: hashOf('other') }, head3, [head3], 'rewritten'],
    ['a hash matching one of two replayed links', { index: 3, hash: hashOf('replay') }, head3, [head3, storedLink(3, hashOf('replay'), 9)], null],
  ] as const)('%s', (_case, reported, serverHead, atReported, problem) => {
    const finding = findHeadProblem('ws-1', reported, serverHead, atReported);
    expect(finding?.detail.problem ?? null).toBe(problem);
  });

  it('names the workstation, the indexes and short hashes', () => {
    const finding = findHeadProblem('ws-1', { index: 1, hash: hashOf('link-1') }, head3, [storedLink(1, hashOf('link-1'))]);
    expect(finding?.kind).toBe('chain-gap');
    expect(finding?.message).toBe(
      `El registro de decisiones de la estación ws-1 retrocedió: la estación informa como último el registro 1 (hash ${hashOf('link-1').slice(0, 12)}…), ` +
        `pero el servidor ya recibió hasta el registro 3 (hash ${hashOf('link-3').slice(0, 12)}…). ` +
        'Se borraron los registros 2 a 3 en la estación o se restauró una copia anterior de su base de datos. Revise la estación.',
    );
  });

  it('says when the rewound head was also rewritten', () => {
    const finding = findHeadProblem('ws-1', { index: 2, hash: hashOf('forged') }, head3, [storedLink(2, hashOf('link-2'))]);
    expect(finding?.message).toContain('Se borró el registro 3 en la estación');
    expect(finding?.message).toContain(`el servidor recibió el registro 2 con otro hash (${hashOf('link-2').slice(0, 12)}…): también fue reescrito.`);
  });

  it('flags exactly the heads behind or unlike the server', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), (serverIndex, reportedIndex, sameHash) => {
        const links = Array.from({ length: serverIndex }, (_, position) => storedLink(position + 1, hashOf(`link-${position + 1}`)));
        const atReported = links.filter((link) => link.index === reportedIndex);
        let reportedHash: string | null = null;
        if (reportedIndex > 0) reportedHash = sameHash ? hashOf(`link-${reportedIndex}`) : hashOf(`forged-${reportedIndex}`);
        const finding = findHeadProblem('ws-1', { index: reportedIndex, hash: reportedHash }, links.at(-1)!, atReported);

        let expected: string | null = null;
        if (reportedIndex < serverIndex) expected = 'rewound';
        else if (reportedIndex === serverIndex && !sameHash) expected = 'rewritten';
        expect(finding?.detail.problem ?? null).toBe(expected);
      }),
    );
  });
});

describe('clockJumpFinding', () => {
  it.each([
    [-30 * 60_000, '(se atrasó 30 min)'],
    [45_000, '(se adelantó 45 s)'],
    [3 * 3_600_000 + 5 * 60_000, '(se adelantó 3 h 5 min)'],
  ])('describes a jump of %i ms', (jumpMs, text) => {
    const finding = clockJumpFinding('ws-1', '2026-12-07T10:00:00-05:00', jumpMs);
    expect(finding.message).toBe(
      `El reloj de la estación ws-1 cambió de hora el 07/12/2026 10:00 ${text}. ` +
        'La estación bloquea las marcaciones hasta medir de nuevo la hora del servidor. Revise la hora del equipo.',
    );
  });
});

const START = Date.parse('2026-12-07T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR = 'CC-73000001';

describe.each(BACKEND_NAMES)('state report alarms on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let agent: User;
  let supervisorSocket: Socket;
  let agentWatcher: Socket;
  let supervisorToken: string;
  const sockets: Socket[] = [];
  const hints = { supervisor: 0, agent: 0 };
  // Every read of the clock moves it one second, so a report always comes after the pushes before it.
  let tick = 0;
  const now = (): Date => new Date(START + 1000 * tick++);

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now });
    agent = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await server.store.importPortfolio({ fileName: 'estado.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR.slice(3) })])), now: new Date(START) });
    await server.store.grantLease(DEBTOR, agent.id, new Date('2026-12-04T08:00:00-05:00'));

    supervisorToken = (await login(server.url, 'supervisor1', PASSWORD, 'ws-supervisor')).token;
    supervisorSocket = await connectWorkstation(server.url, { token: supervisorToken, workstationId: 'ws-supervisor' });
    supervisorSocket.on(SOCKET_EVENTS.alarmHint, () => (hints.supervisor += 1));
    agentWatcher = await openWorkstation('ws-watcher');
    agentWatcher.on(SOCKET_EVENTS.alarmHint, () => (hints.agent += 1));
  });

  afterAll(async () => {
    for (const socket of [supervisorSocket, ...sockets]) socket?.close();
    await server?.close();
  });

  async function openWorkstation(workstationId: string): Promise<Socket> {
    const { token } = await login(server.url, 'agente1', PASSWORD, workstationId);
    const socket = await connectWorkstation(server.url, { token, workstationId });
    sockets.push(socket);
    return socket;
  }

  /** Pushes `count` chained decisions after `head`, as the workstation's outbox does, and returns the new head. */
  async function pushDecisions(socket: Socket, workstationId: string, firstSeq: number, head: ChainHead | null, count: number): Promise<ChainHead[]> {
    const heads: ChainHead[] = [];
    const events: SyncEvent[] = [];
    let current = head;
    for (let offset = 0; offset < count; offset += 1) {
      const event = decisionEvent({
        agentId: agent.id,
        workstationId,
        debtorId: DEBTOR,
        personId: DEBTOR,
        contactPointId: `${DEBTOR}/celular`,
        seq: firstSeq + offset,
        at: `2026-12-05T10:0${offset}:00-05:00`,
      });
      if (event.type !== 'decision.recorded') throw new Error('expected a decision');
      // A Saturday decision blocked by the workstation, so the re-evaluation raises no violation.
      event.payload.decision = { ...event.payload.decision, allowed: false, rules: ['R5'], reasons: [{ rule: 'R5', message: 'Ya fue contactado hoy.' }] };
      const chain = linkRecord(event.payload, current, sha256Hex);
      current = { index: chain.index, hash: chain.hash };
      heads.push(current);
      events.push({ ...event, payload: { ...event.payload, chain } });
    }
    const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events }));
    expect(ack.ok && ack.results.map((result) => result.status)).toEqual(events.map(() => 'stored'));
    return heads;
  }

  async function report(socket: Socket, state: Record<string, string | number | boolean | null>): Promise<void> {
    expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, state)).toEqual({ ok: true });
  }

  const headState = (head: ChainHead | null) => ({ agentState: 'available', decisionChainIndex: head?.index ?? null, decisionChainHash: head?.hash ?? null });

  async function alarmsOf(workstationId: string): Promise<AlarmRecord[]> {
    return (await server.store.listAlarms({ limit: 100 })).filter((alarm) => alarm.workstationId === workstationId);
  }

  it('accepts an honest head and a head not pushed yet', async () => {
    const socket = await openWorkstation('ws-honest');
    const heads = await pushDecisions(socket, 'ws-honest', 1, null, 3);
    await report(socket, headState(heads[2]!));
    await report(socket, headState({ index: 5, hash: hashOf('not pushed yet') }));
    expect(await alarmsOf('ws-honest')).toEqual([]);
  });

  it('raises one alarm for a tail deleted after the push', async () => {
    const socket = await openWorkstation('ws-truncated');
    const heads = await pushDecisions(socket, 'ws-truncated', 1, null, 3);
    const supervisorHintsBefore = hints.supervisor;

    await report(socket, headState(heads[0]!));
    await report(socket, headState(heads[0]!));

    const alarms = await alarmsOf('ws-truncated');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ kind: 'chain-gap', agentId: agent.id, debtorId: null, eventId: null });
    expect(alarms[0]!.detail).toEqual({ problem: 'rewound', reportedIndex: 1, reportedHash: heads[0]!.hash, serverIndex: 3, serverHash: heads[2]!.hash });
    expect(alarms[0]!.message).toContain('estación ws-truncated retrocedió');
    expect(alarms[0]!.message).toContain('Se borraron los registros 2 a 3');
    await vi.waitFor(() => expect(hints.supervisor).toBe(supervisorHintsBefore + 1));
    expect(hints.agent).toBe(0);
  });

  it('ignores links received after the report', async () => {
    const socket = await openWorkstation('ws-late-push');
    const heads = await pushDecisions(socket, 'ws-late-push', 1, null, 3);

    // A report handled after a push that overtook it compares only with what the server had before it arrived.
    await server.store.recordWorkstationState('ws-late-push', headState(heads[0]!), new Date(START - 1000), agent.id);

    expect(await alarmsOf('ws-late-push')).toEqual([]);
  });

  it('raises one alarm for a rewritten last record', async () => {
    const socket = await openWorkstation('ws-rewritten');
    const heads = await pushDecisions(socket, 'ws-rewritten', 1, null, 2);
    const forged = { index: 2, hash: hashOf('rewritten record 2') };

    await report(socket, headState(forged));
    await report(socket, headState(forged));

    const alarms = await alarmsOf('ws-rewritten');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.kind).toBe('chain-edited');
    expect(alarms[0]!.detail).toEqual({ problem: 'rewritten', reportedIndex: 2, reportedHash: forged.hash, serverHash: heads[1]!.hash });
    expect(alarms[0]!.message).toContain(`su registro 2 tiene el hash ${forged.hash.slice(0, 12)}…`);
  });

  it('raises alarms for a restored old database copy', async () => {
    const socket = await openWorkstation('ws-restored');
    const heads = await pushDecisions(socket, 'ws-restored', 1, null, 4);

    // The copy was taken after decision 2: it reports that head, then chains a new decision 3 on it.
    await report(socket, headState(heads[1]!));
    const [replacement] = await pushDecisions(socket, 'ws-restored', 5, heads[1]!, 1);
    await report(socket, headState(replacement!));

    const alarms = await alarmsOf('ws-restored');
    const rewound = alarms.filter((alarm) => alarm.detail.problem === 'rewound');
    expect(rewound.map((alarm) => alarm.detail.reportedIndex).sort()).toEqual([2, 3]);
    // The chain check at ingest raises its own alarm for the second decision 3.
    expect(alarms.some((alarm) => alarm.kind === 'chain-broken' && alarm.detail.problem === 'replayed')).toBe(true);
  });

  it('raises one clock alarm per reported jump', async () => {
    const socket = await openWorkstation('ws-clock');
    const jump = { clockTrusted: false, clockJumpAt: '2026-12-07T08:30:00-05:00', clockJumpMs: -30 * 60_000, clockJumps: 1 };
    await report(socket, jump);
    await report(socket, jump);
    await report(socket, { ...jump, clockJumpAt: '2026-12-07T08:45:00-05:00', clockJumps: 2 });

    const alarms = await alarmsOf('ws-clock');
    expect(alarms.map((alarm) => alarm.kind)).toEqual(['clock', 'clock']);
    expect(alarms[1]!.message).toContain('cambió de hora el 07/12/2026 08:30 (se atrasó 30 min)');
  });

  it('shows the open alarms on the board until acknowledged', async () => {
    const readBoard = async () => {
      const response = await fetch(`${server.url}/api/board`, { headers: { authorization: `Bearer ${supervisorToken}` } });
      expect(response.status).toBe(200);
      return boardSchema.parse(await response.json());
    };
    const all = await server.store.listAlarms({ limit: 100 });
    const before = await readBoard();
    expect(before.alarms.openTotal).toBe(all.length);
    expect(before.alarms.open.map((alarm) => alarm.id)).toEqual(all.map((alarm) => alarm.id));
    const clock = before.alarms.open.find((alarm) => alarm.workstationId === 'ws-clock')!;
    expect(clock).toMatchObject({ category: 'clock', kindLabel: 'Reloj no confiable', agentName: 'Ana María Peña', debtorId: null });
    expect(clock.createdAt).toMatch(/^2026-12-07T09:\d\d:\d\d-05:00$/);
    const chain = all.filter((alarm) => alarm.kind.startsWith('chain-')).length;
    expect(before.alarms.lastSevenDays).toEqual([
      { category: 'violation', count: 0 },
      { category: 'chain', count: chain },
      { category: 'clock', count: 2 },
    ]);

    const ack = await fetch(`${server.url}/api/alarms/${clock.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${supervisorToken}` } });
    expect(ack.status).toBe(200);
    const after = await readBoard();
    expect(after.alarms.open.map((alarm) => alarm.id)).not.toContain(clock.id);
    expect(after.alarms.openTotal).toBe(all.length - 1);
    expect(after.alarms.lastSevenDays).toEqual(before.alarms.lastSevenDays);
  });
});
