import { useEffect, useState } from 'react';
import type { BoardAgent, BoardDebtor } from '@gestiona/core/board';
import { callApi } from '../../../api/client.ts';
import { useBoardActionsStore } from './board-actions-store.ts';

/**
 * "Reasignar deudores": the debtors of one agent, or those of the lead's teams found by name or id,
 * and the agent of the lead's teams who receives the checked ones. The server moves each debtor once the previous
 * holder's workstation releases it or its lease ends, so the form warns that the move may stay pending.
 */
export function ReassignForm({ agents, fromAgentId }: { agents: readonly BoardAgent[]; fromAgentId: string }) {
  const { busy, reassign, closeReassign } = useBoardActionsStore();
  const [query, setQuery] = useState('');
  const [debtors, setDebtors] = useState<BoardDebtor[]>([]);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const targets = agents.filter((agent) => agent.agentId !== fromAgentId);
  const [toAgentId, setToAgentId] = useState(targets[0]?.agentId ?? '');
  const fromName = agents.find((agent) => agent.agentId === fromAgentId)?.fullName ?? fromAgentId;

  async function search(text: string): Promise<void> {
    setError(null);
    // A search covers every debtor of the lead's teams, so a debtor can be found without knowing its agent.
    const result = await callApi('board:debtors', text.trim() === '' ? { agentId: fromAgentId } : { query: text });
    if (result.ok) setDebtors(result.value);
    else setError(result.error.message);
  }

  // The panel mounts a new form per source agent (`key`), so the checked debtors start empty.
  useEffect(() => {
    let cancelled = false;
    void callApi('board:debtors', { agentId: fromAgentId }).then((result) => {
      if (cancelled) return;
      if (result.ok) setDebtors(result.value);
      else setError(result.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [fromAgentId]);

  function toggle(debtorId: string): void {
    const next = new Set(checked);
    if (next.has(debtorId)) next.delete(debtorId);
    else next.add(debtorId);
    setChecked(next);
  }

  async function submit(): Promise<void> {
    if (await reassign([...checked], toAgentId)) {
      setChecked(new Set());
      void search(query);
    }
  }

  return (
    <div className="board-reassign" data-testid="board-reassign-form">
      <h3>Reasignar deudores</h3>
      <p>Se listan los deudores de {fromName}; la búsqueda cubre todos los deudores de sus equipos.</p>
      <p className="muted">El deudor pasa al nuevo agente cuando la estación anterior lo libera o cuando vence su asignación; mientras tanto queda pendiente de reasignación.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void search(query);
        }}
      >
        <input aria-label="Buscar deudor por nombre o documento" data-testid="board-reassign-search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Nombre o documento" />{' '}
        <button type="submit">Buscar</button>
      </form>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      <ul className="board-reassign-debtors">
        {debtors.map((debtor) => (
          <li key={debtor.debtorId}>
            <label>
              <input type="checkbox" data-testid="board-reassign-debtor" data-debtor={debtor.debtorId} checked={checked.has(debtor.debtorId)} disabled={debtor.pendingReassignment} onChange={() => toggle(debtor.debtorId)} />{' '}
              <bdi>{debtor.fullName}</bdi> ({debtor.debtorId})
              {debtor.agentName !== null && debtor.agentId !== fromAgentId && (
                <>
                  , de <bdi>{debtor.agentName}</bdi>
                </>
              )}
              {debtor.pendingReassignment ? ' — pendiente de reasignación' : ''}
            </label>
          </li>
        ))}
      </ul>
      {debtors.length === 0 && <p className="empty-state">Ningún deudor de sus equipos coincide.</p>}
      <label>
        Nuevo agente:{' '}
        <select data-testid="board-reassign-target" value={toAgentId} onChange={(event) => setToAgentId(event.target.value)}>
          {targets.map((agent) => (
            <option key={agent.agentId} value={agent.agentId}>
              {agent.fullName}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" data-testid="board-reassign-submit" disabled={busy || checked.size === 0 || toAgentId === ''} onClick={() => void submit()}>
        Reasignar {checked.size > 0 ? `(${checked.size})` : ''}
      </button>{' '}
      <button type="button" onClick={closeReassign}>
        Cerrar
      </button>
    </div>
  );
}
