import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveChannelsConfig } from '../config.ts';
import { anyChannelEnabled, DISABLED_CHANNELS, parseChannelsConfig } from './channel-config.ts';
import { renderMessage } from './templates.ts';

const FACTS = { fullName: 'María Peña', creditor: 'Banco Cafetero', obligationNumbers: ['TC-1', 'LB-2'], totalBalanceCents: 123_456_789, overdueCents: 23_456_700, date: '2026-12-09' };

describe('channels configuration', () => {
  it('keeps every channel off by default', () => {
    expect(anyChannelEnabled(DISABLED_CHANNELS)).toBe(false);
    expect(resolveChannelsConfig(undefined, {})).toEqual({ ok: true, value: DISABLED_CHANNELS });
  });

  it.each<[string, unknown, RegExp]>([
    ['an R11 question in a template', { templates: { sms: { body: '¿Por qué no ha pagado su cuota?' } } }, /templates\.sms\.body: la plantilla pregunta por qué no pagó/],
    ['a gateway URL that is not HTTP', { sms: { url: 'ftp://127.0.0.1/x', token: 't' } }, /sms\.url/],
    ['an SMTP port out of range', { email: { host: '127.0.0.1', port: 70000, from: 'a@b.co' } }, /email\.port/],
    ['zero tries', { retry: { attempts: 0 } }, /retry\.attempts/],
  ])('rejects %s', (_name, raw, message) => {
    expect(() => parseChannelsConfig(raw, 'de prueba')).toThrow(message);
  });

  it('names a missing or invalid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gestiona-channels-'));
    try {
      const missing = resolveChannelsConfig(join(dir, 'no-existe.json'), {});
      expect(missing).toMatchObject({ ok: false, message: expect.stringMatching(/No se pudo leer la configuración de canales .*no-existe\.json/) });
      const broken = join(dir, 'canales.json');
      writeFileSync(broken, '{ "sms": ');
      expect(resolveChannelsConfig(undefined, { GESTIONA_CHANNELS_CONFIG: broken })).toMatchObject({ ok: false, message: expect.stringContaining('no es JSON válido') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('message templates', () => {
  it('formats COP amounts and dd/mm/aaaa dates', () => {
    const message = renderMessage(DISABLED_CHANNELS, 'email', FACTS);
    expect(message.subject).toBe('Banco Cafetero: estado de su obligación al 09/12/2026');
    expect(message.body).toMatch(/TC-1, LB-2 con Banco Cafetero presenta un saldo en mora de \$\s234\.567 y un saldo total de \$\s1\.234\.568 al 09\/12\/2026/);
  });

  it('rejects an unknown placeholder', () => {
    const config = parseChannelsConfig({ templates: { sms: { body: 'Hola {apodo}' } } }, 'de prueba');
    expect(() => renderMessage(config, 'sms', FACTS)).toThrow(/usa \{apodo\}, que no existe/);
  });

  it('rejects a debtor name that turns the text into an R11 question', () => {
    expect(() => renderMessage(DISABLED_CHANNELS, 'sms', { ...FACTS, fullName: '¿por qué no pagó?' })).toThrow(/R11/);
  });
});
