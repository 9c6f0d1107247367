import type { StrategySet, TimelineActivity } from '@gestiona/core/strategy/schema';
import { describe, expect, it } from 'vitest';
import {
  addActivity,
  addSegment,
  addTreatment,
  dayRange,
  deleteActivity,
  deleteSegment,
  deleteTreatment,
  moveSegment,
  occurrenceOffsets,
  timelineOf,
  uniqueId,
  updateActivity,
} from './admin-strategy-draft.ts';
import { nextVersion } from './admin-strategy.ts';

const SET: StrategySet = {
  version: '2026.1',
  segments: [
    { id: 'temprana', name: 'Temprana', rule: { all: [{ variable: 'daysPastDue', op: 'lte', value: 30 }] }, strategy: { priority: 'daysPastDue', scriptId: 'guion-temprana', timeline: [] } },
    { id: 'media', name: 'Media', rule: { all: [{ variable: 'daysPastDue', op: 'lte', value: 90 }] }, strategy: { priority: 'daysPastDue', scriptId: 'guion-media', timeline: [] } },
    {
      id: 'resto',
      name: 'Resto',
      rule: { all: [] },
      strategy: { priority: 'totalBalanceCop', scriptId: 'guion-tardia', timeline: [{ id: 'llamada', channel: 'call', anchor: 'assignment', dayOffset: 1, stopOn: [] }] },
    },
  ],
};

const ids = (set: StrategySet): string[] => set.segments.map((segment) => segment.id);

describe('segment order', () => {
  it.each<[number, -1 | 1, string[]]>([
    [1, -1, ['media', 'temprana', 'resto']],
    [0, 1, ['media', 'temprana', 'resto']],
    [0, -1, ['temprana', 'media', 'resto']],
    [2, 1, ['temprana', 'media', 'resto']],
  ])('moves segment %i by %i', (index, delta, expected) => {
    expect(ids(moveSegment(SET, index, delta))).toEqual(expected);
  });

  it('adds a segment before the catch-all', () => {
    const { set, index } = addSegment(SET);
    expect(index).toBe(2);
    expect(ids(set)).toEqual(['temprana', 'media', 'segmento-nuevo', 'resto']);
    expect(set.segments[2]?.strategy).toEqual(SET.segments[2]?.strategy);
  });

  it('deletes a segment', () => {
    expect(ids(deleteSegment(SET, 1))).toEqual(['temprana', 'resto']);
  });

  it('leaves the input unchanged', () => {
    moveSegment(SET, 0, 1);
    addSegment(SET);
    expect(ids(SET)).toEqual(['temprana', 'media', 'resto']);
  });
});

describe('timeline edits', () => {
  it('adds an activity with a free id', () => {
    const { set, activityId } = addActivity(SET, 2, { kind: 'segment' }, 'call', 4);
    expect(activityId).toBe('llamada-2');
    expect(set.segments[2]?.strategy.timeline.map((activity) => `${activity.id}@${activity.dayOffset}`)).toEqual(['llamada@1', 'llamada-2@4']);
  });

  it('updates and deletes an activity', () => {
    const moved = updateActivity(SET, 2, { kind: 'segment' }, 'llamada', { dayOffset: 6, repeat: { everyDays: 2, times: 1 } });
    expect(moved.segments[2]?.strategy.timeline[0]).toMatchObject({ dayOffset: 6, repeat: { everyDays: 2, times: 1 } });
    expect(deleteActivity(moved, 2, { kind: 'segment' }, 'llamada').segments[2]?.strategy.timeline).toEqual([]);
  });

  it('edits a treatment timeline apart from the segment', () => {
    const split = addTreatment(SET, 2);
    const { set } = addActivity(split, 2, { kind: 'treatment', index: 1 }, 'sms', 0);
    expect(timelineOf(set.segments[2]!, { kind: 'treatment', index: 1 }).map((activity) => activity.id)).toEqual(['llamada', 'sms']);
    expect(timelineOf(set.segments[2]!, { kind: 'segment' }).map((activity) => activity.id)).toEqual(['llamada']);
    expect(timelineOf(set.segments[2]!, { kind: 'treatment', index: 0 }).map((activity) => activity.id)).toEqual(['llamada']);
  });

  it.each<[TimelineActivity['repeat'], number[]]>([
    [null, [3]],
    [undefined, [3]],
    [{ everyDays: 5, times: 2 }, [3, 8, 13]],
  ])('places repetitions %j', (repeat, expected) => {
    expect(occurrenceOffsets({ id: 'x', channel: 'sms', anchor: 'assignment', dayOffset: 3, repeat, stopOn: [] })).toEqual(expected);
  });

  it('shows day 0 and every occurrence', () => {
    const timeline: TimelineActivity[] = [
      { id: 'antes', channel: 'sms', anchor: 'due-date', dayOffset: -3, stopOn: [] },
      { id: 'despues', channel: 'call', anchor: 'assignment', dayOffset: 20, repeat: { everyDays: 5, times: 1 }, stopOn: [] },
    ];
    expect(dayRange(timeline)).toEqual({ from: -3, to: 27 });
    expect(dayRange([])).toEqual({ from: 0, to: 14 });
  });
});

describe('treatments', () => {
  it('splits into champion and challenger at 50 %', () => {
    const treatments = addTreatment(SET, 0).segments[0]?.strategy.treatments;
    expect(treatments?.map((treatment) => `${treatment.role}:${treatment.percent}`)).toEqual(['champion:50', 'challenger:50']);
  });

  it('takes a new challenger share from the champion', () => {
    const treatments = addTreatment(addTreatment(SET, 0), 0).segments[0]?.strategy.treatments;
    expect(treatments?.map((treatment) => `${treatment.id}:${treatment.percent}`)).toEqual(['campeon:40', 'retador:50', 'retador-2:10']);
  });

  it('removes the split with its last treatment', () => {
    let set = addTreatment(SET, 0);
    set = deleteTreatment(deleteTreatment(set, 0, 1), 0, 0);
    expect(set.segments[0]?.strategy).not.toHaveProperty('treatments');
  });
});

describe('ids and versions', () => {
  it.each([
    ['llamada', [], 'llamada'],
    ['llamada', ['llamada'], 'llamada-2'],
    ['llamada', ['llamada', 'llamada-2'], 'llamada-3'],
  ])('uniqueId(%s, %j)', (base, taken, expected) => {
    expect(uniqueId(base, taken)).toBe(expected);
  });

  it.each([
    ['2026.1', '2026.2'],
    ['2026.9', '2026.10'],
    ['v7', 'v8'],
    ['piloto', 'piloto.1'],
  ])('nextVersion(%s)', (version, expected) => {
    expect(nextVersion(version)).toBe(expected);
  });
});
