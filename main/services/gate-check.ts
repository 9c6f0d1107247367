/**
 * Builds gate requests from the local store. The gate itself is pure; this is where the trusted
 * time, the person's role and authorisation, where they live, their schedule request and the ledger
 * come together.
 */
import { evaluateGate } from '@gestiona/core/compliance/gate';
import type { GateDecision, GateRequest, RulePack } from '@gestiona/core/compliance/types';
import { personGateFacts } from '@gestiona/core/compliance/person-facts';
import type { ContactKind, ContactPoint, PartyRole, Person } from '@gestiona/core/domain';
import type { LedgerStore } from '../store/ledger.ts';
import { epochMs } from '../store/rows.ts';

/**
 * How far back the ledger is read: R6 looks at 7 rolling days, and one more day covers a contact
 * late on the first day of the window whatever the time zone arithmetic.
 */
export const HISTORY_WINDOW_MS = 8 * 24 * 60 * 60 * 1000;

/** Returns whether the point has an authorisation on file that is not revoked (rule R7: a revocation blocks at once). */
export function isAuthorized(point: ContactPoint): boolean {
  return point.authorization !== null && point.authorization.revokedAt === null;
}

export interface ContactCheck {
  atIso: string;
  point: ContactPoint;
  party: PartyRole;
  /**
   * The person the point belongs to, for where they live and their R9 schedule request. It is null
   * when the feed has removed the debtor, which leaves only the point's own zones.
   */
  person: Person | null;
  /** Counts this attempt as the given kind, for checks made while its typification is being saved. */
  assumeKind?: { attemptId: string; kind: ContactKind };
}

/** Builds the gate's input for a contact from the ledger, without evaluating it. */
export function gateRequestFor(ledger: LedgerStore, check: ContactCheck): GateRequest {
  const atMs = epochMs(check.atIso);
  const history = ledger.history(check.point.personId, atMs - HISTORY_WINDOW_MS, check.assumeKind);
  return {
    at: check.atIso,
    channel: check.point.channel,
    party: check.party,
    authorized: isAuthorized(check.point),
    history,
    ...personGateFacts(check.person, check.point),
  };
}

export function checkContact(ledger: LedgerStore, pack: RulePack, check: ContactCheck): { request: GateRequest; decision: GateDecision } {
  const request = gateRequestFor(ledger, check);
  return { request, decision: evaluateGate(request, pack) };
}
