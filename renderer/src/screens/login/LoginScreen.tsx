import { useState, type FormEvent } from 'react';
import { useSessionStore } from '../../store/session.ts';

export function LoginScreen() {
  const login = useSessionStore((store) => store.login);
  const workstationId = useSessionStore((store) => store.state?.workstationId ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (username.trim() === '' || password === '') {
      setError('Escriba su usuario y su contraseña.');
      return;
    }

    setSubmitting(true);
    setError(null);
    const message = await login(username.trim(), password);
    setSubmitting(false);
    if (message) {
      setError(message);
      setPassword('');
    }
  }

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={submit} noValidate>
        <h1 className="brand">Gestiona</h1>
        <p className="login-subtitle">Estación de gestión de cobranza</p>

        <label className="field">
          <span className="field-label">Usuario</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>

        <label className="field">
          <span className="field-label">Contraseña</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>

        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}

        <button type="submit" className="primary-button" data-testid="login-submit" disabled={submitting}>
          {submitting ? 'Ingresando…' : 'Ingresar'}
        </button>

        {workstationId && <p className="login-footnote">Estación {workstationId}</p>}
      </form>
    </div>
  );
}
