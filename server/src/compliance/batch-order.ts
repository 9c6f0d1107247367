/**
 * Orders one pushed batch by each event's per-workstation `seq`, so that the chain check reads the
 * workstation's decisions in the order it made them even when the batch arrives shuffled. Items
 * without a numeric `seq` (they will be rejected as invalid) keep their place relative to each
 * other, after the ordered ones. The sort is stable, so equal seqs keep their batch order.
 */
export function orderBatchBySeq(events: readonly unknown[]): unknown[] {
  const seqOf = (event: unknown): number => {
    if (typeof event !== 'object' || event === null || !('seq' in event)) return Number.POSITIVE_INFINITY;
    return typeof event.seq === 'number' && Number.isFinite(event.seq) ? event.seq : Number.POSITIVE_INFINITY;
  };
  return events
    .map((event, position) => ({ event, position, seq: seqOf(event) }))
    .sort((a, b) => {
      // Infinity - Infinity is NaN, so equal seqs (including two missing ones) compare by position.
      if (a.seq === b.seq) return a.position - b.position;
      return a.seq < b.seq ? -1 : 1;
    })
    .map((item) => item.event);
}
