import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../store/types.ts';
import { ALARM_CSV_HEADER, alarmCsv } from './alarm-csv.ts';

const alarm: AlarmRecord = {
  id: 7,
  kind: 'chain-gap',
  workstationId: '=HYPERLINK("http://x.example";"ws")',
  agentId: 'u-1',
  debtorId: 'CC-1',
  eventId: 'e-1',
  decisionId: 'd-1',
  detail: { index: 2 },
  message: '+Falta el registro 2; fue borrado o no llegó.',
  createdAt: '2026-12-04T14:05:00.000Z',
  acknowledgedAt: '2026-12-05T01:30:00.000Z',
  acknowledgedBy: '@supervisor1',
};

function records(text: string): string[][] {
  return parse(text, { delimiter: ';', bom: true }) as string[][];
}

describe('alarmCsv', () => {
  it('writes the header and Bogotá times', () => {
    const [header, row] = records(alarmCsv([alarm], new Map([['u-1', 'Luz Dary Ospina']])));
    expect(header).toEqual([...ALARM_CSV_HEADER]);
    expect(row![0]).toBe('7');
    expect(row![1]).toBe('04/12/2026 09:05');
    expect(row![2]).toBe('Faltan decisiones en la cadena');
    expect(row![4]).toBe('Luz Dary Ospina');
    expect(row![8]).toBe('04/12/2026 20:30');
  });

  it('neutralises formulas from workstation data', () => {
    const [, row] = records(alarmCsv([alarm]));
    expect(row![3]).toBe(`'${alarm.workstationId}`);
    expect(row![6]).toBe(`'${alarm.message}`);
    expect(row![7]).toBe("'@supervisor1");
  });

  it('leaves unacknowledged cells empty', () => {
    const [, row] = records(alarmCsv([{ ...alarm, debtorId: null, acknowledgedAt: null, acknowledgedBy: null }]));
    expect(row!.slice(5, 6)).toEqual(['']);
    expect(row!.slice(7)).toEqual(['', '']);
  });

  it('writes only the header without alarms', () => {
    expect(records(alarmCsv([]))).toEqual([[...ALARM_CSV_HEADER]]);
  });
});
