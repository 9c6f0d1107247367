/**
 * `npm run server -- scripts …`: the administrator's view of the call scripts and publishing a new
 * version from a file. Publishing goes through `ServerStore.publishScript`, the same write path as
 * `POST /api/admin/scripts`. Output is Spanish, with Bogotá dates and times.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { STEP_KIND_LABELS, edgesOf, type Script } from '@gestiona/core/script';
import { CONTENT_POLL_MS } from '../content/content-watch.ts';
import type { ServerStore } from '../store/types.ts';
import { ScriptRejected } from './script-operation.ts';
import type { ScriptVersionRecord } from './types.ts';

export const SCRIPTS_HELP = `  scripts show [ID] [--json]
      Sin ID, lista los guiones vigentes con su versión. Con ID, muestra los pasos del guion y
      adónde lleva cada respuesta; con --json imprime solo el guion, listo para editarlo.
  scripts history ID
      Lista las versiones publicadas del guion, de la más reciente a la más antigua.
  scripts publish ARCHIVO --by USUARIO [--reason TEXTO]
      Revisa y publica el guion de un archivo JSON. Si el guion tiene problemas (variables
      desconocidas, pasos inalcanzables, deuda antes de verificar la identidad, preguntas por
      qué no pagó, cierre sin avisos), los lista por paso y no publica nada.`;

export interface ScriptsCliContext {
  /** Opens the database the options select, runs `work` and closes it; returns 1 after printing why the options are invalid. */
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

type Values = { db?: string; 'database-url'?: string; reason?: string; by?: string; json?: boolean; help?: boolean };

const OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

const SUBCOMMANDS = ['show', 'history', 'publish'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Runs one `scripts` subcommand and returns the exit code: 0 done (also when nothing had to change), 1 an error. */
export async function scriptsCommand(args: readonly string[], context: ScriptsCliContext): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = SUBCOMMANDS.find((candidate) => candidate === name);
  if (name === undefined || name === '--help' || subcommand === undefined) {
    if (name !== undefined && name !== '--help') context.err(`Subcomando desconocido: "${name}". Use uno de: ${SUBCOMMANDS.join(', ')}.`);
    context.out(`Uso: npm run server -- scripts <subcomando> [opciones]\n\n${SCRIPTS_HELP}`);
    return name === '--help' ? 0 : 1;
  }

  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    context.err(`Opciones inválidas para scripts ${subcommand}: ${error instanceof Error ? error.message : String(error)}. Use scripts --help.`);
    return 1;
  }
  if (parsed.values.help) {
    context.out(SCRIPTS_HELP);
    return 0;
  }

  const { values, positionals } = parsed;
  try {
    switch (subcommand) {
      case 'show':
        if (positionals.length > 1) return tooMany(subcommand, positionals, context);
        return context.withStore(values, (store) => show(store, positionals[0], values.json === true, context));
      case 'history':
        if (positionals.length !== 1) return wrongArguments('history', 'el identificador del guion', context);
        return context.withStore(values, (store) => history(store, positionals[0]!, context));
      case 'publish':
        if (positionals.length !== 1) return wrongArguments('publish', 'un archivo', context);
        return publishFile(positionals[0]!, values, context);
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    context.err(error.message);
    return 1;
  }
}

async function show(store: ServerStore, id: string | undefined, json: boolean, context: ScriptsCliContext): Promise<number> {
  const scripts = await store.listScripts();
  if (id === undefined) {
    if (scripts.length === 0) {
      context.out('Aún no hay guiones publicados: inicie el servidor una vez para publicar los de resources/scripts.');
      return 0;
    }
    context.out(`${scripts.length === 1 ? '1 guion vigente' : `${scripts.length} guiones vigentes`} (horas de Bogotá):`);
    for (const record of scripts) context.out(`  ${record.scriptId}  versión ${record.version}  "${record.script.name}"  ${publicationLine(record)}`);
    return 0;
  }
  const record = scripts.find((candidate) => candidate.scriptId === id);
  if (record === undefined) {
    context.err(`No hay ningún guion publicado con el identificador "${id}". Vea la lista con: npm run server -- scripts show`);
    return 1;
  }
  if (json) {
    context.out(JSON.stringify(record.script, null, 2));
    return 0;
  }
  context.out(`Guion ${record.scriptId}, versión ${record.version}: "${record.script.name}"`);
  context.out(`  Publicado: ${publicationLine(record)}`);
  for (const line of stepLines(record.script)) context.out(`  ${line}`);
  return 0;
}

