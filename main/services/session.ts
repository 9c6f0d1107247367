/**
 * The signed-in agent and the pending wrap-up. The session and renewal tokens live only here and
 * in the secret store. The user is restored from the local store, so work continues offline after
 * a restart. A session without tokens (signed in offline, or its renewal refused) is usable until
 * the offline allowance ends, and meanwhile a probe watches for the server so the agent can sign in again.
 */
import { randomUUID } from 'node:crypto';
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import type { PendingWrapUp, SessionState, SyncStatus } from '@gestiona/core/ipc';
import type { DialerAdapterName, User } from '@gestiona/core/sync';
import type { Clock } from '../clock.ts';
import { decodeSessionSecrets, encodeSessionSecrets, type SecretStore, type SessionSecrets } from '../secret-store.ts';
import type { AttemptRecord } from '../store/attempts.ts';
import type { LocalStore } from '../store/local-store.ts';
import type { OfflineSignIn } from '../store/offline-credential.ts';
import { sessionClockOf } from './clock-state.ts';
import { instantOf } from './instant.ts';
import type { ServerProbe } from './server-probe.ts';

export class SessionService {
  private currentUser: User | null = null;
  private secrets: SessionSecrets | null = null;
  /** ISO end of the offline allowance while the session has no server tokens; null while it has them. */
  private offlineUntil: string | null = null;
  /** Identifies this run of main in every state it builds; see `sessionRevisionSchema`. */
  private readonly bootId = randomUUID();
  private revisionSeq = 0;
  private readonly store: LocalStore;
  private readonly secretStore: SecretStore;
  private readonly clock: Clock;
  private readonly serverUrl: string;
  private readonly dialerName: DialerAdapterName;
  readonly offline: OfflineSignIn;
  /** Runs only while the session has no server tokens; absent in tests that need no server. */
  private readonly probe: ServerProbe | null;

  constructor(options: {
    store: LocalStore;
    secretStore: SecretStore;
    clock: Clock;
    serverUrl: string;
    dialerName: DialerAdapterName;
    offline: OfflineSignIn;
    probe?: ServerProbe;
  }) {
    this.store = options.store;
    this.secretStore = options.secretStore;
    this.clock = options.clock;
    this.serverUrl = options.serverUrl;
    this.dialerName = options.dialerName;
    this.offline = options.offline;
    this.probe = options.probe ?? null;
  }

  /** Restores the last session: the tokens from the secret store and the agent from the local store. */
  async restore(): Promise<string | null> {
    const secrets = decodeSessionSecrets(await this.secretStore.get());
    const user = this.store.meta.agent();
    if (secrets === null || user === null) return null;

    this.secrets = secrets;
    this.currentUser = user;
    this.offlineUntil = null;
    return secrets.token;
  }

  async signIn(user: User, secrets: SessionSecrets): Promise<void> {
    await this.secretStore.set(encodeSessionSecrets(secrets));
    this.currentUser = user;
    this.secrets = secrets;
    this.offlineUntil = null;
    this.probe?.stop();
  }

  /** Signs in without server tokens, after the password matched the local verifier. */
  async signInOffline(user: User, offlineUntil: string): Promise<void> {
    await this.secretStore.clear();
    this.currentUser = user;
    this.secrets = null;
    this.offlineUntil = offlineUntil;
    this.probe?.start();
  }

  /** Stores the pair a renewal returned, in place of the old one. */
  async replaceTokens(secrets: SessionSecrets): Promise<void> {
    await this.secretStore.set(encodeSessionSecrets(secrets));
    this.secrets = secrets;
    this.offlineUntil = null;
    this.probe?.stop();
  }

  /**
   * Deletes the tokens after the server refused them, and keeps the agent signed in until the
   * offline allowance ends, so that dialing and typifying go on until the agent signs in again.
   */
  async dropTokens(): Promise<void> {
    await this.secretStore.clear();
    this.secrets = null;
    const user = this.currentUser;
    // Without a verifier (an earlier version signed this agent in), the allowance is already over.
    this.offlineUntil = user ? (this.offline.allowanceEnd(user.id) ?? instantOf(this.clock).iso) : null;
    if (user) this.probe?.start();
  }

  async signOut(): Promise<void> {
    await this.secretStore.clear();
    this.currentUser = null;
    this.secrets = null;
    this.offlineUntil = null;
    this.probe?.stop();
  }

  /** Stops the server checks when the workstation closes. */
  close(): void {
    this.probe?.stop();
  }

  user(): User | null {
    return this.currentUser;
  }

  token(): string | null {
    return this.secrets?.token ?? null;
  }

  renewalToken(): string | null {
    return this.secrets?.renewalToken ?? null;
  }

  /**
   * Returns the signed-in user, or throws when nobody is signed in or the offline allowance of a
   * session without server tokens is over. A pending wrap-up stays possible after the allowance,
   * because a placed contact must always be typified.
   */
  requireUser(): User {
    if (this.currentUser === null) throw new AppError('not-authenticated', 'Inicie sesión para continuar.');
    if (this.offlineUntil !== null && this.clock.now() >= Date.parse(this.offlineUntil) && this.pendingWrapUp() === null) {
      throw new AppError(
        'not-authenticated',
        `La sesión sin conexión venció el ${formatDateTime(this.offlineUntil)}. Conéctese a la red: cuando el servidor central responda, ingrese su contraseña en el aviso que aparecerá para seguir trabajando. No cierre sesión, porque se borrarían los datos de los deudores de este equipo.`,
      );
    }
    return this.currentUser;
  }

  pendingWrapUp(): PendingWrapUp | null {
    const attempt = this.store.attempts.pending();
    return attempt ? toPendingWrapUp(attempt) : null;
  }

  state(sync: SyncStatus): SessionState {
    this.revisionSeq += 1;
    return {
      revision: { boot: this.bootId, seq: this.revisionSeq },
      user: this.currentUser,
      workstationId: this.store.meta.workstationId(),
      serverUrl: this.serverUrl,
      wrapUp: this.pendingWrapUp(),
      sync,
      now: instantOf(this.clock).iso,
      dialerAdapter: this.dialerName,
      clock: sessionClockOf(this.clock.reading()),
      offlineUntil: this.currentUser === null ? null : this.offlineUntil,
      serverReachable: this.currentUser !== null && this.offlineUntil !== null && (this.probe?.reachable() ?? false),
    };
  }
}

export function toPendingWrapUp(attempt: AttemptRecord): PendingWrapUp {
  return {
    attemptId: attempt.id,
    debtorId: attempt.debtorId,
    debtorName: attempt.debtorName,
    personName: attempt.personName,
    contactPointId: attempt.contactPointId,
    channel: attempt.channel,
    address: attempt.address,
    adapter: attempt.adapter,
    dialedAt: attempt.dialedAt,
    identityConfirmedAt: attempt.identityConfirmedAt,
  };
}

/** Builds the `wrap-up-pending` error for any action that would leave a contact untypified. */
export function wrapUpPendingError(pending: PendingWrapUp, action: string): AppError {
  return new AppError('wrap-up-pending', `Debe tipificar la gestión con ${pending.debtorName} antes de ${action}.`);
}
