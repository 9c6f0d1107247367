import { describe, expect, it } from 'vitest';
import { gateDecisionSchema } from '@gestiona/core/compliance/types';
import { sessionClockSchema } from '@gestiona/core/ipc';
import type { ClockJump, ClockReading } from '../clock.ts';
import { clockRefusal, clockReportFields, formatDuration, sessionClockOf, untrustedClockMessage } from './clock-state.ts';

const AT_10 = Date.parse('2026-03-03T15:00:00Z');
const MINUTE = 60_000;

function jump(overrides: Partial<ClockJump> = {}): ClockJump {
  return { kind: 'running', detectedAt: AT_10, localAt: AT_10 - 30 * MINUTE, jumpMs: -30 * MINUTE, ...overrides };
}

describe('formatDuration', () => {
  it.each([
    { ms: 0, text: '0 s' },
    { ms: 45_400, text: '45 s' },
    { ms: -45_600, text: '46 s' },
    { ms: 5 * MINUTE, text: '5 min' },
    { ms: 12 * MINUTE + 5_000, text: '12 min 5 s' },
    { ms: 60 * MINUTE, text: '1 h' },
    { ms: -(2 * 60 + 10) * MINUTE, text: '2 h 10 min' },
    { ms: 3 * 24 * 60 * MINUTE, text: '3 días' },
  ])('writes $ms ms as "$text"', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('untrustedClockMessage', () => {
  it.each([
    {
      case: 'a backward jump before any sync',
      distrust: { kind: 'jump-before-sync' as const, jump: jump() },
      text:
        'El reloj de este equipo no es confiable: el 03/03/2026 10:00 se detectó un cambio en el reloj del equipo (se atrasó 30 min) ' +
        'y la hora aún no se ha sincronizado con el servidor. Conéctese al servidor para sincronizar la hora.',
    },
    {
      case: 'a forward jump before any sync',
      distrust: { kind: 'jump-before-sync' as const, jump: jump({ jumpMs: 2 * 60 * MINUTE }) },
      text:
        'El reloj de este equipo no es confiable: el 03/03/2026 10:00 se detectó un cambio en el reloj del equipo (se adelantó 2 h) ' +
        'y la hora aún no se ha sincronizado con el servidor. Conéctese al servidor para sincronizar la hora.',
    },
    {
      case: 'a clock set back while closed',
      distrust: { kind: 'jump-before-sync' as const, jump: jump({ kind: 'restart', jumpMs: -90 * MINUTE }) },
      text:
        'El reloj de este equipo no es confiable: al iniciar, el 03/03/2026 10:00, el reloj del equipo estaba 1 h 30 min o más atrás ' +
        'de la última hora que registró Gestiona y la hora aún no se ha sincronizado con el servidor. Conéctese al servidor para sincronizar la hora.',
    },
    {
      case: 'a drift above the maximum',
      distrust: { kind: 'drift' as const, offsetMs: -10 * MINUTE, maxOffsetMs: 5 * MINUTE },
      text:
        'El reloj de este equipo no es confiable: su hora difiere 10 min de la hora del servidor (se admiten hasta 5 min). ' +
        'Corrija la hora del equipo. Conéctese al servidor para sincronizar la hora.',
    },
  ])('explains $case', ({ distrust, text }) => {
    expect(untrustedClockMessage(distrust)).toBe(text);
  });
});

describe('sessionClockOf', () => {
  it('shows a trusted clock', () => {
    const reading: ClockReading = { offsetMs: 1_500, lastSyncAt: AT_10, lastJump: null, distrust: null };
    const state = sessionClockOf(reading);
    expect(state).toEqual({ trusted: true, offsetMs: 1_500, lastSyncAt: '2026-03-03T10:00:00-05:00', jumpDetectedAt: null, jumpMs: null, reason: null });
    expect(sessionClockSchema.parse(state)).toEqual(state);
  });

  it('shows an untrusted clock with its reason and jump', () => {
    const detected = jump();
    const distrust = { kind: 'jump-before-sync' as const, jump: detected };
    const state = sessionClockOf({ offsetMs: 30 * MINUTE, lastSyncAt: null, lastJump: detected, distrust });
    expect(state).toEqual({
      trusted: false,
      offsetMs: 30 * MINUTE,
      lastSyncAt: null,
      jumpDetectedAt: '2026-03-03T10:00:00-05:00',
      jumpMs: -30 * MINUTE,
      reason: untrustedClockMessage(distrust),
    });
    expect(sessionClockSchema.parse(state)).toEqual(state);
  });
});

describe('clockRefusal', () => {
  it('blocks with R16 and the reason, with no next slot', () => {
    const decision = clockRefusal('El reloj de este equipo no es confiable: …', '2026.1', '2026-03-03T10:00:00-05:00');
    expect(gateDecisionSchema.parse(decision)).toEqual(decision);
    expect(decision.allowed).toBe(false);
    expect(decision.rules).toEqual(['R16']);
    expect(decision.reasons).toEqual([{ rule: 'R16', message: 'El reloj de este equipo no es confiable: …' }]);
    expect(decision.nextAllowedAt).toBeNull();
  });
});

describe('clockReportFields', () => {
  it('flattens the clock state for state:report', () => {
    const state = sessionClockOf({ offsetMs: 0, lastSyncAt: AT_10, lastJump: jump(), distrust: null });
    expect(clockReportFields(state, 4)).toEqual({
      clockTrusted: true,
      clockOffsetMs: 0,
      clockLastSyncAt: '2026-03-03T10:00:00-05:00',
      clockJumpAt: '2026-03-03T10:00:00-05:00',
      clockJumpMs: -30 * MINUTE,
      clockJumps: 4,
      clockReason: null,
    });
  });

  it('cuts the reason to the length the server accepts', () => {
    const state = { ...sessionClockOf({ offsetMs: 0, lastSyncAt: null, lastJump: null, distrust: null }), trusted: false, reason: 'x'.repeat(800) };
    expect(clockReportFields(state, 0).clockReason).toHaveLength(500);
  });
});
