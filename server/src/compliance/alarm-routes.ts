/**
 * `GET /api/alarms` and `POST /api/alarms/:id/ack` for team leads and administrators. A team lead
 * lists and acknowledges only the alarms of the agents in the teams they lead. Another team's alarm
 * gets the same 404 as an id that does not exist, so that alarm ids reveal nothing about other teams.
 */
import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { toBogotaIso } from '@gestiona/core/format';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { ALARM_KINDS, type AlarmRecord, type ServerStore } from '../store/types.ts';
import { alarmKindLabel } from './labels.ts';
import { ledByOf, requireSupervisor } from './supervisor-auth.ts';

export const DEFAULT_ALARM_LIMIT = 100;
export const MAX_ALARM_LIMIT = 1000;

const alarmQuerySchema = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  kind: z.enum(ALARM_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ALARM_LIMIT).default(DEFAULT_ALARM_LIMIT),
});

const alarmIdSchema = z.object({ id: z.coerce.number().int().positive() });

/** An alarm as the HTTP API returns it: instants in Bogotá time and the kind's Spanish label. */
export function alarmJson(alarm: AlarmRecord) {
  return {
    ...alarm,
    kindLabel: alarmKindLabel(alarm.kind),
    createdAt: toBogotaIso(alarm.createdAt),
    acknowledgedAt: alarm.acknowledgedAt === null ? null : toBogotaIso(alarm.acknowledgedAt),
  };
}

/** The HTTP app with the server's pino logger, as `buildHttpApp` creates it. */
export type HttpRouter = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>;

export function registerAlarmRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/alarms', async (request, reply) => {
    const user = await requireSupervisor(store, request, reply, now(), logger);
    if (!user) return reply;

    const query = alarmQuerySchema.safeParse(request.query);
    if (!query.success) {
      logger.info({ userId: user.id, issues: query.error.issues.length }, 'list alarms: rejected invalid query');
      const field = String(query.error.issues[0]?.path[0] ?? 'consulta');
      return reply.code(400).send({
        error: `Parámetro inválido: "${field}". Use since=instante ISO con zona (2026-12-04T00:00:00-05:00), kind=${ALARM_KINDS.join('|')} y limit de 1 a ${MAX_ALARM_LIMIT}.`,
        field,
      });
    }
    const { since, kind, limit } = query.data;
    const alarms = await store.listAlarms({ since: since === undefined ? undefined : new Date(since), kind, limit, ledBy: ledByOf(user) });
    logger.info({ userId: user.id, count: alarms.length, kind }, 'list alarms: done');
    return { alarms: alarms.map(alarmJson) };
  });

  app.post('/api/alarms/:id/ack', async (request, reply) => {
    const user = await requireSupervisor(store, request, reply, now(), logger);
    if (!user) return reply;

    const params = alarmIdSchema.safeParse(request.params);
    if (!params.success) {
      logger.info({ userId: user.id }, 'acknowledge alarm: rejected invalid id');
      return reply.code(400).send({ error: 'Identificador de alarma inválido: use el número de la alarma.', field: 'id' });
    }
    const ledBy = ledByOf(user);
    if (ledBy !== undefined && !(await store.isAlarmLedBy(params.data.id, ledBy))) {
      logger.info({ userId: user.id, alarmId: params.data.id }, 'acknowledge alarm: not found in the teams of the team lead');
      return reply.code(404).send({ error: `No existe la alarma ${params.data.id} entre las de los agentes de sus equipos.` });
    }
    const alarm = await store.acknowledgeAlarm(params.data.id, user.username, now());
    if (!alarm) {
      logger.info({ userId: user.id, alarmId: params.data.id }, 'acknowledge alarm: not found');
      return reply.code(404).send({ error: `No existe la alarma ${params.data.id}.` });
    }
    logger.info({ userId: user.id, alarmId: alarm.id }, 'acknowledge alarm: done');
    return { alarm: alarmJson(alarm) };
  });
}
