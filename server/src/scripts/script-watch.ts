/**
 * Hints this node's sockets when a script was published outside this process: by the command line,
 * which writes the database directly, or by another node when no Redis carries its hints. Without
 * it, a connected workstation would keep the old script until it reconnects.
 */
import type { Server } from 'socket.io';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { RULE_PACK_POLL_MS } from '../admin/rule-pack-watch.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

export interface ScriptWatch {
  stop(): void;
}

/** Polls the newest script publication and hints every socket of this node when it changes. */
export function watchScripts(options: { store: ServerStore; io: Server; logger: Logger; intervalMs?: number }): ScriptWatch {
  const { store, io, logger } = options;
  let known: number | undefined;
  let running = false;
  let failing = false;

  const check = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const head = Math.max(0, ...(await store.listScripts()).map((record) => record.changeSeq));
      if (known !== undefined && head !== known) {
        // `local`: every node runs its own watch, so a shared adapter would hint each socket once per node.
        io.local.emit(SOCKET_EVENTS.feedHint);
        logger.info({ seq: head }, 'watch scripts: new script version, workstations hinted');
      }
      known = head;
      if (failing) logger.info('watch scripts: recovered');
      failing = false;
    } catch (error) {
      // Logged once per outage, because the poll repeats every few seconds.
      if (!failing) logger.error({ err: error }, 'watch scripts: read failed, retrying at the next poll');
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
