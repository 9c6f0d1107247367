/** The `channels` command: a one-off dispatcher pass, the day's letter batch and route sheet, and the list of sends. */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDate, formatDateTime } from '@gestiona/core/format';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { letterBatch, parseDisplayDate, routeSheet } from './batches.ts';
import type { ChannelsConfig } from './channel-config.ts';
import { ChannelDispatcher } from './dispatcher.ts';
import { listSends } from './send-table.ts';

export const CHANNELS_HELP = `  channels run [--channels-config ARCHIVO]
      Hace una pasada del envío de la estrategia: busca los SMS, correos, WhatsApp, cartas y
      visitas que vencen hoy, los revisa contra las reglas de contacto y envía los permitidos;
      los bloqueados pasan a su siguiente horario legal. El servidor hace lo mismo cada minuto.
  channels letters --date dd/mm/aaaa --out ARCHIVO.pdf [--channels-config ARCHIVO]
      Escribe en un PDF las cartas listas de ese día, una página por deudor con las
      advertencias legales, y las marca como enviadas.
  channels visits --date dd/mm/aaaa --out ARCHIVO.csv|.xlsx
      Escribe la hoja de ruta del día con las visitas permitidas (R13) y las marca como hechas.
  channels list [--debtor DEUDOR]
      Lista los envíos con su estado.
      La configuración de canales se toma de --channels-config o de la variable
      GESTIONA_CHANNELS_CONFIG; sin ella, todos los canales están apagados.`;

export interface ChannelsCliContext {
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  /** Loads the configuration the flag or the environment selects; returns null after printing why it is invalid. */
  loadConfig(flag: string | undefined): ChannelsConfig | null;
  logger: Logger;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

const OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
  'channels-config': { type: 'string' },
  date: { type: 'string' },
  out: { type: 'string' },
  debtor: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const STATUS_WORDS = { pending: 'pendiente', ready: 'listo', sent: 'enviado', failed: 'fallido', blocked: 'bloqueado' } as const;

/** Runs one `channels` subcommand; exit code 0 done, 1 an error. */
export async function channelsCommand(args: readonly string[], context: ChannelsCliContext): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || !['run', 'letters', 'visits', 'list'].includes(name)) {
    context.out(CHANNELS_HELP);
    return name === '--help' ? 0 : 1;
  }
  let values: { db?: string; 'database-url'?: string; 'channels-config'?: string; date?: string; out?: string; debtor?: string; help?: boolean };
  try {
    values = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: false }).values;
  } catch (error) {
    context.err(`${(error as Error).message}. Use channels --help.`);
    return 1;
  }
  if (values.help) {
    context.out(CHANNELS_HELP);
    return 0;
  }

  if (name === 'list') return context.withStore(values, (store) => list(store, values.debtor, context));

  const config = context.loadConfig(values['channels-config']);
  if (config === null) return 1;
  if (name === 'run') {
    return context.withStore(values, async (store) => {
      const dispatcher = new ChannelDispatcher({ store, config, logger: context.logger, clock: context.now });
      try {
        const summary = await dispatcher.runPass(context.now());
        context.out(
          `Pasada hecha: ${summary.planned} nuevos, ${summary.sent} enviados, ${summary.ready} listos para lote, ${summary.rescheduled} movidos a su siguiente horario legal, ` +
            `${summary.blocked} bloqueados, ${summary.failed} fallidos, ${summary.skipped} en manos de otro servidor o por reintentar.`,
        );
        return 0;
      } finally {
        dispatcher.close();
      }
    });
  }

  if (values.date === undefined || values.out === undefined) {
    context.err(`Indique --date dd/mm/aaaa y --out ARCHIVO: npm run server -- channels ${name} --date 07/12/2026 --out ${name === 'letters' ? 'cartas.pdf' : 'ruta.xlsx'}`);
    return 1;
  }
  let date: string;
  try {
    date = parseDisplayDate(values.date);
  } catch (error) {
    context.err((error as Error).message);
    return 1;
  }
  const out = resolve(values.out);
  if (name === 'letters') {
    return context.withStore(values, async (store) => {
      const batch = await letterBatch(store, config, date, context.now());
      await writeFile(out, batch.pdf);
      context.out(`${batch.letters} ${batch.letters === 1 ? 'carta' : 'cartas'} del ${formatDate(date)} en ${out}.`);
      return 0;
    });
  }

  const extension = extname(out).toLowerCase();
  if (extension !== '.csv' && extension !== '.xlsx') {
    context.err(`El archivo de salida "${values.out}" debe terminar en .csv o .xlsx.`);
    return 1;
  }
  return context.withStore(values, async (store) => {
    const sheet = await routeSheet(store, date, extension === '.csv' ? 'csv' : 'xlsx', context.now());
    await writeFile(out, sheet.file);
    context.out(`${sheet.visits} ${sheet.visits === 1 ? 'visita' : 'visitas'} del ${formatDate(date)} en ${out}.`);
    return 0;
  });
}

async function list(store: ServerStore, debtorId: string | undefined, context: ChannelsCliContext): Promise<number> {
  const sends = await store.readBoardView((sql) => listSends(sql, debtorId));
  if (sends.length === 0) {
    context.out('No hay envíos.');
    return 0;
  }
  for (const send of sends) {
    const when = send.sentAt === null ? `próximo intento el ${formatDateTime(send.nextAttemptAt)}` : `el ${formatDateTime(send.sentAt)}`;
    context.out(`${formatDate(send.occurrenceDate)}  ${send.debtorId}  ${send.activityId} (${send.channel})  ${STATUS_WORDS[send.status]}  ${when}`);
  }
  return 0;
}
