import { describe, expect, it } from 'vitest';
import { findWhyNotPaidQuestion } from './why-not-paid.ts';

describe('why-not-paid questions in scripts (R11)', () => {
  it.each([
    '¿Por qué no ha pagado?',
    '¿Cuál fue el motivo del incumplimiento?',
    '¿Qué pasó que no pagó?',
    'Explíqueme la razón de su mora',
    '¿Por qué dejó de pagar?',
    '¿Por qué se atrasó con la cuota?',
    '¿Por qué motivo no canceló la cuota?',
    'Cuénteme por qué no ha cancelado',
    '¿A qué se debe el atraso en sus pagos?',
    '¿Qué le impidió pagar la cuota?',
    '¿Qué lo llevó a incumplir el acuerdo?',
    'Indíquenos la causa de su incumplimiento',
    '¿Por qué no ha podido pagar?',
    '¿Porqué no pagó?',
    '¿Por que no ha pagado?',
    'POR QUÉ NO HA PAGADO',
    '¿Cuál es la razón por la que está en mora?',
    'Queremos saber el motivo de su atraso.',
    '¿Me podría decir la razón por la cual no ha realizado el pago?',
    '¿Cómo así que no ha pagado?',
    '¿Qué sucedió para que no pagara?',
    '¿Cuáles son los motivos del no pago?',
  ])('flags "%s"', (text) => {
    expect(findWhyNotPaidQuestion(text)).not.toBeNull();
  });

  it.each([
    '¿Qué alternativa de pago le sirve?',
    '¿Cuándo podría pagar?',
    'Si lo desea, cuénteme si tiene alguna dificultad',
    '¿Por qué medio prefiere pagar?',
    '¿Por qué canal desea recibir el acuerdo?',
    'Le llamo porque su obligación presenta mora.',
    'Le escribo por que su cuenta presenta atraso.',
    'El motivo de mi llamada es su obligación en mora.',
    'La razón de la llamada es la mora de su crédito.',
    'Entiendo que se atrasó; ¿qué alternativa le sirve?',
    '¿Qué valor podría abonar para ponerse al día?',
    'Si no puede pagar completo, ¿qué abono podría hacer?',
    'Si la persona cuenta por iniciativa propia el motivo del atraso, anótelo en la observación.',
    'Su obligación tiene 30 días de mora.',
    '¿Qué pasó con su pago del mes pasado? Lo verifico con la entidad.',
    '¿Por qué no aprovecha el descuento de hoy?',
    '¿Qué fecha le queda mejor para ponerse al día con la mora?',
  ])('allows "%s"', (text) => {
    expect(findWhyNotPaidQuestion(text)).toBeNull();
  });

  it('returns the clause that asks', () => {
    expect(findWhyNotPaidQuestion('Gracias por atendernos. Cuénteme, ¿por qué no ha pagado la cuota? Tenemos opciones.')).toBe('Cuénteme, ¿por qué no ha pagado la cuota');
  });
});

describe('why-not-paid questions in form labels (R11)', () => {
  it.each(['Motivo de no pago', 'Causal de mora', 'Causa del incumplimiento', 'Razón del atraso', '¿Por qué no pagó?', 'motivo no pago', 'Explicación del impago', 'Razones de no pago'])(
    'flags "%s"',
    (label) => {
      expect(findWhyNotPaidQuestion(label, 'label')).not.toBeNull();
    },
  );

  it.each(['Observación', 'Dificultad mencionada por el titular (sin preguntar)', 'Valor prometido', 'Fecha de pago', 'Motivo de la llamada', 'Canal revocado', 'Referencia del pago'])(
    'allows "%s"',
    (label) => {
      expect(findWhyNotPaidQuestion(label, 'label')).toBeNull();
    },
  );

  it('reads a statement as a question only in a label', () => {
    expect(findWhyNotPaidQuestion('Motivo del atraso', 'script')).toBeNull();
    expect(findWhyNotPaidQuestion('Motivo del atraso', 'label')).toBe('Motivo del atraso');
  });
});
