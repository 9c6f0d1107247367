/**
 * `POST /api/admin/users/:username/disable`: disables a login, ends its live sessions, revokes its
 * renewal chains and closes its workstations' sockets. Administrators only.
 */
import { z } from 'zod';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { requireAdmin } from './admin-auth.ts';

const FORBIDDEN_MESSAGE = 'Solo un administrador puede deshabilitar usuarios. Pida el cambio al administrador del sistema.';

const paramsSchema = z.object({ username: z.string().trim().min(1).max(100) });

export interface UserRouteOptions {
  store: ServerStore;
  logger: Logger;
  now: () => Date;
  /** Closes the sockets of a workstation whose session was ended, on every node. */
  onSessionRevoked?: (revoked: { workstationId: string; userId: string }) => void;
}

export function registerUserRoutes(app: HttpRouter, options: UserRouteOptions): void {
  const { store, logger, now } = options;

  app.post('/api/admin/users/:username/disable', async (request, reply) => {
    const admin = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN_MESSAGE);
    if (!admin) return reply;

    const params = paramsSchema.safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'Falta el usuario: use /api/admin/users/USUARIO/disable.' });
    const { username } = params.data;
    if (username.toLowerCase() === admin.username) {
      logger.info({ userId: admin.id }, 'disable user: rejected own account');
      return reply.code(409).send({ error: 'No puede deshabilitar su propio usuario. Pida a otro administrador que lo haga.' });
    }

    const disabled = await store.disableUser(username, now());
    if (!disabled) {
      logger.info({ userId: admin.id }, 'disable user: rejected unknown username');
      return reply.code(404).send({ error: `No existe el usuario "${username}". Revise el nombre de usuario.` });
    }

    for (const workstationId of disabled.workstationIds) {
      try {
        options.onSessionRevoked?.({ workstationId, userId: disabled.user.id });
      } catch (error) {
        // The user is disabled already: an open socket is refused at its next handshake anyway.
        logger.error({ err: error, workstationId, userId: disabled.user.id }, 'disable user: closing sockets failed');
      }
    }
    logger.info(
      { userId: admin.id, disabledUserId: disabled.user.id, workstations: disabled.workstationIds.length, revokedChains: disabled.revokedChains, endedSessions: disabled.endedSessions },
      'disable user: done',
    );
    return {
      username: disabled.user.username,
      fullName: disabled.user.fullName,
      active: false,
      endedSessions: disabled.endedSessions,
      revokedChains: disabled.revokedChains,
      workstationIds: disabled.workstationIds,
    };
  });
}
