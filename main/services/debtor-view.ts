/** `debtor:open`: the view of one debtor on the agent's screen, with each contact point's gate decision now. */
import { AppError } from '@gestiona/core/result';
import { bogotaDate, bogotaHour, formatDate, maskAddress } from '@gestiona/core/format';
import { DEBT_VARIABLES, edgesOf, renderScriptText, scriptValues, type Script, type ScriptVariable } from '@gestiona/core/script';
import type { Catalog } from '@gestiona/core/catalog';
import type { ContactPoint, DebtorSnapshot, Person } from '@gestiona/core/domain';
import type { ContactPointView, DebtorView, HistoryItem, IpcArgs, ObligationView, PersonView, ScriptStepView } from '@gestiona/core/ipc';
import type { ServiceContext } from './context.ts';
import { clockRefusal, untrustedClockMessage } from './clock-state.ts';
import { checkContact } from './gate-check.ts';
import { phoneCountryText, residenceText, scheduleRequestText } from './person-residence.ts';
import { instantOf, type Instant } from './instant.ts';
import { collectionFeeStatus, creditReportLock, creditReportStatus } from './obligation-terms.ts';
import { buildDebtorTimeline } from './debtor-timeline.ts';
import { holdReasonOf } from './holds.ts';
import { identityText } from './identity.ts';
import { wrapUpPendingError } from './session.ts';
import { debtorStrategyPlan } from './tasks-debtor.ts';
import { recordDebtorView, WRAP_UP_VIEW_REASON } from '../store/debtor-views.ts';

const HISTORY_LIMIT = 30;

/** Text that replaces every debt variable of the script before the identity check: a prompt, never a value. */
const HIDDEN_DEBT_VALUE = '[dato de la deuda: visible al confirmar la identidad]';

function withDebtHidden(values: Record<ScriptVariable, string>): Record<ScriptVariable, string> {
  const hidden = { ...values };
  for (const name of DEBT_VARIABLES) hidden[name] = HIDDEN_DEBT_VALUE;
  return hidden;
}

export function openDebtor(ctx: ServiceContext, args: IpcArgs<'debtor:open'>): DebtorView {
  const user = ctx.session.requireUser();
  const pending = ctx.session.pendingWrapUp();
  if (pending && pending.debtorId !== args.debtorId) throw wrapUpPendingError(pending, 'abrir otro deudor');

  const now = instantOf(ctx.clock);
  const debtor = requireLeasedDebtor(ctx, args.debtorId, now, pending?.debtorId === args.debtorId);
  // R12: debt details reach the renderer only once the right party of an open contact is confirmed.
  const contact = pending?.debtorId === debtor.id ? ctx.store.attempts.pending() : null;
  const confirmed = contact !== null && contact.identityConfirmedAt !== null;
  const totals = {
    balanceCents: sum(debtor.obligations.map((obligation) => obligation.balanceCents)),
    overdueCents: sum(debtor.obligations.map((obligation) => obligation.overdueCents)),
    maxDaysPastDue: Math.max(...debtor.obligations.map((obligation) => obligation.daysPastDue)),
  };

  const persons = debtor.persons.map((person) => personView(ctx, debtor, person, now));
  const { distrust } = ctx.clock.reading();
  const reportLock = creditReportLock(debtor.obligations, ctx.rulePack(), now.iso, distrust === null ? null : untrustedClockMessage(distrust));
  const values = scriptValues({
    fullName: debtor.fullName,
    agentName: user.fullName,
    bogotaHour: bogotaHour(now.iso),
    todayIso: bogotaDate(now.iso),
    obligations: debtor.obligations,
  });
  const script = scriptView(ctx.store.referenceData.script(debtor.scriptId), reportLock, confirmed ? values : withDebtHidden(values));

  // Only a view that was built is recorded: a refused open (signed out, not leased) threw above.
  const wrapUpOnly = Date.parse(debtor.leaseUntil) <= now.ms;
  const recorded = recordDebtorView(ctx.store, {
    agentId: user.id,
    debtorId: debtor.id,
    atMs: now.ms,
    atIso: now.iso,
    localIso: now.localIso,
    offsetMs: now.offsetMs,
    ...(wrapUpOnly ? { reason: WRAP_UP_VIEW_REASON } : {}),
  });
  if (recorded) ctx.sync.requestPush();
  ctx.logger.store.debug({ debtorId: debtor.id, viewRecorded: recorded }, 'open debtor: view built');
  return {
    id: debtor.id,
    fullName: debtor.fullName,
    docType: debtor.docType,
    docNumber: debtor.docNumber,
    city: debtor.city,
    segment: debtor.segment,
    priority: debtor.priority,
    leaseUntil: debtor.leaseUntil,
    obligations: obligationViews(ctx, debtor, now, confirmed),
    totals: confirmed ? totals : null,
    identity: { confirmed, attemptId: contact?.id ?? null, text: identityText(contact) },
    holdText: holdTextOf(ctx, debtor.id),
    persons,
    script,
    history: historyOf(ctx, debtor, ctx.store.referenceData.catalog()),
    timeline: buildDebtorTimeline({ store: ctx.store, debtor, catalog: ctx.store.referenceData.catalog(), amountsVisible: confirmed }),
    strategyPlan: debtorStrategyPlan(ctx, debtor, now.ms),
  };
}

