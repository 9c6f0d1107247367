import { useEffect } from 'react';
import type { Role } from '@gestiona/core/sync';
import { hasWorkstationApi } from './api/client.ts';
import { AdminWorkspace } from './screens/admin/AdminScreen.tsx';
import { BoardScreen } from './screens/board/BoardScreen.tsx';
import { LoginScreen } from './screens/login/LoginScreen.tsx';
import { ReauthBanner } from './screens/login/ReauthBanner.tsx';
import { ClockBanner } from './screens/status/ClockBanner.tsx';
import { StatusBar } from './screens/status/StatusBar.tsx';
import { Workspace } from './screens/Workspace.tsx';
import { startWorkstation } from './store/lifecycle.ts';
import { useSessionStore } from './store/session.ts';

export function App() {
  const state = useSessionStore((store) => store.state);
  const loadError = useSessionStore((store) => store.loadError);

  useEffect(() => startWorkstation(), []);

  if (!hasWorkstationApi()) {
    return <FullPageMessage tone="error" text="La ventana no está conectada con la estación de trabajo. Cierre y vuelva a abrir la aplicación." />;
  }
  if (!state) {
    return loadError ? <FullPageMessage tone="error" text={loadError} /> : <FullPageMessage tone="info" text="Cargando la estación de trabajo…" />;
  }

  return (
    <div className="app">
      <div className="app-notices">
        <ClockBanner />
        <ReauthBanner />
      </div>
      <main className="app-main">{!state.user ? <LoginScreen /> : <RoleHome role={state.user.role} />}</main>
      <StatusBar />
    </div>
  );
}

/** Administrators get the board and the administration area, team leads the board, agents their worklist. */
function RoleHome({ role }: { role: Role }) {
  if (role === 'admin') return <AdminWorkspace />;
  if (role === 'team-lead') return <BoardScreen />;
  return <Workspace />;
}

function FullPageMessage({ tone, text }: { tone: 'info' | 'error'; text: string }) {
  return (
    <div className="full-page-message" role={tone === 'error' ? 'alert' : 'status'}>
      <p className={`message message-${tone}`}>{text}</p>
    </div>
  );
}
