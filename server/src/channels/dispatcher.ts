/**
 * One pass of the channel dispatcher: plan the due activities, claim each pending row, run the
 * compliance gate, and send, reschedule to the next legal slot, or block. SMS, e-mail and WhatsApp
 * go out through their adapters; letters and visits become `ready` for the print batch and the
 * route sheet. Every outcome is logged as evidence, and every message sent or cleared for a batch
 * joins the ledger unless it is exempt under R10.
 */
import type { RulePack } from '@gestiona/core/compliance/types';
import { bogotaDate, formatDateTime } from '@gestiona/core/format';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { Logger } from '../logger.ts';
import { StrategyVersionsTable } from '../strategy/strategy-versions.ts';
import { defaultStrategySet } from '../strategy/default-strategy.ts';
import type { Tables } from '../store/tables.ts';
import type { ServerStore } from '../store/types.ts';
import { adaptersOf, deliverWithRetry, type ChannelAdapter, type OutgoingMessage } from './adapters.ts';
import type { ChannelsConfig } from './channel-config.ts';
import { dueActivities } from './due.ts';
import { checkSend } from './gate-check.ts';
import { claimableIds, claimSend, finishSend, insertDue, recordLedgerContact, type SendResult } from './send-table.ts';
import { hasCollectionContent, renderMessage, type RenderedMessage, type TemplateFacts } from './templates.ts';
import type { DispatchedChannel, PassSummary, SendRow } from './types.ts';

/** Rows claimed per pass at most; the rest wait for the next pass. */
export const PASS_BATCH_SIZE = 500;

/** How long a message waits before another try when its channel has no adapter configured any more. */
const UNCONFIGURED_RETRY_MS = 60 * 60 * 1000;

export interface DispatcherOptions {
  store: ServerStore;
  config: ChannelsConfig;
  logger: Logger;
  /** Adapters by channel; default the ones the configuration enables. Tests pass their own. */
  adapters?: Partial<Record<OutgoingMessage['channel'], ChannelAdapter>>;
  /** Waits between tries; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Clock read before each send, because a pass with slow gateways can run past a window's close.
   * Without it every send of a pass is checked at the pass's `now`, as the tests want.
   */
  clock?: () => Date;
}

export function enabledChannels(config: ChannelsConfig): Set<DispatchedChannel> {
  const enabled = new Set<DispatchedChannel>();
  if (config.sms !== undefined) enabled.add('sms');
  if (config.whatsapp !== undefined) enabled.add('whatsapp');
  if (config.email !== undefined) enabled.add('email');
  if (config.letters) enabled.add('letter');
  if (config.visits) enabled.add('visit');
  return enabled;
}

/** Claim length: longer than every try, timeout and wait of one message, so that no other node takes a row in flight. */
function claimLengthMs(config: ChannelsConfig): number {
  const timeout = Math.max(config.sms?.timeoutMs ?? 0, config.whatsapp?.timeoutMs ?? 0, (config.email?.timeoutMs ?? 0) * 3);
  let waits = 0;
  for (let tries = 1; tries < config.retry.attempts; tries += 1) waits += config.retry.baseDelayMs * 2 ** (tries - 1);
  return config.retry.attempts * timeout + waits + 60_000;
}

