/**
 * `admin:strategy-get`, `admin:strategy-preview` and `admin:strategy-publish`: the administrator's
 * strategy editor reads, previews and publishes the strategy set on the central server, with the
 * session token. Main checks the role and the set before calling; the server checks both again.
 */
import { isoInstantSchema } from '@gestiona/core/domain';
import type { IpcValue } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import { parseStrategySet, strategySetSchema } from '@gestiona/core/strategy/schema';
import { CONDITION_OP_LABELS, CONDITION_OPS, OPS_BY_TYPE, VARIABLES } from '@gestiona/core/strategy/variables';
import type { User } from '@gestiona/core/sync';
import { z } from 'zod';
import type { ServiceContext } from './context.ts';

const ADMIN_TIMEOUT_MS = 30_000;

export const STRATEGY_FORBIDDEN_MESSAGE = 'Solo un administrador puede ver o publicar segmentos y estrategias.';

/** The part of a stored strategy version (`strategyJson` on the server) that the editor uses. */
const serverVersionSchema = z.object({
  version: z.string(),
  publishedAt: isoInstantSchema,
  publishedBy: z.object({ fullName: z.string() }).loose().nullable(),
  strategy: strategySetSchema,
});

/** `GET /api/admin/strategy`: `current` is null before the first publication, when the factory default `strategy` is in force. */
const serverCurrentSchema = z.object({ current: serverVersionSchema.nullable(), strategy: strategySetSchema });

const serverPublishSchema = z.object({ current: serverVersionSchema });

const serverPreviewSchema = z.object({
  debtors: z.number().int().nonnegative(),
  moves: z.array(z.object({ from: z.string(), fromName: z.string(), to: z.string(), toName: z.string(), debtors: z.number().int().nonnegative() })),
});

const serverErrorSchema = z.object({ error: z.string(), fields: z.record(z.string(), z.string()).optional() });

export async function getStrategy(ctx: ServiceContext): Promise<IpcValue<'admin:strategy-get'>> {
  const user = requireAdmin(ctx);
  const response = await callServer(ctx, user, 'GET', '/api/admin/strategy', undefined, 'read strategy');
  await rejectFailure(ctx, user, response, 'read strategy');
  const parsed = serverCurrentSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Strategy response does not match the contract: ${parsed.error.message}`);

  const { current, strategy } = parsed.data;
  const publication = current === null ? { version: strategy.version, publishedAt: null, publishedBy: null, strategy } : publicationOf(current);
  return { current: publication, vocabulary: strategyVocabulary() };
}

/** Lists the rule vocabulary the editor offers, from the same tables that validate a set. */
function strategyVocabulary(): IpcValue<'admin:strategy-get'>['vocabulary'] {
  return {
    variables: VARIABLES.map((variable) => ({
      name: variable.name,
      label: variable.label,
      type: variable.type,
      nullable: variable.nullable,
      ...(variable.values ? { values: [...variable.values] } : {}),
    })),
    operators: CONDITION_OPS.map((op) => ({ op, label: CONDITION_OP_LABELS[op] })),
    opsByType: Object.fromEntries(Object.entries(OPS_BY_TYPE).map(([type, ops]) => [type, [...ops]])),
  };
}

export async function previewStrategy(ctx: ServiceContext, args: { strategy: Record<string, unknown> }): Promise<IpcValue<'admin:strategy-preview'>> {
  const user = requireAdmin(ctx);
  const strategy = parseStrategySet(args.strategy);
  const response = await callServer(ctx, user, 'POST', '/api/admin/strategy/preview', { strategy }, 'preview strategy');
  await rejectFailure(ctx, user, response, 'preview strategy');
  const parsed = serverPreviewSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Strategy preview response does not match the contract: ${parsed.error.message}`);

  return {
    total: parsed.data.debtors,
    moves: parsed.data.moves.map((move) => ({ fromId: move.from, fromName: move.fromName, toId: move.to, toName: move.toName, count: move.debtors })),
  };
}

export async function publishStrategy(ctx: ServiceContext, args: { strategy: Record<string, unknown>; reason?: string | undefined }): Promise<IpcValue<'admin:strategy-publish'>> {
  const user = requireAdmin(ctx);
  const strategy = parseStrategySet(args.strategy);
  const body = { strategy, ...(args.reason ? { reason: args.reason } : {}) };
  const response = await callServer(ctx, user, 'POST', '/api/admin/strategy', body, 'publish strategy');
  await rejectFailure(ctx, user, response, 'publish strategy');
  const parsed = serverPublishSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Strategy publication response does not match the contract: ${parsed.error.message}`);

  const { version, publishedAt } = parsed.data.current;
  ctx.logger.session.info({ userId: user.id, version }, 'publish strategy: done');
  return { version, publishedAt };
}

function publicationOf(version: z.infer<typeof serverVersionSchema>): IpcValue<'admin:strategy-get'>['current'] {
  return { version: version.version, publishedAt: version.publishedAt, publishedBy: version.publishedBy?.fullName ?? null, strategy: version.strategy };
}

/** Returns the signed-in administrator; the server checks the role again. */
function requireAdmin(ctx: ServiceContext): User {
  const user = ctx.session.requireUser();
  if (user.role !== 'admin') throw new AppError('forbidden', STRATEGY_FORBIDDEN_MESSAGE);
  return user;
}

async function callServer(ctx: ServiceContext, user: User, method: 'GET' | 'POST', path: string, body: unknown, action: string): Promise<Response> {
  const token = ctx.session.token();
  if (token === null) throw new AppError('not-authenticated', 'Inicie sesión de nuevo para administrar las estrategias.');

  const url = new URL(path, ctx.serverUrl);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await ctx.serverFetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
    });
  } catch (error) {
    ctx.logger.session.warn({ err: error, userId: user.id }, `${action}: server unreachable`);
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). Las estrategias solo se editan con conexión.`);
  }
}

/** Throws the Spanish error for a reply that is not 2xx, with the server's message and fields when it sent them. */
async function rejectFailure(ctx: ServiceContext, user: User, response: Response, action: string): Promise<void> {
  if (response.ok) return;
  if (response.status === 401) {
    await response.body?.cancel().catch(() => undefined);
    ctx.logger.session.info({ userId: user.id }, `${action}: session rejected`);
    throw new AppError('not-authenticated', 'La sesión venció. Cierre sesión e inicie sesión de nuevo.');
  }
  if (response.status === 403) {
    await response.body?.cancel().catch(() => undefined);
    ctx.logger.session.warn({ userId: user.id }, `${action}: role rejected by the server`);
    throw new AppError('forbidden', STRATEGY_FORBIDDEN_MESSAGE);
  }
  const parsed = serverErrorSchema.safeParse(await response.json().catch(() => null));
  if ((response.status === 400 || response.status === 409) && parsed.success) {
    ctx.logger.session.info({ userId: user.id, status: response.status, fields: Object.keys(parsed.data.fields ?? {}) }, `${action}: rejected by the server`);
    throw new AppError(response.status === 409 ? 'conflict' : 'invalid-input', parsed.data.error, parsed.data.fields);
  }
  ctx.logger.session.error({ userId: user.id, status: response.status }, `${action}: server error`);
  throw new AppError('offline', `El servidor central respondió con un error (HTTP ${response.status}). Intente de nuevo en unos minutos.`);
}
