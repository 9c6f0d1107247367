/**
 * `auth:login`, `auth:logout`, `session:get`, and the session renewal the sync client asks for.
 * Login goes to the central server, and falls back to the local verifier when the server cannot
 * be reached. The tokens the server returns never leave main.
 */
import { AppError } from '@gestiona/core/result';
import type { IpcArgs, SessionState } from '@gestiona/core/ipc';
import { loginResponseSchema, renewRefusalSchema, renewResponseSchema, type LoginResponse, type User } from '@gestiona/core/sync';
import { findUntrustedCertificateError, UNTRUSTED_CERTIFICATE_MESSAGE } from '../net/server-trust.ts';
import type { RenewalResult } from '../sync/client.ts';
import { SYNC_MESSAGES } from '../sync/status.ts';
import type { ServiceContext } from './context.ts';
import { wrapUpPendingError } from './session.ts';

const LOGIN_TIMEOUT_MS = 15_000;
/** Sign-out waits this long for the server; offline, the session then expires on the server by itself. */
const LOGOUT_TIMEOUT_MS = 5_000;

export const RENEWAL_UNAVAILABLE_MESSAGE = 'No se pudo renovar la sesión con el servidor central; se reintentará automáticamente.';

export async function login(ctx: ServiceContext, args: IpcArgs<'auth:login'>): Promise<SessionState> {
  const workstationId = ctx.store.meta.workstationId();
  const username = args.username.trim();
  let response: LoginResponse;
  try {
    response = await postLogin(ctx, { username, password: args.password, workstationId });
  } catch (error) {
    if (error instanceof AppError && error.code === 'offline') return loginOffline(ctx, username, args.password);
    throw error;
  }
  const { user, token } = response;

  const previous = ctx.store.meta.agent();
  if (previous !== null && previous.id !== user.id) {
    try {
      switchAgent(ctx, previous, user.id);
    } catch (error) {
      // The server opened a session for this refused sign-in; nothing will use it, so it is revoked.
      await postLogout(ctx, token);
      throw error;
    }
  }

  ctx.store.meta.setAgent(user);
  await ctx.session.signIn(user, { token, renewalToken: response.renewalToken ?? null });
  await ctx.session.offline.remember(user, args.password, ctx.clock.now());
  ctx.sync.start(token);
  ctx.logger.session.info({ userId: user.id, workstationId, renewable: response.renewalToken !== undefined }, 'login: signed in');

  ctx.notify.session();
  ctx.notify.worklistChanged();
  return ctx.session.state(ctx.sync.status());
}

