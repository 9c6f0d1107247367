import { useEffect } from 'react';
import { showDocument } from '../../display.ts';
import { useRefreshWhenSlotOpens } from '../../hooks/useRefreshWhenSlotOpens.ts';
import { isTypingTarget } from '../../keyboard.ts';
import { SEGMENT_LABELS } from '../../labels.ts';
import { useDebtorStore } from '../../store/debtor.ts';
import { useSessionStore } from '../../store/session.ts';
import { useWrapUpStore } from '../../store/wrapup.ts';
import { WrapUpPanel } from '../wrapup/WrapUpPanel.tsx';
import { DialResultPanel } from './DialResultPanel.tsx';
import { ObligationsTable } from './ObligationsTable.tsx';
import { PersonsPanel } from './PersonsPanel.tsx';
import { ScriptPanel } from './ScriptPanel.tsx';
import { TimelinePanel } from './TimelinePanel.tsx';
import { StrategyPlanPanel } from './StrategyPlanPanel.tsx';

export function DebtorScreen() {
  const view = useDebtorStore((store) => store.view);
  const loading = useDebtorStore((store) => store.loading);
  const error = useDebtorStore((store) => store.error);
  const backToWorklist = useDebtorStore((store) => store.backToWorklist);
  const wrapUp = useSessionStore((store) => store.state?.wrapUp ?? null);
  const savedMessage = useWrapUpStore((store) => store.savedMessage);

  useRefreshWhenSlotOpens(view);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' && !event.defaultPrevented && !isTypingTarget(event.target)) backToWorklist();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [backToWorklist]);

  // While the view loads (or fails) the pending wrap-up still names the debtor, so the form stays usable.
  const name = view?.fullName ?? wrapUp?.debtorName ?? '';

  return (
    <section className="debtor-screen" data-testid="debtor-view">
      <header className="debtor-header">
        <button type="button" className="back-button" data-testid="back-to-worklist" onClick={() => backToWorklist()}>
          ← Lista de trabajo
        </button>
        <h1 className="debtor-name" data-testid="debtor-name">
          <bdi>{name}</bdi>
        </h1>
        {view && (
          <>
            <span className="debtor-meta">{showDocument(view.docType, view.docNumber)}</span>
            {view.city && (
              <span className="debtor-meta">
                <bdi>{view.city}</bdi>
              </span>
            )}
            <span className={`segment-tag segment-${view.segment}`}>{view.strategyPlan?.segmentName ?? SEGMENT_LABELS[view.segment] ?? view.segment}</span>
          </>
        )}
        {loading && <span className="muted">Actualizando…</span>}
      </header>

      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}

      {view?.holdText && (
        <p className="message message-error" role="alert" data-testid="debtor-hold">
          {view.holdText}
        </p>
      )}

      <div className="debtor-body">
        <div className="debtor-main">
          <DialResultPanel />
          {wrapUp && <WrapUpPanel wrapUp={wrapUp} />}
          {!wrapUp && savedMessage && (
            <p className="message message-success" role="status" data-testid="wrapup-saved">
              {savedMessage}
            </p>
          )}
          {view && (
            <>
              <ObligationsTable view={view} />
              <PersonsPanel view={view} />
              <TimelinePanel entries={view.timeline ?? []} identityConfirmed={view.identity.confirmed} />
              {view.strategyPlan && <StrategyPlanPanel plan={view.strategyPlan} />}
            </>
          )}
        </div>
        <aside className="debtor-side">{view && <ScriptPanel script={view.script} />}</aside>
      </div>
    </section>
  );
}
