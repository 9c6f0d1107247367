/**
 * Message text of a send: the configured template (or the default) with the debtor's facts in
 * Spanish formats, COP amounts and dd/mm/aaaa dates. A text that asks why the debtor did not pay is
 * rejected (R11), as call scripts are.
 */
import { findWhyNotPaidQuestion } from '@gestiona/core/compliance/why-not-paid';
import { formatCop, formatDate } from '@gestiona/core/format';
import { DEFAULT_TEMPLATES, type ChannelsConfig, type MessageTemplate } from './channel-config.ts';
import type { DispatchedChannel } from './types.ts';

export interface TemplateFacts {
  fullName: string;
  creditor: string | null;
  obligationNumbers: readonly string[];
  totalBalanceCents: number;
  overdueCents: number;
  /** Bogotá date (`YYYY-MM-DD`) the message is about. */
  date: string;
}

export interface RenderedMessage {
  subject: string | null;
  body: string;
  template: MessageTemplate;
}

const PLACEHOLDER = /\{([a-z]+)\}/g;

/** Words that make a message a collection message, which R10 never exempts. */
const COLLECTION_WORDS = /\b(saldo|mora|deuda|pago|pagar|cobro|cobranza|obligaci[oó]n|cuota)\b/i;

export function templateFor(config: ChannelsConfig, channel: DispatchedChannel): MessageTemplate {
  return config.templates[channel] ?? DEFAULT_TEMPLATES[channel];
}

/** Renders the channel's template; throws an Error naming the placeholder or the R11 question when the text cannot be sent. */
export function renderMessage(config: ChannelsConfig, channel: DispatchedChannel, facts: TemplateFacts): RenderedMessage {
  const template = templateFor(config, channel);
  const values: Record<string, string> = {
    nombre: facts.fullName,
    acreedor: facts.creditor ?? config.senderName,
    obligaciones: facts.obligationNumbers.join(', ') || 'sin número',
    saldo: formatCop(facts.totalBalanceCents),
    mora: formatCop(facts.overdueCents),
    fecha: formatDate(facts.date),
  };
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`La plantilla de ${channel} usa ${whole}, que no existe; use ${Object.keys(values).map((key) => `{${key}}`).join(', ')}.`);
      return value;
    });

  const subject = template.subject === undefined ? null : fill(template.subject);
  const body = fill(template.body);
  for (const text of [subject, body]) {
    const question = text === null ? null : findWhyNotPaidQuestion(text, 'script');
    if (question !== null) throw new Error(`La plantilla de ${channel} pregunta por qué no pagó ("${question}"), lo que está prohibido (R11).`);
  }
  return { subject, body, template };
}

/** Returns whether the rendered text mentions the debt or a payment, which makes an R10 exemption invalid. */
export function hasCollectionContent(message: RenderedMessage): boolean {
  return COLLECTION_WORDS.test(message.body) || (message.subject !== null && COLLECTION_WORDS.test(message.subject));
}
