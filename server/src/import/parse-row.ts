/** Turns one data row into its debtor, obligation, co-obligor and reference parts. */
import type { VisitCreditType } from '@gestiona/core/compliance/types';
import { debtorKey, type Channel, type DocType, type Product } from '@gestiona/core/domain';
import { authorizationColumn, COLUMNS, CONTACT_KINDS, REFERENCE_SLOTS, referenceColumn, type ContactKind } from './columns.ts';
import { coObligorId, contactPointId, referenceId } from './ids.ts';
import { COLOMBIA } from './time-zones.ts';
import type { ProblemList } from './problems.ts';
import type { TableRow } from './read-table.ts';
import { RowReader } from './row-reader.ts';
import type { PortfolioContactPoint, PortfolioPerson } from './types.ts';
import {
  parseAmountCents,
  parseCoObligorRelation,
  parseDate,
  parseDocNumber,
  parseDocType,
  parseEmail,
  parseInteger,
  parseName,
  parsePhone,
  parseProduct,
  parseText,
  parseTimeZone,
  parseCountry,
  parseVisitCreditType,
  parseYesNo,
  type Parsed,
} from './values.ts';

/** Canonical value of each debtor-level cell, to compare the rows of one debtor: column → [canonical, raw]. */
export type ComparableCells = Map<string, { canonical: string; raw: string }>;

export interface ParsedRow {
  line: number;
  debtorId: string;
  docType: DocType;
  docNumber: string;
  fullName: string;
  city: string | null;
  /** Optional `puntaje`; undefined when the file has no such column or the cell is empty. */
  score: number | null;
  timeZone: string | null;
  residenceCountry: string | null;
  /** From `direccion`: where letters and field visits go. */
  postalAddress: string | null;
  /** The debtor's own contact points. */
  contactPoints: PortfolioContactPoint[];
  references: PortfolioPerson[];
  debtorCells: ComparableCells;
  obligation: {
    creditor: string;
    number: string;
    product: Product;
    balanceCents: number;
    overdueCents: number;
    daysPastDue: number;
    dueDate: string | null;
    writtenOff: boolean;
    originationChannel: string | null;
    originationCity: string | null;
    originationDate: string | null;
    originationAmountCents: number | null;
    visitCreditType: VisitCreditType | null;
    visitAllowed: boolean;
  };
  coObligor: { person: PortfolioPerson; cells: ComparableCells } | null;
}

const CONTACT_CHANNELS: Record<ContactKind, Channel> = { celular: 'voice', fijo: 'voice', correo: 'email', whatsapp: 'whatsapp', sms: 'sms' };

const CONTACT_PARSERS: Record<ContactKind, (raw: string) => Parsed<string>> = {
  celular: (raw) => parsePhone(raw, 'mobile'),
  fijo: (raw) => parsePhone(raw, 'landline'),
  correo: parseEmail,
  whatsapp: (raw) => parsePhone(raw, 'mobile'),
  sms: (raw) => parsePhone(raw, 'mobile'),
};

/** Returns the row's parts, or null when any cell was invalid (its problems are already recorded). */
export function parseRow(
  row: TableRow,
  index: ReadonlyMap<string, number>,
  problems: ProblemList,
  options: { defaultCreditor: string | null; today: string | null },
): ParsedRow | null {
  const before = problems.total;
  const reader = new RowReader(row, index, problems);
  const debtorCells: ComparableCells = new Map();

  const docType = reader.required(COLUMNS.docType, parseDocType);
  const docNumber = docType === undefined ? undefined : reader.required(COLUMNS.docNumber, (raw) => parseDocNumber(docType, raw));
  const debtorId = docType !== undefined && docNumber !== undefined ? debtorKey(docType, docNumber) : '';

  const fullName = track(reader, debtorCells, COLUMNS.name, reader.required(COLUMNS.name, parseName));
  const city = track(reader, debtorCells, COLUMNS.city, reader.optional(COLUMNS.city, (raw) => parseText(raw, 100)));
  const timeZone = track(reader, debtorCells, COLUMNS.timeZone, reader.optional(COLUMNS.timeZone, parseTimeZone));
  const country = track(reader, debtorCells, COLUMNS.country, reader.optional(COLUMNS.country, parseCountry));
  const postalAddress = track(reader, debtorCells, COLUMNS.postalAddress, reader.optional(COLUMNS.postalAddress, (raw) => parseText(raw, 300)));
  const score = track(reader, debtorCells, COLUMNS.score, reader.optional(COLUMNS.score, parseScore));

  const obligation = readObligation(reader, options.defaultCreditor);

  const contactPoints: PortfolioContactPoint[] = [];
  for (const kind of CONTACT_KINDS) {
    const point = readContactPoint(reader, debtorCells, kind, CONTACT_PARSERS[kind], CONTACT_CHANNELS[kind], debtorId, options.today);
    if (point) contactPoints.push(point);
  }

  const references = REFERENCE_SLOTS.flatMap((slot) => readReference(reader, debtorCells, slot, debtorId) ?? []);
  const coObligor = readCoObligor(reader, debtorId, options.today);

  if (problems.total > before || docType === undefined || docNumber === undefined || fullName === undefined || obligation === undefined) {
    return null;
  }
  return {
    line: row.line,
    debtorId,
    docType,
    docNumber,
    fullName,
    city: city ?? null,
    score: score ?? null,
    timeZone: timeZone ?? null,
    residenceCountry: country === undefined || country === null || country === COLOMBIA ? null : country,
    postalAddress: postalAddress ?? null,
    contactPoints,
    references,
    debtorCells,
    obligation,
    coObligor: coObligor ?? null,
  };
}

