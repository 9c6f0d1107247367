/**
 * Hints this node's sockets when a rule pack was published outside this process: by the command
 * line, which writes the database directly, or by another node when no Redis carries its hints.
 * Without it, a connected workstation would keep dialing under the old pack until it reconnects.
 */
import type { Server } from 'socket.io';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

/** How often the server looks for a new rule pack, in milliseconds. */
export const RULE_PACK_POLL_MS = 15_000;

export interface RulePackWatch {
  stop(): void;
}

/** Polls the rule-pack history and sends a feed hint to every socket of this node when its head changes. */
export function watchRulePack(options: { store: ServerStore; io: Server; logger: Logger; intervalMs?: number }): RulePackWatch {
  const { store, io, logger } = options;
  let knownId: number | null | undefined;
  let running = false;
  let failing = false;

  const check = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const head = (await store.listRulePacks(1))[0] ?? null;
      const headId = head?.id ?? null;
      if (knownId !== undefined && headId !== knownId && head !== null) {
        // `local`: every node runs its own watch, so a shared adapter would hint each socket once per node.
        io.local.emit(SOCKET_EVENTS.feedHint);
        logger.info({ version: head.version, rulePackId: head.id }, 'watch rule pack: new pack, workstations hinted');
      }
      knownId = headId;
      if (failing) logger.info('watch rule pack: recovered');
      failing = false;
    } catch (error) {
      // Logged once per outage, because the poll repeats every few seconds.
      if (!failing) logger.error({ err: error }, 'watch rule pack: read failed, retrying at the next poll');
      failing = true;
    } finally {
      running = false;
    }
  };

  void check();
  const timer = setInterval(() => void check(), options.intervalMs ?? RULE_PACK_POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
