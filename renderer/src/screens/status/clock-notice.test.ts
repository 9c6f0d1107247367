import { describe, expect, it } from 'vitest';
import type { SessionClock } from '@gestiona/core/ipc';
import { clockLabel, clockNotice } from './clock-notice.ts';

const TRUSTED: SessionClock = { trusted: true, offsetMs: 0, lastSyncAt: '2026-03-03T09:00:00-05:00', jumpDetectedAt: null, jumpMs: null, reason: null };

describe('clockNotice', () => {
  it('shows nothing for a trusted clock that never changed', () => {
    expect(clockNotice(TRUSTED)).toBeNull();
    expect(clockNotice(undefined)).toBeNull();
  });

  it('shows the reason of an untrusted clock as an error', () => {
    const reason = 'El reloj de este equipo no es confiable: su hora difiere 10 min de la hora del servidor (se admiten hasta 5 min).';
    expect(clockNotice({ ...TRUSTED, trusted: false, reason })).toEqual({ tone: 'error', text: reason });
  });

  it('warns about a change of a clock still trusted', () => {
    const notice = clockNotice({ ...TRUSTED, jumpDetectedAt: '2026-03-03T10:05:00-05:00', jumpMs: 120_000 });
    expect(notice).toEqual({
      tone: 'warning',
      text: 'Se detectó un cambio en el reloj del equipo el 03/03/2026 10:05. Gestiona usa la hora sincronizada con el servidor.',
    });
  });
});

describe('clockLabel', () => {
  it.each([
    { clock: TRUSTED, label: 'Reloj: sincronizado' },
    { clock: { ...TRUSTED, lastSyncAt: null }, label: 'Reloj: sin sincronizar' },
    { clock: { ...TRUSTED, trusted: false, reason: 'x' }, label: 'Reloj: no confiable' },
  ])('labels the clock "$label"', ({ clock, label }) => {
    expect(clockLabel(clock)).toBe(label);
  });
});
