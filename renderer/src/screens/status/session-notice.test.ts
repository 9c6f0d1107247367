import { describe, expect, it } from 'vitest';
import { needsReauthentication, offlineSessionLabel } from './session-notice.ts';

describe('offlineSessionLabel', () => {
  const NOW = '2026-03-05T09:00:00-05:00';

  it.each([
    ['2026-03-06T10:00:00-05:00', 'Sesión sin conexión hasta 06/03/2026 10:00'],
    ['2026-03-06T15:00:00Z', 'Sesión sin conexión hasta 06/03/2026 10:00'],
    ['2026-12-31T23:59:00-05:00', 'Sesión sin conexión hasta 31/12/2026 23:59'],
  ])('shows %s in Bogotá time', (offlineUntil, label) => {
    expect(offlineSessionLabel(offlineUntil, NOW)).toBe(label);
  });

  it.each([
    { name: 'one minute ahead', offlineUntil: '2026-03-05T09:01:00-05:00', label: 'Sesión sin conexión hasta 05/03/2026 09:01' },
    { name: 'now', offlineUntil: '2026-03-05T09:00:00-05:00', label: 'Sesión sin conexión vencida el 05/03/2026 09:00' },
    { name: 'in the past', offlineUntil: '2026-03-04T18:30:00-05:00', label: 'Sesión sin conexión vencida el 04/03/2026 18:30' },
    { name: 'in the past, in UTC', offlineUntil: '2026-03-04T23:30:00Z', label: 'Sesión sin conexión vencida el 04/03/2026 18:30' },
  ])('shows an end $name', ({ offlineUntil, label }) => {
    expect(offlineSessionLabel(offlineUntil, NOW)).toBe(label);
  });

  it.each([null, undefined])('shows nothing for %s', (offlineUntil) => {
    expect(offlineSessionLabel(offlineUntil, NOW)).toBeNull();
  });
});

describe('needsReauthentication', () => {
  const user = { id: 'u1', username: 'agente1', fullName: 'Ana María Peña', role: 'agent' as const };

  it.each([
    { name: 'offline session, server reachable', state: { user, offlineUntil: '2026-03-06T10:00:00-05:00', serverReachable: true }, expected: true },
    { name: 'offline session, server unreachable', state: { user, offlineUntil: '2026-03-06T10:00:00-05:00', serverReachable: false }, expected: false },
    { name: 'server session', state: { user, offlineUntil: null, serverReachable: false }, expected: false },
    { name: 'nobody signed in', state: { user: null, offlineUntil: null, serverReachable: true }, expected: false },
    { name: 'older workstation without the field', state: { user, offlineUntil: '2026-03-06T10:00:00-05:00' }, expected: false },
  ])('returns $expected for $name', ({ state, expected }) => {
    expect(needsReauthentication(state)).toBe(expected);
  });
});
