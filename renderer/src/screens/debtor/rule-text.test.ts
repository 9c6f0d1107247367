import { describe, expect, it } from 'vitest';
import { withRuleId } from './rule-text.ts';

describe('withRuleId', () => {
  it.each([
    {
      case: 'a warning that names its rule',
      message: 'Quedan 5 min del horario legal (cierra a las 19:00): la gestión podría terminar fuera de horario (R1).',
      rule: 'R1',
      expected: 'Quedan 5 min del horario legal (cierra a las 19:00): la gestión podría terminar fuera de horario (R1).',
    },
    { case: 'a message without its rule', message: 'Fuera del horario legal.', rule: 'R1', expected: 'Fuera del horario legal. (R1)' },
    { case: 'a message naming another rule', message: 'Ya se contactó a esta persona hoy (R5).', rule: 'R6', expected: 'Ya se contactó a esta persona hoy (R5). (R6)' },
  ])('handles $case', ({ message, rule, expected }) => {
    expect(withRuleId(message, rule)).toBe(expected);
  });
});
