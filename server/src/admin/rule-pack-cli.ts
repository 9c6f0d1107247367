/**
 * `npm run server -- rule-pack …`: the compliance administrator's view and corrections of the rule
 * pack. Every change goes through `ServerStore.publishRulePack`, the same write path as
 * `POST /api/admin/rule-pack`. Output is Spanish, with Bogotá dates and times.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FIRST_CALENDAR_YEAR } from '@gestiona/core/compliance/calendar';
import type { RulePack } from '@gestiona/core/compliance/types';
import { bogotaDate, formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { LAST_CALENDAR_YEAR } from '../content/rule-pack-checks.ts';
import type { RulePackPublication, RulePackRecord, ServerStore } from '../store/types.ts';
import { addHoliday, blockDate, nextRulePackVersion, parseDateArgument, removeHoliday } from './derive-pack.ts';
import { describePackChanges, formatDayLabel, packLines, publicationLine, sourceLabel } from './pack-text.ts';
import { CONTENT_POLL_MS } from '../content/content-watch.ts';

export const RULE_PACK_HELP = `  rule-pack show [--json]
      Muestra el paquete de reglas vigente: versión, quién lo publicó, cuándo y por qué, y sus
      ajustes. Con --json imprime solo el paquete, listo para editarlo y publicarlo.
  rule-pack history
      Lista todas las versiones publicadas, de la más reciente a la más antigua.
  rule-pack publish ARCHIVO --by USUARIO [--reason TEXTO]
      Publica el paquete de reglas de un archivo JSON.
  rule-pack block-date FECHA --reason TEXTO --by USUARIO [--version V]
      Bloquea todo contacto en FECHA (día cívico, duelo nacional).
  rule-pack add-holiday FECHA --name TEXTO --by USUARIO [--reason TEXTO] [--version V]
      Añade un festivo, o restablece un festivo calculado que el paquete suprimía.
  rule-pack remove-holiday FECHA --by USUARIO [--reason TEXTO] [--version V]
      Quita un festivo añadido por el paquete, o suprime un festivo calculado.
      FECHA es dd/mm/aaaa o AAAA-MM-DD. --by es el usuario administrador que responde por el
      cambio. Sin --version, la versión sigue el esquema AAAA.N: 2026.1 → 2026.2, y la primera
      de un año nuevo es AAAA.1.`;

/** Dependencies of the command on the command line that runs it. */
export interface RulePackCliContext {
  /** Opens the database the options select, runs `work` and closes it; returns 1 after printing why the options are invalid. */
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

type Values = {
  db?: string;
  'database-url'?: string;
  reason?: string;
  name?: string;
  version?: string;
  by?: string;
  json?: boolean;
  help?: boolean;
};

const OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
  reason: { type: 'string' },
  name: { type: 'string' },
  version: { type: 'string' },
  by: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

const SUBCOMMANDS = ['show', 'history', 'publish', 'block-date', 'add-holiday', 'remove-holiday'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Runs one `rule-pack` subcommand and returns the exit code: 0 done (also when nothing had to change), 1 an error. */
export async function rulePackCommand(args: readonly string[], context: RulePackCliContext): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = SUBCOMMANDS.find((candidate) => candidate === name);
  if (name === undefined || name === '--help' || subcommand === undefined) {
    if (name !== undefined && name !== '--help') context.err(`Subcomando desconocido: "${name}". Use uno de: ${SUBCOMMANDS.join(', ')}.`);
    context.out(`Uso: npm run server -- rule-pack <subcomando> [opciones]\n\n${RULE_PACK_HELP}`);
    return name === '--help' ? 0 : 1;
  }

  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    context.err(`Opciones inválidas para rule-pack ${subcommand}: ${error instanceof Error ? error.message : String(error)}. Use rule-pack --help.`);
    return 1;
  }
  if (parsed.values.help) {
    context.out(RULE_PACK_HELP);
    return 0;
  }

  try {
    return await runSubcommand(subcommand, parsed.values, parsed.positionals, context);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    context.err(error.message);
    return 1;
  }
}

