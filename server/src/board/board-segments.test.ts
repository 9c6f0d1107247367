import { describe, expect, it } from 'vitest';
import { NO_SEGMENT_KEY, queueConditionSql, queueKeyOf, queueLabelOf, type QueueSegment } from './board-segments.ts';

const SEGMENTS: QueueSegment[] = [
  { id: 'capital', name: 'Zona capital' },
  { id: 'resto', name: 'Resto del país' },
];

describe('board queues', () => {
  it.each([
    ['capital', 'capital'],
    ['resto', 'resto'],
    [null, NO_SEGMENT_KEY],
    // A slug of an earlier strategy, or the factory band of a debtor never re-segmented.
    ['media', NO_SEGMENT_KEY],
    ['', NO_SEGMENT_KEY],
  ])('puts segment %j in queue %j', (segmentId, key) => {
    expect(queueKeyOf(SEGMENTS, segmentId)).toBe(key);
  });

  it('labels a queue with the strategy name, and nothing for an unknown key', () => {
    expect(queueLabelOf(SEGMENTS, 'resto')).toBe('Resto del país');
    expect(queueLabelOf(SEGMENTS, NO_SEGMENT_KEY)).toBe('Sin segmento');
    expect(queueLabelOf(SEGMENTS, 'media')).toBeNull();
  });

  it('filters a segment queue on its slug', () => {
    expect(queueConditionSql(SEGMENTS, 'capital', 'd.segment_id', 'd.id')).toEqual({ sql: 'd.segment_id = ?', params: ['capital'] });
  });

  it('filters «Sin segmento» on debtors outside every segment', () => {
    expect(queueConditionSql(SEGMENTS, NO_SEGMENT_KEY, 'd.segment_id', 'd.id')).toEqual({
      sql: '(d.id IS NOT NULL AND (d.segment_id IS NULL OR d.segment_id NOT IN (?, ?)))',
      params: ['capital', 'resto'],
    });
    expect(queueConditionSql([], NO_SEGMENT_KEY, 'd.segment_id', 'd.id')).toEqual({ sql: '(d.id IS NOT NULL AND (d.segment_id IS NULL))', params: [] });
  });
});
