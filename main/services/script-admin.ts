/**
 * `admin:scripts-list` and `admin:scripts-publish`: the administrator's script editor reads and
 * publishes scripts on the central server with the session token. Nothing is stored on the
 * workstation: a published script comes back through the change feed like any other.
 */
import { adminScriptSchema, type IpcArgs, type IpcValue } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import type { User } from '@gestiona/core/sync';
import { z } from 'zod';
import type { ServiceContext } from './context.ts';

const ADMIN_TIMEOUT_MS = 15_000;
export const SCRIPTS_FORBIDDEN_MESSAGE = 'Solo un administrador puede ver y publicar los guiones.';

const listReplySchema = z.object({ scripts: z.array(adminScriptSchema) });
const publishReplySchema = z.object({ published: z.boolean(), script: adminScriptSchema });
const problemReplySchema = z.object({
  error: z.string(),
  problems: z.array(z.object({ stepId: z.string(), message: z.string() })).optional(),
  fields: z.record(z.string(), z.string()).optional(),
});

export async function listAdminScripts(ctx: ServiceContext): Promise<IpcValue<'admin:scripts-list'>> {
  const user = requireAdmin(ctx);
  const response = await callServer(ctx, user, 'GET', '/api/admin/scripts', undefined, 'list scripts');
  await rejectFailure(ctx, user, response, 'list scripts');
  const parsed = listReplySchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Scripts response does not match the contract: ${parsed.error.message}`);
  return parsed.data;
}

export async function publishAdminScript(ctx: ServiceContext, args: IpcArgs<'admin:scripts-publish'>): Promise<IpcValue<'admin:scripts-publish'>> {
  const user = requireAdmin(ctx);
  const body = JSON.stringify({ script: args.script, reason: args.reason ?? null });
  const response = await callServer(ctx, user, 'POST', '/api/admin/scripts', body, 'publish script');
  await rejectFailure(ctx, user, response, 'publish script');
  const parsed = publishReplySchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Script publication response does not match the contract: ${parsed.error.message}`);
  ctx.logger.session.info({ userId: user.id, scriptId: args.script.id, version: args.script.version, published: parsed.data.published }, 'publish script: done');
  return parsed.data;
}

function requireAdmin(ctx: ServiceContext): User {
  const user = ctx.session.requireUser();
  if (user.role !== 'admin') throw new AppError('forbidden', SCRIPTS_FORBIDDEN_MESSAGE);
  return user;
}

async function callServer(ctx: ServiceContext, user: User, method: 'GET' | 'POST', path: string, body: string | undefined, action: string): Promise<Response> {
  const token = ctx.session.token();
  if (token === null) throw new AppError('not-authenticated', 'Inicie sesión de nuevo para administrar los guiones.');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await ctx.serverFetch(new URL(path, ctx.serverUrl), { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) });
  } catch (error) {
    ctx.logger.session.warn({ err: error, userId: user.id }, `${action}: server unreachable`);
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). Los guiones se administran en línea: intente de nuevo cuando vuelva la conexión.`);
  }
}

/** Throws the Spanish error for a reply that is not 2xx; the server's check problems become field messages by step. */
async function rejectFailure(ctx: ServiceContext, user: User, response: Response, action: string): Promise<void> {
  if (response.ok) return;
  if (response.status === 400 || response.status === 409) {
    const reply = problemReplySchema.safeParse(await response.json().catch(() => null));
    if (reply.success) {
      const fields: Record<string, string> = { ...reply.data.fields };
      for (const problem of reply.data.problems ?? []) fields[problem.stepId] = fields[problem.stepId] ? `${fields[problem.stepId]} ${problem.message}` : problem.message;
      ctx.logger.session.info({ userId: user.id, status: response.status }, `${action}: rejected by the server`);
      throw new AppError(response.status === 409 ? 'conflict' : 'invalid-input', reply.data.error, fields);
    }
  } else {
    await response.body?.cancel().catch(() => undefined);
  }
  if (response.status === 401) throw new AppError('not-authenticated', 'La sesión venció. Cierre sesión e inicie sesión de nuevo para administrar los guiones.');
  if (response.status === 403) throw new AppError('forbidden', SCRIPTS_FORBIDDEN_MESSAGE);
  ctx.logger.session.error({ userId: user.id, status: response.status }, `${action}: server error`);
  throw new AppError('offline', `El servidor central respondió con un error (HTTP ${response.status}). Intente de nuevo en unos minutos.`);
}
