/** `catalog:get`: the typification catalog the wrap-up form offers. */
import { AppError } from '@gestiona/core/result';
import type { Catalog } from '@gestiona/core/catalog';
import type { ServiceContext } from './context.ts';

export function getCatalog(ctx: ServiceContext): Catalog {
  ctx.session.requireUser();
  const catalog = ctx.store.referenceData.catalog();
  if (!catalog) {
    throw new AppError('not-found', 'El catálogo de tipificación aún no se ha recibido del servidor central. Conéctese a la red y vuelva a intentar.');
  }
  return catalog;
}
