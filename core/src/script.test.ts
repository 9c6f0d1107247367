import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkScript,
  edgesOf,
  followPath,
  greetingForHour,
  isDebtStep,
  joinSpanishList,
  renderScriptText,
  scriptSchema,
  scriptValues,
  STEP_KINDS,
  type Script,
  type ScriptPathEntry,
  type ScriptStep,
} from './script.ts';

const SCRIPTS_DIR = new URL('../../resources/scripts/', import.meta.url);

const SHIPPED_SCRIPTS = readdirSync(SCRIPTS_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => scriptSchema.parse(JSON.parse(readFileSync(new URL(name, SCRIPTS_DIR), 'utf8'))));

const CLOSING_TEXT =
  'Avisos: pague solo por los canales oficiales de {{entidad}}. Sus datos se tratan según la Ley 1581 de 2012. Solo lo contactaremos en los horarios que permite la Ley 2300 de 2023.';
const CLOSING: ScriptStep = {
  id: 'cierre',
  kind: 'closing',
  title: 'Cierre',
  text: CLOSING_TEXT,
  disclosures: ['canales-oficiales', 'datos-personales', 'horarios-contacto'],
};

/** A linear script (no answers), as the scripts were before branching. */
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
      CLOSING,
    ],
  };
}

/** A branching script: the identity check splits into the debtor's path and a third party's closing. */
function branching(): Script {
  return {
    id: 'rama',
    version: '1',
    name: 'Con ramas',
    steps: [
      { id: 'saludo', kind: 'greeting', title: 'Saludo', text: '{{saludo}}, ¿hablo con {{nombre}}?' },
      {
        id: 'verificacion',
        kind: 'identity-check',
        title: 'Verificación',
        text: '¿Me confirma su fecha de nacimiento?',
        answers: [
          { id: 'si', label: 'Confirma', next: 'motivo', confirmsIdentity: true },
          { id: 'no', label: 'No es el titular', next: 'cierre-tercero' },
        ],
      },
      { id: 'motivo', kind: 'reason', title: 'Motivo', text: 'Le llamo de {{entidad}} por un saldo de {{saldo_total}}.' },
      {
        id: 'oferta',
        kind: 'negotiation',
        title: 'Oferta',
        text: '¿Qué fecha le queda bien para pagar?',
        answers: [
          { id: 'acepta', label: 'Acepta', next: 'cierre' },
          { id: 'sin-dinero', label: 'No tiene el dinero', next: 'objecion' },
        ],
      },
      {
        id: 'objecion',
        kind: 'objection',
        title: 'Sin dinero',
        text: '¿Qué valor podría abonar?',
        answers: [
          { id: 'volver', label: 'Volver a la oferta', next: 'oferta' },
          { id: 'acepta', label: 'Acepta', next: 'cierre' },
        ],
      },
      CLOSING,
      {
        id: 'cierre-tercero',
        kind: 'closing',
        title: 'Cierre con tercero',
        text: 'Que {{primer_nombre}} se comunique con Gestiona. Sus datos se tratan según la Ley 1581 de 2012.',
        disclosures: ['datos-personales'],
      },
    ],
  };
}

function edit(script: Script, stepId: string, change: Partial<ScriptStep>): Script {
  return { ...script, steps: script.steps.map((step) => (step.id === stepId ? { ...step, ...change } : step)) };
}