/** Parses a score: a whole number from 0 to 9999, which covers the bureau and collection scales used in Colombia. */
function parseScore(raw: string): Parsed<number> {
  const parsed = parseInteger(raw);
  if (!parsed.ok) return parsed;
  return parsed.value >= 0 && parsed.value <= 9999 ? parsed : { ok: false, message: 'no es un puntaje válido. Escriba un entero de 0 a 9999.' };
}

function track<T>(reader: RowReader, cells: ComparableCells, column: string, value: T): T {
  if (value !== undefined) cells.set(column, { canonical: JSON.stringify(value), raw: reader.raw(column) });
  return value;
}

function readObligation(reader: RowReader, defaultCreditor: string | null): ParsedRow['obligation'] | undefined {
  const number = reader.required(COLUMNS.obligationNumber, (raw) => parseText(raw, 50));
  let creditor: string | undefined;
  if (reader.has(COLUMNS.creditor)) creditor = reader.required(COLUMNS.creditor, (raw) => parseText(raw, 200));
  else if (defaultCreditor !== null) creditor = defaultCreditor;
  else reader.report(COLUMNS.creditor, null, 'está vacío. Escriba la entidad acreedora o indíquela al importar (--creditor).');

  const product = reader.required(COLUMNS.product, parseProduct);
  const balanceCents = reader.required(COLUMNS.balance, parseAmountCents);
  const overdueCents = reader.required(COLUMNS.overdue, parseAmountCents);
  const daysPastDue = reader.required(COLUMNS.daysPastDue, parseInteger);
  const dueDate = reader.optional(COLUMNS.dueDate, parseDate);
  const writtenOff = reader.optional(COLUMNS.writtenOff, parseYesNo);
  const originationChannel = reader.optional(COLUMNS.originationChannel, (raw) => parseText(raw, 100));
  const originationCity = reader.optional(COLUMNS.originationCity, (raw) => parseText(raw, 100));
  const originationDate = reader.optional(COLUMNS.originationDate, parseDate);
  const originationAmountCents = reader.optional(COLUMNS.originationAmount, parseAmountCents);
  const visitCreditType = reader.optional(COLUMNS.visitCreditType, parseVisitCreditType);
  const visitAllowed = reader.optional(COLUMNS.visitAllowed, parseYesNo);

  if (balanceCents !== undefined && overdueCents !== undefined && overdueCents > balanceCents) {
    reader.report(
      COLUMNS.overdue,
      reader.raw(COLUMNS.overdue),
      `es mayor que el saldo (${reader.raw(COLUMNS.balance)}). El valor vencido no puede superar el saldo de la obligación.`,
    );
    return undefined;
  }

  if (
    number === undefined ||
    creditor === undefined ||
    product === undefined ||
    balanceCents === undefined ||
    overdueCents === undefined ||
    daysPastDue === undefined ||
    dueDate === undefined ||
    writtenOff === undefined ||
    originationChannel === undefined ||
    originationCity === undefined ||
    originationDate === undefined ||
    originationAmountCents === undefined ||
    visitCreditType === undefined ||
    visitAllowed === undefined
  ) {
    return undefined;
  }
  return {
    creditor,
    number,
    product,
    balanceCents,
    overdueCents,
    daysPastDue,
    dueDate,
    writtenOff: writtenOff ?? false,
    originationChannel,
    originationCity,
    originationDate,
    originationAmountCents,
    visitCreditType,
    visitAllowed: visitAllowed ?? false,
  };
}

/**
 * Reads one address column with its authorisation columns. An authorisation ("sí") requires the
 * address, the source, the date and the evidence, because one that cannot be shown protects nobody.
 */