export class ChannelDispatcher {
  private readonly adapters: Partial<Record<OutgoingMessage['channel'], ChannelAdapter>>;
  private readonly enabled: Set<DispatchedChannel>;
  private readonly claimMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.adapters = options.adapters ?? adaptersOf(options.config);
    this.enabled = enabledChannels(options.config);
    this.claimMs = claimLengthMs(options.config);
  }

  close(): void {
    for (const adapter of Object.values(this.adapters)) adapter?.close?.();
  }

  /** Plans, checks and sends what is due at `now`. */
  async runPass(now: Date): Promise<PassSummary> {
    const summary: PassSummary = { planned: 0, sent: 0, ready: 0, rescheduled: 0, blocked: 0, failed: 0, skipped: 0 };
    if (this.enabled.size === 0) return summary;
    const { store, logger } = this.options;

    const today = bogotaDate(now.toISOString());
    const due = await store.readBoardView(async (sql) => {
      const strategy = await strategyInForce(sql);
      return dueActivities(sql, strategy.set, strategy.version, today, this.enabled);
    });
    summary.planned = await store.writeChannels((tables) => insertDue(tables.events.sql, due, now));

    const ids = await store.readBoardView((sql) => claimableIds(sql, now, PASS_BATCH_SIZE));
    for (const id of ids) {
      const claimUntil = new Date(now.getTime() + this.claimMs);
      const send = await store.writeChannels((tables) => claimSend(tables.events.sql, id, store.nodeId, now, claimUntil));
      if (send === null) {
        summary.skipped += 1;
        continue;
      }
      try {
        const outcome = await this.process(send, this.options.clock?.() ?? now);
        summary[outcome] += 1;
      } catch (error) {
        // The claim lapses on its own, so another pass tries the row again.
        logger.error({ err: error, sendId: send.id, debtorId: send.debtorId }, 'channels: send failed unexpectedly; the claim will lapse and the row be retried');
        summary.skipped += 1;
      }
    }
    if (ids.length > 0 || summary.planned > 0) logger.info({ ...summary }, 'channels: pass done');
    return summary;
  }

  private async process(send: SendRow, now: Date): Promise<'sent' | 'ready' | 'rescheduled' | 'blocked' | 'failed' | 'skipped'> {
    const { store, config } = this.options;
    const base = { attempts: send.attempts, contactPointId: null, address: null, body: null, error: null, sentAt: null, decision: null, nextAttemptAt: null };

    // A promise, a payment or a hold since the row was planned stops it, as a new strategy without the activity does.
    const stillDue = await store.readBoardView(async (sql) => {
      const strategy = await strategyInForce(sql);
      const due = await dueActivities(sql, strategy.set, strategy.version, bogotaDate(now.toISOString()), this.enabled, { debtorId: send.debtorId, earliest: send.occurrenceDate });
      return due.some((activity) => activity.activityId === send.activityId && activity.occurrenceDate === send.occurrenceDate);
    });
    if (!stillDue) {
      await this.finish(send, { ...base, status: 'blocked', outcome: 'blocked', detail: 'La actividad ya no corresponde: la detuvo una promesa, un pago o una pausa, o la estrategia cambió.' }, now);
      return 'blocked';
    }

    const facts = await store.readBoardView((sql) => templateFacts(sql, send));
    let message: RenderedMessage;
    try {
      message = renderMessage(config, send.channel, facts);
    } catch (error) {
      const detail = (error as Error).message;
      this.options.logger.error({ err: error, sendId: send.id, channel: send.channel }, 'channels: template cannot be rendered; send marked failed');
      await this.finish(send, { ...base, status: 'failed', outcome: 'failed', detail, error: detail }, now);
      return 'failed';
    }

    const exemption = message.template.exemptReason === undefined ? null : { reason: message.template.exemptReason, hasCollectionContent: hasCollectionContent(message) };
    const checked = await store.writeChannels(async (tables) => {
      const pack = await rulePackAt(tables, now);
      return pack === null ? null : checkSend(tables, pack, send, now, exemption);
    });
    if (checked === null) {
      const detail = 'No hay paquete de reglas publicado; el envío espera a que se publique uno.';
      await this.finish(send, { ...base, status: 'pending', outcome: 'retry', detail, nextAttemptAt: new Date(now.getTime() + UNCONFIGURED_RETRY_MS) }, now);
      return 'skipped';
    }

    const { decision } = checked;
    const withFacts = { ...base, decision, contactPointId: checked.contactPointId, address: checked.address, body: message.body };
    if (!decision.allowed) {
      const detail = decision.reasons.map((reason) => reason.message).join(' ');
      if (decision.nextAllowedAt === null) {
        await this.finish(send, { ...withFacts, status: 'blocked', outcome: 'blocked', detail }, now);
        return 'blocked';
      }
      const next = new Date(decision.nextAllowedAt);
      await this.finish(send, { ...withFacts, status: 'pending', outcome: 'rescheduled', detail: `${detail} Se envía desde el ${formatDateTime(decision.nextAllowedAt)}.`, nextAttemptAt: next }, now);
      return 'rescheduled';
    }

    if (send.channel === 'letter' || send.channel === 'visit') {
      await this.clearForBatch(send, withFacts, checked.exempt, now);
      return 'ready';
    }
    return this.deliver(send, send.channel, message, withFacts, now);
  }

  private async deliver(
    send: SendRow,
    channel: OutgoingMessage['channel'],
    message: RenderedMessage,
    withFacts: Omit<SendResult, 'status' | 'outcome' | 'detail'>,
    now: Date,
  ): Promise<'sent' | 'failed' | 'skipped'> {
    const { store, config, logger } = this.options;
    const adapter = this.adapters[channel];
    if (adapter === undefined || withFacts.address === null) {
      const detail = adapter === undefined ? `El canal ${channel} no está configurado; el envío espera.` : 'La persona no tiene dirección en este canal.';
      await this.finish(send, { ...withFacts, status: 'pending', outcome: 'retry', detail, nextAttemptAt: new Date(now.getTime() + UNCONFIGURED_RETRY_MS) }, now);
      return 'skipped';
    }

    const outgoing: OutgoingMessage = { id: send.id, channel, to: withFacts.address, subject: message.subject, body: message.body };
    const delivery = await deliverWithRetry(
      adapter,
      outgoing,
      config.retry,
      (tries, error) => logger.warn({ sendId: send.id, channel, tries, error }, 'channels: delivery failed; retrying after backoff'),
      this.options.sleep,
    );
    const attempts = send.attempts + delivery.tries;
    // Passes that already ran every try of theirs, so the row has this many later passes behind it.
    const laterPassesUsed = Math.floor(send.attempts / config.retry.attempts);
    if (!delivery.ok && delivery.retryable && laterPassesUsed < config.retry.laterPasses) {
      const next = new Date(now.getTime() + config.retry.laterDelayMs * 2 ** laterPassesUsed);
      logger.warn({ sendId: send.id, channel, tries: delivery.tries, error: delivery.error, nextAttemptAt: next.toISOString() }, 'channels: delivery failed; retrying in a later pass');
      const detail = `No se pudo enviar tras ${delivery.tries} intentos (${delivery.error}); se reintenta desde el ${formatDateTime(next.toISOString())}.`;
      await this.finish(send, { ...withFacts, attempts, status: 'pending', outcome: 'retry', detail, error: delivery.error, nextAttemptAt: next }, now);
      return 'skipped';
    }
    if (!delivery.ok) {
      logger.error({ sendId: send.id, channel, tries: delivery.tries, error: delivery.error }, 'channels: delivery failed for good');
      const detail = `No se pudo enviar tras ${delivery.tries} intentos: ${delivery.error}`;
      await this.finish(send, { ...withFacts, attempts, status: 'failed', outcome: 'failed', detail, error: delivery.error }, now);
      return 'failed';
    }

    const exempt = message.template.exemptReason !== undefined;
    const stored = await store.writeChannels(async (tables, context) => {
      const sent = await finishSend(tables.events.sql, send.id, store.nodeId, { ...withFacts, attempts, status: 'sent', outcome: 'sent', detail: `Enviado en ${delivery.tries} intento(s).`, sentAt: now }, now);
      // An exempt message (R10) never counts toward the limits, so it stays out of the ledger.
      if (sent && !exempt) await recordLedgerContact(tables, context, send, now);
      return sent;
    });
    if (!stored) logger.error({ sendId: send.id }, 'channels: message sent but the claim had lapsed; another node may send it again');
    return 'sent';
  }

  /**
   * Marks a letter or visit ready for its batch and writes it into the ledger at the cleared slot,
   * in one transaction. The contact counts from the slot on, as the gate cleared it for that
   * instant, because the batch that prints or routes it may be produced later.
   */
  private async clearForBatch(send: SendRow, withFacts: Omit<SendResult, 'status' | 'outcome' | 'detail'>, exempt: boolean, now: Date): Promise<void> {
    const { store, logger } = this.options;
    const detail = send.channel === 'letter' ? 'Carta lista para el lote de impresión.' : 'Visita lista para la hoja de ruta.';
    const stored = await store.writeChannels(async (tables, context) => {
      const ready = await finishSend(tables.events.sql, send.id, store.nodeId, { ...withFacts, status: 'ready', outcome: 'ready', detail }, now);
      // An exempt letter (R10) never counts toward the limits, so it stays out of the ledger.
      if (ready && !exempt) await recordLedgerContact(tables, context, send, now);
      return ready;
    });
    if (!stored) logger.warn({ sendId: send.id, outcome: 'ready' }, 'channels: claim lapsed before the outcome was stored; the row will be retried');
  }

  private async finish(send: SendRow, result: SendResult, now: Date): Promise<void> {
    const { store, logger } = this.options;
    const stored = await store.writeChannels((tables) => finishSend(tables.events.sql, send.id, store.nodeId, result, now));
    if (!stored) logger.warn({ sendId: send.id, outcome: result.outcome }, 'channels: claim lapsed before the outcome was stored; the row will be retried');
  }
}

