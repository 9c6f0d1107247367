import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../app.ts';
import { useTestBackend } from '../fixtures/backends.ts';
import { startTestServer } from '../fixtures/server.ts';
import { DISABLED_CHANNELS, type ChannelsConfig } from './channel-config.ts';
import { startLocalGateway, startLocalSmtp, type LocalGateway, type LocalSmtp } from './test-servers.ts';
import { WEDNESDAY_10, activity, seedChannelDebtor, testConfig } from './test-setup.ts';

describe('channel scheduler in the server', () => {
  const backend = useTestBackend('sqlite');
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function start(channels: ChannelsConfig | undefined): Promise<{ server: RunningServer; gateway: LocalGateway; smtp: LocalSmtp }> {
    const gateway = await startLocalGateway();
    closers.push(() => gateway.close());
    const smtp = await startLocalSmtp();
    closers.push(() => smtp.close());
    const server = await startTestServer(await backend.createDatabase(), { now: () => WEDNESDAY_10, channels: channels ?? testConfig(gateway.url, smtp.port) });
    closers.push(() => server.close());
    return { server, gateway, smtp };
  }

  it('runs passes when a channel is configured', async () => {
    const { server, gateway } = await start(undefined);
    await seedChannelDebtor(server.store, { timeline: [activity('sms', 'sms', 2)] });
    expect(server.channels).not.toBeNull();
    await server.channels!.runNow();
    expect(gateway.requests).toHaveLength(1);
  });

  it('starts no scheduler with every channel off', async () => {
    const { server } = await start(DISABLED_CHANNELS);
    expect(server.channels).toBeNull();
  });
});
