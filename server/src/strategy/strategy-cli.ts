/**
 * `npm run server -- strategy …`: the administrator's view and publication of segments and
 * strategies. A publication goes through `ServerStore.publishStrategy`, the same write path as
 * `POST /api/admin/strategy`. Output is Spanish, with Bogotá dates and times.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { toCsv } from '@gestiona/core/csv-export';
import { formatCop, formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { ServerStore } from '../store/types.ts';
import { defaultStrategySet } from './default-strategy.ts';
import type { StrategyPreview, StrategyRecord, StrategyResultRow } from './types.ts';

export const STRATEGY_HELP = `  strategy show [--json]
      Muestra la estrategia vigente: versión, quién la publicó y cuándo, y cada segmento en orden
      con su guion, su fórmula de prioridad y sus tratamientos. Con --json imprime solo la
      estrategia, lista para editarla y publicarla.
  strategy history
      Lista las versiones publicadas, de la más reciente a la más antigua.
  strategy preview ARCHIVO
      Cuenta cuántos deudores pasarían de cada segmento a cada otro con la estrategia del archivo
      JSON, sin guardar nada.
  strategy publish ARCHIVO --by USUARIO [--reason TEXTO]
      Publica la estrategia del archivo: la valida, vuelve a segmentar a todos los deudores y la
      envía a las estaciones. --by es el usuario administrador que responde por el cambio.
  strategy results [--csv]
      Por segmento y tratamiento: deudores, contactos, contactos con el titular o codeudor,
      promesas y valor prometido desde que cada deudor entró al segmento. Con --csv imprime CSV
      para Excel (punto y coma).`;

export interface StrategyCliContext {
  /** Opens the database the options select, runs `work` and closes it; returns 1 after printing why the options are invalid. */
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
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = { db?: string; 'database-url'?: string; reason?: string; by?: string; json?: boolean; csv?: boolean; help?: boolean };

const SUBCOMMANDS = ['show', 'history', 'preview', 'publish', 'results'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Runs one `strategy` subcommand; exit code 0 done, 1 an error. */
export async function strategyCommand(args: readonly string[], context: StrategyCliContext): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = SUBCOMMANDS.find((candidate) => candidate === name);
  if (name === undefined || name === '--help' || subcommand === undefined) {
    if (name !== undefined && name !== '--help') context.err(`Subcomando desconocido: "${name}". Use uno de: ${SUBCOMMANDS.join(', ')}.`);
    context.out(`Uso: npm run server -- strategy <subcomando> [opciones]\n\n${STRATEGY_HELP}`);
    return name === '--help' ? 0 : 1;
  }

  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    context.err(`Opciones inválidas para strategy ${subcommand}: ${error instanceof Error ? error.message : String(error)}. Use strategy --help.`);
    return 1;
  }
  if (parsed.values.help) {
    context.out(STRATEGY_HELP);
    return 0;
  }
  const needsFile = subcommand === 'preview' || subcommand === 'publish';
  if (parsed.positionals.length !== (needsFile ? 1 : 0)) {
    context.err(needsFile ? `Indique un archivo JSON: npm run server -- strategy ${subcommand} ARCHIVO.` : `strategy ${subcommand} no lleva argumentos; sobra "${parsed.positionals.join(' ')}".`);
    return 1;
  }

  try {
    return await run(subcommand, parsed.values, parsed.positionals[0], context);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    context.err(error.message);
    return 1;
  }
}

async function run(subcommand: Subcommand, values: Values, file: string | undefined, context: StrategyCliContext): Promise<number> {
  switch (subcommand) {
    case 'show':
      return context.withStore(values, async (store) => {
        const [current] = await store.listStrategies(1);
        const set = current?.strategy ?? defaultStrategySet();
        if (values.json) {
          context.out(JSON.stringify(set, null, 2));
          return 0;
        }
        if (current === undefined) context.out(`Estrategia vigente: ${set.version} (la de fábrica, resources/strategy.json; aún no se ha publicado ninguna)`);
        else {
          context.out(`Estrategia vigente: ${current.version} (horas de Bogotá)`);
          for (const line of recordLines(current)) context.out(`  ${line}`);
        }
        for (const line of setLines(set)) context.out(`  ${line}`);
        for (const line of segmentCountLines(set, await store.strategyResults())) context.out(`  ${line}`);
        return 0;
      });
    case 'history':
      return context.withStore(values, async (store) => {
        const records = await store.listStrategies();
        if (records.length === 0) {
          context.out('Aún no hay estrategia publicada: rige la de fábrica (resources/strategy.json).');
          return 0;
        }
        context.out(`${records.length === 1 ? '1 versión publicada' : `${records.length} versiones publicadas`} (horas de Bogotá), la vigente primero:`);
        records.forEach((record, index) => {
          context.out(`${record.version}${index === 0 ? '  (vigente)' : ''}`);
          for (const line of recordLines(record)) context.out(`  ${line}`);
        });
        return 0;
      });
    case 'preview': {
      const raw = await readJson(file!, context);
      if (raw === undefined) return 1;
      return context.withStore(values, async (store) => {
        for (const line of previewLines(await store.previewStrategy(raw, context.now()))) context.out(line);
        return 0;
      });
    }
    case 'publish': {
      if (values.by === undefined) {
        context.err('Falta --by USUARIO (el administrador que responde por el cambio): npm run server -- strategy publish ARCHIVO --by USUARIO.');
        return 1;
      }
      const raw = await readJson(file!, context);
      if (raw === undefined) return 1;
      return context.withStore(values, async (store) => {
        const user = await store.findUserByUsername(values.by!);
        if (user === null || user.role !== 'admin') {
          context.err(user === null ? `El usuario "${values.by}" no existe. Indique en --by el usuario de un administrador.` : `El usuario "${values.by}" no es administrador (rol ${user.role}): solo un administrador puede publicar la estrategia.`);
          return 1;
        }
        const publication = await store.publishStrategy({ strategy: raw, reason: values.reason, publishedBy: user.id, now: context.now() });
        if (!publication.published) {
          context.out(`La estrategia ${publication.current.version} ya está vigente con el mismo contenido; no se publicó nada.`);
          return 0;
        }
        context.out(`Estrategia ${publication.current.version} publicada${publication.previous ? ` (reemplaza a ${publication.previous.version})` : ''}.`);
        if (publication.preview) for (const line of previewLines(publication.preview)) context.out(`  ${line}`);
        return 0;
      });
    }
    case 'results':
      return context.withStore(values, async (store) => {
        const rows = await store.strategyResults();
        if (values.csv) context.out(resultsCsv(rows).trimEnd());
        else for (const line of resultLines(rows)) context.out(line);
        return 0;
      });
  }
}

