/** A central server seeded with a portfolio large enough for tests that typify many debtors. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../server/src/app.ts';
import { seedDemo } from '../../server/src/demo-seed.ts';
import { SERVER_NOW } from './server.ts';

const HEADER =
  'tipo_documento;numero_documento;nombre;ciudad;numero_obligacion;entidad;producto;saldo;valor_vencido;dias_mora;' +
  'celular;celular_autorizado;celular_fuente;celular_fecha;celular_evidencia';

/** Writes `rows` debtors, each with one authorised mobile, as the import CSV. */
export function writeLargePortfolio(dir: string, rows: number): string {
  const lines = Array.from({ length: rows }, (_, index) => {
    const n = index + 1;
    return `CC;${70_000_000 + n};Deudor ${n};Bogotá;9000-${n};Banco Andino;consumo;1.000.000,00;100.000,00;30;${3_100_000_000 + n};sí;contrato;10/05/2024;DOC-${n}`;
  });
  const file = path.join(dir, 'cartera.csv');
  writeFileSync(file, `${HEADER}\n${lines.join('\n')}\n`, 'utf8');
  return file;
}

/**
 * Starts the server on a free port with its SQLite file in `dir` and seeds `rows` debtors. The demo
 * seed leases them among the three demo agents, so agent 1 gets about a third.
 */
/**
 * `now` is the server's clock; by default it stays at SERVER_NOW. A test whose desk clock moves days
 * ahead passes one that follows it, because the server raises a clock alarm for a contact dated
 * after its receipt.
 */
export async function startLargeServer(dir: string, rows: number, now: () => Date = () => SERVER_NOW): Promise<RunningServer> {
  const server = await startServer({
    dbPath: path.join(dir, 'server.sqlite'),
    port: 0,
    now,
    logger: pino({ level: process.env.GESTIONA_LOG_LEVEL ?? 'silent' }),
  });
  await seedDemo(server.store, { portfolioFile: writeLargePortfolio(dir, rows), now: SERVER_NOW });
  return server;
}
