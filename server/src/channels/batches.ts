/**
 * The field batches of a Bogotá day: the letters cleared by the gate as a PDF for printing, one page
 * per letter with the creditor's disclosures, and the visits cleared by the gate (R13 included) as a
 * route sheet for the field agent, in CSV or XLSX. Producing a batch marks its rows as sent.
 */
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { bogotaDayStart } from '@gestiona/core/compliance/bogota-time';
import { parseIsoDate } from '@gestiona/core/compliance/civil-date';
import { toCsv } from '@gestiona/core/csv-export';
import { formatDate } from '@gestiona/core/format';
import type { ServerStore } from '../store/types.ts';
import type { ChannelsConfig } from './channel-config.ts';
import { markBatched, readyOn } from './send-table.ts';
import type { SendRow } from './types.ts';

export const ROUTE_SHEET_HEADER = ['Fecha', 'Deudor', 'Nombre', 'Dirección', 'Ciudad', 'Actividad', 'Motivo de la visita'] as const;

// eslint-disable-next-line no-control-regex -- control characters could hide or garble printed text.
const plain = (text: string | null | undefined): string => (text ?? '').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');

interface BatchRow extends SendRow {
  fullName: string;
  city: string | null;
}

/** Parses `dd/mm/aaaa` to `YYYY-MM-DD`; throws an Error in Spanish naming the value. */
export function parseDisplayDate(text: string): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  const iso = match === null ? null : `${match[3]}-${match[2]}-${match[1]}`;
  if (iso === null || parseIsoDate(iso) === null) throw new Error(`La fecha "${text}" no es válida: escríbala como dd/mm/aaaa, por ejemplo 07/12/2026.`);
  return iso;
}

/** Reads the ready rows of the channel on the Bogotá day `date`, with the names and cities they show. */
async function readyRows(store: ServerStore, channel: 'letter' | 'visit', date: string): Promise<BatchRow[]> {
  const day = parseIsoDate(date)!;
  const from = new Date(bogotaDayStart(day));
  const to = new Date(bogotaDayStart(day + 1));
  return store.readBoardView(async (sql) => {
    const rows = await readyOn(sql, channel, from, to);
    const result: BatchRow[] = [];
    for (const row of rows) {
      const facts = await sql.get<{ full_name: string; city: string | null }>(
        'SELECT persons.full_name, debtors.city FROM persons JOIN debtors ON debtors.id = persons.debtor_id WHERE persons.id = ?',
        [row.personId],
      );
      result.push({ ...row, fullName: facts?.full_name ?? row.debtorId, city: facts?.city ?? null });
    }
    return result;
  });
}

async function markAll(store: ServerStore, rows: readonly SendRow[], at: Date, detail: string): Promise<number> {
  let marked = 0;
  for (const row of rows) {
    if (await store.writeChannels((tables) => markBatched(tables.events.sql, row.id, at, store.nodeId, detail))) marked += 1;
  }
  return marked;
}

export interface LetterBatch {
  pdf: Buffer;
  letters: number;
}

/** Builds the PDF of the day's ready letters and marks them as sent. A day without letters gives one page with that notice. */
export async function letterBatch(store: ServerStore, config: ChannelsConfig, date: string, now: Date, options: { compress?: boolean } = {}): Promise<LetterBatch> {
  const rows = await readyRows(store, 'letter', date);
  const doc = new PDFDocument({ size: 'LETTER', margin: 56, compress: options.compress ?? true, autoFirstPage: false, info: { Title: `Cartas de cobranza ${formatDate(date)}`, Author: 'Gestiona' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  if (rows.length === 0) {
    doc.addPage().font('Helvetica').fontSize(12).text(`No hay cartas listas para el ${formatDate(date)}.`);
  }
  for (const row of rows) {
    doc.addPage();
    doc.font('Helvetica').fontSize(10).text(`Bogotá, ${formatDate(date)}`, { align: 'right' }).moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text(plain(row.fullName));
    doc.font('Helvetica').fontSize(10).text(plain(row.address));
    if (row.city !== null) doc.text(plain(row.city));
    doc.moveDown().fontSize(11).text(plain(row.body), { align: 'justify' }).moveDown(2);
    doc.font('Helvetica-Bold').fontSize(9).text('Información para usted');
    doc.font('Helvetica').fontSize(8);
    for (const disclosure of config.letterDisclosures) doc.text(`• ${plain(disclosure)}`).moveDown(0.2);
    doc.moveDown().fontSize(7).text(`Referencia del envío: ${row.id}`);
  }
  doc.end();
  const pdf = await finished;
  const letters = await markAll(store, rows, now, `Carta impresa en el lote del ${formatDate(date)}.`);
  return { pdf, letters };
}

export interface RouteSheet {
  file: Buffer;
  visits: number;
}

/** Builds the day's route sheet (`csv` or `xlsx`) of the ready visits and marks them as sent. */
export async function routeSheet(store: ServerStore, date: string, format: 'csv' | 'xlsx', now: Date): Promise<RouteSheet> {
  const rows = await readyRows(store, 'visit', date);
  const cells = rows.map((row) => [formatDate(date), row.debtorId, row.fullName, row.address ?? '', row.city ?? '', row.activityId, row.body ?? ''] as const);

  let file: Buffer;
  if (format === 'csv') {
    file = Buffer.from(toCsv([...ROUTE_SHEET_HEADER], cells), 'utf8');
  } else {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Gestiona';
    const sheet = workbook.addWorksheet(`Ruta ${formatDate(date).replaceAll('/', '-')}`);
    sheet.addRow([...ROUTE_SHEET_HEADER]).font = { bold: true };
    for (const row of cells) sheet.addRow([...row]);
    sheet.columns.forEach((column) => {
      column.width = 24;
    });
    file = Buffer.from(await workbook.xlsx.writeBuffer());
  }
  const visits = await markAll(store, rows, now, `Visita incluida en la hoja de ruta del ${formatDate(date)}.`);
  return { file, visits };
}
