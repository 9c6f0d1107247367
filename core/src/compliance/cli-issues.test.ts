import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeRequestIssues } from './cli-issues.ts';
import { creditReportRequestSchema } from './credit-report.ts';
import { gateRequestSchema } from './types.ts';

const VALID = { at: '2026-12-09T10:00:00-05:00', channel: 'voice', party: 'debtor', authorized: true, history: [] };

function gateMessage(change: Record<string, unknown>): string {
  const raw = { ...VALID, ...change };
  const parsed = gateRequestSchema.safeParse(raw);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(change)} to be invalid`);
  return describeRequestIssues(raw, parsed.error.issues);
}

describe('compliance CLI issue sentences', () => {
  it.each([
    ['an instant without offset', { at: '2026-12-06T10:00:00' }, 'El campo "at" debe ser un instante ISO 8601 con zona horaria, p. ej. 2026-12-06T10:00:00-05:00 (recibido "2026-12-06T10:00:00").'],
    ['an unknown channel', { channel: 'fax' }, 'El campo "channel" debe ser uno de: "voice", "sms", "email", "whatsapp", "letter", "visit" (recibido "fax").'],
    ['a missing field', { authorized: undefined }, 'El campo "authorized" falta y es obligatorio.'],
    ['a wrong type', { authorized: 'sí' }, 'El campo "authorized" debe ser true o false (recibido "sí").'],
    ['a bad history entry', { history: [{ at: '2026-12-01T13:00:00Z', channel: 'sms' }] }, 'El campo "history.0.kind" falta y es obligatorio; debe ser uno de: "attempt", "two-way".'],
    ['a schema-worded pattern', { scheduleRequest: { window: [{ days: [1], from: '7', to: '19:00' }], requestedOn: '2026-02-01', contractSignedOn: '2025-06-01', evidence: 'x', consumerInitiated: true } }, 'El campo "scheduleRequest.window.0.from" debe ser una hora HH:MM entre 00:00 y 23:59 (recibido "7").'],
    ['a refined zone', { personTimeZone: 'Mars/Olympus_Mons' }, 'El campo "personTimeZone" debe ser un nombre de zona horaria IANA, p. ej. "Europe/Madrid" (recibido "Mars/Olympus_Mons").'],
  ])('words %s', (_name, change, sentence) => {
    expect(gateMessage(change)).toBe(sentence);
  });

  it('words an impossible date of a credit report', () => {
    const raw = { at: '2026-12-21T10:00:00-05:00', notices: ['2026-02-30'], debtCents: 1, monthlyMinimumWageCents: 142_350_000 };
    const parsed = creditReportRequestSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(describeRequestIssues(raw, parsed.error!.issues)).toBe('El campo "notices.0" debe ser una fecha existente con la forma AAAA-MM-DD, p. ej. 2026-12-07 (recibido "2026-02-30").');
  });

  it('joins several problems as separate sentences', () => {
    const message = gateMessage({ at: 'ayer', channel: 'fax' });
    expect(message.split('. El campo')).toHaveLength(2);
    expect(message).toMatch(/^El campo "at" debe ser un instante ISO 8601/);
  });

  it('never keeps zod locale word order, whatever the locale', () => {
    // The command line sets the Spanish locale globally; the sentences must not depend on it.
    z.config(z.locales.es());
    try {
      expect(gateMessage({ at: '2026-12-06T10:00:00' })).not.toContain('Inválido');
    } finally {
      z.config(z.locales.en());
    }
  });
});
