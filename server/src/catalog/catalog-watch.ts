/**
 * Hints this node's sockets when a catalog was published or a hold lifted outside this process (by
 * the command line, which writes the database directly, or by another node without Redis).
 */
import type { Server } from 'socket.io';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { RULE_PACK_POLL_MS } from '../admin/rule-pack-watch.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

export interface CatalogWatch {
  stop(): void;
}

/** Polls the last catalog or hold feed entry and hints every socket of this node when it changes. */
export function watchCatalog(options: { store: ServerStore; io: Server; logger: Logger; intervalMs?: number }): CatalogWatch {
  const { store, io, logger } = options;
  let known: number | undefined;
  let running = false;
  let failing = false;

  const check = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const head = await store.catalogFeedHead();
      if (known !== undefined && head !== known) {
        // `local`: every node runs its own watch, so a shared adapter would hint each socket once per node.
        io.local.emit(SOCKET_EVENTS.feedHint);
        logger.info({ seq: head }, 'watch catalog: new catalog or hold entry, workstations hinted');
      }
      known = head;
      if (failing) logger.info('watch catalog: recovered');
      failing = false;
    } catch (error) {
      if (!failing) logger.error({ err: error }, 'watch catalog: read failed, retrying at the next poll');
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
