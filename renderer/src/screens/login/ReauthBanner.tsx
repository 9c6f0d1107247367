import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSessionStore } from '../../store/session.ts';
import { needsReauthentication, SERVER_AVAILABLE_NOTICE } from '../status/session-notice.ts';
import './reauth.css';

/**
 * Asks an agent who signed in offline for the password once main reaches the server again. The
 * dialog signs the same agent in over the current screen, so nothing on it is lost, and the
 * queued records go out once the server session is open.
 */
export function ReauthBanner() {
  const state = useSessionStore((store) => store.state);
  if (!needsReauthentication(state) || !state?.user) return null;
  // Mounted only while the notice applies, so a dialog left open closes when the server goes away again.
  return <ServerAvailableNotice username={state.user.username} fullName={state.user.fullName} />;
}

function ServerAvailableNotice({ username, fullName }: { username: string; fullName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <div className="reauth-banner" role="status" data-testid="server-available">
        <span>{SERVER_AVAILABLE_NOTICE}</span>
        <button type="button" className="primary-button" data-testid="reauth-open" onClick={() => setOpen(true)}>
          Ingresar contraseña
        </button>
      </div>
      {open && <ReauthDialog username={username} fullName={fullName} onClose={() => setOpen(false)} />}
    </>
  );
}

function ReauthDialog({ username, fullName, onClose }: { username: string; fullName: string; onClose: () => void }) {
  const login = useSessionStore((store) => store.login);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (password === '') {
      setError('Escriba su contraseña.');
      return;
    }

    setSubmitting(true);
    setError(null);
    // The same username as the open session, so main keeps this agent's data and queue.
    const message = await login(username, password);
    setSubmitting(false);
    if (message) {
      setError(message);
      setPassword('');
      return;
    }
    onClose();
  }

  return (
    <div className="reauth-backdrop" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <form className="reauth-dialog" role="dialog" aria-modal="true" aria-labelledby="reauth-title" onSubmit={submit} noValidate>
        <h2 id="reauth-title">Sincronizar con el servidor</h2>
        <p>
          {fullName} ({username}): ingrese su contraseña para abrir la sesión con el servidor central. Lo que tiene en pantalla y los registros
          pendientes se conservan.
        </p>

        <label className="field">
          <span className="field-label">Contraseña</span>
          <input
            ref={input}
            data-testid="reauth-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>

        {error && (
          <p className="form-error" role="alert" data-testid="reauth-error">
            {error}
          </p>
        )}

        <div className="reauth-actions">
          <button type="button" onClick={onClose} disabled={submitting}>
            Más tarde
          </button>
          <button type="submit" className="primary-button" data-testid="reauth-submit" disabled={submitting}>
            {submitting ? 'Ingresando…' : 'Ingresar'}
          </button>
        </div>
      </form>
    </div>
  );
}
