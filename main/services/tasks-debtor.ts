/** The debtor view's "Plan de la estrategia": every dated activity of the debtor's timeline with its legal state. */
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { PlannedActivityView, StrategyPlanView } from '@gestiona/core/ipc';
import type { ServiceContext } from './context.ts';
import { activityName, currentStrategySet, timelineFor, timelineFacts } from './tasks.ts';
import { activitySlot, checkInstant, slotText } from './tasks-legal.ts';
import { planTimeline, type Occurrence, type StopEvent } from './tasks-plan.ts';
import { bogotaDayOf } from '@gestiona/core/compliance/bogota-time';
import { formatDayNumber } from '@gestiona/core/compliance/civil-date';
import { formatDate, formatDateTime, toBogotaIso } from '@gestiona/core/format';

const STOP_LABELS: Readonly<Record<StopEvent['kind'], string>> = {
  'promise-made': 'promesa de pago',
  'dispute-opened': 'reclamación abierta',
  'payment-received': 'pago recibido',
  'strategy-stop': 'estrategia detenida',
};

/** Builds the plan of one debtor at `nowMs`; null when the workstation has no strategy set or the debtor no segment in it. */
export function debtorStrategyPlan(ctx: ServiceContext, debtor: DebtorSnapshot, nowMs: number): StrategyPlanView | null {
  const set = currentStrategySet(ctx.store, ctx.logger.store);
  const segment = set?.segments.find((candidate) => candidate.id === debtor.segment);
  const facts = ctx.store.tasks.planFacts(debtor.id);
  if (!set || !segment || facts === null) return null;

  const fields = ctx.store.strategy.debtorStrategy(debtor.id);
  const treatment = facts.treatmentId === null ? undefined : segment.strategy.treatments?.find((candidate) => candidate.id === facts.treatmentId);
  const activities = timelineFor(set, facts.segment, facts.treatmentId);
  const today = formatDayNumber(bogotaDayOf(nowMs));
  const occurrences = planTimeline(activities, timelineFacts(facts), today);
  const pack = ctx.rulePack();
  const nowIso = toBogotaIso(nowMs);

  return {
    segmentName: fields?.segmentName ?? segment.name,
    treatmentName: treatment?.name ?? null,
    strategyVersion: fields?.strategyVersion ?? null,
    assignedAt: fields?.assignedAt ?? null,
    activities: occurrences.map((occurrence): PlannedActivityView => {
      const activity = activities.find((candidate) => candidate.id === occurrence.activityId)!;
      return {
        activityId: occurrence.activityId,
        name: activityName(activity),
        channel: occurrence.channel,
        number: occurrence.number,
        date: occurrence.date,
        state: occurrence.state,
        text: occurrenceText(occurrence, () => slotText(activitySlot(ctx.store.ledger, pack, debtor, occurrence.channel, checkInstant(occurrence.date, nowMs)), nowIso)),
      };
    }),
  };
}

/** Returns the state line of an occurrence the server sent. A message goes out at once, but a letter or visit waits for the day's batch. */
function sentText(channel: Occurrence['channel'], sentAt: string): string {
  if (channel === 'letter') return `En el lote de cartas del ${formatDate(sentAt)}`;
  if (channel === 'visit') return `En la hoja de ruta del ${formatDate(sentAt)}`;
  return `Enviada por el servidor el ${formatDateTime(sentAt)}`;
}

/** Returns the Spanish state line; the gate runs only for occurrences still to be done. */
function occurrenceText(occurrence: Occurrence, legalText: () => string): string {
  switch (occurrence.state) {
    case 'stopped':
      return `Detenida: ${STOP_LABELS[occurrence.stoppedBy ?? 'strategy-stop']}`;
    case 'done':
      return occurrence.sentAt === null ? 'Realizada' : sentText(occurrence.channel, occurrence.sentAt);
    case 'missed':
      return 'No realizada; la reemplaza la siguiente';
    case 'due':
    case 'planned':
      return legalText();
  }
}