async function runSubcommand(subcommand: Subcommand, values: Values, positionals: string[], context: RulePackCliContext): Promise<number> {
  const expected = subcommand === 'show' || subcommand === 'history' ? 0 : 1;
  if (positionals.length !== expected) {
    context.err(expected === 0 ? `rule-pack ${subcommand} no lleva argumentos; sobra "${positionals.join(' ')}".` : `Indique ${subcommand === 'publish' ? 'un archivo' : 'una fecha'}: ${usage(subcommand)}.`);
    return 1;
  }

  switch (subcommand) {
    case 'show':
      return context.withStore(values, (store) => show(store, values.json === true, context));
    case 'history':
      return context.withStore(values, (store) => history(store, context));
    case 'publish':
      return publishFile(positionals[0]!, values, context);
    case 'block-date':
    case 'add-holiday':
    case 'remove-holiday':
      return correctCalendar(subcommand, positionals[0]!, values, context);
  }
}

function usage(subcommand: Subcommand): string {
  const line = RULE_PACK_HELP.split('\n').find((candidate) => candidate.trim().startsWith(`rule-pack ${subcommand}`));
  return `npm run server -- ${line?.trim() ?? `rule-pack ${subcommand}`}`;
}

async function show(store: ServerStore, json: boolean, context: RulePackCliContext): Promise<number> {
  const [current] = await store.listRulePacks(1);
  if (current === undefined) {
    context.err('Aún no hay paquete de reglas publicado: inicie el servidor una vez para publicar resources/rule-pack.json.');
    return 1;
  }
  if (json) {
    context.out(JSON.stringify(current.pack, null, 2));
    return 0;
  }
  context.out(`Paquete de reglas vigente: ${current.version} (horas de Bogotá)`);
  for (const line of recordLines(current)) context.out(`  ${line}`);
  for (const line of packLines(current.pack)) context.out(`  ${line}`);
  return 0;
}

async function history(store: ServerStore, context: RulePackCliContext): Promise<number> {
  const records = await store.listRulePacks();
  if (records.length === 0) {
    context.out('Aún no hay paquete de reglas publicado.');
    return 0;
  }
  context.out(`${records.length === 1 ? '1 versión publicada' : `${records.length} versiones publicadas`} (horas de Bogotá), la vigente primero:`);
  records.forEach((record, index) => {
    context.out(`${record.version}${index === 0 ? '  (vigente)' : ''}`);
    for (const line of recordLines(record)) context.out(`  ${line}`);
    const older = records[index + 1];
    if (older !== undefined) for (const line of describePackChanges(older.pack, record.pack)) context.out(`  ${line}`);
  });
  return 0;
}

function recordLines(record: RulePackRecord): string[] {
  const lines = [`Publicado: ${publicationLine(record)}`, `Origen: ${sourceLabel(record.source)}`];
  if (record.reason !== null) lines.push(`Motivo: ${record.reason}`);
  return lines;
}

async function publishFile(file: string, values: Values, context: RulePackCliContext): Promise<number> {
  if (values.by === undefined) return missing('--by USUARIO (el administrador que responde por el cambio)', 'publish', context);

  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    context.err(`No se pudo leer "${file}" como JSON: ${error instanceof Error ? error.message : String(error)}. No se publicó nada.`);
    return 1;
  }

  return context.withStore(values, async (store) => {
    const adminId = await adminIdOf(store, values.by!, context);
    if (adminId === null) return 1;
    const publication = await store.publishRulePack({ pack: raw, reason: values.reason, publishedBy: adminId, now: context.now() });
    printPublication(publication, context);
    return 0;
  });
}