/**
 * Returns the debtor when this workstation has an unexpired lease on it, or throws `not-found`.
 * The debtor of a pending wrap-up stays readable after its lease ends, so the agent can finish
 * the typification.
 */
export function requireLeasedDebtor(ctx: ServiceContext, debtorId: string, now: Instant, allowExpired = false): DebtorSnapshot {
  const debtor = ctx.store.debtors.get(debtorId);
  if (!debtor || (!allowExpired && Date.parse(debtor.leaseUntil) <= now.ms)) {
    throw new AppError('not-found', `El deudor ${debtorId} no está asignado a esta estación. Actualice la lista de trabajo.`);
  }
  return debtor;
}

function personView(ctx: ServiceContext, debtor: DebtorSnapshot, person: Person, now: Instant): PersonView {
  const pack = ctx.rulePack();
  // An untrusted clock blocks every dial, so the view shows the refusal the dial would record.
  const { distrust } = ctx.clock.reading();
  const refusal = distrust === null ? null : clockRefusal(untrustedClockMessage(distrust), pack.version, now.iso);
  // A collection hold (dispute, deceased) blocks every dial of the debtor; the view's `holdText` gives the reason.
  const held = ctx.store.holds.current(debtor.id) !== null;
  const contactPoints = debtor.contactPoints
    .filter((point) => point.personId === person.id)
    .map((point): ContactPointView => {
      // R8: references are listed for context but never reach the gate or the dialer.
      // Their full number never leaves main either: with a desk phone the agent is the dialer.
      if (person.role === 'reference') {
        return { ...pointBasics(point), address: maskAddress(point.address), dialable: false, decision: null };
      }
      const decision = refusal ?? checkContact(ctx.store.ledger, pack, { atIso: now.iso, point, party: person.role, person }).decision;
      return { ...pointBasics(point), dialable: !held && decision.allowed && point.channel === 'voice', decision, localTimeText: phoneCountryText(point, now.ms) };
    });

  return {
    id: person.id,
    role: person.role,
    fullName: person.fullName,
    relation: person.relation,
    contactPoints,
    residenceText: residenceText(person, person.role === 'debtor' ? debtor.city : null, now.ms),
    scheduleRequestText: person.role === 'reference' ? null : scheduleRequestText(person, now.ms),
  };
}

function pointBasics(point: ContactPoint): Omit<ContactPointView, 'dialable' | 'decision'> {
  return {
    id: point.id,
    channel: point.channel,
    address: point.address,
    authorized: point.authorization !== null && point.authorization.revokedAt === null,
    authorizationText: authorizationText(point),
    flagged: point.flagged,
  };
}

