import type { Board } from '@gestiona/core/board';

export function BlockedRulesPanel({ compliance }: { compliance: Board['compliance'] }) {
  return (
    <section className="board-panel" aria-labelledby="board-blocked-title">
      <h2 id="board-blocked-title">Intentos bloqueados por regla</h2>
      <p className="board-compliance-summary" data-testid="board-compliance-summary" data-decisions={compliance.decisions} data-blocked={compliance.blockedDecisions}>
        {compliance.decisions} {compliance.decisions === 1 ? 'decisión de cumplimiento' : 'decisiones de cumplimiento'} hoy,{' '}
        {compliance.blockedDecisions} {compliance.blockedDecisions === 1 ? 'bloqueada' : 'bloqueadas'}.
      </p>
      {compliance.blockedByRule.length === 0 ? (
        <p className="empty-state">Ningún intento bloqueado hoy.</p>
      ) : (
        <ul className="board-rule-list">
          {compliance.blockedByRule.map((entry) => (
            <li key={entry.rule} data-testid="board-blocked-rule" data-rule={entry.rule} data-count={entry.count}>
              <span className="rule-tag">{entry.rule}</span> {entry.count} {entry.count === 1 ? 'intento' : 'intentos'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
