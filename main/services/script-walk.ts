/**
 * `script:walk` and `script:answer`: the agent's place in the call script of the open contact. Main
 * keeps the path with the attempt (so a restart during the call keeps it) and checks every move
 * against the script's graph, so the path stored with the interaction is one the script allows,
 * whatever the renderer sends. An answer that confirms the identity also records the identity check
 * of the contact (R12).
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { IpcArgs, ScriptWalk } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import { edgesOf, followPath, type Script, type ScriptPathEntry } from '@gestiona/core/script';
import { z } from 'zod';
import type { AttemptRecord } from '../store/attempts.ts';
import type { ServiceContext } from './context.ts';
import { confirmIdentity } from './identity.ts';

/** Maximum moves in a path: a cycle of objections could go on forever, and the synced event carries at most this many. */
export const MAX_PATH_LENGTH = 200;

const storedWalkSchema = z.object({
  scriptId: z.string(),
  scriptVersion: z.string(),
  path: z.array(z.object({ stepId: z.string(), answer: z.string().nullable() })),
});
type StoredWalk = z.infer<typeof storedWalkSchema>;

interface Statements {
  select: Statement<[string], { script_path: string | null }>;
  update: Statement<[string | null, string]>;
}
const statements = new WeakMap<Database, Statements>();

function statementsOf(db: Database): Statements {
  let prepared = statements.get(db);
  if (prepared === undefined) {
    prepared = {
      select: db.prepare('SELECT script_path FROM attempts WHERE id = ?'),
      update: db.prepare("UPDATE attempts SET script_path = ? WHERE id = ? AND status = 'pending'"),
    };
    statements.set(db, prepared);
  }
  return prepared;
}

function storedWalk(ctx: ServiceContext, attemptId: string): StoredWalk | null {
  const row = statementsOf(ctx.store.db).select.get(attemptId);
  if (!row?.script_path) return null;
  const parsed = storedWalkSchema.safeParse(JSON.parse(row.script_path));
  return parsed.success ? parsed.data : null;
}

function saveWalk(ctx: ServiceContext, attemptId: string, walk: StoredWalk): void {
  statementsOf(ctx.store.db).update.run(JSON.stringify(walk), attemptId);
}

function scriptOf(ctx: ServiceContext, debtorId: string): Script {
  const debtor = ctx.store.debtors.get(debtorId);
  if (!debtor) throw new AppError('not-found', 'Este deudor ya no está asignado a esta estación.');
  const script = ctx.store.referenceData.script(debtor.scriptId);
  if (!script) throw new AppError('not-found', 'El guion de este deudor aún no se ha recibido del servidor central. Conéctese a la red y vuelva a intentar.');
  return script;
}

/** The path of the attempt on the given script; a path of another script, or one the current version no longer allows, starts over. */
function pathOn(ctx: ServiceContext, attempt: AttemptRecord | null, script: Script): ScriptPathEntry[] {
  if (attempt === null) return [];
  const stored = storedWalk(ctx, attempt.id);
  if (stored === null || stored.scriptId !== script.id) return [];
  return followPath(script, stored.path).ok ? stored.path : [];
}

function walkState(debtorId: string, attempt: AttemptRecord | null, script: Script, path: ScriptPathEntry[]): ScriptWalk {
  const followed = followPath(script, path);
  return {
    debtorId,
    attemptId: attempt?.id ?? null,
    scriptId: script.id,
    path,
    at: followed.ok ? followed.at : script.steps[0]!.id,
    identityConfirmed: attempt?.identityConfirmedAt != null,
  };
}

export function scriptWalk(ctx: ServiceContext, args: IpcArgs<'script:walk'>): ScriptWalk {
  ctx.session.requireUser();
  const script = scriptOf(ctx, args.debtorId);
  const pending = ctx.store.attempts.pending();
  const attempt = pending?.debtorId === args.debtorId ? pending : null;
  return walkState(args.debtorId, attempt, script, pathOn(ctx, attempt, script));
}

export function answerScript(ctx: ServiceContext, args: IpcArgs<'script:answer'>): ScriptWalk {
  const user = ctx.session.requireUser();
  const attempt = ctx.store.attempts.pending();
  if (!attempt || attempt.id !== args.attemptId) {
    throw new AppError('conflict', 'No hay una llamada abierta con esta persona. El guion avanza durante la llamada, después de marcar.');
  }
  if (attempt.dialOutcome !== 'placed') {
    throw new AppError('conflict', `La llamada con ${attempt.personName} no se realizó, así que no hay guion que seguir. Tipifique el intento.`);
  }
  const script = scriptOf(ctx, attempt.debtorId);
  const path = pathOn(ctx, attempt, script);

  if (args.move === 'back') {
    const shorter = path.slice(0, -1);
    saveWalk(ctx, attempt.id, { scriptId: script.id, scriptVersion: script.version, path: shorter });
    return walkState(attempt.debtorId, ctx.store.attempts.byId(attempt.id), script, shorter);
  }

  const at = walkState(attempt.debtorId, attempt, script, path).at;
  if (args.stepId !== at) {
    throw new AppError('conflict', `El guion está en otro paso ("${stepTitle(script, at)}"). Recargue la pantalla y siga desde ahí.`);
  }
  const edge = edgesOf(script, at).find((candidate) => candidate.answer === args.answer);
  if (edge === undefined || !script.steps.some((step) => step.id === edge.to)) {
    throw new AppError('invalid-input', `El paso "${stepTitle(script, at)}" no tiene esa respuesta. Elija una de las que muestra el guion.`);
  }
  if (path.length >= MAX_PATH_LENGTH) {
    throw new AppError('conflict', `El recorrido del guion ya tiene ${MAX_PATH_LENGTH} pasos. Cierre la llamada y tipifíquela.`);
  }
  // R12: the confirming answer is the identity check of the contact; a refusal (reference, failed call) stops the move.
  if (edge.confirms) confirmIdentity(ctx, { attemptId: attempt.id });

  const longer = [...path, { stepId: at, answer: args.answer }];
  saveWalk(ctx, attempt.id, { scriptId: script.id, scriptVersion: script.version, path: longer });
  ctx.logger.session.debug({ userId: user.id, attemptId: attempt.id, stepId: at, answer: args.answer, to: edge.to }, 'answer script: moved');
  return walkState(attempt.debtorId, ctx.store.attempts.byId(attempt.id), script, longer);
}

/** Returns the walked path for the interaction of a typified attempt, or nothing when no step was walked. */
export function scriptPathForInteraction(ctx: ServiceContext, attemptId: string): { scriptId?: string; scriptVersion?: string; scriptPath?: ScriptPathEntry[] } {
  const stored = storedWalk(ctx, attemptId);
  if (stored === null || stored.path.length === 0) return {};
  return { scriptId: stored.scriptId, scriptVersion: stored.scriptVersion, scriptPath: stored.path };
}

function stepTitle(script: Script, stepId: string): string {
  return script.steps.find((step) => step.id === stepId)?.title ?? stepId;
}
