/**
 * The debtor's history as one list, newest first: contacts and attempts with their results,
 * promises and agreements with their status, payments, and authorisation changes (revocations and
 * flagged numbers). Amounts stay out of the texts until the identity check of an open contact is
 * passed (R12), so the renderer never receives them before.
 */
import { formatCop } from '@gestiona/core/format';
import type { Catalog } from '@gestiona/core/catalog';
import type { Channel, ComplianceChannel, DebtorSnapshot } from '@gestiona/core/domain';
import type { DebtorTimelineEntry } from '@gestiona/core/ipc';
import type { PaymentSnapshot, PromiseSnapshot, PromiseStatus } from '@gestiona/core/sync';
import type { LocalStore } from '../store/local-store.ts';
import type { LocalPromiseRecord } from '../store/promises.ts';

/** Contacts listed at most; promises, payments and authorisation changes are few and all listed. */
export const TIMELINE_CONTACT_LIMIT = 100;

const CHANNEL_WORDS: Record<ComplianceChannel, string> = { voice: 'Llamada', sms: 'SMS', email: 'Correo', whatsapp: 'WhatsApp', letter: 'Carta', visit: 'Visita' };

/** Result of a contact the dispatcher made: letters and visits count from when they were cleared for their batch. */
const STRATEGY_SEND_RESULTS: Record<ComplianceChannel, string> = {
  voice: 'Mensaje de la estrategia enviado',
  sms: 'Mensaje de la estrategia enviado',
  email: 'Mensaje de la estrategia enviado',
  whatsapp: 'Mensaje de la estrategia enviado',
  letter: 'En el lote de impresión de la estrategia',
  visit: 'En la hoja de ruta de la estrategia',
};

/** Ledger id prefix of the messages the server's channel dispatcher sent (`server/src/channels/send-table.ts`). */
const STRATEGY_SEND_PREFIX = 'channel-send:';

const PROMISE_STATUS_WORDS: Record<PromiseStatus, string> = {
  pending: 'pendiente',
  kept: 'cumplida',
  'partly-kept': 'cumplida en parte',
  broken: 'incumplida',
};

const AGREEMENT_STATUS_WORDS: Record<PromiseStatus, string> = {
  pending: 'pendiente',
  kept: 'cumplido',
  'partly-kept': 'cumplido en parte',
  broken: 'incumplido',
};

export interface TimelineInput {
  store: LocalStore;
  debtor: DebtorSnapshot;
  catalog: Catalog | null;
  /** Whether the identity check of an open contact is passed, which lets amounts show. */
  amountsVisible: boolean;
}

export function buildDebtorTimeline(input: TimelineInput): DebtorTimelineEntry[] {
  const entries = [...contactEntries(input), ...promiseEntries(input), ...paymentEntries(input), ...authorizationEntries(input)];
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id));
}

function contactEntries({ store, debtor, catalog }: TimelineInput): DebtorTimelineEntry[] {
  const names = new Map(debtor.persons.map((person) => [person.id, person.fullName]));
  return store.ledger.forDebtor(debtor.id, TIMELINE_CONTACT_LIMIT).map((entry) => {
    const label = entry.code === null ? null : (catalog?.codes.find((code) => code.code === entry.code)?.label ?? entry.code);
    const fromStrategy = entry.origin !== 'local' && entry.id.startsWith(STRATEGY_SEND_PREFIX);
    let result = label ?? (entry.origin === 'local' ? 'Pendiente de tipificar' : 'Contacto registrado en otro canal o estación');
    if (label === null && fromStrategy) result = STRATEGY_SEND_RESULTS[entry.channel];
    const party = names.get(entry.personId) ?? 'Persona ya no asignada';
    let where = entry.origin === 'local' ? 'esta estación' : 'otra estación o canal';
    if (fromStrategy) where = 'envío automático del servidor';
    return {
      id: `contact:${entry.id}`,
      at: entry.at,
      dateOnly: false,
      kind: 'contact',
      title: `${CHANNEL_WORDS[entry.channel]}: ${result}`,
      detail: `${party} · ${entry.kind === 'two-way' ? 'contacto efectivo' : 'intento'} · ${where}`,
      code: entry.code,
      status: null,
      amountsHidden: false,
    };
  });
}

function promiseEntries({ store, debtor, amountsVisible }: TimelineInput): DebtorTimelineEntry[] {
  const entries: DebtorTimelineEntry[] = [];
  for (const promise of store.promises.forDebtor(debtor.id)) {
    entries.push(promiseMade(promise, amountsVisible));
    if (promise.status !== 'pending') entries.push(promiseStatusChange(promise, amountsVisible));
  }
  for (const record of store.promises.localOnly(debtor.id)) entries.push(localPromise(record, amountsVisible));
  return entries;
}

function promiseMade(promise: PromiseSnapshot, amountsVisible: boolean): DebtorTimelineEntry {
  const first = promise.instalments[0]!;
  const agreement = promise.kind === 'agreement';
  const words = agreement ? AGREEMENT_STATUS_WORDS : PROMISE_STATUS_WORDS;
  const plan = agreement
    ? `${promise.instalments.length} cuotas${amountsVisible ? ` por ${formatCop(promise.amountCents)}` : ''}, la primera el ${calendarDate(first.dueOn)}`
    : `${amountsVisible ? `${formatCop(promise.amountCents)} ` : ''}para el ${calendarDate(first.dueOn)}`;
  const paid = amountsVisible && promise.paidCents > 0 ? ` · pagado ${formatCop(promise.paidCents)}` : '';
  return {
    id: `promise:${promise.id}`,
    at: promise.madeAt,
    dateOnly: false,
    kind: 'promise',
    title: agreement ? 'Acuerdo de pago' : 'Promesa de pago',
    detail: `${plan} · ${words[promise.status]}${paid}`,
    code: promise.code,
    status: promise.status,
    amountsHidden: !amountsVisible,
  };
}