/** Signs in against the local verifier; only the agent whose data is on this workstation can. */
async function loginOffline(ctx: ServiceContext, username: string, password: string): Promise<SessionState> {
  const { user, offlineUntil } = await ctx.session.offline.verify(username, password, ctx.clock.now(), ctx.serverUrl);
  const stored = ctx.store.meta.agent();
  if (stored === null || stored.id !== user.id) {
    // The verifier and the stored agent are written together at online sign-in; a mismatch means the data was changed.
    ctx.session.offline.forget();
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). Inicie sesión cuando vuelva la red.`);
  }

  await ctx.session.signInOffline(user, offlineUntil);
  ctx.logger.session.info({ userId: user.id, offlineUntil }, 'login: signed in offline');
  ctx.notify.session();
  ctx.notify.worklistChanged();
  return ctx.session.state(ctx.sync.status());
}

export async function logout(ctx: ServiceContext): Promise<SessionState> {
  const pending = ctx.session.pendingWrapUp();
  if (pending) throw wrapUpPendingError(pending, 'cerrar sesión');

  const user = ctx.session.user();
  const token = ctx.session.token();
  const online = ctx.sync.status().connection !== 'offline';
  ctx.sync.stop();
  // Offline nothing is queued: the tokens are deleted below, and the server session expires by itself.
  if (token !== null && online) await postLogout(ctx, token);
  // A shared machine keeps no debtor data after sign-out; what is unsent stays in the outbox. This
  // runs before the local sign-out, so a failure leaves the agent signed in to try again.
  const purged = ctx.store.purgeSignedOutData();
  ctx.logger.session.info({ ...purged, unsent: ctx.store.outbox.stats().pending }, 'logout: debtor data deleted');
  await ctx.session.signOut();
  ctx.logger.session.info({ userId: user?.id ?? null, revokedOnServer: token !== null && online }, 'logout: signed out');

  ctx.notify.session();
  return ctx.session.state(ctx.sync.status());
}

export function sessionState(ctx: ServiceContext): SessionState {
  return ctx.session.state(ctx.sync.status());
}

/**
 * Exchanges the stored renewal token for a new pair after the server rejected the session token.
 * When the user was disabled, the session ends and the offline verifier and the debtor data are deleted. Any other
 * rejection deletes the tokens, and the agent goes on working offline until the allowance ends.
 */
export async function renewSession(ctx: ServiceContext): Promise<RenewalResult> {
  const user = ctx.session.user();
  const renewalToken = ctx.session.renewalToken();
  if (user === null || renewalToken === null) {
    await ctx.session.dropTokens();
    ctx.notify.session();
    return { ok: false, retry: false, message: SYNC_MESSAGES.sessionExpired };
  }

  const workstationId = ctx.store.meta.workstationId();
  let response: Response;
  try {
    response = await ctx.serverFetch(new URL('/api/auth/renew', ctx.serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ renewalToken, workstationId }),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch (error) {
    ctx.logger.session.warn({ err: error, serverUrl: ctx.serverUrl }, 'renew session: server unreachable, will retry');
    const untrusted = findUntrustedCertificateError(error) !== null;
    return { ok: false, retry: true, message: untrusted ? UNTRUSTED_CERTIFICATE_MESSAGE : RENEWAL_UNAVAILABLE_MESSAGE };
  }

  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return storeRenewal(ctx, user, body);

  const refusal = renewRefusalSchema.safeParse(body);
  if ((response.status !== 401 && response.status !== 403) || !refusal.success) {
    // Rate limits and server errors pass; the client tries again after its retry delay.
    ctx.logger.session.warn({ status: response.status }, 'renew session: server error, will retry');
    return { ok: false, retry: true, message: RENEWAL_UNAVAILABLE_MESSAGE };
  }

  const { reason, error: message } = refusal.data;
  if (reason === 'user-disabled') {
    ctx.logger.session.warn({ userId: user.id, reason }, 'renew session: rejected, session ended');
    ctx.session.offline.forget();
    // A disabled user leaves no debtor data behind, as after a sign-out; unsent events stay queued.
    const purged = ctx.store.purgeSignedOutData();
    ctx.logger.session.info({ ...purged, unsent: ctx.store.outbox.stats().pending }, 'renew session: debtor data deleted');
    await ctx.session.signOut();
  } else {
    ctx.logger.session.warn({ userId: user.id, reason }, 'renew session: rejected, working offline until the next sign-in');
    await ctx.session.dropTokens();
  }
  ctx.notify.session();
  return { ok: false, retry: false, message };
}

async function storeRenewal(ctx: ServiceContext, user: User, body: unknown): Promise<RenewalResult> {
  const renewed = renewResponseSchema.safeParse(body);
  if (!renewed.success) {
    ctx.logger.session.error({ issues: renewed.error.issues.length }, 'renew session: response does not match the contract');
    return { ok: false, retry: true, message: RENEWAL_UNAVAILABLE_MESSAGE };
  }
  if (renewed.data.user.id !== user.id) {
    // The token belongs to the signed-in agent, so another user here is a server fault; the agent signs in again.
    ctx.logger.session.error({ userId: user.id, renewedFor: renewed.data.user.id }, 'renew session: server renewed another user');
    await ctx.session.dropTokens();
    ctx.notify.session();
    return { ok: false, retry: false, message: SYNC_MESSAGES.sessionExpired };
  }

  // NOTE: a crash between the server's rotation and this write leaves the retired renewal token
  // stored. Its next use then revokes the chain, and the agent signs in again with the password.
  await ctx.session.replaceTokens({ token: renewed.data.token, renewalToken: renewed.data.renewalToken });
  ctx.logger.session.info({ userId: user.id, expiresAt: renewed.data.expiresAt }, 'renew session: renewed');
  ctx.notify.session();
  return { ok: true, token: renewed.data.token };
}

async function postLogin(
  ctx: ServiceContext,
  body: { username: string; password: string; workstationId: string },
): Promise<LoginResponse> {
  const url = new URL('/api/auth/login', ctx.serverUrl);
  let response: Response;
  try {
    response = await ctx.serverFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch (error) {
    ctx.logger.session.warn({ err: error, serverUrl: ctx.serverUrl }, 'login: server unreachable');
    // Not `offline`: an offline sign-in would hide that someone may be impersonating the server.
    if (findUntrustedCertificateError(error) !== null) throw new AppError('not-authenticated', UNTRUSTED_CERTIFICATE_MESSAGE);
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). Verifique la red e intente de nuevo.`);
  }

  if (response.status === 403) {
    // The server sends the disabled-account reason only with the right password.
    const refusal = renewRefusalSchema.safeParse(await response.json().catch(() => null));
    if (refusal.success && refusal.data.reason === 'user-disabled') {
      ctx.logger.session.warn({ status: response.status, reason: refusal.data.reason }, 'login: user disabled');
      throw new AppError('not-authenticated', disabledSignInMessage(ctx, body.username, refusal.data.error));
    }
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

/** Revokes the session on the server; a failure is logged and sign-out goes on, since the tokens are deleted anyway. */
async function postLogout(ctx: ServiceContext, token: string): Promise<void> {
  try {
    const response = await ctx.serverFetch(new URL('/api/auth/logout', ctx.serverUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
    });
    if (response.status !== 204) ctx.logger.session.warn({ status: response.status }, 'logout: server did not revoke the session');
  } catch (error) {
    ctx.logger.session.warn({ err: error, serverUrl: ctx.serverUrl }, 'logout: server unreachable, session expires by itself');
  }
}

/**
 * Builds the sign-in error of a disabled user. When this workstation contains that user's unsent
 * records, it says how they reach the server: only their owner's session sends them, so an
 * administrator enables the account again until they are sent.
 */
function disabledSignInMessage(ctx: ServiceContext, username: string, serverMessage: string): string {
  const stored = ctx.store.meta.agent();
  const { pending: queued } = ctx.store.outbox.stats();
  // The server compares usernames trimmed and in lower case.
  if (stored === null || queued === 0 || stored.username.trim().toLowerCase() !== username.trim().toLowerCase()) return serverMessage;
  return (
    `${serverMessage} Esta estación tiene ${queued} registro(s) suyos sin enviar al servidor central: ` +
    `para enviarlos, un administrador debe habilitar de nuevo el usuario ${stored.username} ` +
    `(npm run server -- users enable ${stored.username}) y usted debe iniciar sesión aquí hasta que se sincronicen. ` +
    'Después el administrador puede deshabilitarlo otra vez.'
  );
}

/**
 * Another agent signs in on this workstation. The previous agent's debtors must not stay visible,
 * but nothing they did may be lost: the wipe happens only once their outbox reached the server.
 */
function switchAgent(ctx: ServiceContext, previous: User, nextUserId: string): void {
  const pending = ctx.session.pendingWrapUp();
  const { pending: queued } = ctx.store.outbox.stats();
  if (pending !== null || queued > 0) {
    const message = pending
      ? `Esta estación tiene una gestión de ${previous.fullName} sin tipificar. Esa persona debe iniciar sesión y tipificarla antes de cambiar de usuario.`
      : `Esta estación tiene ${queued} registro(s) de ${previous.fullName} sin enviar al servidor central. ` +
        'Esa persona debe iniciar sesión aquí con red para enviarlos antes de cambiar de usuario. ' +
        `Si su usuario está deshabilitado, un administrador debe habilitarlo de nuevo (npm run server -- users enable ${previous.username}) mientras se envían.`;
    throw new AppError('conflict', message);
  }

  ctx.sync.stop();
  ctx.store.wipeAgentData();
  ctx.logger.session.info({ nextUserId }, 'login: previous agent data wiped');
}
