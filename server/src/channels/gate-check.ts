/**
 * The compliance gate for one send, on the server's facts: the rule pack in force, the person's
 * role, time zones and R9 request, the authorisation of the address, the fleet-wide ledger (letters
 * and visits included), and for visits the R13 facts of the debtor's obligations.
 */
import { evaluateGate } from '@gestiona/core/compliance/gate';
import { personGateFacts } from '@gestiona/core/compliance/person-facts';
import type { GateHistoryEntry, RulePack, VisitCreditType } from '@gestiona/core/compliance/types';
import { toBogotaIso } from '@gestiona/core/format';
import { authorizedAt } from '../compliance/reevaluate.ts';
import { toKnownContactPoint, type ContactPointRow } from '../store/compliance-facts.ts';
import type { Tables } from '../store/tables.ts';
import { unrecordedFieldContacts } from './send-table.ts';
import type { SendCheck, SendRow } from './types.ts';

interface PointRow extends ContactPointRow {
  id: string;
  flagged: string | null;
}

/** Picks the person's address on the channel: the first authorised and unflagged one, else the first, which the gate then blocks (R7). */
async function pickContactPoint(tables: Tables, send: SendRow, now: Date): Promise<PointRow | null> {
  const channel = send.channel;
  if (channel === 'letter' || channel === 'visit') return null;
  const points = await tables.events.sql.all<PointRow>(
    'SELECT id, person_id, channel, address, auth_source, auth_revoked_at, flagged FROM contact_points WHERE person_id = ? AND channel = ? ORDER BY position, id',
    [send.personId, channel],
  );
  const usable = points.find((point) => point.flagged === null && authorizedAt(toKnownContactPoint(point), send.personId, channel, now.toISOString()));
  return usable ?? points[0] ?? null;
}

/** R13 facts: a credit type that allows visits and the creditor's explicit flag, on any of the debtor's obligations. */
async function visitFacts(tables: Tables, debtorId: string): Promise<{ creditType?: VisitCreditType; visitAllowedFlag?: boolean }> {
  const row = await tables.events.sql.get<{ visit_credit_type: VisitCreditType }>(
    'SELECT visit_credit_type FROM obligations WHERE debtor_id = ? AND visit_allowed = 1 AND visit_credit_type IS NOT NULL ORDER BY id LIMIT 1',
    [debtorId],
  );
  return row === undefined ? {} : { creditType: row.visit_credit_type, visitAllowedFlag: true };
}

/** Returns the person's contacts up to `now` as the gate reads them: the fleet-wide ledger, letters and visits included. */
export async function gateHistory(tables: Tables, personId: string, now: Date): Promise<GateHistoryEntry[]> {
  const history: GateHistoryEntry[] = (await tables.facts.personLedger(personId, now, [])).map((entry) => ({ at: entry.at, channel: entry.channel, kind: entry.kind }));
  for (const contact of await unrecordedFieldContacts(tables.events.sql, personId, now)) {
    history.push({ at: toBogotaIso(contact.at), channel: contact.channel, kind: 'attempt' });
  }
  return history;
}

/**
 * Runs the gate for `send` at `now`. `exemption` is the R10 claim of the template, when it makes one.
 * The person's role comes from the store; an unknown person is treated as a reference, which R8 blocks.
 */
export async function checkSend(
  tables: Tables,
  pack: RulePack,
  send: SendRow,
  now: Date,
  exemption: { reason: NonNullable<Parameters<typeof evaluateGate>[0]['exemption']>['reason']; hasCollectionContent: boolean } | null,
): Promise<SendCheck> {
  const person = await tables.facts.person(send.debtorId, send.personId, now);
  const point = await pickContactPoint(tables, send, now);

  let address: string | null;
  let authorized: boolean;
  if (send.channel === 'letter' || send.channel === 'visit') {
    const row = await tables.events.sql.get<{ postal_address: string | null }>('SELECT postal_address FROM persons WHERE id = ?', [send.personId]);
    address = row?.postal_address ?? null;
    // NOTE: a postal address from the creditor's file counts as authorised; the file carries no authorisation record for it.
    authorized = address !== null && address.trim() !== '';
  } else {
    address = point?.address ?? null;
    authorized = point !== null && point.flagged === null && authorizedAt(toKnownContactPoint(point), send.personId, send.channel, now.toISOString());
  }

  const history = await gateHistory(tables, send.personId, now);
  const knownPoint = point === null ? null : toKnownContactPoint(point);
  const decision = evaluateGate(
    {
      at: toBogotaIso(now),
      channel: send.channel,
      party: person?.role ?? 'reference',
      authorized,
      history,
      ...personGateFacts(person?.facts ?? null, knownPoint === null ? null : { timeZones: [...knownPoint.timeZones] }),
      ...(exemption === null ? {} : { exemption }),
      ...(send.channel === 'visit' ? await visitFacts(tables, send.debtorId) : {}),
    },
    pack,
  );
  return { decision, contactPointId: point?.id ?? null, address, exempt: exemption !== null && decision.allowed };
}