function promiseStatusChange(promise: PromiseSnapshot, amountsVisible: boolean): DebtorTimelineEntry {
  const agreement = promise.kind === 'agreement';
  const word = (agreement ? AGREEMENT_STATUS_WORDS : PROMISE_STATUS_WORDS)[promise.status];
  return {
    id: `promise-status:${promise.id}`,
    at: promise.statusChangedAt,
    dateOnly: false,
    kind: 'promise',
    title: `${agreement ? 'Acuerdo de pago' : 'Promesa de pago'} ${word}`,
    // The server's reason names the amounts paid, so it waits for the identity check.
    detail: amountsVisible ? promise.statusReason : null,
    code: promise.code,
    status: promise.status,
    amountsHidden: !amountsVisible,
  };
}

/** Builds the entry of a promise typified here whose server copy has not arrived yet, so it is still pending. */
function localPromise(record: LocalPromiseRecord, amountsVisible: boolean): DebtorTimelineEntry {
  const agreement = record.kind === 'agreement';
  let detail = 'pendiente · por enviar al servidor';
  if (agreement) {
    const plan = Object.values(record.fields).find(Array.isArray) as Array<{ dueDate?: unknown; amountCents?: unknown }> | undefined;
    if (plan && plan.length > 0) {
      const total = plan.reduce((sum, entry) => sum + (typeof entry.amountCents === 'number' ? entry.amountCents : 0), 0);
      const firstDue = typeof plan[0]!.dueDate === 'string' ? calendarDate(plan[0]!.dueDate) : '';
      detail = `${plan.length} cuotas${amountsVisible ? ` por ${formatCop(total)}` : ''}, la primera el ${firstDue} · ${detail}`;
    }
  } else {
    const amount = typeof record.fields.amount === 'number' ? record.fields.amount : null;
    const date = Object.values(record.fields).find((value): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value));
    const parts = [amountsVisible && amount !== null ? formatCop(amount) : null, date ? `para el ${calendarDate(date)}` : null].filter(Boolean);
    if (parts.length > 0) detail = `${parts.join(' ')} · ${detail}`;
  }
  return {
    id: `promise:${record.interactionId}`,
    at: record.createdAt,
    dateOnly: false,
    kind: 'promise',
    title: agreement ? 'Acuerdo de pago' : 'Promesa de pago',
    detail,
    code: record.code || null,
    status: 'pending',
    amountsHidden: !amountsVisible,
  };
}

function paymentEntries({ store, debtor, amountsVisible }: TimelineInput): DebtorTimelineEntry[] {
  const numbers = new Map(debtor.obligations.map((obligation) => [obligation.id, `${obligation.creditor} ${obligation.number}`]));
  return store.promises.paymentsForDebtor(debtor.id).map((payment: PaymentSnapshot) => {
    const obligation = numbers.get(payment.obligationId) ?? 'obligación ya no asignada';
    const note = amountsVisible && payment.note ? ` · ${payment.note}` : '';
    return {
      id: `payment:${payment.id}`,
      // A payment has a date but no time; noon in Bogotá keeps it on its day in any ordering.
      at: `${payment.paidOn}T12:00:00-05:00`,
      dateOnly: true,
      kind: 'payment',
      title: amountsVisible ? `Pago recibido: ${formatCop(payment.amountCents)}` : 'Pago recibido',
      detail: `${obligation} · referencia ${payment.reference}${note}`,
      code: null,
      status: null,
      amountsHidden: !amountsVisible,
    };
  });
}

function authorizationEntries({ store, debtor }: TimelineInput): DebtorTimelineEntry[] {
  const names = new Map(debtor.persons.map((person) => [person.id, person.fullName]));
  const entries: DebtorTimelineEntry[] = [];

  // One entry per person, channel and instant: a revocation covers every address of the channel.
  const revocations = new Map<string, { personId: string; channel: Channel; at: string }>();
  for (const point of debtor.contactPoints) {
    const revokedAt = point.authorization?.revokedAt;
    if (!revokedAt) continue;
    revocations.set(`${point.personId}|${point.channel}|${revokedAt}`, { personId: point.personId, channel: point.channel, at: revokedAt });
  }
  for (const [key, revocation] of revocations) {
    entries.push({
      id: `revocation:${key}`,
      at: revocation.at,
      dateOnly: false,
      kind: 'authorization',
      title: `Autorización revocada: ${CHANNEL_WORDS[revocation.channel]}`,
      detail: names.get(revocation.personId) ?? 'Persona ya no asignada',
      code: null,
      status: null,
      amountsHidden: false,
    });
  }

  const flags = store.db
    .prepare('SELECT contact_point_id, reason, flagged_at FROM contact_point_flags WHERE debtor_id = ?')
    .all(debtor.id) as Array<{ contact_point_id: string; reason: string; flagged_at: string }>;
  for (const flag of flags) {
    const point = debtor.contactPoints.find((candidate) => candidate.id === flag.contact_point_id);
    const channel = point ? CHANNEL_WORDS[point.channel] : 'Número';
    const person = point ? (names.get(point.personId) ?? 'Persona ya no asignada') : 'Punto de contacto ya no asignado';
    entries.push({
      id: `flag:${flag.contact_point_id}`,
      at: flag.flagged_at,
      dateOnly: false,
      kind: 'authorization',
      title: `Número marcado: ${channel}`,
      detail: `${person} · ${flag.reason}`,
      code: null,
      status: null,
      amountsHidden: false,
    });
  }
  return entries;
}

/** `2026-12-10` as `10/12/2026`, without passing through a time zone. */
function calendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}
