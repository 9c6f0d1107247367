/**
 * Dialer adapters: the way a call leaves the workstation. The gate has already allowed the contact
 * when an adapter is called, so adapters never decide anything about the law.
 */
import type { Channel } from '@gestiona/core/domain';
import type { DialerAdapterName } from '@gestiona/core/sync';

export interface DialRequest {
  attemptId: string;
  channel: Channel;
  /** E.164 phone number, e.g. `+573001234567`. */
  address: string;
}

export interface DialerAdapter {
  readonly name: DialerAdapterName;
  /** Places the call; returns the URI handed to the operating system, if any. Throws `DialFailedError`. */
  dial(request: DialRequest): Promise<{ uri: string | null }>;
}

/** The call could not be placed; `message` is Spanish text for the agent. */
export class DialFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DialFailedError';
  }
}
