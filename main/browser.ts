/**
 * Browser mode launcher: runs the workstation services under Node and prints the address to open.
 *
 *   tsx main/browser.ts [--server URL] [--port N] [--data DIR] [--dialer manual|softphone] [--renderer DIR]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dialerAdapterSchema } from '@gestiona/core/sync';
import { DEFAULT_BROWSER_PORT, startBrowserMode } from './bridge/browser-mode.ts';
import { createLogger } from './logger.ts';
import { serverTrustFromEnvironment } from './net/trust-config.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

const USAGE = `Usage: tsx main/browser.ts [options]
  --server URL       central server (default http://127.0.0.1:4780)
  --port N           port of the local bridge on 127.0.0.1 (default ${DEFAULT_BROWSER_PORT}; 0 picks a free one)
  --data DIR         workstation data folder (default <repo>/.data/workstation)
  --dialer NAME      manual (desk phone) or softphone (tel: URIs) (default manual)
  --renderer DIR     built renderer folder (default <repo>/out/renderer)
For an https server, GESTIONA_SERVER_CA_FILE adds a PEM file of trusted CAs and GESTIONA_SERVER_PINS
pins its certificate (comma-separated sha256/<base64> public-key hashes or SHA-256 certificate fingerprints).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'http://127.0.0.1:4780' },
      port: { type: 'string', default: String(DEFAULT_BROWSER_PORT) },
      data: { type: 'string', default: path.join(REPOSITORY_ROOT, '.data', 'workstation') },
      dialer: { type: 'string', default: 'manual' },
      renderer: { type: 'string', default: path.join(REPOSITORY_ROOT, 'out', 'renderer') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`Invalid --port "${values.port}": expected 0–65535.\n${USAGE}`);
  const dialer = dialerAdapterSchema.safeParse(values.dialer);
  if (!dialer.success) throw new Error(`Invalid --dialer "${values.dialer}": expected manual or softphone.\n${USAGE}`);

  const logger = createLogger({ name: 'gestiona-browser-mode' });
  const mode = await startBrowserMode({
    workstation: { dataDir: path.resolve(values.data), serverUrl: values.server, serverTrust: serverTrustFromEnvironment(), dialer: dialer.data, logger },
    rendererDir: path.resolve(values.renderer),
    port,
  });

  console.log(`Gestiona (modo navegador) lista. Abra esta dirección en el navegador:\n  ${mode.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'browser mode: stopping');
    mode.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'browser mode: stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
