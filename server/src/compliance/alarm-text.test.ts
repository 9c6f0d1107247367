import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../store/types.ts';
import { alarmLines, parseSince } from './alarm-text.ts';

const alarm: AlarmRecord = {
  id: 7,
  kind: 'chain-gap',
  workstationId: 'ws-1',
  agentId: 'u-1',
  debtorId: 'CC-1',
  eventId: 'e-1',
  decisionId: 'd-1',
  detail: { index: 2 },
  message: 'Estación ws-1: Falta el registro 2 de la cadena de decisiones: fue borrado o no llegó.',
  createdAt: '2026-12-04T14:05:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
};

describe('alarmLines', () => {
  it('prints the Bogotá time, kind and place', () => {
    expect(alarmLines(alarm)).toEqual([
      '#7  04/12/2026 09:05  Faltan decisiones en la cadena (estación ws-1, agente u-1, deudor CC-1)',
      `    ${alarm.message}`,
    ]);
  });

  it('names who acknowledged it', () => {
    const lines = alarmLines({ ...alarm, acknowledgedAt: '2026-12-05T01:30:00.000Z', acknowledgedBy: 'supervisor1' });
    expect(lines[2]).toBe('    Revisada por supervisor1 el 04/12/2026 20:30.');
  });
});

describe('parseSince', () => {
  it.each([
    ['04/12/2026', '2026-12-04T05:00:00.000Z'],
    ['2026-12-04T08:00:00-05:00', '2026-12-04T13:00:00.000Z'],
    ['2026-12-04T13:00:00Z', '2026-12-04T13:00:00.000Z'],
  ])('parses %s', (text, expected) => {
    expect(parseSince(text)?.toISOString()).toBe(expected);
  });

  it.each(['ayer', '31/02/2026', '2026-12-04', '4/12/2026'])('rejects %s', (text) => {
    expect(parseSince(text)).toBeNull();
  });
});
