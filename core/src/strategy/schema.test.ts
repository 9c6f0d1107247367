import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../result.ts';
import { compileFormula, formulaNames, FormulaError } from './formula.ts';
import { conditionProblem, parseStrategySet } from './schema.ts';

const defaultRaw = JSON.parse(readFileSync(new URL('../../../resources/strategy.json', import.meta.url), 'utf8')) as {
  version: string;
  segments: Record<string, unknown>[];
};

/** A loosely typed segment, so that a case can write any invalid value into it. */
type LooseSegment = { id: string; name: string; rule: unknown; strategy: { priority: string; timeline: { channel: string }[]; treatments?: unknown } };

function withSegments(mutate: (segments: LooseSegment[]) => void): unknown {
  const copy = structuredClone(defaultRaw) as unknown as { version: string; segments: LooseSegment[] };
  mutate(copy.segments);
  return copy;
}

function problemOf(raw: unknown): AppError {
  try {
    parseStrategySet(raw);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the set to be rejected');
}

describe('parseStrategySet', () => {
  it('accepts the factory default with its five segments', () => {
    expect(parseStrategySet(defaultRaw).segments.map((segment) => segment.id)).toEqual(['preventiva', 'temprana', 'media', 'tardia', 'castigada']);
  });

  const cases: [string, (segments: LooseSegment[]) => void, string, RegExp][] = [
    ['no final catch-all', (segments) => segments.pop(), 'segments[3].rule', /segmento "Tardía": el último segmento debe recoger a todos/],
    [
      'catch-all before the end',
      (segments) => {
        segments[1]!.rule = { all: [] };
      },
      'segments[1].rule',
      /segmento "Temprana": recoge a todos los deudores, así que los segmentos que siguen nunca aplicarían/,
    ],
    ['unknown variable in a formula', (segments) => (segments[2]!.strategy.priority = 'saldo * 2'), 'segments[2].strategy.priority', /segmento "Media": la fórmula "saldo \* 2" usa la variable desconocida "saldo"/],
    [
      'unknown variable in a branch',
      (segments) => (segments[2]!.strategy.priority = 'if daysPastDue > 99999 then otra else 1'),
      'segments[2].strategy.priority',
      /la variable desconocida "otra"/,
    ],
    ['formula syntax', (segments) => (segments[0]!.strategy.priority = '1 +* 2'), 'segments[0].strategy.priority', /segmento "Preventiva": la fórmula "1 \+\* 2" no se puede leer/],
    ['unknown function', (segments) => (segments[0]!.strategy.priority = 'constructor(1)'), 'segments[0].strategy.priority', /la función desconocida "constructor"/],
    ['regex operator', (segments) => (segments[0]!.strategy.priority = 'if city ~= "a+" then 1 else 0'), 'segments[0].strategy.priority', /"~=", que no está permitido/],
    [
      'unknown condition variable',
      (segments) => (segments[1]!.rule = { all: [{ variable: 'saldo', op: 'gt', value: 1 }] }),
      'segments[1].rule.all[0]',
      /segmento "Temprana": la condición usa la variable desconocida "saldo"/,
    ],
    [
      'operator not for the type',
      (segments) => (segments[1]!.rule = { all: [{ variable: 'city', op: 'gt', value: 'A' }] }),
      'segments[1].rule.all[0]',
      /"Ciudad del deudor" \(city\) no admite el operador "es mayor que"/,
    ],
    [
      'value not in the enumeration',
      (segments) => (segments[1]!.rule = { all: [{ variable: 'promiseStatus', op: 'eq', value: 'rota' }] }),
      'segments[1].rule.all[0]',
      /valor "rota" no válido para "Estado de la promesa de pago"/,
    ],
    ['duplicate id', (segments) => (segments[1]!.id = 'preventiva'), 'segments[1].id', /el identificador "preventiva" se repite/],
    ['bad slug', (segments) => (segments[1]!.id = 'Mora Temprana'), 'segments[1].id', /segmento "Temprana": segments\[1\]\.id debe ser un identificador en minúsculas/],
    [
      'treatments not summing to 100',
      (segments) =>
        (segments[2]!.strategy.treatments = [
          { id: 'a', name: 'A', role: 'champion', percent: 60 },
          { id: 'b', name: 'B', role: 'challenger', percent: 30 },
        ]),
      'segments[2].strategy.treatments',
      /segmento "Media": los porcentajes de los tratamientos suman 90; deben sumar 100/,
    ],
    [
      'two champions',
      (segments) =>
        (segments[2]!.strategy.treatments = [
          { id: 'a', name: 'A', role: 'champion', percent: 50 },
          { id: 'b', name: 'B', role: 'champion', percent: 50 },
        ]),
      'segments[2].strategy.treatments',
      /exactamente un tratamiento campeón \(hay 2\)/,
    ],
    [
      'bad channel in the timeline',
      (segments) => (segments[2]!.strategy.timeline[0]!.channel = 'fax'),
      'segments[2].strategy.timeline[0].channel',
      /segmento "Media": segments\[2\]\.strategy\.timeline\[0\]\.channel debe ser uno de: call, sms/,
    ],
  ];

  it.each(cases)('rejects %s, naming the segment and the field', (_name, mutate, field, message) => {
    const error = problemOf(withSegments(mutate));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^Estrategia inválida: /);
    expect(Object.keys(error.fields ?? {})).toContain(field);
  });
});

describe('conditionProblem', () => {
  it.each([
    [{ variable: 'score', op: 'isNull' as const }, null],
    [{ variable: 'daysPastDue', op: 'isNull' as const }, /siempre tiene valor/],
    [{ variable: 'daysPastDue', op: 'between' as const, value: [90, 30] }, /el primer valor debe ser menor o igual al segundo/],
    [{ variable: 'daysPastDue', op: 'between' as const, value: 3 }, /necesita dos valores/],
    [{ variable: 'products', op: 'includes' as const, value: ['vehicle'] }, null],
    [{ variable: 'products', op: 'includes' as const, value: ['moto'] }, /valor "moto" no válido/],
    [{ variable: 'originationDate', op: 'gte' as const, value: '2025-01-01' }, null],
    [{ variable: 'originationDate', op: 'gte' as const, value: '01/01/2025' }, /no válido/],
    [{ variable: 'disputeOpen', op: 'eq' as const, value: 'sí' }, /no válido/],
  ])('%j', (condition, expected) => {
    const problem = conditionProblem(condition);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('formulas', () => {
  it('lists the variables and functions a formula names, quoted symbols and strings apart', () => {
    expect(formulaNames(`max(daysPastDue, 1) + 'score' * 2 + (if city == "Cali and x" then 1 else 0)`)).toEqual({
      variables: ['daysPastDue', 'score', 'city'],
      functions: ['max'],
    });
  });

  it.each(['constructor', 'toString', '__proto__', 'this', 'process'])('treats %s as an unknown variable, not a way out', (name) => {
    expect(() => compileFormula(`${name} + 1`)).toThrow(FormulaError);
  });

  it('computes with the variables it is given', () => {
    expect(compileFormula('round(totalBalanceCop / 1000) + daysPastDue')({ totalBalanceCop: 12_345, daysPastDue: 40 })).toBe(52);
    expect(compileFormula('if promiseStatus == "broken" then 10 else 1')({ promiseStatus: 'broken' })).toBe(10);
  });
});
