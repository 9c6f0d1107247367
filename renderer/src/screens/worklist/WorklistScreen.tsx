import { useEffect, useRef, useState } from 'react';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { isTypingTarget } from '../../keyboard.ts';
import { useDebtorStore } from '../../store/debtor.ts';
import { useWorklistStore, WORKLIST_PAGE_SIZE } from '../../store/worklist.ts';
import { LEGAL_STATUS_LABELS, type LegalStatus } from '../../labels.ts';
import { WorklistRow } from './WorklistRow.tsx';

const SEARCH_DEBOUNCE_MS = 300;

export function WorklistScreen() {
  const { items, total, offset, search, selectedIndex, loading, error, segments, segmentFilter, legalStatusFilter } = useWorklistStore();
  const load = useWorklistStore((store) => store.load);
  const select = useWorklistStore((store) => store.select);
  const openDebtor = useDebtorStore((store) => store.open);
  const now = useTrustedNow();

  const [searchText, setSearchText] = useState(search);
  const settledSearch = useDebouncedValue(searchText, SEARCH_DEBOUNCE_MS);
  const selectedRow = useRef<HTMLTableRowElement | null>(null);
  const searchInput = useRef<HTMLInputElement | null>(null);

  // Statuses change with the clock and with contacts made elsewhere, so each visit reads the page again.
  useEffect(() => {
    void useWorklistStore.getState().reload();
  }, []);

  useEffect(() => {
    if (settledSearch !== useWorklistStore.getState().search) void load({ offset: 0, search: settledSearch, select: 'first' });
  }, [settledSearch, load]);

  useEffect(() => {
    selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedIndex, items]);

  // Listening on the window keeps the arrows working after a click moved focus off the search box.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.target instanceof HTMLButtonElement) return;
      if (isTypingTarget(event.target) && event.target !== searchInput.current) return;
      switch (event.key) {
        case 'ArrowDown':
          event.preventDefault();
          void useWorklistStore.getState().moveSelection(1);
          return;
        case 'ArrowUp':
          event.preventDefault();
          void useWorklistStore.getState().moveSelection(-1);
          return;
        case 'Enter': {
          const { items, selectedIndex } = useWorklistStore.getState();
          const item = items[selectedIndex];
          if (!item) return;
          event.preventDefault();
          void useDebtorStore.getState().open(item.debtorId);
          return;
        }
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const lastShown = offset + items.length;
  const hasPrevious = offset > 0;
  const hasNext = lastShown < total;

  return (
    <section className="worklist-screen" data-testid="worklist">
      <header className="screen-header">
        <h1>Lista de trabajo</h1>
        <input
          className="search-input"
          ref={searchInput}
          data-testid="worklist-search"
          type="search"
          placeholder="Buscar por nombre o documento"
          aria-label="Buscar por nombre o documento"
          autoFocus
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
        />
        <span className="worklist-filters">
          <select
            aria-label="Filtrar por segmento"
            data-testid="worklist-segment-filter"
            value={segmentFilter}
            onChange={(event) => void load({ offset: 0, segmentFilter: event.target.value, select: 'first' })}
          >
            <option value="">Todos los segmentos</option>
            {segments.map((segment) => (
              <option key={segment.id} value={segment.id}>
                {segment.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Filtrar por estado legal"
            data-testid="worklist-legal-filter"
            value={legalStatusFilter}
            onChange={(event) => void load({ offset: 0, legalStatusFilter: event.target.value as LegalStatus | '', select: 'first' })}
          >
            <option value="">Todos los estados</option>
            {(Object.keys(LEGAL_STATUS_LABELS) as LegalStatus[]).map((status) => (
              <option key={status} value={status}>
                {LEGAL_STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </span>
        <span className="muted">{loading ? 'Cargando…' : `${total.toLocaleString('es-CO')} ${total === 1 ? 'deudor' : 'deudores'}`}</span>
        <span className="keyboard-hint">↑/↓ para moverse, Enter para abrir</span>
      </header>

      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}

      <div className="worklist-table-wrap" tabIndex={-1}>
        <table className="data-table worklist-table">
          <thead>
            <tr>
              <th>Deudor</th>
              <th>Documento</th>
              <th>Segmento</th>
              <th className="numeric">Saldo total</th>
              <th className="numeric">Días de mora</th>
              <th className="numeric">Oblig.</th>
              <th>Estado legal</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, index) => [
              sectionTitle(items, index) && (
                <tr key={`section-${index}`} className="worklist-section-row" data-testid="worklist-section">
                  <td colSpan={7}>{sectionTitle(items, index)}</td>
                </tr>
              ),
              <WorklistRow
                key={item.debtorId}
                item={item}
                selected={index === selectedIndex}
                rowRef={index === selectedIndex ? selectedRow : undefined}
                now={now}
                onOpen={() => {
                  select(index);
                  void openDebtor(item.debtorId);
                }}
              />,
            ])}
          </tbody>
        </table>
        {!loading && items.length === 0 && !error && (
          <p className="empty-state">{search.trim() ? `Ningún deudor coincide con «${search.trim()}».` : 'No tiene deudores asignados.'}</p>
        )}
      </div>

      <footer className="pager">
        <button type="button" disabled={!hasPrevious || loading} onClick={() => void load({ offset: Math.max(0, offset - WORKLIST_PAGE_SIZE) })}>
          Anterior
        </button>
        <span>{total === 0 ? '0 de 0' : `${offset + 1}–${lastShown} de ${total.toLocaleString('es-CO')}`}</span>
        <button type="button" disabled={!hasNext || loading} onClick={() => void load({ offset: offset + WORKLIST_PAGE_SIZE })}>
          Siguiente
        </button>
      </footer>
    </section>
  );
}

/** The worklist's parts, in the order main sends them. */
type WorklistPart = 'follow-ups' | 'tasks' | 'rest';

const PART_TITLES: Readonly<Record<WorklistPart, string>> = {
  'follow-ups': 'Seguimientos pendientes',
  tasks: 'Tareas de hoy',
  rest: 'Resto de la lista',
};

function partOf(item: { followUp?: { kind: string } | null; task?: unknown }): WorklistPart {
  // A broken promise is tagged but keeps the debtor's place, so it does not start the follow-ups.
  if (item.followUp && item.followUp.kind !== 'broken') return 'follow-ups';
  return item.task ? 'tasks' : 'rest';
}

/**
 * Returns the heading shown before row `index`: one before the first row of each part. Main sends
 * debtors with a follow-up due first, then those with a timeline call due, then the rest. A page
 * that starts in the rest gets no heading, because the list above it is on an earlier page.
 */
function sectionTitle(items: readonly { followUp?: { kind: string } | null; task?: unknown }[], index: number): string | null {
  const item = items[index];
  if (item === undefined) return null;
  const part = partOf(item);
  const previous = index > 0 ? partOf(items[index - 1]!) : null;
  if (part === previous || (previous === null && part === 'rest')) return null;
  return PART_TITLES[part];
}
