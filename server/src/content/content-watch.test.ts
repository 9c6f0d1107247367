import { Server } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { createLogger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { watchContent, type WatchedContent } from './content-watch.ts';

/** Creates a logger whose JSON lines the test reads. */
function capturedLogger() {
  const lines: { msg: string; content?: string }[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) } });
  return { logger, lines };
}

/** Creates a content whose head the test sets and whose read can fail on demand. */
function settableContent(name: string) {
  const state: { head: number | null; failing: boolean } = { head: null, failing: false };
  const content: WatchedContent = {
    name,
    readHead: () => (state.failing ? Promise.reject(new Error('database is locked')) : Promise.resolve(state.head)),
  };
  return { content, state };
}

const store = {} as ServerStore;
// A server attached to no HTTP server uses no port, and the watch only broadcasts on it.
let io: Server;

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** `io.local` builds a new broadcast operator on each read, so the spy goes on their shared prototype. */
function spyOnLocalEmit(server: Server) {
  const operator = Object.getPrototypeOf(server.local) as { emit: (event: string) => boolean };
  return vi.spyOn(operator, 'emit');
}

async function pollOnce(): Promise<void> {
  await vi.advanceTimersByTimeAsync(1_000);
}

describe('content watch', () => {
  it('hints once per poll when any head moves', async () => {
    vi.useFakeTimers();
    io = new Server();
    const emit = spyOnLocalEmit(io);
    const pack = settableContent('rule pack');
    const script = settableContent('script');
    pack.state.head = 1;
    const { logger } = capturedLogger();
    const watch = watchContent({ store, io, logger, intervalMs: 1_000, contents: [pack.content, script.content] });

    await pollOnce();
    expect(emit).not.toHaveBeenCalled();

    pack.state.head = 2;
    script.state.head = 7;
    await pollOnce();
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit).toHaveBeenCalledWith(SOCKET_EVENTS.feedHint);

    await pollOnce();
    expect(emit).toHaveBeenCalledTimes(1);
    watch.stop();
  });

  it('ignores a head that becomes null', async () => {
    vi.useFakeTimers();
    io = new Server();
    const emit = spyOnLocalEmit(io);
    const pack = settableContent('rule pack');
    pack.state.head = 3;
    const watch = watchContent({ store, io, logger: capturedLogger().logger, intervalMs: 1_000, contents: [pack.content] });
    await pollOnce();

    pack.state.head = null;
    await pollOnce();
    expect(emit).not.toHaveBeenCalled();
    watch.stop();
  });

  it('logs a failing read once, then its recovery', async () => {
    vi.useFakeTimers();
    io = new Server();
    const emit = spyOnLocalEmit(io);
    const catalog = settableContent('catalog or hold');
    catalog.state.head = 4;
    const { logger, lines } = capturedLogger();
    const watch = watchContent({ store, io, logger, intervalMs: 1_000, contents: [catalog.content] });
    await pollOnce();

    catalog.state.failing = true;
    await pollOnce();
    await pollOnce();
    expect(lines.filter((line) => line.msg.startsWith('watch content: read failed'))).toHaveLength(1);

    catalog.state.failing = false;
    catalog.state.head = 5;
    await pollOnce();
    expect(lines.filter((line) => line.msg === 'watch content: recovered')).toHaveLength(1);
    expect(emit).toHaveBeenCalledTimes(1);
    watch.stop();
  });
});
