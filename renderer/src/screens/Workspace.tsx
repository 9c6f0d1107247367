import { DebtorScreen } from './debtor/DebtorScreen.tsx';
import { WorklistScreen } from './worklist/WorklistScreen.tsx';
import { useDebtorStore } from '../store/debtor.ts';
import { useSessionStore } from '../store/session.ts';

/** Shows the signed-in area: the worklist, or a debtor, which a pending wrap-up keeps on screen. */
export function Workspace() {
  const screen = useDebtorStore((store) => store.screen);
  const hasWrapUp = useSessionStore((store) => store.state?.wrapUp != null);
  const guardMessage = useSessionStore((store) => store.guardMessage);
  const clearGuardMessage = useSessionStore((store) => store.clearGuardMessage);

  return (
    <div className="workspace">
      {guardMessage && (
        <div className="guard-banner" role="alert">
          <span data-testid="wrapup-required">{guardMessage}</span>
          <button type="button" className="link-button" onClick={clearGuardMessage}>
            Entendido
          </button>
        </div>
      )}
      {hasWrapUp || screen === 'debtor' ? <DebtorScreen /> : <WorklistScreen />}
    </div>
  );
}
