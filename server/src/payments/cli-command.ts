/** `npm run server -- payments import FILE` and `npm run server -- promises sweep`. */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCop } from '@gestiona/core/format';
import { PortfolioImportError } from '../import/problems.ts';
import type { ServerStore } from '../store/types.ts';
import { PARTLY_KEPT_MIN_PERCENT, PROMISE_GRACE_DAYS } from '../promises/rules.ts';
import type { ReconcileSummary } from '../promises/reconcile.ts';
import type { PaymentsImportSummary } from './import-payments.ts';

export const PAYMENTS_USAGE = 'npm run server -- payments import ARCHIVO [--creditor NOMBRE]';
export const PROMISES_USAGE = 'npm run server -- promises sweep';

export const PAYMENTS_HELP = `  payments import ARCHIVO [--creditor NOMBRE]
      Importa el archivo de pagos de la entidad (CSV con punto y coma o XLSX; columnas
      tipo_documento, numero_documento, numero_obligacion, entidad, fecha_pago (dd/mm/aaaa),
      valor_pagado (1.234.567,89), referencia_pago) y lo concilia con las promesas y acuerdos
      de pago. Cada obligación debe estar ya en la cartera. Una referencia ya importada se omite
      como duplicada. Todo o nada: si hay errores los lista todos, sale con código 1 y no
      guarda nada.
      --creditor NOMBRE  entidad para las filas sin columna "entidad"
  promises sweep
      Marca como incumplidas o cumplidas en parte las promesas cuyo plazo de gracia
      (${PROMISE_GRACE_DAYS} días después del vencimiento) ya terminó sin el pago completo; con al
      menos el ${PARTLY_KEPT_MIN_PERCENT} % pagado quedan cumplidas en parte. El servidor lo hace
      solo cada hora; este comando lo hace ya.
`;

/** Returns the summary printed after a successful import, one line each. */
export function paymentsSummaryLines(summary: PaymentsImportSummary): string[] {
  return [
    `Pagos importados: ${summary.fileName} (${summary.encoding})`,
    `  Filas:                       ${summary.rows}`,
    `  Pagos nuevos:                ${summary.stored} por ${formatCop(summary.storedCents)}`,
    `  Duplicados omitidos:         ${summary.duplicates}`,
    `  Aplicados a una promesa:     ${summary.matched}`,
    `  Sin promesa:                 ${summary.unmatched['no-promise']}`,
    `  Anteriores a la promesa:     ${summary.unmatched['before-promise']}`,
    `  Después del plazo de gracia: ${summary.unmatched['after-grace']}`,
    `  Excedentes:                  ${formatCop(summary.excessCents)}`,
    `  Promesas cumplidas:          ${summary.promisesChanged.kept}`,
    `  Promesas cumplidas en parte: ${summary.promisesChanged['partly-kept']}`,
    `  Promesas incumplidas:        ${summary.promisesChanged.broken}`,
  ];
}

export function sweepSummaryLines(summary: ReconcileSummary): string[] {
  return [
    `Promesas revisadas al terminar el plazo de gracia: ${summary.debtorsChanged.length} deudores con cambios`,
    `  Cumplidas en parte: ${summary.changed['partly-kept']}`,
    `  Incumplidas:        ${summary.changed.broken}`,
  ];
}

export interface PaymentsCliContext {
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

const DATABASE_OPTIONS = { db: { type: 'string' }, 'database-url': { type: 'string' } } as const;

/** Runs `payments …` or `promises …`; returns the exit code. */
export async function paymentsCommand(command: 'payments' | 'promises', args: readonly string[], context: PaymentsCliContext): Promise<number> {
  const [subcommand, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { ...DATABASE_OPTIONS, creditor: { type: 'string' } } });
  } catch (error) {
    context.err(`${error instanceof Error ? error.message : String(error)}. Use: ${command === 'payments' ? PAYMENTS_USAGE : PROMISES_USAGE}.`);
    return 1;
  }
  const { values, positionals } = parsed;

  if (command === 'promises') {
    if (subcommand !== 'sweep' || positionals.length > 0 || values.creditor !== undefined) {
      context.err(`Use: ${PROMISES_USAGE}.`);
      return 1;
    }
    return context.withStore(values, async (store) => {
      for (const line of sweepSummaryLines(await store.sweepPromises(context.now()))) context.out(line);
      return 0;
    });
  }

  const file = positionals[0];
  if (subcommand !== 'import' || file === undefined || positionals.length > 1) {
    context.err(`Use: ${PAYMENTS_USAGE}.`);
    return 1;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    context.err(`No se pudo leer "${file}": ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  return context.withStore(values, async (store) => {
    try {
      const summary = await store.importPayments({
        fileName: basename(file),
        bytes,
        creditor: values.creditor ?? null,
        importedBy: `cli:${userInfo().username}`,
        now: context.now(),
      });
      for (const line of paymentsSummaryLines(summary)) context.out(line);
      return 0;
    } catch (error) {
      if (!(error instanceof PortfolioImportError)) throw error;
      context.err(`No se importó "${file}": ${error.total === 1 ? '1 error' : `${error.total} errores`}. No se guardó nada.`);
      for (const line of error.lines()) context.err(`  ${line}`);
      return 1;
    }
  });
}
