/**
 * `npm run server -- catalog …` and `npm run server -- holds …`: the administrator's view and
 * publication of the typification catalog, and the supervisor's collection holds. Every change goes
 * through the same store operations as the HTTP API. Output is Spanish, with Bogotá times.
 */
import type { HoldKind } from '@gestiona/core/catalog-holds';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Catalog } from '@gestiona/core/catalog';
import { catalogTree, EFFECT_LABELS } from '@gestiona/core/catalog-rules';
import { COMPLIANCE_CLASS_LABELS } from '@gestiona/core/compliance-class-labels';
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import type { ServerStore } from '../store/types.ts';
import { holdLine } from './holds.ts';
import type { CatalogVersionRecord } from './types.ts';

export const CATALOG_HELP = `  catalog show [--json]
      Muestra el catálogo de tipificación vigente por grupos. Con --json imprime solo el catálogo,
      listo para editarlo y publicarlo.
  catalog history
      Lista las versiones publicadas del catálogo, la vigente primero.
  catalog publish ARCHIVO --by USUARIO [--reason TEXTO]
      Publica el catálogo de un archivo JSON. Un código ya publicado no se puede borrar (retírelo
      con "retired": true) ni cambiar de clase de cumplimiento (retírelo y cree otro).
  holds list [--debtor DEUDOR]
      Lista las pausas de cobro vigentes (reclamación, titular fallecido), o la historia de un deudor.
  holds lift DEUDOR --by USUARIO --reason TEXTO [--kind reclamacion|fallecido]
      Levanta las pausas de cobro del deudor, o solo la del tipo indicado con --kind; --by es un
      supervisor o un administrador.`;

