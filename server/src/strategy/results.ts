/**
 * Results per segment and treatment, from the events already stored. Each debtor counts in its
 * current segment and treatment, with the contacts and promises made since it entered that segment
 * (`segment_assigned_at`). A champion and its challengers are so compared over the same period.
 * NOTE: a debtor who changed segment takes no earlier contacts along, because no history of
 * assignments is kept per contact.
 */
import type { SqlConnection } from '../store/sql.ts';
import type { StrategyResultRow } from './types.ts';

interface ResultRow {
  segment_id: string;
  segment_name: string | null;
  treatment_id: string | null;
  debtors: number | string;
  contacts: number | string | null;
  right_party: number | string | null;
  promises: number | string | null;
  promised_cents: number | string | null;
}

export async function strategyResults(sql: SqlConnection): Promise<StrategyResultRow[]> {
  const rows = await sql.all<ResultRow>(
    `SELECT COALESCE(d.segment_id, d.segment) AS segment_id, MAX(d.segment_name) AS segment_name, d.treatment_id,
            COUNT(*) AS debtors, SUM(COALESCE(i.contacts, 0)) AS contacts, SUM(COALESCE(i.right_party, 0)) AS right_party,
            SUM(COALESCE(p.promises, 0)) AS promises, SUM(COALESCE(p.promised_cents, 0)) AS promised_cents
     FROM debtors d
     LEFT JOIN (
       SELECT interactions.debtor_id, COUNT(*) AS contacts,
              SUM(CASE WHEN interactions.kind = 'two-way' AND persons.role IN ('debtor', 'co-obligor') THEN 1 ELSE 0 END) AS right_party
       FROM interactions
       JOIN debtors owner ON owner.id = interactions.debtor_id
       LEFT JOIN persons ON persons.id = interactions.person_id
       WHERE owner.segment_assigned_at IS NULL OR interactions.typified_at >= owner.segment_assigned_at
       GROUP BY interactions.debtor_id
     ) i ON i.debtor_id = d.id
     LEFT JOIN (
       SELECT promises.debtor_id, COUNT(*) AS promises, SUM(promises.amount_cents) AS promised_cents
       FROM promises
       JOIN debtors owner ON owner.id = promises.debtor_id
       WHERE owner.segment_assigned_at IS NULL OR promises.made_at >= owner.segment_assigned_at
       GROUP BY promises.debtor_id
     ) p ON p.debtor_id = d.id
     GROUP BY COALESCE(d.segment_id, d.segment), d.treatment_id
     ORDER BY COALESCE(d.segment_id, d.segment), d.treatment_id`,
  );
  return rows.map((row) => ({
    segmentId: row.segment_id,
    segmentName: row.segment_name ?? row.segment_id,
    treatmentId: row.treatment_id,
    debtors: Number(row.debtors),
    contacts: Number(row.contacts ?? 0),
    rightPartyContacts: Number(row.right_party ?? 0),
    promises: Number(row.promises ?? 0),
    promisedCents: Number(row.promised_cents ?? 0),
  }));
}