async function history(store: ServerStore, id: string, context: ScriptsCliContext): Promise<number> {
  const records = await store.scriptHistory(id);
  if (records.length === 0) {
    context.err(`No hay ningún guion publicado con el identificador "${id}".`);
    return 1;
  }
  context.out(`Guion ${id}: ${records.length === 1 ? '1 versión publicada' : `${records.length} versiones publicadas`} (horas de Bogotá), la vigente primero:`);
  records.forEach((record, index) => {
    context.out(`${record.version}${index === 0 ? '  (vigente)' : ''}`);
    context.out(`  Publicado: ${publicationLine(record)}`);
    if (record.reason !== null) context.out(`  Motivo: ${record.reason}`);
  });
  return 0;
}

async function publishFile(file: string, values: Values, context: ScriptsCliContext): Promise<number> {
  if (values.by === undefined) {
    context.err('Falta --by USUARIO (el administrador que responde por el cambio): npm run server -- scripts publish ARCHIVO --by USUARIO.');
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
    const user = await store.findUserByUsername(values.by!);
    if (user === null || user.role !== 'admin') {
      context.err(user === null ? `El usuario "${values.by}" no existe. Indique en --by el usuario de un administrador.` : `El usuario "${values.by}" no es administrador: solo un administrador puede publicar guiones.`);
      return 1;
    }
    try {
      const publication = await store.publishScript({ script: raw, reason: values.reason, publishedBy: user.id, now: context.now() });
      const { current, previous } = publication;
      if (!publication.published) {
        context.out(`El guion ${current.scriptId} ${current.version} ya es el vigente, con el mismo contenido: no se publicó nada.`);
        return 0;
      }
      context.out(
        `Guion ${current.scriptId} ${current.version} publicado el ${formatDateTime(current.publishedAt)} (hora de Bogotá) por ${current.publishedBy?.username ?? values.by}` +
          (previous === null ? '.' : `; reemplaza la versión ${previous.version}.`),
      );
      context.out(`Un servidor en marcha sobre esta base de datos avisa a sus estaciones conectadas en menos de ${CONTENT_POLL_MS / 1000} segundos; las demás lo reciben al conectarse.`);
      return 0;
    } catch (error) {
      if (!(error instanceof ScriptRejected)) throw error;
      context.err(`No se publicó el guion de "${file}": ${error.problems.length === 1 ? '1 problema' : `${error.problems.length} problemas`}.`);
      for (const problem of error.problems) context.err(`  paso ${problem.stepId}: ${problem.message}`);
      return 1;
    }
  });
}

function publicationLine(record: ScriptVersionRecord): string {
  const who = record.publishedBy === null ? 'archivo de fábrica (resources/scripts)' : `${record.publishedBy.fullName} (${record.publishedBy.username})`;
  return `${formatDateTime(record.publishedAt)}, ${who}`;
}

/** One line per step, then one per answer: "→ Acepta: Cierre". */
function stepLines(script: Script): string[] {
  const titles = new Map(script.steps.map((step) => [step.id, step.title]));
  const lines: string[] = [];
  script.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${step.title} [${STEP_KIND_LABELS[step.kind]}, ${step.id}]`);
    for (const edge of edgesOf(script, step.id)) {
      lines.push(`     → ${edge.label}: ${titles.get(edge.to) ?? edge.to}${edge.confirms ? ' (confirma la identidad)' : ''}`);
    }
    if (step.disclosures && step.disclosures.length > 0) lines.push(`     avisos: ${step.disclosures.join(', ')}`);
  });
  return lines;
}

function tooMany(subcommand: Subcommand, positionals: readonly string[], context: ScriptsCliContext): number {
  context.err(`scripts ${subcommand} lleva a lo sumo un identificador; sobra "${positionals.slice(1).join(' ')}".`);
  return 1;
}

function wrongArguments(subcommand: Subcommand, what: string, context: ScriptsCliContext): number {
  context.err(`Indique ${what}: npm run server -- ${SCRIPTS_HELP.split('\n').find((line) => line.trim().startsWith(`scripts ${subcommand}`))?.trim() ?? `scripts ${subcommand}`}.`);
  return 1;
}
