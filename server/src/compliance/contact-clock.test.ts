import { describe, expect, it } from 'vitest';
import type { ContactEvent } from '@gestiona/core/sync';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { clockAlarmMessage, contactClockProblems, type ClockProblem } from './contact-clock.ts';

const RECEIVED = new Date('2026-12-04T10:00:00-05:00');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const target: EventTarget = { agentId: 'u-1', workstationId: 'ws-1', debtorId: 'CC-1', personId: 'CC-1', contactPointId: 'CC-1/celular', seq: 1, at: RECEIVED.toISOString() };

/** Offsets in ms from the receipt. */
function interactionAt(occurred: number, dialed: number, typified: number): ContactEvent {
  const event = interactionEvent({ ...target, at: new Date(RECEIVED.getTime() + occurred).toISOString() });
  if (event.type !== 'interaction.recorded') throw new Error('expected an interaction');
  const at = (offset: number) => new Date(RECEIVED.getTime() + offset).toISOString();
  return { ...event, payload: { ...event.payload, dialedAt: at(dialed), typifiedAt: at(typified), localTypifiedAt: at(typified) } };
}

function decisionAt(occurred: number, trusted: number): ContactEvent {
  const event = decisionEvent({ ...target, at: new Date(RECEIVED.getTime() + occurred).toISOString() });
  if (event.type !== 'decision.recorded') throw new Error('expected a decision');
  return { ...event, payload: { ...event.payload, trustedAt: new Date(RECEIVED.getTime() + trusted).toISOString() } };
}

const kinds = (problems: readonly ClockProblem[]) => problems.map((problem) => ('field' in problem ? `${problem.kind}:${problem.field}` : problem.kind));

describe('contactClockProblems', () => {
  const cases: Array<[string, ContactEvent, string[]]> = [
    ['a plausible interaction', interactionAt(-MINUTE, -3 * MINUTE, -MINUTE), []],
    ['instants 5 minutes after receipt', interactionAt(5 * MINUTE, 5 * MINUTE, 5 * MINUTE), []],
    ['a typification one second past the tolerance', interactionAt(0, 0, 5 * MINUTE + 1000), ['after-receipt:typifiedAt', 'far-from-occurred:typifiedAt']],
    ['dial and typification 3 days ahead', interactionAt(0, 3 * DAY, 3 * DAY), ['after-receipt:dialedAt', 'after-receipt:typifiedAt', 'far-from-occurred:typifiedAt']],
    ['the whole event 3 days ahead', interactionAt(3 * DAY, 3 * DAY, 3 * DAY), ['after-receipt:occurredAt', 'after-receipt:dialedAt', 'after-receipt:typifiedAt']],
    ['a wrap-up left open overnight', interactionAt(0, -20 * HOUR, 0), []],
    ['a dial two days before its typification', interactionAt(0, -2 * DAY, 0), ['far-from-occurred:dialedAt']],
    ['a typification before its dial', interactionAt(-20 * MINUTE, -10 * MINUTE, -20 * MINUTE), ['typified-before-dialed']],
    ['an event sent days after it happened', interactionAt(-3 * DAY, -3 * DAY - MINUTE, -3 * DAY), []],
    ['a plausible decision', decisionAt(-MINUTE, -MINUTE), []],
    ['a decision 2 days ahead', decisionAt(2 * DAY, 2 * DAY), ['after-receipt:occurredAt', 'after-receipt:trustedAt']],
    ['a decision far from its event time', decisionAt(0, -HOUR), ['far-from-occurred:trustedAt']],
  ];
  it.each(cases)('%s', (_case, event, expected) => {
    expect(kinds(contactClockProblems(event, RECEIVED))).toEqual(expected);
  });
});

describe('clockAlarmMessage', () => {
  it('names the event, agent and instants in Bogotá', () => {
    const event = interactionAt(0, -10 * MINUTE, -20 * MINUTE);
    const message = clockAlarmMessage({ event, agentName: 'Ana María Peña', receivedAt: RECEIVED, countedAt: new Date(RECEIVED.getTime() - 10 * MINUTE).toISOString() }, contactClockProblems(event, RECEIVED));
    expect(message).toBe(
      `La estación ws-1 (agente Ana María Peña) envió la gestión ${event.id} del deudor CC-1 con horas imposibles: ` +
        'la tipificación (04/12/2026 09:40:00) difiere en más de 5 minutos de la hora del evento (04/12/2026 10:00:00); ' +
        'la tipificación (04/12/2026 09:40:00) es anterior a la marcación (04/12/2026 09:50:00). ' +
        'El contacto quedó guardado y cuenta en el historial del deudor el 04/12/2026 09:50:00. El reloj de la estación no es confiable. Revise la estación.',
    );
  });
});
