import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../result.ts';
import { parseRulePack } from './rule-pack.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS } from './types.ts';

const DEFAULT_PACK_TEXT = readFileSync(new URL('../../../resources/rule-pack.json', import.meta.url), 'utf8');

function validPack(): Record<string, unknown> {
  return JSON.parse(DEFAULT_PACK_TEXT) as Record<string, unknown>;
}

function parseError(raw: unknown): AppError {
  try {
    parseRulePack(raw);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected parseRulePack to reject the pack');
}

describe('parseRulePack', () => {
  it('accepts the shipped default pack', () => {
    const pack = parseRulePack(validPack());

    expect(pack.countsAsContact).toBe('every-attempt');
    expect(pack.lastDialMarginMinutes).toBe(10);
    expect(pack.version).not.toBe('');
    expect(pack.monthlyMinimumWageCents).toBe(MONTHLY_MINIMUM_WAGE_2026_CENTS);
  });

  it('gives a pack without the minimum wage the 2026 value', () => {
    const { monthlyMinimumWageCents: _removed, ...older } = validPack();
    const pack = parseRulePack(older);

    expect(pack.monthlyMinimumWageCents).toBe(175_090_500);
    expect(pack.version).toBe(validPack()['version']);
  });

  it('keeps a minimum wage the pack sets', () => {
    expect(parseRulePack({ ...validPack(), monthlyMinimumWageCents: 190_000_000 }).monthlyMinimumWageCents).toBe(190_000_000);
  });

  it.each([
    ['lastDialMarginMinutes', 500, 'lastDialMarginMinutes', 'debe ser como máximo 120 (valor recibido: 500)'],
    ['lastDialMarginMinutes', 2.5, 'lastDialMarginMinutes', 'debe ser un número entero (valor recibido: 2.5)'],
    ['countsAsContact', 'sometimes', 'countsAsContact', 'debe ser uno de: "every-attempt", "two-way-only" (valor recibido: "sometimes")'],
    ['version', '', 'version', 'debe tener al menos 1 carácter (valor recibido: "")'],
    ['extraBlockedDates', ['2026-02-30'], 'extraBlockedDates[0]', 'debe ser una fecha existente con formato AAAA-MM-DD (valor recibido: "2026-02-30")'],
    ['calendarCorrections', { add: [{ date: '2026-09-14' }], remove: [] }, 'calendarCorrections.add[0].name', 'falta (es obligatorio)'],
    ['extraBlockedDates', undefined, 'extraBlockedDates', 'falta (es obligatorio)'],
    ['monthlyMinimumWageCents', 0, 'monthlyMinimumWageCents', 'debe ser mayor que 0 (valor recibido: 0)'],
    ['monthlyMinimumWageCents', 1_750_905.5, 'monthlyMinimumWageCents', 'debe ser un número entero (valor recibido: 1750905.5)'],
    ['monthlyMinimumWageCents', '175090500', 'monthlyMinimumWageCents', 'debe ser un número (valor recibido: "175090500")'],
  ])('names %s when it is invalid', (field, value, path, problem) => {
    const error = parseError({ ...validPack(), [field]: value });

    expect(error.code).toBe('invalid-input');
    expect(error.fields?.[path]).toBe(problem);
    expect(error.message).toContain(`${path} ${problem}`);
    expect(error.message).toMatch(/^Paquete de reglas inválido: /);
  });

  it('lists every invalid field', () => {
    const error = parseError({ ...validPack(), version: 7, lastDialMarginMinutes: -1 });
    expect(Object.keys(error.fields ?? {})).toEqual(['version', 'lastDialMarginMinutes']);
  });

  it.each([null, 'rule pack', 42, []])('rejects %j as a whole', (raw) => {
    const error = parseError(raw);
    expect(error.fields?.['paquete']).toBe(`debe ser un objeto (valor recibido: ${JSON.stringify(raw)})`);
  });
});