function readContactPoint(
  reader: RowReader,
  cells: ComparableCells,
  column: string,
  parse: (raw: string) => Parsed<string>,
  channel: Channel,
  personId: string,
  today: string | null,
): PortfolioContactPoint | null {
  const address = track(reader, cells, column, reader.optional(column, parse));
  const authorizedColumn = authorizationColumn(column, 'autorizado');
  const said = reader.optional(authorizedColumn, parseYesNo);
  const authorized = track(reader, cells, authorizedColumn, said === undefined ? undefined : (said ?? false));

  if (authorized === undefined) return null;
  if (!authorized) {
    return address ? { id: contactPointId(personId, column), channel, address, authorization: null } : null;
  }

  if (address === null) {
    reader.report(authorizedColumn, reader.raw(authorizedColumn), `dice que hay autorización, pero la columna "${column}" está vacía. Escriba el dato o ponga "no".`);
  }
  const sourceColumn = authorizationColumn(column, 'fuente');
  const dateColumn = authorizationColumn(column, 'fecha');
  const evidenceColumn = authorizationColumn(column, 'evidencia');
  const because = `"${authorizedColumn}" dice que hay autorización`;
  const source = track(reader, cells, sourceColumn, reader.required(sourceColumn, (raw) => parseText(raw, 200), because));
  const grantedOn = track(reader, cells, dateColumn, reader.required(dateColumn, parseDate, because));
  const evidence = track(reader, cells, evidenceColumn, reader.required(evidenceColumn, (raw) => parseText(raw, 500), because));

  // An authorisation dated in the future was not given yet, so it cannot allow a contact today (R7).
  if (grantedOn !== undefined && today !== null && grantedOn > today) {
    reader.report(dateColumn, reader.raw(dateColumn), 'es una fecha futura. La autorización debe haberse otorgado a más tardar hoy; corrija la fecha.');
    return null;
  }

  if (!address || source === undefined || grantedOn === undefined || evidence === undefined) return null;
  return { id: contactPointId(personId, column), channel, address, authorization: { source, grantedOn, evidence } };
}

/** References are listed for the agent and never dialed, so they carry no authorisation at all. */
function readReference(reader: RowReader, cells: ComparableCells, slot: 1 | 2, debtorId: string): PortfolioPerson | null {
  const nameColumn = referenceColumn(slot, 'nombre');
  const relationColumn = referenceColumn(slot, 'relacion');
  const phoneColumn = referenceColumn(slot, 'telefono');
  if (![nameColumn, relationColumn, phoneColumn].some((column) => reader.has(column))) return null;

  const fullName = track(reader, cells, nameColumn, reader.required(nameColumn, parseName));
  const relation = track(reader, cells, relationColumn, reader.optional(relationColumn, (raw) => parseText(raw, 100)));
  const phone = track(reader, cells, phoneColumn, reader.required(phoneColumn, (raw) => parsePhone(raw, 'any')));
  if (fullName === undefined || relation === undefined || phone === undefined) return null;

  const id = referenceId(debtorId, slot);
  return {
    id,
    role: 'reference',
    docType: null,
    docNumber: null,
    fullName,
    relation,
    timeZone: null,
    residenceCountry: null,
    postalAddress: null,
    contactPoints: [{ id: contactPointId(id, 'telefono'), channel: 'voice', address: phone, authorization: null }],
  };
}

function readCoObligor(reader: RowReader, debtorId: string, today: string | null): ParsedRow['coObligor'] | undefined {
  const columns = [COLUMNS.coDocType, COLUMNS.coDocNumber, COLUMNS.coName, COLUMNS.coRelation, COLUMNS.coMobile, COLUMNS.coTimeZone, COLUMNS.coCountry];
  if (!columns.some((column) => reader.has(column))) return null;

  const cells: ComparableCells = new Map();
  const docType = reader.required(COLUMNS.coDocType, parseDocType);
  const docNumber = docType === undefined ? undefined : reader.required(COLUMNS.coDocNumber, (raw) => parseDocNumber(docType, raw));
  const fullName = track(reader, cells, COLUMNS.coName, reader.required(COLUMNS.coName, parseName));
  const relation = track(reader, cells, COLUMNS.coRelation, reader.required(COLUMNS.coRelation, parseCoObligorRelation));
  // A co-obligor abroad is called inside the legal hours of their own time zone too, as the debtor is.
  const timeZone = track(reader, cells, COLUMNS.coTimeZone, reader.optional(COLUMNS.coTimeZone, parseTimeZone));
  const country = track(reader, cells, COLUMNS.coCountry, reader.optional(COLUMNS.coCountry, parseCountry));
  if (docType === undefined || docNumber === undefined || fullName === undefined || relation === undefined || timeZone === undefined || country === undefined) return undefined;

  const id = coObligorId(debtorId, docType, docNumber);
  const mobile = readContactPoint(reader, cells, COLUMNS.coMobile, CONTACT_PARSERS.celular, 'voice', id, today);
  return {
    person: {
      id,
      role: 'co-obligor',
      docType,
      docNumber,
      fullName,
      relation,
      timeZone,
      residenceCountry: country === null || country === COLOMBIA ? null : country,
      postalAddress: null,
      contactPoints: mobile ? [mobile] : [],
    },
    cells,
  };
}
