/**
 * The gate request's facts about a person: where they are and which hours they asked for, taken from
 * the debtor file as the feed carries it. The workstation and the server both build their requests
 * with this, so that they decide the same contact the same way.
 */
import type { ContactPoint, Person, PersonScheduleRequest } from '../domain.ts';
import type { GateRequest, ScheduleRequest } from './types.ts';

export type PersonGateFacts = Pick<GateRequest, 'personTimeZones' | 'scheduleRequest'>;

/**
 * Returns the zones of the person and of the contact point together, and the person's schedule
 * request. A person who lives in Madrid is in Madrid whichever number is dialed, and a foreign number
 * rings in its own country even when its owner lives in Colombia. A request with no foreign zone and
 * no schedule request gets neither field, so it reads as it did before these facts existed.
 */
export function personGateFacts(person: Pick<Person, 'timeZones' | 'scheduleRequest'> | null, point: Pick<ContactPoint, 'timeZones'> | null): PersonGateFacts {
  const zones = [...new Set([...(person?.timeZones ?? []), ...(point?.timeZones ?? [])])];
  const stored = person?.scheduleRequest ?? null;
  return {
    ...(zones.length === 0 ? {} : { personTimeZones: zones }),
    ...(stored === null ? {} : { scheduleRequest: toScheduleRequest(stored) }),
  };
}

/** Converts a stored request to the gate's shape: what the person asked for, without when the server received it. */
export function toScheduleRequest(stored: PersonScheduleRequest): ScheduleRequest {
  return {
    window: stored.window.map((window) => ({ days: [...window.days], from: window.from, to: window.to })),
    requestedOn: stored.requestedOn,
    contractSignedOn: stored.contractSignedOn,
    evidence: stored.evidence,
    consumerInitiated: stored.consumerInitiated,
  };
}
