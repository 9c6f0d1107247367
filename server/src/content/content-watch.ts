/**
 * Hints this node's sockets when central content was published outside this process: by the
 * command line, which writes the database directly, or by another node when no Redis carries its
 * hints. Without it, a connected workstation would keep the old rule pack, catalog, script or
 * strategy until it reconnects.
 */
import type { Server } from 'socket.io';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

/** Interval between two reads of the content heads, in milliseconds. */
export const CONTENT_POLL_MS = 15_000;

/** One kind of content whose newest publication the watch follows. */
export interface WatchedContent {
  /** Name of the content in log lines, e.g. `rule pack`. */
  name: string;
  /** Reads a value that changes with every publication (a feed sequence or a version id); null when none exists. */
  readHead(store: ServerStore): Promise<number | null>;
}

export const WATCHED_CONTENT: readonly WatchedContent[] = [
  { name: 'rule pack', readHead: async (store) => (await store.listRulePacks(1))[0]?.id ?? null },
  // The catalog feed also carries lifted holds, which change what a workstation may dial.
  { name: 'catalog or hold', readHead: (store) => store.catalogFeedHead() },
  { name: 'script', readHead: async (store) => Math.max(0, ...(await store.listScripts()).map((record) => record.changeSeq)) },
  // A publication re-segments debtors; without the hint an agent would keep the old segments until signing in again.
  { name: 'strategy', readHead: async (store) => (await store.listStrategies(1))[0]?.changeSeq ?? null },
];

export interface ContentWatch {
  stop(): void;
}

/** Polls each content head and sends one feed hint to this node's sockets when any head moves to a new, non-null value. */
export function watchContent(options: {
  store: ServerStore;
  io: Server;
  logger: Logger;
  intervalMs?: number;
  contents?: readonly WatchedContent[];
}): ContentWatch {
  const { store, io, logger } = options;
  const contents = options.contents ?? WATCHED_CONTENT;
  const known = new Map<string, number | null>();
  const failing = new Set<string>();
  let running = false;

  const checkOne = async (content: WatchedContent): Promise<boolean> => {
    try {
      const head = await content.readHead(store);
      const changed = known.has(content.name) && head !== known.get(content.name) && head !== null;
      if (changed) logger.info({ content: content.name, head }, 'watch content: new publication, workstations hinted');
      known.set(content.name, head);
      if (failing.delete(content.name)) logger.info({ content: content.name }, 'watch content: recovered');
      return changed;
    } catch (error) {
      // Logged once per outage, because the poll repeats every few seconds.
      if (!failing.has(content.name)) logger.error({ err: error, content: content.name }, 'watch content: read failed, retrying at the next poll');
      failing.add(content.name);
      return false;
    }
  };

  const check = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const changes = await Promise.all(contents.map(checkOne));
      // `local`: every node runs its own watch, so a shared adapter would hint each socket once per node.
      if (changes.some(Boolean)) io.local.emit(SOCKET_EVENTS.feedHint);
    } finally {
      running = false;
    }
  };

  void check();
  const timer = setInterval(() => void check(), options.intervalMs ?? CONTENT_POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
