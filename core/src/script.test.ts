import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkScript, greetingForHour, joinSpanishList, scriptSchema, type Script } from './script.ts';

const SCRIPTS_DIR = new URL('../../resources/scripts/', import.meta.url);

const SHIPPED_SCRIPTS = readdirSync(SCRIPTS_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => scriptSchema.parse(JSON.parse(readFileSync(new URL(name, SCRIPTS_DIR), 'utf8'))));

function scriptWith(text: string): Script {
  return {
    id: 'prueba',
    version: '1',
    name: 'Prueba',
    segment: 'temprana',
    steps: [
      { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Buenos días, ¿hablo con {{nombre}}?' },
      { id: 'verificacion', kind: 'identity-check', title: 'Verificación', text: '¿Me confirma su fecha de nacimiento?' },
      { id: 'negociacion', kind: 'negotiation', title: 'Negociación', text },
    ],
  };
}

describe('checkScript', () => {
  it('accepts every shipped script', () => {
    expect(SHIPPED_SCRIPTS.length).toBeGreaterThan(0);
    for (const script of SHIPPED_SCRIPTS) expect(checkScript(script), script.id).toEqual([]);
  });

  it.each(['¿Por qué no ha pagado?', '¿Cuál fue el motivo del incumplimiento?', '¿Qué pasó que no pagó?', 'Explíqueme la razón de su mora'])('flags "%s" under R11', (text) => {
    const problems = checkScript(scriptWith(`Gracias. ${text} Tenemos opciones para usted.`));

    expect(problems).toHaveLength(1);
    expect(problems[0]?.rule).toBe('R11');
    expect(problems[0]?.stepId).toBe('negociacion');
    expect(problems[0]?.message).toMatch(/^Paso "Negociación": no se puede preguntar por qué no pagó \(".+"\); pregunte por alternativas de pago \(R11\)\.$/);
  });

  it.each(['¿Qué alternativa de pago le sirve?', '¿Cuándo podría pagar?', 'Si lo desea, cuénteme si tiene alguna dificultad.'])('allows "%s"', (text) => {
    expect(checkScript(scriptWith(text))).toEqual([]);
  });

  it('names R12 for a debt shown before the identity check', () => {
    const script = scriptWith('¿Cuándo podría pagar?');
    script.steps[0] = { ...script.steps[0]!, text: 'Buenos días, su saldo es {{saldo_total}}.' };

    expect(checkScript(script)).toEqual([
      { stepId: 'saludo', message: 'Paso "Saludo": {{saldo_total}} revela la deuda antes de verificar la identidad (R12).', rule: 'R12' },
    ]);
  });
});

describe('checkScript credit-report steps (R14)', () => {
  it('names an unmarked step that mentions the bureaus', () => {
    const problems = checkScript(scriptWith('Si no paga, {{entidad}} puede reportarla a las centrales de riesgo.'));

    expect(problems).toHaveLength(1);
    expect(problems[0]?.rule).toBe('R14');
    expect(problems[0]?.stepId).toBe('negociacion');
    expect(problems[0]?.message).toContain('Paso "Negociación"');
    expect(problems[0]?.message).toContain('("centrales de riesgo")');
    expect(problems[0]?.message).toContain('"announces": "credit-report"');
  });

  it('accepts the same text in a marked step', () => {
    const script = scriptWith('Si no paga, {{entidad}} puede reportarla a las centrales de riesgo.');
    script.steps[2] = { ...script.steps[2]!, announces: 'credit-report' };

    expect(checkScript(script)).toEqual([]);
  });

  it('rejects a marked step before the identity check', () => {
    const script = scriptWith('¿Cuándo podría pagar?');
    script.steps[0] = { ...script.steps[0]!, announces: 'credit-report' };

    const problems = checkScript(script);
    expect(problems.map((problem) => problem.rule)).toEqual(['R12']);
    expect(problems[0]?.stepId).toBe('saludo');
  });

  it('rejects an unknown announcement in the schema', () => {
    const script = { ...scriptWith('Hola'), steps: [{ id: 'a', kind: 'greeting', title: 'A', text: 'Hola', announces: 'lawsuit' }] };
    expect(scriptSchema.safeParse(script).success).toBe(false);
  });

  it('marks only the report step of the shipped late-stage script', () => {
    const late = SHIPPED_SCRIPTS.find((script) => script.segment === 'tardia');
    const marked = late?.steps.filter((step) => step.announces === 'credit-report').map((step) => step.id);
    expect(marked).toEqual(['reporte']);
  });
});

describe('script wording helpers', () => {
  it.each([
    [0, 'Buenos días'],
    [11, 'Buenos días'],
    [12, 'Buenas tardes'],
    [18, 'Buenas tardes'],
    [19, 'Buenas noches'],
  ])('greets at %i h with %s', (hour, greeting) => {
    expect(greetingForHour(hour)).toBe(greeting);
  });

  it.each([
    [[], ''],
    [['Banco A'], 'Banco A'],
    [['Banco A', 'Banco B'], 'Banco A y Banco B'],
    [['A', 'B', 'C'], 'A, B y C'],
  ])('joins %j as %s', (items, text) => {
    expect(joinSpanishList(items)).toBe(text);
  });
});
