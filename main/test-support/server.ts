/** The real central server on 127.0.0.1 for sync tests, seeded with a small portfolio. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../server/src/app.ts';
import { DEMO_USERS, seedDemo } from '../../server/src/demo-seed.ts';

const HEADER =
  'tipo_documento;numero_documento;nombre;ciudad;numero_obligacion;entidad;producto;saldo;valor_vencido;dias_mora;' +
  'celular;celular_autorizado;celular_fuente;celular_fecha;celular_evidencia;referencia1_nombre;referencia1_relacion;referencia1_telefono';

const ROWS = [
  'CC;1020304050;María Peña Báez;Bogotá;4500-1;Banco Andino;tarjeta de crédito;2.500.000,00;400.000,00;25;3001234567;sí;contrato;10/05/2024;DOC-1;Ana Ruiz;hermana;3205551234',
  'CC;79555111;Pedro Ramírez;Cali;4500-2;Banco Andino;consumo;8.000.000,00;1.200.000,00;45;3002223344;sí;contrato;11/05/2024;DOC-2;;;',
  'CC;52111222;Lucía Muñoz;Medellín;4500-3;Banco Andino;libranza;3.000.000,00;300.000,00;15;3003334455;sí;contrato;12/05/2024;DOC-3;;;',
  'CC;80111333;Jorge Ñáñez;Bogotá;4500-4;Banco Andino;vehículo;20.000.000,00;2.000.000,00;95;3004445566;sí;contrato;13/05/2024;DOC-4;;;',
  'CC;41222444;Carmen Báez;Bogotá;4500-5;Banco Andino;tarjeta de crédito;1.000.000,00;100.000,00;5;3005556677;sí;contrato;14/05/2024;DOC-5;;;',
  'CC;19333555;Óscar Díaz;Cali;4500-6;Banco Andino;consumo;6.000.000,00;600.000,00;200;3006667788;sí;contrato;15/05/2024;DOC-6;;;',
];

/** 09:00 in Bogotá on a Tuesday: leases start here, and the workstation's test clock runs after it. */
export const SERVER_NOW = new Date('2026-03-03T14:00:00Z');

export const AGENT_1 = DEMO_USERS.find((user) => user.username === 'agente1')!;
export const AGENT_2 = DEMO_USERS.find((user) => user.username === 'agente2')!;

export function writePortfolio(dir: string): string {
  const file = path.join(dir, 'cartera.csv');
  writeFileSync(file, `${HEADER}\n${ROWS.join('\n')}\n`, 'utf8');
  return file;
}

/** Starts the server on `port` (0 picks one) with its SQLite file in `dir`, seeding it on first start. */
export async function startTestServer(dir: string, options: { port?: number; seed?: boolean; now?: () => Date } = {}): Promise<RunningServer> {
  const server = await startServer({
    dbPath: path.join(dir, 'server.sqlite'),
    port: options.port ?? 0,
    now: options.now ?? (() => SERVER_NOW),
    logger: pino({ level: process.env.GESTIONA_LOG_LEVEL ?? 'silent' }),
  });
  if (options.seed ?? true) await seedDemo(server.store, { portfolioFile: writePortfolio(dir), now: SERVER_NOW });
  return server;
}
