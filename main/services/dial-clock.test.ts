import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debtorViewSchema, dialResultSchema, ipcContract, sessionStateSchema, type DialResult, type PushMessage, type SessionState } from '@gestiona/core/ipc';
import { TrustedClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { manualTime, type ManualTime } from '../test-support/manual-time.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';
import { UNTRUSTED_CLOCK_STATUS } from './worklist.ts';

/** 10:00 on a Tuesday in Bogotá, inside the legal hours. */
const TUESDAY_10 = Date.parse('2026-03-03T15:00:00Z');
const MINUTE = 60_000;
const CLOCK_REASON = /^El reloj de este equipo no es confiable: .+ Conéctese al servidor para sincronizar la hora\.$/;

function requestId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

describe('contact:dial with the trusted clock', () => {
  let dir: string;
  let time: ManualTime;
  let ws: OpenedWorkstation;
  let pushes: PushMessage[];

  async function open(): Promise<void> {
    ws = await openWorkstation(dir, { clock: new TrustedClock({ sources: time }) });
    pushes = [];
    ws.workstation.onPush((message) => pushes.push(message));
  }

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1')]);
    time = manualTime(TUESDAY_10);
    await open();
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function dial(contactPointId: string, id: number): Promise<DialResult> {
    const result = await ws.call('contact:dial', { debtorId: 'd1', contactPointId, requestId: requestId(id) });
    if (!result.ok) throw new Error(`dial failed: ${result.error.code} ${result.error.message}`);
    return dialResultSchema.parse(result.value);
  }

  async function session(): Promise<SessionState> {
    const result = await ws.call('session:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return sessionStateSchema.parse(result.value);
  }

  it('dials with a clock never synced and never changed', async () => {
    const result = await dial('d1-c1', 1);
    expect(result.outcome).toBe('placed');
    expect(ws.dialed).toEqual(['tel:+573001234567']);
    expect((await session()).clock).toMatchObject({ trusted: true, lastSyncAt: null, jumpDetectedAt: null, reason: null });

    const stored = withStore(dir, (store) => store.decisions.byRequestId(requestId(1)));
    expect(stored).toMatchObject({ trustedAt: '2026-03-03T10:00:00-05:00', localAt: '2026-03-03T10:00:00-05:00', clockOffsetMs: 0 });
    expect(stored?.clockSyncedAt).toBeNull();
    expect(stored?.workstationRule).toBeNull();
  });

  it('blocks a dial after a jump before any sync and records it', async () => {
    time.advance(5_000);
    time.jumpWall(-30 * MINUTE);
    const result = await dial('d1-c1', 1);

    expect(result.outcome).toBe('blocked');
    expect(result.decision.allowed).toBe(false);
    expect(result.decision.rules).toEqual(['R16']);
    expect(result.decision.nextAllowedAt).toBeNull();
    const message = result.decision.reasons[0]?.message ?? '';
    expect(message).toMatch(CLOCK_REASON);
    expect(message).toContain('se detectó un cambio en el reloj del equipo (se atrasó 30 min)');
    expect(ws.dialed).toEqual([]);

    const stored = withStore(dir, (store) => ({
      decision: store.decisions.byRequestId(requestId(1)),
      attempts: store.attempts.pending(),
      chain: store.decisionChain.verify(),
      events: store.outbox.oldest(10, 'ws').events,
      jumps: store.clockJumps.latest(5),
    }));
    expect(stored.decision?.workstationRule).toBe('CLOCK');
    // Trusted time keeps running at the monotonic pace, so the record still shows 10:00:05.
    expect(stored.decision).toMatchObject({ trustedAt: '2026-03-03T10:00:05-05:00', localAt: '2026-03-03T09:30:05-05:00', clockOffsetMs: 30 * MINUTE });
    expect(stored.attempts).toBeNull();
    expect(stored.chain).toMatchObject({ ok: true, count: 1 });
    expect(stored.events).toHaveLength(1);
    const event = stored.events[0];
    if (event?.type !== 'decision.recorded') throw new Error('expected a decision event');
    expect(event.payload.workstationRule).toBe('CLOCK');
    expect(event.payload.chain?.index).toBe(1);
    expect(event.payload.decision.reasons[0]?.message).toBe(message);
    await vi.waitFor(() => expect(withStore(dir, (store) => store.clockJumps.count())).toBe(1));
    expect(withStore(dir, (store) => store.clockJumps.latest(1))).toEqual([
      { kind: 'running', detectedAt: '2026-03-03T10:00:05-05:00', localAt: '2026-03-03T09:30:05-05:00', jumpMs: -30 * MINUTE },
    ]);
  });

  it('shows and pushes the untrusted clock', async () => {
    time.jumpWall(45 * MINUTE);
    const state = await session();

    expect(state.clock?.trusted).toBe(false);
    expect(state.clock?.reason).toMatch(CLOCK_REASON);
    expect(state.clock?.reason).toContain('se adelantó 45 min');
    expect(state.clock?.jumpDetectedAt).toBe('2026-03-03T10:00:00-05:00');
    expect(state.clock?.jumpMs).toBe(45 * MINUTE);
    expect(state.now).toBe('2026-03-03T10:00:00-05:00');

    await vi.waitFor(() => {
      const pushed = pushes.filter((message) => message.type === 'session').map((message) => message.state.clock);
      expect(pushed.at(-1)).toEqual(state.clock);
    });
    expect(pushes.some((message) => message.type === 'worklist-changed')).toBe(true);
  });

  it('shows every dialable number blocked by the clock', async () => {
    time.jumpWall(-10 * MINUTE);
    const view = await ws.call('debtor:open', { debtorId: 'd1' });
    if (!view.ok) throw new Error(view.error.message);
    const points = debtorViewSchema.parse(view.value).persons.flatMap((person) => person.contactPoints.map((point) => ({ role: person.role, point })));

    for (const { role, point } of points) {
      expect(point.dialable).toBe(false);
      if (role === 'reference') expect(point.decision).toBeNull();
      else expect(point.decision?.rules).toEqual(['R16']);
    }

    const list = await ws.call('worklist:list', { offset: 0, limit: 10 });
    if (!list.ok) throw new Error(list.error.message);
    const [item] = ipcContract['worklist:list'].result.parse(list.value).items;
    expect(item).toMatchObject({ legalStatus: 'blocked', statusText: UNTRUSTED_CLOCK_STATUS, nextAllowedAt: null });
  });

  it('replays a clock refusal without a second decision', async () => {
    time.jumpWall(-10 * MINUTE);
    await dial('d1-c1', 1);
    const again = await dial('d1-c1', 1);
    expect(again.decision.rules).toEqual(['R16']);
    expect(withStore(dir, (store) => store.decisionChain.head()?.index)).toBe(1);
  });

  it('detects a clock set back while the workstation was closed', async () => {
    time.advance(10 * MINUTE);
    await ws.workstation.close();
    time = manualTime(TUESDAY_10 - 60 * MINUTE);
    await open();

    const state = await session();
    expect(state.clock?.trusted).toBe(false);
    expect(state.clock?.reason).toContain('al iniciar, el 03/03/2026 09:00, el reloj del equipo estaba 1 h 10 min o más atrás');
    expect((await dial('d1-c1', 1)).decision.rules).toEqual(['R16']);
    await vi.waitFor(() => expect(withStore(dir, (store) => store.clockJumps.latest(1)[0]?.kind)).toBe('restart'));
  });

  it('keeps detecting a clock set back after a second restart', async () => {
    await ws.workstation.close();
    time = manualTime(TUESDAY_10 - 60 * MINUTE);
    await open();
    expect((await session()).clock?.trusted).toBe(false);
    await ws.workstation.close();

    time = manualTime(TUESDAY_10 - 50 * MINUTE);
    await open();
    expect((await session()).clock?.trusted).toBe(false);
  });

  it('trusts a clock moved forward while the workstation was closed', async () => {
    await ws.workstation.close();
    time = manualTime(TUESDAY_10 + 3 * 60 * MINUTE);
    await open();

    expect((await session()).clock).toMatchObject({ trusted: true, jumpDetectedAt: null });
    expect((await dial('d1-c1', 1)).outcome).toBe('placed');
  });

  it('chains blocked and allowed decisions in the order they were made', async () => {
    await dial('d1-c2', 1);
    const placed = await dial('d1-c1', 2);
    if (placed.outcome !== 'placed') throw new Error('expected the call to be placed');
    const saved = await ws.call('wrapup:save', { attemptId: placed.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    expect(saved.ok).toBe(true);
    expect((await dial('d1-c1', 3)).decision.rules).toEqual(['R5']);

    const { chain, links } = withStore(dir, (store) => ({
      chain: store.decisionChain.verify(),
      links: store.outbox
        .oldest(10, 'ws')
        .events.flatMap((event) => (event.type === 'decision.recorded' ? [{ rules: event.payload.decision.rules, chain: event.payload.chain }] : [])),
    }));
    expect(chain).toMatchObject({ ok: true, count: 3 });
    expect(links.map((link) => [link.chain?.index, link.rules])).toEqual([
      [1, ['R7']],
      [2, []],
      [3, ['R5']],
    ]);
    expect(links[1]?.chain?.prevHash).toBe(links[0]?.chain?.hash);
    expect(links[2]?.chain?.prevHash).toBe(links[1]?.chain?.hash);
  });
});
