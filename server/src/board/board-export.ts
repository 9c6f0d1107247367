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

/** Returns the file name, e.g. `tablero-04-12-2026.xlsx`, with the Bogotá date of the board. */
export function boardExportFileName(board: Board, format: BoardExportFormat): string {
  return `tablero-${formatDate(board.date).replaceAll('/', '-')}.${format}`;
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

/** Builds the workbook: the agents' figures, then the blocked decisions per rule. */
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
