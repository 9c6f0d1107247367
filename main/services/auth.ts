/**
 * `auth:login`, `auth:logout` and `session:get`. Login goes to the central server; the token it
 * returns never leaves main.
 */
import { AppError } from '@gestiona/core/result';
import type { IpcArgs, SessionState } from '@gestiona/core/ipc';
import { loginResponseSchema, type LoginResponse } from '@gestiona/core/sync';
import type { ServiceContext } from './context.ts';
import { wrapUpPendingError } from './session.ts';

const LOGIN_TIMEOUT_MS = 15_000;

export async function login(ctx: ServiceContext, args: IpcArgs<'auth:login'>): Promise<SessionState> {
  const workstationId = ctx.store.meta.workstationId();
  const response = await postLogin(ctx, { username: args.username.trim(), password: args.password, workstationId });
  const { user, token } = response;

  const previous = ctx.store.meta.agent();
  if (previous !== null && previous.id !== user.id) {
    switchAgent(ctx, previous.fullName, user.id);
  }

  ctx.store.meta.setAgent(user);
  await ctx.session.signIn(user, token);
  ctx.sync.start(token);
  ctx.logger.session.info({ userId: user.id, workstationId }, 'login: signed in');

  ctx.notify.session();
  ctx.notify.worklistChanged();
  return ctx.session.state(ctx.sync.status());
}

export async function logout(ctx: ServiceContext): Promise<SessionState> {
  const pending = ctx.session.pendingWrapUp();
  if (pending) throw wrapUpPendingError(pending, 'cerrar sesión');

  const user = ctx.session.user();
  // NOTE: the agent's debtors stay on disk after logout; they are wiped only when another agent
  // signs in on this workstation (see switchAgent).
  ctx.sync.stop();
  await ctx.session.signOut();
  ctx.logger.session.info({ userId: user?.id ?? null }, 'logout: signed out');

  ctx.notify.session();
  return ctx.session.state(ctx.sync.status());
}

export function sessionState(ctx: ServiceContext): SessionState {
  return ctx.session.state(ctx.sync.status());
}

async function postLogin(
  ctx: ServiceContext,
  body: { username: string; password: string; workstationId: string },
): Promise<LoginResponse> {
  const url = new URL('/api/auth/login', ctx.serverUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch (error) {
    ctx.logger.session.warn({ err: error, serverUrl: ctx.serverUrl }, 'login: server unreachable');
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). Verifique la red e intente de nuevo.`);
  }

  if (response.status === 401 || response.status === 403) {
    ctx.logger.session.info({ status: response.status }, 'login: credentials rejected');
    throw new AppError('not-authenticated', 'Usuario o contraseña incorrectos.');
  }
  if (response.status === 429) {
    // Throttled or locked after failed attempts: the server's Spanish message gives the time to retry.
    const body = await response.json().catch(() => null);
    const message = typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' ? body.error : null;
    ctx.logger.session.warn({ status: response.status }, 'login: throttled by the server');
    throw new AppError('not-authenticated', message ?? 'Demasiados intentos de inicio de sesión. Espere unos minutos e intente de nuevo.');
  }
  if (!response.ok) {
    ctx.logger.session.error({ status: response.status }, 'login: server error');
    throw new AppError('offline', `El servidor central respondió con un error (HTTP ${response.status}). Intente de nuevo en unos minutos.`);
  }

  const parsed = loginResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    // A server that responds 200 with another shape is a deployment mismatch, not the agent's problem.
    throw new Error(`Login response does not match the contract: ${parsed.error.message}`);
  }
  return parsed.data;
}

/**
 * Another agent signs in on this workstation. The previous agent's debtors must not stay visible,
 * but nothing they did may be lost: the wipe happens only once their outbox reached the server.
 */
function switchAgent(ctx: ServiceContext, previousName: string, nextUserId: string): void {
  const pending = ctx.session.pendingWrapUp();
  const { pending: queued } = ctx.store.outbox.stats();
  if (pending !== null || queued > 0) {
    const message = pending
      ? `Esta estación tiene una gestión de ${previousName} sin tipificar. Esa persona debe iniciar sesión y tipificarla antes de cambiar de usuario.`
      : `Esta estación tiene ${queued} registro(s) de ${previousName} sin enviar al servidor central. ` +
        'Conéctese a la red con esa sesión para sincronizarlos antes de cambiar de usuario.';
    throw new AppError('conflict', message);
  }

  ctx.sync.stop();
  ctx.store.wipeAgentData();
  ctx.logger.session.info({ nextUserId }, 'login: previous agent data wiped');
}
