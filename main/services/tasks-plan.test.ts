import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import { describe, expect, it } from 'vitest';
import { dueCallTask, planTimeline, type DebtorTimelineFacts, type StopEvent } from './tasks-plan.ts';

const ALL_STOPS: TimelineActivity['stopOn'] = ['promise-made', 'dispute-opened', 'payment-received'];

function activity(overrides: Partial<TimelineActivity> & Pick<TimelineActivity, 'id'>): TimelineActivity {
  return { channel: 'call', anchor: 'assignment', dayOffset: 0, repeat: null, stopOn: ALL_STOPS, ...overrides };
}

function facts(overrides: Partial<DebtorTimelineFacts> = {}): DebtorTimelineFacts {
  return { assignedOn: '2026-12-01', earliestDueDate: '2026-11-20', stops: [], callDates: [], serverSends: [], ...overrides };
}

function datesOf(activities: TimelineActivity[], debtor: DebtorTimelineFacts, today: string): string[] {
  return planTimeline(activities, debtor, today).map((occurrence) => `${occurrence.activityId}#${occurrence.number} ${occurrence.date} ${occurrence.state}`);
}

describe('planTimeline dates', () => {
  it.each<[string, TimelineActivity, string[]]>([
    ['offset from assignment', activity({ id: 'bienvenida', dayOffset: 2 }), ['bienvenida#1 2026-12-03 planned']],
    ['day 0 of assignment, due today', activity({ id: 'bienvenida' }), ['bienvenida#1 2026-12-01 due']],
    ['offset from the due date', activity({ id: 'vence', anchor: 'due-date', dayOffset: 15 }), ['vence#1 2026-12-05 planned']],
    ['negative offset before the due date', activity({ id: 'aviso', anchor: 'due-date', dayOffset: -5 }), ['aviso#1 2026-11-15 due']],
    [
      'repetition counts extra occurrences',
      activity({ id: 'seguimiento', channel: 'sms', dayOffset: 1, repeat: { everyDays: 3, times: 2 } }),
      ['seguimiento#1 2026-12-02 planned', 'seguimiento#2 2026-12-05 planned', 'seguimiento#3 2026-12-08 planned'],
    ],
    [
      'repetition across a month end',
      activity({ id: 'carta', channel: 'letter', anchor: 'due-date', dayOffset: 0, repeat: { everyDays: 7, times: 2 } }),
      ['carta#1 2026-11-20 due', 'carta#2 2026-11-27 due', 'carta#3 2026-12-04 planned'],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(datesOf([spec], facts(), '2026-12-01')).toEqual(expected);
  });

  it('skips due-date activities without a due date', () => {
    const plan = planTimeline([activity({ id: 'vence', anchor: 'due-date' })], facts({ earliestDueDate: null }), '2026-12-01');
    expect(plan).toEqual([]);
  });

  it('skips assignment activities without an assignment', () => {
    const plan = planTimeline([activity({ id: 'bienvenida' })], facts({ assignedOn: null }), '2026-12-01');
    expect(plan).toEqual([]);
  });

  it('sorts by date, then by timeline order', () => {
    const activities = [activity({ id: 'b', channel: 'email', dayOffset: 1 }), activity({ id: 'a', dayOffset: 1 }), activity({ id: 'c', channel: 'sms' })];
    expect(planTimeline(activities, facts(), '2026-11-01').map((occurrence) => occurrence.activityId)).toEqual(['c', 'b', 'a']);
  });
});

describe('planTimeline stop conditions', () => {
  const repeated = activity({ id: 'seguimiento', dayOffset: 1, repeat: { everyDays: 2, times: 3 }, stopOn: ['promise-made'] });

  it.each<[string, StopEvent[], TimelineActivity, string[]]>([
    [
      'promise stops later occurrences',
      [{ kind: 'promise-made', date: '2026-12-04' }],
      repeated,
      ['seguimiento#1 2026-12-02 planned', 'seguimiento#2 2026-12-04 stopped', 'seguimiento#3 2026-12-06 stopped', 'seguimiento#4 2026-12-08 stopped'],
    ],
    [
      'an event the activity ignores',
      [{ kind: 'dispute-opened', date: '2026-12-02' }],
      repeated,
      ['seguimiento#1 2026-12-02 planned', 'seguimiento#2 2026-12-04 planned', 'seguimiento#3 2026-12-06 planned', 'seguimiento#4 2026-12-08 planned'],
    ],
    [
      'payment received stops everything after it',
      [{ kind: 'payment-received', date: '2026-12-01' }],
      activity({ id: 'sms', channel: 'sms', dayOffset: 3, stopOn: ['payment-received'] }),
      ['sms#1 2026-12-04 stopped'],
    ],
    [
      'a stopped strategy stops every activity',
      [{ kind: 'strategy-stop', date: '2026-12-03' }],
      activity({ id: 'visita', channel: 'visit', dayOffset: 5, stopOn: [] }),
      ['visita#1 2026-12-06 stopped'],
    ],
  ])('%s', (_name, stops, spec, expected) => {
    expect(datesOf([spec], facts({ stops }), '2026-12-01')).toEqual(expected);
  });

  it('names the event that stopped an occurrence', () => {
    const [occurrence] = planTimeline([repeated], facts({ stops: [{ kind: 'promise-made', date: '2026-12-01' }] }), '2026-12-01');
    expect(occurrence?.stoppedBy).toBe('promise-made');
  });
});

describe('planTimeline call states', () => {
  const daily = activity({ id: 'llamada', repeat: { everyDays: 3, times: 2 } });

  it.each<[string, string[], string, string[]]>([
    ['due on its day', [], '2026-12-01', ['llamada#1 2026-12-01 due', 'llamada#2 2026-12-04 planned', 'llamada#3 2026-12-07 planned']],
    ['still due the next day', [], '2026-12-02', ['llamada#1 2026-12-01 due', 'llamada#2 2026-12-04 planned', 'llamada#3 2026-12-07 planned']],
    ['done by a call that day', ['2026-12-01'], '2026-12-01', ['llamada#1 2026-12-01 done', 'llamada#2 2026-12-04 planned', 'llamada#3 2026-12-07 planned']],
    ['done by a later call', ['2026-12-03'], '2026-12-03', ['llamada#1 2026-12-01 done', 'llamada#2 2026-12-04 planned', 'llamada#3 2026-12-07 planned']],
    ['a call before the date does not count', ['2026-11-30'], '2026-12-01', ['llamada#1 2026-12-01 due', 'llamada#2 2026-12-04 planned', 'llamada#3 2026-12-07 planned']],
    ['missed once the next is due', [], '2026-12-04', ['llamada#1 2026-12-01 missed', 'llamada#2 2026-12-04 due', 'llamada#3 2026-12-07 planned']],
    ['the last one stays due', ['2026-12-04'], '2026-12-20', ['llamada#1 2026-12-01 missed', 'llamada#2 2026-12-04 done', 'llamada#3 2026-12-07 due']],
  ])('%s', (_name, callDates, today, expected) => {
    expect(datesOf([daily], facts({ callDates }), today)).toEqual(expected);
  });
});

describe('planTimeline server sends', () => {
  const sms = activity({ id: 'recordatorio', channel: 'sms', dayOffset: 1, repeat: { everyDays: 3, times: 1 } });
  const letter = activity({ id: 'carta', channel: 'letter', dayOffset: 1 });
  const sent = (activityId: string, occurrenceDate: string, at: string) => ({ activityId, occurrenceDate, at });

  it.each<[string, TimelineActivity, DebtorTimelineFacts['serverSends'], string, string[]]>([
    ['due until the server sends it', sms, [], '2026-12-03', ['recordatorio#1 2026-12-02 due', 'recordatorio#2 2026-12-05 planned']],
    ['done once sent', sms, [sent('recordatorio', '2026-12-02', '2026-12-02T10:00:00-05:00')], '2026-12-03', ['recordatorio#1 2026-12-02 done', 'recordatorio#2 2026-12-05 planned']],
    [
      'a send of one occurrence leaves the next due',
      sms,
      [sent('recordatorio', '2026-12-02', '2026-12-02T10:00:00-05:00')],
      '2026-12-06',
      ['recordatorio#1 2026-12-02 done', 'recordatorio#2 2026-12-05 due'],
    ],
    ['a send rescheduled to a later day', sms, [sent('recordatorio', '2026-12-02', '2026-12-04T07:00:00-05:00')], '2026-12-04', ['recordatorio#1 2026-12-02 done', 'recordatorio#2 2026-12-05 planned']],
    ['a send of another activity does not count', sms, [sent('otro', '2026-12-02', '2026-12-02T10:00:00-05:00')], '2026-12-03', ['recordatorio#1 2026-12-02 due', 'recordatorio#2 2026-12-05 planned']],
    ['a letter cleared for its batch', letter, [sent('carta', '2026-12-02', '2026-12-02T09:00:00-05:00')], '2026-12-02', ['carta#1 2026-12-02 done']],
  ])('%s', (_name, spec, serverSends, today, expected) => {
    expect(datesOf([spec], facts({ serverSends }), today)).toEqual(expected);
  });

  it('keeps the send instant', () => {
    const [occurrence] = planTimeline([letter], facts({ serverSends: [sent('carta', '2026-12-02', '2026-12-02T09:00:00-05:00')] }), '2026-12-02');
    expect(occurrence?.sentAt).toBe('2026-12-02T09:00:00-05:00');
  });

  it('shows a send as done despite a stop the same day', () => {
    const stops: StopEvent[] = [{ kind: 'payment-received', date: '2026-12-02' }];
    const serverSends = [sent('recordatorio', '2026-12-02', '2026-12-02T08:00:00-05:00')];
    expect(datesOf([sms], facts({ stops, serverSends }), '2026-12-02')).toEqual(['recordatorio#1 2026-12-02 done', 'recordatorio#2 2026-12-05 stopped']);
  });

  it('never marks a call done by a server send', () => {
    const call = activity({ id: 'llamada', dayOffset: 1 });
    expect(datesOf([call], facts({ serverSends: [sent('llamada', '2026-12-02', '2026-12-02T08:00:00-05:00')] }), '2026-12-02')).toEqual(['llamada#1 2026-12-02 due']);
  });
});

describe('dueCallTask', () => {
  it('returns the earliest due call', () => {
    const activities = [activity({ id: 'segunda', dayOffset: 2 }), activity({ id: 'primera', dayOffset: 1 }), activity({ id: 'sms', channel: 'sms' })];
    expect(dueCallTask(activities, facts(), '2026-12-05')).toMatchObject({ activityId: 'primera', date: '2026-12-02' });
  });

  it('returns null when the call is stopped', () => {
    const stops: StopEvent[] = [{ kind: 'promise-made', date: '2026-12-01' }];
    expect(dueCallTask([activity({ id: 'llamada', dayOffset: 1 })], facts({ stops }), '2026-12-05')).toBeNull();
  });

  it('returns null before the first date', () => {
    expect(dueCallTask([activity({ id: 'llamada', dayOffset: 10 })], facts(), '2026-12-05')).toBeNull();
  });

  it('ignores other channels', () => {
    expect(dueCallTask([activity({ id: 'correo', channel: 'email' })], facts(), '2026-12-05')).toBeNull();
  });
});