function authorizationText(point: ContactPoint): string {
  const authorization = point.authorization;
  if (authorization === null) return 'Sin autorización registrada';
  if (authorization.revokedAt !== null) return `Autorización revocada el ${formatDate(authorization.revokedAt)}`;
  return `Autorizado el ${formatCalendarDate(authorization.grantedOn)} (${authorization.source})`;
}

/**
 * Formats `2024-05-10` as `10/05/2024`. A calendar date has no time zone, but `formatDate` reads a
 * bare date as midnight in the host's zone and shifts it to Bogotá. On a UTC host that shows the
 * previous day.
 */
function formatCalendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * Fills the variables of the segment's script. Before the script has synced, a one-step stand-in
 * keeps the identity check first, so no debt detail is shown to a third party.
 */
function scriptView(script: Script | null, reportLock: ScriptStepView['lock'], values: Record<ScriptVariable, string>): DebtorView['script'] {
  if (script === null) {
    return {
      id: 'sin-guion',
      name: 'Guion no disponible',
      steps: [
        {
          id: 'verificacion',
          kind: 'identity-check',
          title: 'Verificación de identidad',
          text: `Confirme que habla con ${values.nombre} antes de mencionar cualquier dato de la deuda. El guion de este segmento aún no se ha sincronizado.`,
        },
      ],
    };
  }
  return {
    id: script.id,
    name: script.name,
    version: script.version,
    steps: script.steps.map((step): ScriptStepView => {
      const basics = { id: step.id, kind: step.kind, title: step.title, edges: edgesOf(script, step.id) };
      // A locked step's text never leaves main, so no renderer bug can show it.
      if (step.announces === 'credit-report' && reportLock) return { ...basics, text: '', lock: reportLock };
      return { ...basics, text: renderScriptText(step.text, values), lock: null };
    }),
  };
}

/**
 * Lists what each obligation is, and with `withDetail` its amounts, days past due, R14 notice line
 * and R15 fee status at trusted time. Without it the details stay in main, so no renderer bug can
 * show them before the identity check.
 */
function obligationViews(ctx: ServiceContext, debtor: DebtorSnapshot, now: Instant, withDetail: boolean): ObligationView[] {
  const pack = ctx.rulePack();
  const today = bogotaDate(now.iso);
  const lastTwoWay = ctx.store.ledger.latestTwoWayAt(debtor.id);
  const effectiveActionOn = lastTwoWay === null ? null : bogotaDate(lastTwoWay);
  return debtor.obligations.map((obligation) => ({
    id: obligation.id,
    creditor: obligation.creditor,
    number: obligation.number,
    product: obligation.product,
    dueDate: obligation.dueDate,
    detail: withDetail
      ? {
          balanceCents: obligation.balanceCents,
          overdueCents: obligation.overdueCents,
          daysPastDue: obligation.daysPastDue,
          writtenOff: obligation.writtenOff,
          creditReportText: creditReportStatus(obligation, pack, now.iso).text,
          collectionFee: collectionFeeStatus(obligation, effectiveActionOn, today),
        }
      : null,
  }));
}

function historyOf(ctx: ServiceContext, debtor: DebtorSnapshot, catalog: Catalog | null): HistoryItem[] {
  const names = new Map(debtor.persons.map((person) => [person.id, person.fullName]));
  return ctx.store.ledger.forDebtor(debtor.id, HISTORY_LIMIT).map((entry) => ({
    at: entry.at,
    channel: entry.channel,
    personName: names.get(entry.personId) ?? 'Persona ya no asignada',
    code: entry.code,
    label: historyLabel(entry.origin, entry.code, catalog),
    origin: entry.origin,
  }));
}

function historyLabel(origin: 'local' | 'remote', code: string | null, catalog: Catalog | null): string {
  if (code !== null) return catalog?.codes.find((entry) => entry.code === code)?.label ?? code;
  return origin === 'local' ? 'Pendiente de tipificar' : 'Contacto registrado en otro canal o estación';
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Returns the reason collection of the debtor is held, naming every hold as the worklist does, or null. */
function holdTextOf(ctx: ServiceContext, debtorId: string): string | null {
  return holdReasonOf(ctx.store, debtorId);
}
