import type { StrategySet } from '@gestiona/core/strategy/schema';
import { addSegment, deleteSegment, moveSegment } from '../../../store/admin-strategy-draft.ts';
import { useAdminStrategyStore } from '../../../store/admin-strategy.ts';

/** Lists the segments in order: the first whose rule matches a debtor wins, and the last takes everyone left. */
export function SegmentList({ draft, selectedIndex }: { draft: StrategySet; selectedIndex: number }) {
  const { edit, select } = useAdminStrategyStore.getState();
  const last = draft.segments.length - 1;

  return (
    <section className="segment-list panel" aria-label="Segmentos en orden de evaluación">
      <h2>Segmentos</h2>
      <p className="muted">Se evalúan en orden: cada deudor queda en el primer segmento cuya regla cumple. El último recoge a todos los demás.</p>
      <ol>
        {draft.segments.map((segment, index) => (
          <li key={`${index}-${segment.id}`} className={index === selectedIndex ? 'segment-item selected' : 'segment-item'} data-testid="segment-row" data-segment-id={segment.id}>
            <button type="button" className="segment-select" aria-current={index === selectedIndex} onClick={() => select(index)}>
              <span className="segment-position">{index + 1}.</span> {segment.name}
            </button>
            <span className="segment-actions">
              <button type="button" aria-label={`Subir ${segment.name}`} title="Subir" data-testid="segment-move-up" disabled={index === 0} onClick={() => edit((set) => moveSegment(set, index, -1), index - 1)}>
                ↑
              </button>
              <button type="button" aria-label={`Bajar ${segment.name}`} title="Bajar" data-testid="segment-move-down" disabled={index === last} onClick={() => edit((set) => moveSegment(set, index, 1), index + 1)}>
                ↓
              </button>
              <button
                type="button"
                aria-label={`Eliminar ${segment.name}`}
                title="Eliminar"
                data-testid="segment-delete"
                disabled={draft.segments.length === 1}
                onClick={() => {
                  if (window.confirm(`¿Eliminar el segmento «${segment.name}» del borrador?`)) edit((set) => deleteSegment(set, index), Math.max(0, index - 1));
                }}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <button
        type="button"
        data-testid="segment-add"
        onClick={() => {
          const added = addSegment(draft);
          edit(() => added.set, added.index);
        }}
      >
        Agregar segmento
      </button>
    </section>
  );
}
