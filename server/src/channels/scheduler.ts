/** Runs a dispatcher pass on every tick of the configured interval, one pass at a time per node. */
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import type { ChannelsConfig } from './channel-config.ts';
import { ChannelDispatcher } from './dispatcher.ts';

export interface ChannelScheduler {
  /** Runs one pass now, or waits for the one in progress; the server's tests use it. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startChannelScheduler(store: ServerStore, config: ChannelsConfig, logger: Logger, now: () => Date): ChannelScheduler {
  const dispatcher = new ChannelDispatcher({ store, config, logger, clock: now });
  let running: Promise<void> | null = null;
  let stopped = false;

  const pass = (): Promise<void> => {
    if (running !== null) return running;
    running = dispatcher
      .runPass(now())
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, 'channels: pass failed; the next tick tries again'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void pass();
  }, config.intervalMs);
  timer.unref();
  logger.info({ intervalMs: config.intervalMs }, 'channels: scheduler started');

  return {
    runNow: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      dispatcher.close();
      logger.info('channels: scheduler stopped');
    },
  };
}
