/**
 * `npm run server -- audit views DEUDOR`: who opened a debtor's file, when and from which
 * workstation (Ley 1581 accountability). Output is Spanish, with Bogotá dates and times.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { parseSince } from '../compliance/alarm-text.ts';
import type { ServerStore } from '../store/types.ts';
import { viewCsv, viewLine } from './view-report.ts';

export const AUDIT_HELP = `  audit views DEUDOR [--since FECHA] [--csv ARCHIVO]
      Lista las consultas del expediente de un deudor: quién lo abrió, cuándo (hora de Bogotá),
      desde qué estación y si lo tenía asignado, de la más antigua a la más reciente.
      --since FECHA   solo desde esa fecha (dd/mm/aaaa, desde las 00:00 de Bogotá) o instante ISO-8601
      --csv ARCHIVO   las escribe en ARCHIVO para Excel (CSV con punto y coma, UTF-8) en vez de
                      listarlas; reemplaza el archivo si existe`;

const USAGE = 'Uso: npm run server -- audit views DEUDOR [--since dd/mm/aaaa] [--csv ARCHIVO]';

/** Dependencies of the command on the command line that runs it. */
export interface AuditCliContext {
  /** Opens the database the options select, runs `work` and closes it; returns 1 after printing why the options are invalid. */
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

const OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
  since: { type: 'string' },
  csv: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Runs `audit views` and returns the exit code: 0 done (also with no views), 1 an error. */
export async function auditCommand(args: readonly string[], context: AuditCliContext): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name !== 'views') {
    if (name !== undefined && name !== '--help') context.err(`Subcomando desconocido: "${name}". Use: views.`);
    context.out(`${USAGE}\n\n${AUDIT_HELP}`);
    return name === '--help' ? 0 : 1;
  }

  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    context.err(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    context.out(`${USAGE}\n\n${AUDIT_HELP}`);
    return 0;
  }
  const debtorId = positionals[0] === undefined ? undefined : normalizeDebtorId(positionals[0]);
  if (debtorId === undefined || positionals.length > 1) {
    context.err(`Indique un solo deudor, p. ej. CC-1020304050. ${USAGE}`);
    return 1;
  }
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (since === null) {
    context.err(`Fecha inválida: "${values.since}". Use dd/mm/aaaa o un instante ISO-8601 con zona, p. ej. 2026-12-04T08:00:00-05:00.`);
    return 1;
  }

  return context.withStore(values, async (store) => {
    if ((await store.getDebtorSnapshot(debtorId, context.now())) === null) {
      context.err(`El deudor "${debtorId}" no existe. Use el identificador TIPO-NÚMERO, p. ej. CC-1020304050.`);
      return 1;
    }
    const views = await store.findDebtorViews({ debtorId, since });
    const count = views.length === 1 ? '1 consulta' : `${views.length} consultas`;
    if (values.csv !== undefined) {
      try {
        await writeFile(values.csv, viewCsv(views), 'utf8');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        context.err(`No se pudo escribir "${values.csv}" (${reason}). Revise que la carpeta exista y que tenga permiso de escritura.`);
        return 1;
      }
      context.out(`${count} del expediente ${debtorId} exportada(s) a ${values.csv}.`);
      return 0;
    }
    if (views.length === 0) {
      context.out(`Nadie ha consultado el expediente ${debtorId}${since === undefined ? '' : ' en ese periodo'}.`);
      return 0;
    }
    context.out(`${count} del expediente ${debtorId} (horas de Bogotá):`);
    for (const view of views) context.out(`  ${viewLine(view)}`);
    const unleased = views.filter((view) => !view.leased).length;
    if (unleased > 0) context.out(`${unleased} sin asignación: revise las alarmas de ese deudor (npm run server -- alarms).`);
    return 0;
  });
}
