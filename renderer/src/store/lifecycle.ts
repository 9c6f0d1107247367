/**
 * Wiring between the stores and main: the first session load, pushes, and what follows a change of
 * session (sign-in, sign-out, a wrap-up appearing or being saved).
 */
import type { PushMessage, SessionState } from '@gestiona/core/ipc';
import { assertNever } from '../exhaustive.ts';
import { subscribePush } from '../api/client.ts';
import { useDebtorStore } from './debtor.ts';
import { useDialStore } from './dial.ts';
import { useSessionStore } from './session.ts';
import { useWorklistStore } from './worklist.ts';
import { useWrapUpStore } from './wrapup.ts';

/** Loads the session and starts following main; returns the function that stops following. */
export function startWorkstation(): () => void {
  const stopPush = subscribePush(handlePush);
  const stopSession = useSessionStore.subscribe((current, previous) => {
    if (current.state !== previous.state) onSessionChange(current.state, previous.state);
  });

  void useSessionStore.getState().load();

  return () => {
    stopPush();
    stopSession();
  };
}

function handlePush(message: PushMessage): void {
  switch (message.type) {
    case 'session':
      useSessionStore.getState().applyState(message.state);
      return;
    case 'worklist-changed':
      loadCatalogIfMissing();
      refreshVisibleScreen();
      return;
    case 'board-changed':
      // The board screen subscribes to this push itself while it is shown.
      return;
    default:
      assertNever(message, 'push message');
  }
}

function refreshVisibleScreen(): void {
  if (!useSessionStore.getState().state?.user) return;
  if (useDebtorStore.getState().screen === 'debtor') {
    // A refresh during a dial would swap the contact points under the agent's click. The dial's own
    // result updates the screen instead.
    if (!useDialStore.getState().inFlight) void useDebtorStore.getState().refresh();
    return;
  }
  void useWorklistStore.getState().reload();
}

function onSessionChange(current: SessionState | null, previous: SessionState | null): void {
  const userId = current?.user?.id ?? null;
  const previousUserId = previous?.user?.id ?? null;

  if (userId !== previousUserId) {
    resetWorkStores();
    if (userId !== null) void useWrapUpStore.getState().loadCatalog();
  }
  if (userId === null) return;

  const wrapUp = current?.wrapUp ?? null;
  const previousWrapUp = previousUserId === userId ? (previous?.wrapUp ?? null) : null;

  // A new attempt starts from an empty form: nothing typed for an earlier contact may carry over.
  if (wrapUp && wrapUp.attemptId !== previousWrapUp?.attemptId) {
    useWrapUpStore.getState().clearForm();
    useWrapUpStore.setState({ savedMessage: null });
  }

  // The first pull may store the catalog after sign-in asked for it; the form must not stay empty
  // (offline, the stored catalog is all there is, and the agent cannot leave the wrap-up).
  if (wrapUp) loadCatalogIfMissing();

  // After a restart or a dial from elsewhere, the debtor of the pending wrap-up must be on screen.
  if (wrapUp && useDebtorStore.getState().debtorId !== wrapUp.debtorId) {
    void useDebtorStore.getState().show(wrapUp.debtorId);
  }
  // The call is over once typified, and the typification changes the history and legal statuses.
  if (!wrapUp && previousWrapUp) {
    useDialStore.getState().clear();
    void useDebtorStore.getState().refresh();
  }
}

function loadCatalogIfMissing(): void {
  const wrapUpStore = useWrapUpStore.getState();
  if (useSessionStore.getState().state?.user && wrapUpStore.catalog === null) void wrapUpStore.loadCatalog();
}

function resetWorkStores(): void {
  useWorklistStore.getState().reset();
  useDebtorStore.getState().reset();
  useDialStore.getState().clear();
  useWrapUpStore.getState().reset();
}
