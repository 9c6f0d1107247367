/** Desk-phone dialing: the agent reads the number on screen and dials it by hand, so nothing external runs. */
import type { DialRequest, DialerAdapter } from './adapter.ts';

export class ManualDialer implements DialerAdapter {
  readonly name = 'manual' as const;

  async dial(_request: DialRequest): Promise<{ uri: string | null }> {
    return { uri: null };
  }
}
