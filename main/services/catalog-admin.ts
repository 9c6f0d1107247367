/**
 * `admin:catalog-get` and `admin:catalog-publish`: the administrator's catalog editor reads and
 * publishes the typification catalog on the central server, with the session token. Main checks
 * the role and the catalog before calling, so the editor gets Spanish problems naming each field
 * even offline; the server checks both again, with the history (no deleted code, no class change).
 */
import { catalogSchema } from '@gestiona/core/catalog';
import { catalogIssueMessage } from '@gestiona/core/catalog-rules';
import { isoInstantSchema } from '@gestiona/core/domain';
import type { IpcValue } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import type { User } from '@gestiona/core/sync';
import { z } from 'zod';
import type { ServiceContext } from './context.ts';

const ADMIN_TIMEOUT_MS = 30_000;

export const CATALOG_FORBIDDEN_MESSAGE = 'Solo un administrador puede ver o publicar el catálogo de tipificación.';

const serverVersionSchema = z.object({
  version: z.string(),
  publishedAt: isoInstantSchema,
  publishedBy: z.object({ fullName: z.string() }).loose().nullable(),
  reason: z.string().nullable(),
  catalog: catalogSchema,
});
const serverHistorySchema = z.object({ history: z.array(serverVersionSchema) });
const serverPublishSchema = z.object({ published: z.boolean(), current: serverVersionSchema });
const serverErrorSchema = z.object({ error: z.string(), fields: z.record(z.string(), z.string()).optional() });

export async function getAdminCatalog(ctx: ServiceContext): Promise<IpcValue<'admin:catalog-get'>> {
  const user = requireAdmin(ctx);
  const response = await callServer(ctx, user, 'GET', '/api/admin/catalog/history', undefined, 'read catalog');
  await rejectFailure(ctx, user, response, 'read catalog');
  const parsed = serverHistorySchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Catalog history response does not match the contract: ${parsed.error.message}`);
  const [current] = parsed.data.history;
  return {
    current: current === undefined ? null : { ...summaryOf(current), catalog: current.catalog },
    history: parsed.data.history.map(summaryOf),
  };
}

export async function publishAdminCatalog(ctx: ServiceContext, args: { catalog: Record<string, unknown>; reason?: string | null | undefined }): Promise<IpcValue<'admin:catalog-publish'>> {
  const user = requireAdmin(ctx);
  const parsed = catalogSchema.safeParse(args.catalog);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || '(catálogo)';
      fields[path] ??= catalogIssueMessage(args.catalog, issue);
    }
    throw new AppError('invalid-input', `Catálogo inválido: ${Object.values(fields).join(' ')} No se publicó nada.`, fields);
  }
  const body = { catalog: parsed.data, ...(args.reason ? { reason: args.reason } : {}) };
  const response = await callServer(ctx, user, 'POST', '/api/admin/catalog', body, 'publish catalog');
  await rejectFailure(ctx, user, response, 'publish catalog');
  const published = serverPublishSchema.safeParse(await response.json().catch(() => null));
  if (!published.success) throw new Error(`Catalog publication response does not match the contract: ${published.error.message}`);
  ctx.logger.session.info({ userId: user.id, version: published.data.current.version, published: published.data.published }, 'publish catalog: done');
  return { published: published.data.published, version: published.data.current.version, publishedAt: published.data.current.publishedAt };
}

function summaryOf(version: z.infer<typeof serverVersionSchema>) {
  return { version: version.version, publishedAt: version.publishedAt, publishedBy: version.publishedBy?.fullName ?? null, reason: version.reason };
}

function requireAdmin(ctx: ServiceContext): User {
  const user = ctx.session.requireUser();
  if (user.role !== 'admin') throw new AppError('forbidden', CATALOG_FORBIDDEN_MESSAGE);
  return user;
}

async function callServer(ctx: ServiceContext, user: User, method: 'GET' | 'POST', path: string, body: unknown, action: string): Promise<Response> {
  const token = ctx.session.token();
  if (token === null) throw new AppError('not-authenticated', 'Inicie sesión de nuevo para administrar el catálogo.');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await ctx.serverFetch(new URL(path, ctx.serverUrl), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
    });
  } catch (error) {
    ctx.logger.session.warn({ err: error, userId: user.id }, `${action}: server unreachable`);
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). El catálogo solo se edita con conexión.`);
  }
}

/** Throws the Spanish error for a reply that is not 2xx, with the server's field problems when it sent them. */
async function rejectFailure(ctx: ServiceContext, user: User, response: Response, action: string): Promise<void> {
  if (response.ok) return;
  const body = serverErrorSchema.safeParse(await response.json().catch(() => null));
  const message = body.success ? body.data.error : null;
  const fields = body.success ? body.data.fields : undefined;
  ctx.logger.session.info({ userId: user.id, status: response.status }, `${action}: rejected by the server`);
  switch (response.status) {
    case 400:
      throw new AppError('invalid-input', message ?? 'El servidor rechazó el catálogo.', fields);
    case 401:
      throw new AppError('not-authenticated', 'La sesión venció. Cierre sesión e inicie sesión de nuevo.');
    case 403:
      throw new AppError('forbidden', CATALOG_FORBIDDEN_MESSAGE);
    case 409:
      throw new AppError('conflict', message ?? 'Esa versión del catálogo ya se publicó con otro contenido: use una versión nueva.', fields);
    default:
      throw new AppError('offline', `El servidor central respondió con un error (HTTP ${response.status}). Intente de nuevo en unos minutos.`);
  }
}

