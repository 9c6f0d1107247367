/** Text of `npm run server -- obligation-terms import FILE`, which loads a creditor's R14 notices and R15 fee terms. */
import type { TermsImportSummary } from './import-terms.ts';

export const OBLIGATION_TERMS_USAGE = 'npm run server -- obligation-terms import ARCHIVO [--creditor NOMBRE]';

export const OBLIGATION_TERMS_HELP = `  obligation-terms import ARCHIVO [--creditor NOMBRE]
      Importa los avisos previos al reporte en centrales de riesgo y la tabla de gastos de
      cobranza de cada obligación (CSV con punto y coma o XLSX; columnas numero_obligacion,
      entidad, fecha_aviso_1, fecha_aviso_2, porcentaje_gastos_cobranza,
      tabla_gastos_informada, cobro_judicial). Cada obligación debe estar ya en la cartera.
      Todo o nada: si hay errores los lista todos, sale con código 1 y no guarda nada.
      --creditor NOMBRE  entidad para las filas sin columna "entidad"
`;

/** Returns the summary printed after a successful import, one line each. */
export function termsSummaryLines(summary: TermsImportSummary): string[] {
  return [
    `Avisos y gastos de cobranza importados: ${summary.fileName} (${summary.encoding})`,
    `  Obligaciones:                    ${summary.obligations} (${summary.changed} con cambios)`,
    `  Con aviso previo:                ${summary.withNotice}`,
    `  Con tabla de gastos:             ${summary.withFeeSchedule}`,
    `  Deudores reenviados a su agente: ${summary.debtorsResent}`,
  ];
}