async function strategyInForce(sql: Parameters<typeof dueActivities>[0]): Promise<{ set: StrategySet; version: string | null }> {
  const record = await new StrategyVersionsTable(sql).current();
  return { set: record?.strategy ?? defaultStrategySet(), version: record?.version ?? null };
}

async function rulePackAt(tables: Tables, now: Date): Promise<RulePack | null> {
  return (await tables.rulePacks.inForceAt(now))?.pack ?? (await tables.facts.currentRulePack());
}

/** Reads the debtor's facts that the templates show: name, creditor, obligation numbers and balances. */
async function templateFacts(sql: Parameters<typeof dueActivities>[0], send: SendRow): Promise<TemplateFacts> {
  const person = await sql.get<{ full_name: string }>('SELECT full_name FROM persons WHERE id = ?', [send.personId]);
  const obligations = await sql.all<{ creditor: string; number: string; balance_cents: number; overdue_cents: number }>(
    'SELECT creditor, number, balance_cents, overdue_cents FROM obligations WHERE debtor_id = ? ORDER BY number',
    [send.debtorId],
  );
  return {
    fullName: person?.full_name ?? 'cliente',
    creditor: obligations[0]?.creditor ?? null,
    obligationNumbers: obligations.map((obligation) => obligation.number),
    totalBalanceCents: obligations.reduce((sum, obligation) => sum + Number(obligation.balance_cents), 0),
    overdueCents: obligations.reduce((sum, obligation) => sum + Number(obligation.overdue_cents), 0),
    date: send.occurrenceDate,
  };
}