async function correctCalendar(subcommand: 'block-date' | 'add-holiday' | 'remove-holiday', dateText: string, values: Values, context: RulePackCliContext): Promise<number> {
  const date = parseDateArgument(dateText);
  if (date === null) {
    context.err(`Fecha inválida: "${dateText}". Use dd/mm/aaaa (07/12/2026) o AAAA-MM-DD (2026-12-07) con un día que exista.`);
    return 1;
  }
  const year = Number(date.slice(0, 4));
  if (year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
    context.err(`Fecha fuera de rango: "${dateText}". El control evalúa los años ${FIRST_CALENDAR_YEAR} a ${LAST_CALENDAR_YEAR}.`);
    return 1;
  }
  if (values.by === undefined) return missing('--by USUARIO (el administrador que responde por el cambio)', subcommand, context);
  if (subcommand === 'block-date' && (values.reason ?? '').trim() === '') return missing('--reason TEXTO (p. ej. "Decreto de duelo nacional")', subcommand, context);
  if (subcommand === 'add-holiday' && (values.name ?? '').trim() === '') return missing('--name TEXTO (el nombre del festivo)', subcommand, context);

  return context.withStore(values, async (store) => {
    const adminId = await adminIdOf(store, values.by!, context);
    if (adminId === null) return 1;
    const records = await store.listRulePacks();
    const current = records[0];
    if (current === undefined) {
      context.err('Aún no hay paquete de reglas publicado: inicie el servidor una vez para publicar resources/rule-pack.json.');
      return 1;
    }

    const derived = derive(subcommand, current.pack, date, values.name ?? '');
    if (derived === null) {
      context.out(`${nothingToDo(subcommand, date)} en el paquete vigente ${current.version}: no se publicó nada.`);
      return 0;
    }

    const version = values.version ?? nextRulePackVersion(current.version, new Set(records.map((record) => record.version)), bogotaDate(context.now().toISOString()));
    if (version === null) {
      context.err(`La versión vigente "${current.version}" no sigue el esquema AAAA.N, así que no se puede elegir la siguiente: indíquela con --version.`);
      return 1;
    }
    const reason = values.reason ?? defaultReason(subcommand, date, values.name ?? '');
    const publication = await store.publishRulePack({ pack: { ...derived, version }, reason, publishedBy: adminId, now: context.now() });
    printPublication(publication, context);
    return 0;
  });
}

function derive(subcommand: 'block-date' | 'add-holiday' | 'remove-holiday', pack: RulePack, date: string, name: string): RulePack | null {
  switch (subcommand) {
    case 'block-date':
      return blockDate(pack, date);
    case 'add-holiday':
      return addHoliday(pack, date, name);
    case 'remove-holiday':
      return removeHoliday(pack, date);
  }
}

function nothingToDo(subcommand: 'block-date' | 'add-holiday' | 'remove-holiday', date: string): string {
  const day = formatDayLabel(date);
  switch (subcommand) {
    case 'block-date':
      return `El ${day} ya está bloqueado`;
    case 'add-holiday':
      return `El ${day} ya es un festivo añadido`;
    case 'remove-holiday':
      return `El festivo del ${day} ya está suprimido`;
  }
}

function defaultReason(subcommand: 'block-date' | 'add-holiday' | 'remove-holiday', date: string, name: string): string | null {
  if (subcommand === 'add-holiday') return `Festivo añadido: ${name.trim()} (${formatDayLabel(date)})`;
  if (subcommand === 'remove-holiday') return `Festivo quitado: ${formatDayLabel(date)}`;
  return null;
}

/** Returns the id of the administrator named by `--by`, or null after printing why it cannot publish. */
async function adminIdOf(store: ServerStore, username: string, context: RulePackCliContext): Promise<string | null> {
  const user = await store.findUserByUsername(username);
  if (user === null) {
    context.err(`El usuario "${username}" no existe. Indique en --by el usuario de un administrador.`);
    return null;
  }
  if (user.role !== 'admin') {
    context.err(`El usuario "${username}" no es administrador (rol ${user.role}): solo un administrador puede cambiar el paquete de reglas.`);
    return null;
  }
  return user.id;
}

function missing(option: string, subcommand: Subcommand, context: RulePackCliContext): number {
  context.err(`Falta ${option}: ${usage(subcommand)}.`);
  return 1;
}

function printPublication(publication: RulePackPublication, context: RulePackCliContext): void {
  const { current, previous } = publication;
  if (!publication.published) {
    context.out(`El paquete ${current.version} ya es el vigente, con el mismo contenido: no se publicó nada.`);
    return;
  }
  context.out(`Paquete de reglas ${current.version} publicado el ${formatDateTime(current.publishedAt)} (hora de Bogotá) por ${current.publishedBy?.username ?? '(sin usuario)'}.`);
  context.out(previous === null ? 'Cambios:' : `Cambios respecto de ${previous.version}:`);
  for (const line of describePackChanges(previous?.pack ?? null, current.pack)) context.out(`  ${line}`);
  if (current.reason !== null) context.out(`Motivo: ${current.reason}`);
  context.out(
    `Un servidor en marcha sobre esta base de datos avisa a sus estaciones conectadas en menos de ${CONTENT_POLL_MS / 1000} segundos; ` +
      'las demás estaciones lo reciben al conectarse.',
  );
}
