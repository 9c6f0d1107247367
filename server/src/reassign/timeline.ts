/**
 * A debtor's history as the server stores it, for the team lead's read-only timeline on the board.
 * It lists typified contacts with their gate decision, decisions that led to no typified contact
 * (blocked attempts among them), leases, reassignments and views of the file. Texts are Spanish
 * and instants in Bogotá time. It lacks what a workstation has not sent yet.
 */
import type { BoardReassignment, DebtorTimeline, TimelineItem } from '@gestiona/core/board';
import { channelLabel } from '@gestiona/core/compliance/messages';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import type { User } from '@gestiona/core/sync';
import type { LeaseRecord, ServerStore, StoredDebtorView, StoredDecision, StoredInteraction } from '../store/types.ts';
import { viewReasonText } from '../store/debtor-views.ts';

/** Maximum reassignments one timeline lists, an estimate: a debtor changes hands a few times a year. */
const MAX_TIMELINE_REASSIGNMENTS = 200;

const RELEASE_REASON_TEXT: Readonly<Record<NonNullable<LeaseRecord['releaseReason']>, string>> = {
  released: 'liberada',
  expired: 'vencida',
  renewed: 'renovada',
  reassigned: 'reasignada',
};

const KIND_TEXT: Readonly<Record<StoredInteraction['payload']['kind'], string>> = {
  attempt: 'intento sin contacto',
  'two-way': 'contacto en ambas vías',
};

/** Returns the debtor's timeline, oldest first, or null when the debtor does not exist. */
export async function buildDebtorTimeline(store: ServerStore, debtorId: string, now: Date): Promise<DebtorTimeline | null> {
  const snapshot = await store.getDebtorSnapshot(debtorId, now);
  if (snapshot === null) return null;

  const [users, decisions, interactions, leases, reassignments, views, content] = await Promise.all([
    store.listUsers(),
    store.findDecisions(debtorId),
    store.findInteractionEvents(debtorId),
    store.leaseHistory(debtorId),
    store.listReassignments({ debtorId, limit: MAX_TIMELINE_REASSIGNMENTS }, now),
    store.findDebtorViews({ debtorId }),
    store.currentContent(),
  ]);
  const names = new Map(users.map((user: User) => [user.id, user.fullName]));
  const nameOf = (userId: string): string => names.get(userId) ?? userId;
  const codeLabels = new Map((content.catalog?.codes ?? []).map((code) => [code.code, code.label]));

  const typifiedDecisions = new Set(interactions.map((interaction) => interaction.payload.decisionId));
  const decisionsById = new Map(decisions.map((decision) => [decision.payload.decisionId, decision]));
  const items: TimelineItem[] = [
    ...interactions.map((interaction) => interactionItem(interaction, decisionsById.get(interaction.payload.decisionId), nameOf, codeLabels)),
    ...decisions.filter((decision) => !typifiedDecisions.has(decision.payload.decisionId)).map((decision) => decisionItem(decision, nameOf)),
    ...leases.map((lease) => leaseItem(lease, nameOf)),
    ...reassignments.map(reassignmentItem),
    ...views.map((view) => viewItem(view, nameOf)),
  ];
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { debtorId, debtorName: snapshot.fullName, items };
}

function interactionItem(
  interaction: StoredInteraction,
  decision: StoredDecision | undefined,
  nameOf: (userId: string) => string,
  codeLabels: ReadonlyMap<string, string>,
): TimelineItem {
  const { payload } = interaction;
  const label = codeLabels.get(payload.code);
  const parts = [
    `Tipificación: ${label === undefined ? payload.code : `${payload.code} · ${label}`} (${KIND_TEXT[payload.kind]})`,
    `tipificada el ${formatDateTime(payload.typifiedAt)}`,
    decision === undefined ? 'decisión del control legal no recibida' : `control legal: ${decision.payload.decision.allowed ? 'permitido' : 'bloqueado'} (reglas ${decision.payload.decision.rulePackVersion})`,
  ];
  if (payload.note !== null && payload.note !== '') parts.push(`nota: ${payload.note}`);
  return {
    at: toBogotaIso(payload.dialedAt),
    kind: 'interaction',
    title: `Gestión por ${channelLabel(payload.channel)}`,
    detail: `${parts.join('; ')}.`,
    agentName: nameOf(interaction.agentId),
    channel: payload.channel,
    workstationId: interaction.workstationId,
  };
}

function decisionItem(decision: StoredDecision, nameOf: (userId: string) => string): TimelineItem {
  const { payload } = decision;
  const reasons = payload.decision.reasons.map((reason) => reason.message).join(' ');
  return {
    at: toBogotaIso(payload.trustedAt),
    kind: 'decision',
    title: payload.decision.allowed ? `Marcación permitida por ${channelLabel(payload.channel)}, sin tipificar` : `Intento bloqueado por ${channelLabel(payload.channel)}`,
    detail: payload.decision.allowed ? 'El control legal permitió el contacto; la tipificación no ha llegado al servidor.' : reasons || `Reglas: ${payload.decision.rules.join(', ')}.`,
    agentName: nameOf(decision.agentId),
    channel: payload.channel,
    workstationId: decision.workstationId,
  };
}

function leaseItem(lease: LeaseRecord, nameOf: (userId: string) => string): TimelineItem {
  let detail = `Asignación hasta el ${formatDateTime(lease.expiresAt)}`;
  if (lease.releasedAt !== null && lease.releaseReason !== null) detail += `; ${RELEASE_REASON_TEXT[lease.releaseReason]} el ${formatDateTime(lease.releasedAt)}`;
  return {
    at: toBogotaIso(lease.grantedAt),
    kind: 'lease',
    title: `Asignado a ${nameOf(lease.agentId)}`,
    detail: `${detail}.`,
    agentName: nameOf(lease.agentId),
    channel: null,
    workstationId: null,
  };
}

function reassignmentItem(reassignment: BoardReassignment): TimelineItem {
  const from = reassignment.fromAgentName ?? 'sin agente';
  let state: string;
  if (reassignment.state === 'pending') state = reassignment.pendingReason ?? 'Pendiente de reasignación.';
  else if (reassignment.state === 'done') state = `Completada el ${formatDateTime(reassignment.completedAt!)}.`;
  else state = 'Cancelada: la nueva asignación terminó antes de llegar al agente.';
  return {
    at: reassignment.requestedAt,
    kind: 'reassignment',
    title: `Reasignación de ${from} a ${reassignment.toAgentName}`,
    detail: `Pedida por ${reassignment.requestedByName}. ${state}`,
    agentName: reassignment.toAgentName,
    channel: null,
    workstationId: null,
  };
}

function viewItem(view: StoredDebtorView, nameOf: (userId: string) => string): TimelineItem {
  const reason = view.reason === null ? '' : `; motivo: ${viewReasonText(view.reason)}`;
  return {
    at: toBogotaIso(view.viewedAt),
    kind: 'view',
    title: 'Consulta del expediente',
    detail: `${view.leased ? 'Con el deudor asignado' : 'Sin el deudor asignado'}${reason}.`,
    agentName: view.agentFullName ?? nameOf(view.agentId),
    channel: null,
    workstationId: view.workstationId,
  };
}