describe('checkScript', () => {
  it('accepts every shipped script', () => {
    expect(SHIPPED_SCRIPTS.length).toBeGreaterThan(0);
    for (const script of SHIPPED_SCRIPTS) expect(checkScript(script), script.id).toEqual([]);
  });

  it('accepts a linear script and a branching one', () => {
    expect(checkScript(scriptWith('¿Cuándo podría pagar?'))).toEqual([]);
    expect(checkScript(branching())).toEqual([]);
  });

  it('parses a script without segment, answers or notices', () => {
    const { segment: _segment, ...rest } = scriptWith('¿Cuándo podría pagar?');
    expect(scriptSchema.safeParse(rest).success).toBe(true);
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
    const script = edit(scriptWith('¿Cuándo podría pagar?'), 'saludo', { text: 'Buenos días, su saldo es {{saldo_total}}.' });

    expect(checkScript(script)).toEqual([
      { stepId: 'saludo', message: 'Paso "Saludo": {{saldo_total}} revela la deuda antes de verificar la identidad (R12).', rule: 'R12' },
    ]);
  });

  // Each bad script: the step named, a fragment of the message, the rule when there is one.
  const BAD: [string, () => Script, string, string, string | undefined][] = [
    ['unknown variable', () => edit(branching(), 'oferta', { text: 'Pague {{cuota_minima}} hoy.' }), 'oferta', 'variable desconocida {{cuota_minima}}', undefined],
    ['malformed variable', () => edit(branching(), 'oferta', { text: 'Pague {{ Saldo }} hoy.' }), 'oferta', 'variable mal escrita "{{ Saldo }}"', undefined],
    // Names every object inherits must not pass for variables.
    ['inherited name constructor', () => edit(branching(), 'oferta', { text: 'Hola {{constructor}}.' }), 'oferta', 'variable desconocida {{constructor}}', undefined],
    ['inherited name __proto__', () => edit(branching(), 'oferta', { text: 'Hola {{__proto__}}.' }), 'oferta', 'variable desconocida {{__proto__}}', undefined],
    ['inherited name valueOf', () => edit(branching(), 'oferta', { text: 'Hola {{valueOf}}.' }), 'oferta', 'variable mal escrita "{{valueOf}}"', undefined],
    [
      'unreachable step',
      () => ({ ...branching(), steps: [...branching().steps, { id: 'suelto', kind: 'objection', title: 'Suelto', text: 'Entiendo.', next: 'cierre' }] }),
      'suelto',
      'no se llega a este paso desde el primero',
      undefined,
    ],
    [
      'answer to an unknown step',
      () => edit(branching(), 'oferta', { answers: [{ id: 'acepta', label: 'Acepta', next: 'cierre-final' }] }),
      'oferta',
      'la respuesta "Acepta" lleva al paso "cierre-final", que no existe',
      undefined,
    ],
    [
      'debt reachable through the third-party answer',
      () => edit(branching(), 'verificacion', {
        answers: [
          { id: 'si', label: 'Confirma', next: 'motivo', confirmsIdentity: true },
          { id: 'no', label: 'No es el titular', next: 'oferta' },
        ],
      }),
      'oferta',
      'se puede leer sin haber confirmado la identidad (R12)',
      'R12',
    ],
    [
      'a jump from the greeting past the check',
      () => edit(branching(), 'saludo', { next: 'motivo' }),
      'motivo',
      '{{entidad}} revela la deuda antes de verificar la identidad (R12)',
      'R12',
    ],
    [
      'identity answers without a confirming one',
      () => edit(branching(), 'verificacion', { answers: [{ id: 'no', label: 'No es el titular', next: 'cierre-tercero' }] }),
      'verificacion',
      'ninguna respuesta confirma la identidad',
      undefined,
    ],
    [
      'confirmation outside the identity check',
      () => edit(branching(), 'oferta', { answers: [{ id: 'acepta', label: 'Acepta', next: 'cierre', confirmsIdentity: true }] }),
      'oferta',
      'solo un paso de verificación de identidad puede hacerlo',
      undefined,
    ],
    ['why-not-paid question', () => edit(branching(), 'objecion', { text: '¿Por qué no ha pagado?' }), 'objecion', 'no se puede preguntar por qué no pagó', 'R11'],
    [
      'why-not-paid in an answer label',
      () => edit(branching(), 'oferta', { answers: [{ id: 'acepta', label: 'Acepta', next: 'cierre' }, { id: 'motivo', label: '¿Por qué no pagó?', next: 'objecion' }] }),
      'oferta',
      'no se puede preguntar por qué no pagó',
      'R11',
    ],
    ['missing notice', () => edit(branching(), 'cierre', { disclosures: ['canales-oficiales', 'datos-personales'] }), 'cierre', 'le falta el aviso obligatorio "Horarios y canales', undefined],
    ['declared notice not said', () => edit(branching(), 'cierre', { text: 'Gracias por su tiempo.' }), 'cierre', 'declara el aviso "Pagar solo por los canales oficiales de la entidad", pero su texto no lo dice', undefined],
    [
      'debt notice on a closing a third party hears',
      () => edit(branching(), 'cierre-tercero', {
        text: 'Pague por los canales oficiales. Ley 1581 de 2012.',
        disclosures: ['canales-oficiales', 'datos-personales'],
      }),
      'cierre-tercero',
      'un tercero puede llegar a este cierre',
      'R12',
    ],
    [
      'loop that never reaches a closing',
      () =>
        edit(edit(branching(), 'objecion', { answers: [{ id: 'volver', label: 'Volver a la oferta', next: 'oferta' }] }), 'oferta', {
          answers: [{ id: 'sin-dinero', label: 'No tiene el dinero', next: 'objecion' }],
        }),
      'objecion',
      'ningún camino llega a un cierre',
      undefined,
    ],
    [
      'path that ends without a closing',
      () => ({ ...branching(), steps: [...branching().steps.slice(0, 4), { id: 'objecion', kind: 'objection', title: 'Sin dinero', text: '¿Qué valor podría abonar?' }] }),
      'objecion',
      'la llamada termina aquí sin pasar por un cierre',
      undefined,
    ],
    ['unmarked credit-report mention', () => edit(branching(), 'oferta', { text: 'Puede ser reportado a las centrales de riesgo.' }), 'oferta', 'sin estar marcado con "announces"', 'R14'],
    ['next to itself', () => edit(branching(), 'motivo', { next: 'motivo' }), 'motivo', 'el paso siguiente es el mismo paso', undefined],
  ];

  it.each(BAD)('names the step and the text for %s', (_name, make, stepId, fragment, rule) => {
    const problems = checkScript(make());
    const problem = problems.find((candidate) => candidate.stepId === stepId && candidate.message.includes(fragment));
    expect(problem, JSON.stringify(problems, null, 1)).toBeDefined();
    expect(problem?.rule).toBe(rule);
    expect(problem?.message.startsWith('Paso "')).toBe(true);
  });

  it('reports a script without identity check or closing', () => {
    const problems = checkScript({ id: 'x', version: '1', name: 'X', steps: [{ id: 'a', kind: 'greeting', title: 'A', text: 'Hola' }] });
    expect(problems.map((problem) => problem.message)).toEqual(
      expect.arrayContaining(['El guion no tiene paso de verificación de identidad (R12).', 'El guion no tiene paso de cierre con los avisos obligatorios.']),
    );
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
    const script = edit(scriptWith('Si no paga, {{entidad}} puede reportarla a las centrales de riesgo.'), 'negociacion', { announces: 'credit-report' });
    expect(checkScript(script)).toEqual([]);
  });

  it('rejects a marked step before the identity check', () => {
    const problems = checkScript(edit(scriptWith('¿Cuándo podría pagar?'), 'saludo', { announces: 'credit-report' }));
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

describe('the script graph', () => {
  it('walks a linear script in list order, the identity step confirming', () => {
    const script = scriptWith('¿Cuándo podría pagar?');
    expect(edgesOf(script, 'saludo')).toEqual([{ answer: null, label: 'Siguiente', to: 'verificacion', confirms: false }]);
    expect(edgesOf(script, 'verificacion')).toEqual([{ answer: null, label: 'Identidad confirmada', to: 'negociacion', confirms: true }]);
    expect(edgesOf(script, 'cierre')).toEqual([]);
  });

  it.each<[string, ScriptPathEntry[], ReturnType<typeof followPath>]>([
    ['empty path', [], { ok: true, at: 'saludo', identityConfirmed: false }],
    [
      'debtor path',
      [
        { stepId: 'saludo', answer: null },
        { stepId: 'verificacion', answer: 'si' },
        { stepId: 'motivo', answer: null },
        { stepId: 'oferta', answer: 'sin-dinero' },
        { stepId: 'objecion', answer: 'volver' },
      ],
      { ok: true, at: 'oferta', identityConfirmed: true },
    ],
    ['third party', [{ stepId: 'saludo', answer: null }, { stepId: 'verificacion', answer: 'no' }], { ok: true, at: 'cierre-tercero', identityConfirmed: false }],
    ['forged jump', [{ stepId: 'saludo', answer: null }, { stepId: 'oferta', answer: 'acepta' }], { ok: false, message: 'El recorrido no sigue el guion: se esperaba el paso "verificacion" y llegó "oferta".' }],
    ['unknown answer', [{ stepId: 'saludo', answer: 'si' }], { ok: false, message: 'El paso "saludo" no tiene la respuesta "si".' }],
  ])('follows the %s', (_name, path, expected) => {
    expect(followPath(branching(), path)).toEqual(expected);
  });
});

/** Random script graphs: an identity check somewhere, answers and `next` pointing anywhere. */
const randomScript = fc
  .record({
    size: fc.integer({ min: 3, max: 9 }),
    seed: fc.array(
      fc.record({
        kind: fc.constantFrom(...STEP_KINDS),
        debtVariable: fc.boolean(),
        announces: fc.boolean(),
        answers: fc.array(fc.record({ to: fc.nat(), confirms: fc.boolean() }), { maxLength: 3 }),
        next: fc.option(fc.nat(), { nil: undefined }),
      }),
      { minLength: 9, maxLength: 9 },
    ),
    identityAt: fc.nat(),
  })
  .map(({ size, seed, identityAt }): Script => {
    const ids = Array.from({ length: size }, (_, index) => `p${index}`);
    const steps = ids.map((id, index): ScriptStep => {
      const spec = seed[index]!;
      const kind = index === identityAt % size ? 'identity-check' : spec.kind === 'identity-check' ? 'greeting' : spec.kind;
      return {
        id,
        kind,
        title: id,
        text: spec.debtVariable ? 'Saldo {{saldo_total}}.' : 'Hola.',
        ...(spec.announces && kind !== 'closing' ? { announces: 'credit-report' as const } : {}),
        ...(spec.answers.length > 0
          ? { answers: spec.answers.map((answer, n) => ({ id: `r${n}`, label: `R${n}`, next: ids[answer.to % size]!, confirmsIdentity: answer.confirms })) }
          : spec.next !== undefined
            ? { next: ids[spec.next % size]! }
            : {}),
      };
    });
    return { id: 'azar', version: '1', name: 'Azar', steps };
  });

/** Independent oracle: states (step, confirmed) explored from the start; a debt step in an unconfirmed state breaks R12. */
function stepsHeardUnconfirmed(script: Script): Set<string> {
  const byId = new Map(script.steps.map((step) => [step.id, step]));
  const seen = new Set<string>();
  const heard = new Set<string>();
  const stack: [string, boolean][] = [[script.steps[0]!.id, false]];
  while (stack.length > 0) {
    const [id, confirmed] = stack.pop()!;
    const key = `${id}:${confirmed}`;
    if (seen.has(key) || !byId.has(id)) continue;
    seen.add(key);
    if (!confirmed) heard.add(id);
    for (const edge of edgesOf(script, id)) stack.push([edge.to, confirmed || edge.confirms]);
  }
  return new Set([...heard].filter((id) => isDebtStep(byId.get(id)!)));
}

describe('the identity path rule (property)', () => {
  it('reports R12 exactly on the debt steps some path reaches before the identity is confirmed', () => {
    fc.assert(
      fc.property(randomScript, (script) => {
        const reported = new Set(
          checkScript(script)
            .filter((problem) => problem.rule === 'R12' && !problem.message.includes('un tercero puede llegar a este cierre'))
            .map((problem) => problem.stepId),
        );
        expect(reported).toEqual(stepsHeardUnconfirmed(script));
      }),
      { numRuns: 400 },
    );
  });

  it('on a script without R12 problems, every walk reaches debt steps only after the confirming answer', () => {
    fc.assert(
      fc.property(randomScript, fc.array(fc.nat(), { maxLength: 30 }), (script, choices) => {
        fc.pre(!checkScript(script).some((problem) => problem.rule === 'R12'));
        const path: ScriptPathEntry[] = [];
        let at = script.steps[0]!.id;
        let confirmed = false;
        for (const choice of choices) {
          const edges = edgesOf(script, at).filter((edge) => script.steps.some((step) => step.id === edge.to));
          if (edges.length === 0) break;
          const edge = edges[choice % edges.length]!;
          path.push({ stepId: at, answer: edge.answer });
          confirmed ||= edge.confirms;
          at = edge.to;
          if (isDebtStep(script.steps.find((step) => step.id === at)!)) expect(confirmed).toBe(true);
        }
        expect(followPath(script, path)).toEqual({ ok: true, at, identityConfirmed: confirmed });
      }),
      { numRuns: 400 },
    );
  });
});

describe('script variables', () => {
  const obligations = [
    { creditor: 'Banco Andino', number: '4556001234', product: 'credit-card', balanceCents: 123_456_700, overdueCents: 20_000_000, daysPastDue: 45, dueDate: '2026-11-20' },
    { creditor: 'Coopcrédito', number: '889900', product: 'payroll-loan', balanceCents: 50_000_000, overdueCents: 0, daysPastDue: -3, dueDate: '2026-12-08' },
  ];

  it('formats amounts in COP and dates as dd/mm/aaaa', () => {
    const values = scriptValues({ fullName: 'Ana María Pérez', agentName: 'Luis', bogotaHour: 9, todayIso: '2026-12-05', obligations });
    expect(values).toEqual({
      saludo: 'Buenos días',
      nombre: 'Ana María Pérez',
      primer_nombre: 'Ana',
      agente: 'Luis',
      fecha_hoy: '05/12/2026',
      entidad: 'Banco Andino y Coopcrédito',
      saldo_total: expect.stringMatching(/^\$\s1\.734\.567$/),
      valor_vencido: expect.stringMatching(/^\$\s200\.000$/),
      dias_mora: '45',
      numero_obligaciones: '2',
      productos: expect.stringMatching(
        /^tarjeta de crédito de Banco Andino \(número terminado en 1234\), saldo \$\s1\.234\.567 y libranza de Coopcrédito \(número terminado en 9900\), saldo \$\s500\.000$/,
      ),
      proxima_fecha_pago: '08/12/2026',
      fecha_vencimiento_mas_antigua: '20/11/2026',
    });
  });

  it('says when no due date is known', () => {
    const values = scriptValues({ fullName: 'Ana', agentName: 'Luis', bogotaHour: 20, todayIso: '2026-12-05', obligations: [{ ...obligations[0]!, dueDate: null }] });
    expect([values.proxima_fecha_pago, values.fecha_vencimiento_mas_antigua, values.saludo]).toEqual(['sin fecha registrada', 'sin fecha registrada', 'Buenas noches']);
  });
});

describe('renderScriptText', () => {
  it.each([
    { case: 'a known variable', text: 'Hola {{nombre}}.', expected: 'Hola Ana.' },
    { case: 'a known variable without value', text: 'Saldo {{saldo_total}}.', expected: 'Saldo [saldo_total].' },
    { case: 'an unknown variable', text: 'Cuota {{cuota}}.', expected: 'Cuota [cuota].' },
    { case: 'an inherited name', text: '{{constructor}} {{__proto__}} {{hasOwnProperty}}', expected: '[constructor] [__proto__] {{hasOwnProperty}}' },
  ])('renders $case', ({ text, expected }) => {
    expect(renderScriptText(text, { nombre: 'Ana' })).toBe(expected);
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
