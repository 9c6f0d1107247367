/**
 * Today's board figures as files for a team lead's spreadsheet: CSV through the one CSV writer of
 * core, and XLSX through exceljs. Names and reasons come from accounts and workstations, so every
 * text cell of both files goes through `neutraliseFormula` and a spreadsheet shows it as text.
 */
import { BOARD_AGENT_STATE_LABELS, type Board, type BoardAgent } from '@gestiona/core/board';
import { neutraliseFormula, toCsv, type CsvCell } from '@gestiona/core/csv-export';
import { formatDate, formatDateTime } from '@gestiona/core/format';
import ExcelJS from 'exceljs';

export const BOARD_EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type BoardExportFormat = (typeof BOARD_EXPORT_FORMATS)[number];

/** The table of a CSV, which holds one: the agents' rows or the queues' rows. */
export const BOARD_EXPORT_TABLES = ['agents', 'queues'] as const;
export type BoardExportTable = (typeof BOARD_EXPORT_TABLES)[number];

export const BOARD_EXPORT_HEADER = [
  'Fecha',
  'Agente',
  'Usuario',
  'Estado',
  'Motivo de pausa',
  'En el estado desde',
  'Deudores asignados',
  'Deudores trabajados',
  'Gestiones',
  'Contactos directos',
  'Promesas',
  'Valor prometido (COP)',
  'Decisiones de cumplimiento',
  'Decisiones bloqueadas',
] as const;

/** The column of `BOARD_EXPORT_HEADER` with the amount, which the XLSX formats as pesos. */
const AMOUNT_COLUMN = BOARD_EXPORT_HEADER.indexOf('Valor prometido (COP)') + 1;

/** Returns the file name, e.g. `tablero-04-12-2026.xlsx` or `tablero-colas-04-12-2026.csv`, with the Bogotá date of the board. */
export function boardExportFileName(board: Board, format: BoardExportFormat, table: BoardExportTable = 'agents'): string {
  const prefix = format === 'csv' && table === 'queues' ? 'tablero-colas' : 'tablero';
  return `${prefix}-${formatDate(board.date).replaceAll('/', '-')}.${format}`;
}

/** Builds one row per agent, with the amount in whole pesos and times as dd/mm/aaaa hh:mm in Bogotá. */
export function boardExportRows(board: Board): CsvCell[][] {
  const date = formatDate(board.date);
  return board.agents.map((agent: BoardAgent) => [
    date,
    agent.fullName,
    agent.username,
    BOARD_AGENT_STATE_LABELS[agent.state],
    agent.pauseReason ?? null,
    agent.stateSince === null ? null : formatDateTime(agent.stateSince),
    agent.leasedDebtors,
    agent.debtorsWorked,
    agent.interactions,
    agent.rightPartyContacts,
    agent.promises,
    agent.promisedCents / 100,
    agent.decisions,
    agent.blockedDecisions,
  ]);
}

export function boardCsv(board: Board): string {
  return toCsv(BOARD_EXPORT_HEADER, boardExportRows(board));
}

export function boardQueueCsv(board: Board): string {
  return toCsv(BOARD_QUEUE_EXPORT_HEADER, boardQueueExportRows(board));
}

/** The queue sheet: one row per segment of the strategy in force, in its order, and «Sin segmento». */
export const BOARD_QUEUE_EXPORT_HEADER = [
  'Fecha',
  'Cola (segmento)',
  'Agentes',
  'Deudores pendientes',
  'Deudores trabajados',
  'Gestiones',
  'Contactos directos',
  'Promesas',
  'Valor prometido (COP)',
  'Tiempo medio de gestión (s)',
  'Tiempo medio de tipificación (s)',
  'Marcaciones sin tipificar',
  'Contacto del día agotado',
] as const;

const QUEUE_AMOUNT_COLUMN = BOARD_QUEUE_EXPORT_HEADER.indexOf('Valor prometido (COP)') + 1;

/** Builds one row per queue as the board shows them; a mean nobody measured stays empty. */
export function boardQueueExportRows(board: Board): CsvCell[][] {
  const date = formatDate(board.date);
  return board.figures.queues.map((queue) => [
    date,
    queue.label,
    queue.agents,
    queue.debtorsPending,
    queue.debtorsWorked,
    queue.interactions,
    queue.rightPartyContacts,
    queue.promises,
    queue.promisedCents / 100,
    queue.avgHandleSeconds,
    queue.avgWrapUpSeconds,
    queue.untypified,
    queue.budgetUsedDebtors,
  ]);
}

/** Builds the workbook: the agents' figures, the queues' figures, then the blocked decisions per rule. */
export async function boardXlsx(board: Board): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Gestiona';
  workbook.created = new Date(board.generatedAt);

  const agents = workbook.addWorksheet('Agentes');
  agents.addRow([...BOARD_EXPORT_HEADER]).font = { bold: true };
  for (const row of boardExportRows(board)) agents.addRow(row.map(xlsxCell));
  agents.getColumn(AMOUNT_COLUMN).numFmt = '"$" #,##0';
  agents.columns.forEach((column) => {
    column.width = 18;
  });
  agents.views = [{ state: 'frozen', ySplit: 1 }];

  const queues = workbook.addWorksheet('Colas');
  queues.addRow([...BOARD_QUEUE_EXPORT_HEADER]).font = { bold: true };
  for (const row of boardQueueExportRows(board)) queues.addRow(row.map(xlsxCell));
  queues.getColumn(QUEUE_AMOUNT_COLUMN).numFmt = '"$" #,##0';
  queues.columns.forEach((column) => {
    column.width = 18;
  });
  queues.views = [{ state: 'frozen', ySplit: 1 }];

  const rules = workbook.addWorksheet('Bloqueos por regla');
  rules.addRow(['Regla', 'Decisiones bloqueadas']).font = { bold: true };
  for (const { rule, count } of board.compliance.blockedByRule) rules.addRow([xlsxCell(rule), count]);
  rules.addRow(['Total de decisiones', board.compliance.decisions]);
  rules.addRow(['Total bloqueadas', board.compliance.blockedDecisions]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Neutralises a formula sign at the start of a text cell, as the CSV does. Numbers and empty cells stay as they are. */
function xlsxCell(cell: CsvCell): string | number | null {
  return typeof cell === 'string' ? neutraliseFormula(cell) : cell;
}
