/**
 * The signed-in agent and the pending wrap-up. The token lives only here and in the secret store.
 * The user is restored from the local store, so work continues offline after a restart.
 */
import { AppError } from '@gestiona/core/result';
import type { PendingWrapUp, SessionState, SyncStatus } from '@gestiona/core/ipc';
import type { DialerAdapterName, User } from '@gestiona/core/sync';
import type { Clock } from '../clock.ts';
import type { SecretStore } from '../secret-store.ts';
import type { AttemptRecord } from '../store/attempts.ts';
import type { LocalStore } from '../store/local-store.ts';
import { sessionClockOf } from './clock-state.ts';
import { instantOf } from './instant.ts';

export class SessionService {
  private currentUser: User | null = null;
  private currentToken: string | null = null;
  private readonly store: LocalStore;
  private readonly secretStore: SecretStore;
  private readonly clock: Clock;
  private readonly serverUrl: string;
  private readonly dialerName: DialerAdapterName;

  constructor(options: { store: LocalStore; secretStore: SecretStore; clock: Clock; serverUrl: string; dialerName: DialerAdapterName }) {
    this.store = options.store;
    this.secretStore = options.secretStore;
    this.clock = options.clock;
    this.serverUrl = options.serverUrl;
    this.dialerName = options.dialerName;
  }

  /** Restores the last session: the token from the secret store and the agent from the local store. */
  async restore(): Promise<string | null> {
    const token = await this.secretStore.get();
    const user = this.store.meta.agent();
    if (token === null || user === null) return null;

    this.currentToken = token;
    this.currentUser = user;
    return token;
  }

  async signIn(user: User, token: string): Promise<void> {
    await this.secretStore.set(token);
    this.currentUser = user;
    this.currentToken = token;
  }

  async signOut(): Promise<void> {
    await this.secretStore.clear();
    this.currentUser = null;
    this.currentToken = null;
  }

  user(): User | null {
    return this.currentUser;
  }

  token(): string | null {
    return this.currentToken;
  }

  requireUser(): User {
    if (this.currentUser === null) throw new AppError('not-authenticated', 'Inicie sesión para continuar.');
    return this.currentUser;
  }

  pendingWrapUp(): PendingWrapUp | null {
    const attempt = this.store.attempts.pending();
    return attempt ? toPendingWrapUp(attempt) : null;
  }

  state(sync: SyncStatus): SessionState {
    return {
      user: this.currentUser,
      workstationId: this.store.meta.workstationId(),
      serverUrl: this.serverUrl,
      wrapUp: this.pendingWrapUp(),
      sync,
      now: instantOf(this.clock).iso,
      dialerAdapter: this.dialerName,
      clock: sessionClockOf(this.clock.reading()),
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
  };
}

/** Builds the `wrap-up-pending` error for any action that would leave a contact untypified. */
export function wrapUpPendingError(pending: PendingWrapUp, action: string): AppError {
  return new AppError('wrap-up-pending', `Debe tipificar la gestión con ${pending.debtorName} antes de ${action}.`);
}