export interface CatalogCliContext {
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

const OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  debtor: { type: 'string' },
  kind: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = { db?: string; 'database-url'?: string; reason?: string; by?: string; debtor?: string; kind?: string; json?: boolean; help?: boolean };

/** `--kind` values, in the words a supervisor types. */
const KIND_OPTIONS: Record<string, HoldKind> = { reclamacion: 'dispute', fallecido: 'stopped' };

/** Runs one `catalog` or `holds` subcommand; returns the exit code (0 done, 1 error). */
export async function catalogCommand(command: 'catalog' | 'holds', args: readonly string[], context: CatalogCliContext): Promise<number> {
  const subcommands = command === 'catalog' ? ['show', 'history', 'publish'] : ['list', 'lift'];
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || !subcommands.includes(name)) {
    if (name !== undefined && name !== '--help') context.err(`Subcomando desconocido: "${name}". Use uno de: ${subcommands.join(', ')}.`);
    context.out(`Uso: npm run server -- ${command} <subcomando> [opciones]\n\n${CATALOG_HELP}`);
    return name === '--help' ? 0 : 1;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    context.err(`Opciones inválidas para ${command} ${name}: ${error instanceof Error ? error.message : String(error)}.`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    context.out(CATALOG_HELP);
    return 0;
  }
  const needsArgument = name === 'publish' || name === 'lift';
  if (positionals.length !== (needsArgument ? 1 : 0)) {
    context.err(needsArgument ? `Indique ${name === 'publish' ? 'el archivo del catálogo' : 'el deudor'}: npm run server -- ${command} ${name} ${name === 'publish' ? 'ARCHIVO' : 'DEUDOR'} --by USUARIO.` : `${command} ${name} no lleva argumentos; sobra "${positionals.join(' ')}".`);
    return 1;
  }

  try {
    switch (name) {
      case 'show':
        return await context.withStore(values, (store) => show(store, values.json === true, context));
      case 'history':
        return await context.withStore(values, (store) => history(store, context));
      case 'publish':
        return await publish(positionals[0]!, values, context);
      case 'list':
        return await context.withStore(values, (store) => listHolds(store, values.debtor === undefined ? undefined : normalizeDebtorId(values.debtor), context));
      default:
        return await lift(normalizeDebtorId(positionals[0]!), values, context);
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    context.err(error.message);
    return 1;
  }
}

async function show(store: ServerStore, json: boolean, context: CatalogCliContext): Promise<number> {
  const [current] = await store.listCatalogVersions(1);
  if (current === undefined) {
    context.err('Aún no hay catálogo publicado: inicie el servidor una vez para publicar resources/catalog.json.');
    return 1;
  }
  if (json) {
    context.out(JSON.stringify(current.catalog, null, 2));
    return 0;
  }
  context.out(`Catálogo de tipificación vigente: ${current.version} (${publication(current)})`);
  for (const line of catalogLines(current.catalog)) context.out(`  ${line}`);
  return 0;
}

/** The catalog as an indented tree: group, then each code with its class, fields, effects and shortcut. */
export function catalogLines(catalog: Catalog): string[] {
  const lines: string[] = [];
  for (const group of catalogTree(catalog, { includeRetired: true })) {
    lines.push(`${group.order}. ${group.name}`);
    for (const code of group.codes) {
      const fields = code.fields.map((field) => `${field.name}${field.required ? '*' : ''}:${field.type}`).join(', ');
      const effects = code.effects.map((effect) => EFFECT_LABELS[effect]).join('; ');
      lines.push(
        `   ${code.code} ${code.label} · ${COMPLIANCE_CLASS_LABELS[code.class]}${code.shortcut ? ` · atajo ${code.shortcut.toUpperCase()}` : ''}${code.retired ? ' · RETIRADO' : ''}` +
          `${fields ? ` · campos: ${fields}` : ''}${effects ? ` · efectos: ${effects}` : ''}`,
      );
    }
  }
  return lines;
}

async function history(store: ServerStore, context: CatalogCliContext): Promise<number> {
  const records = await store.listCatalogVersions();
  if (records.length === 0) {
    context.out('Aún no hay catálogo publicado.');
    return 0;
  }
  context.out(`${records.length === 1 ? '1 versión publicada' : `${records.length} versiones publicadas`} (horas de Bogotá), la vigente primero:`);
  records.forEach((record, index) => {
    context.out(`${record.version}${index === 0 ? '  (vigente)' : ''} · ${publication(record)}`);
    if (record.reason !== null) context.out(`  Motivo: ${record.reason}`);
    const older = records[index + 1];
    if (older !== undefined) for (const line of catalogChanges(older.catalog, record.catalog)) context.out(`  ${line}`);
  });
  return 0;
}

function publication(record: CatalogVersionRecord): string {
  const who = record.publishedBy === null ? 'archivo de fábrica' : record.publishedBy.username;
  return `publicado el ${formatDateTime(record.publishedAt)} por ${who}`;
}

/** Codes added, retired and relabelled between two catalogs, one line each. */
export function catalogChanges(previous: Catalog, next: Catalog): string[] {
  const lines: string[] = [];
  const before = new Map(previous.codes.map((code) => [code.code, code]));
  for (const code of next.codes) {
    const old = before.get(code.code);
    if (old === undefined) lines.push(`Nuevo: ${code.code} ${code.label}`);
    else if (!old.retired && code.retired) lines.push(`Retirado: ${code.code} ${code.label}`);
    else if (JSON.stringify(old) !== JSON.stringify(code)) lines.push(`Cambiado: ${code.code} ${code.label}`);
  }
  return lines.length > 0 ? lines : ['Sin cambios en los códigos.'];
}

async function publish(file: string, values: Values, context: CatalogCliContext): Promise<number> {
  if (values.by === undefined) {
    context.err('Falta --by USUARIO (el administrador que responde por el cambio): npm run server -- catalog publish ARCHIVO --by USUARIO.');
    return 1;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    context.err(`No se pudo leer "${file}" como JSON: ${error instanceof Error ? error.message : String(error)}. No se publicó nada.`);
    return 1;
  }
  return context.withStore(values, async (store) => {
    const user = await userOf(store, values.by!, ['admin'], context);
    if (user === null) return 1;
    const result = await store.publishCatalog({ catalog: raw, reason: values.reason, publishedBy: user, now: context.now() });
    if (!result.published) {
      context.out(`El catálogo ${result.current.version} ya es el vigente, con el mismo contenido: no se publicó nada.`);
      return 0;
    }
    context.out(`Catálogo ${result.current.version} publicado el ${formatDateTime(result.current.publishedAt)} (hora de Bogotá) por ${values.by}.`);
    if (result.previous !== null) for (const line of catalogChanges(result.previous.catalog, result.current.catalog)) context.out(`  ${line}`);
    context.out('Las estaciones conectadas lo reciben en segundos; las demás, al conectarse.');
    return 0;
  });
}

async function listHolds(store: ServerStore, debtorId: string | undefined, context: CatalogCliContext): Promise<number> {
  const holds = await store.listCollectionHolds(debtorId === undefined ? {} : { debtorId });
  if (holds.length === 0) {
    context.out(debtorId === undefined ? 'No hay pausas de cobro vigentes.' : `El deudor ${debtorId} no tiene pausas de cobro.`);
    return 0;
  }
  for (const hold of holds) context.out(holdLine(hold));
  return 0;
}

async function lift(debtorId: string, values: Values, context: CatalogCliContext): Promise<number> {
  if (values.by === undefined || (values.reason ?? '').trim() === '') {
    context.err('Faltan --by USUARIO y --reason TEXTO: npm run server -- holds lift DEUDOR --by USUARIO --reason "Reclamación resuelta".');
    return 1;
  }
  let kind: HoldKind | undefined;
  if (values.kind !== undefined) {
    const folded = values.kind.trim().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    kind = Object.hasOwn(KIND_OPTIONS, folded) ? KIND_OPTIONS[folded] : undefined;
    if (kind === undefined) {
      context.err(`--kind "${values.kind}" no es un tipo de pausa. Use reclamacion o fallecido, o quite --kind para levantar todas.`);
      return 1;
    }
  }
  return context.withStore(values, async (store) => {
    const user = await userOf(store, values.by!, ['admin', 'team-lead'], context);
    if (user === null) return 1;
    const lifted = await store.liftCollectionHolds({ debtorId, liftedBy: user, reason: values.reason!, kind, now: context.now() });
    context.out(`${lifted.length === 1 ? 'Pausa levantada' : `${lifted.length} pausas levantadas`}:`);
    for (const hold of lifted) context.out(`  ${holdLine(hold)}`);
    return 0;
  });
}

async function userOf(store: ServerStore, username: string, roles: readonly string[], context: CatalogCliContext): Promise<string | null> {
  const user = await store.findUserByUsername(username);
  if (user === null) {
    context.err(`El usuario "${username}" no existe.`);
    return null;
  }
  if (!roles.includes(user.role)) {
    context.err(`El usuario "${username}" tiene el rol ${user.role}; esta acción es para: ${roles.join(', ')}.`);
    return null;
  }
  return user.id;
}