async function readJson(file: string, context: StrategyCliContext): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    context.err(`No se pudo leer "${file}" como JSON: ${error instanceof Error ? error.message : String(error)}. No se publicó nada.`);
    return undefined;
  }
}

function recordLines(record: StrategyRecord): string[] {
  const who = record.publishedBy === null ? 'el servidor, desde resources/strategy.json' : `${record.publishedBy.fullName} (${record.publishedBy.username})`;
  const lines = [`Publicada: ${formatDateTime(record.publishedAt)} por ${who}`, publicationCountLine(record)];
  if (record.reason !== null) lines.push(`Motivo: ${record.reason}`);
  return lines;
}

/** The counts stored with a publication describe that moment, not today's portfolio, so the line names the moment. */
function publicationCountLine(record: StrategyRecord): string {
  if (record.debtors === 0) return 'Al publicarse aún no había deudores que segmentar.';
  return `Al publicarse segmentó ${record.debtors} deudores; ${record.moved} cambiaron de segmento respecto de la versión anterior.`;
}

/** Debtors in each segment now, in the set's order; segments no longer in the set follow at the end. */
export function segmentCountLines(set: StrategySet, rows: readonly StrategyResultRow[]): string[] {
  const counts = new Map<string, { name: string; debtors: number }>();
  for (const row of rows) {
    const entry = counts.get(row.segmentId) ?? { name: row.segmentName, debtors: 0 };
    entry.debtors += row.debtors;
    counts.set(row.segmentId, entry);
  }
  const total = [...counts.values()].reduce((sum, entry) => sum + entry.debtors, 0);
  const lines = [`Deudores por segmento ahora: ${total} en total`];
  for (const segment of set.segments) lines.push(`   ${segment.name}: ${counts.get(segment.id)?.debtors ?? 0}`);
  const known = new Set(set.segments.map((segment) => segment.id));
  for (const [id, entry] of counts) if (!known.has(id)) lines.push(`   ${entry.name} (${id}, fuera de la estrategia vigente): ${entry.debtors}`);
  return lines;
}

/** Formats one block per segment, in the order rules are tried. */
export function setLines(set: StrategySet): string[] {
  const lines: string[] = [];
  set.segments.forEach((segment, index) => {
    lines.push(`${index + 1}. ${segment.name} (${segment.id})${segment.description ? `: ${segment.description}` : ''}`);
    lines.push(`   Regla: ${JSON.stringify(segment.rule)}`);
    lines.push(`   Guion: ${segment.strategy.scriptId} · Prioridad: ${segment.strategy.priority}`);
    lines.push(`   Actividades: ${segment.strategy.timeline.length === 0 ? 'ninguna' : segment.strategy.timeline.map((activity) => `${activity.id} (${activity.channel}, día ${activity.dayOffset})`).join(', ')}`);
    for (const treatment of segment.strategy.treatments ?? []) {
      lines.push(`   Tratamiento ${treatment.name} (${treatment.id}, ${treatment.role === 'champion' ? 'campeón' : 'retador'}): ${treatment.percent} %`);
    }
  });
  return lines;
}

export function previewLines(preview: StrategyPreview): string[] {
  const lines = [`Estrategia ${preview.version}: ${preview.debtors} deudores; ${preview.moved} cambiarían de segmento y ${preview.changed} de segmento, tratamiento, prioridad o guion.`];
  for (const move of preview.moves) {
    lines.push(move.from === move.to ? `  ${move.toName}: ${move.debtors} se quedan` : `  ${move.fromName || '(sin segmento)'} → ${move.toName}: ${move.debtors}`);
  }
  return lines;
}

const RESULT_HEADER = ['Segmento', 'Tratamiento', 'Deudores', 'Contactos', 'Contactos con titular o codeudor', 'Promesas', 'Valor prometido (COP)'];

function resultCells(row: StrategyResultRow): (string | number)[] {
  return [row.segmentName, row.treatmentId ?? '(sin división)', row.debtors, row.contacts, row.rightPartyContacts, row.promises, Math.round(row.promisedCents / 100)];
}

export function resultsCsv(rows: readonly StrategyResultRow[]): string {
  return toCsv(RESULT_HEADER, rows.map(resultCells));
}

function resultLines(rows: readonly StrategyResultRow[]): string[] {
  if (rows.length === 0) return ['Aún no hay deudores.'];
  return rows.map(
    (row) =>
      `${row.segmentName} · ${row.treatmentId ?? 'sin división'}: ${row.debtors} deudores, ${row.contacts} contactos, ${row.rightPartyContacts} con titular o codeudor, ${row.promises} promesas por ${formatCop(row.promisedCents)}`,
  );
}
