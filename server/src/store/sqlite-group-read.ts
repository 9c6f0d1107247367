/**
 * The group read of group ingest (`pg/group-reads.ts`) on SQLite.
 *
 * On SQLite a statement is a call inside the process, not a round trip, but each one still costs a
 * few microseconds, and event by event the re-evaluation ran about seven of them. Here each kind of
 * lookup runs once for the whole group, with the group's ids passed as one JSON array of strings,
 * and returns the rows the PostgreSQL read returns. Each query repeats the per-event statement it
 * replaces (`compliance-facts.ts`, `decision-links.ts`, `rule-packs.ts`, `content.ts`): keep them
 * alike. The property test in `pg/group-reads.test.ts` compares the two paths on both stores.
 *
 * The duplicate, lease and id checks stay one statement per event (`EventsTable.ingestFacts`):
 * they take several values per event, and reading those out of JSON objects cost SQLite about four
 * times what the per-event statement costs.
 */
import type { GroupReadRow, PersonReadRow, ReadInput } from './pg/group-reads.ts';
import type { ContactPointRow } from './compliance-facts.ts';
import type { LinkRow } from './decision-links.ts';
import type { LedgerRow } from './events.ts';
import type { SqlConnection } from './sql.ts';

const PERSONS_SQL = `SELECT p.id, p.debtor_id, p.role, p.full_name, p.doc_type, p.doc_number, p.time_zone, p.residence_country,
  EXISTS (SELECT 1 FROM schedule_requests s WHERE s.doc_type = p.doc_type AND s.doc_number = p.doc_number) AS has_requests
FROM persons p WHERE p.id IN (SELECT value FROM json_each(?))`;

const CONTACT_POINTS_SQL = `SELECT id, person_id, channel, address, auth_source, auth_revoked_at FROM contact_points
WHERE id IN (SELECT value FROM json_each(?))`;

const LEDGER_SQL = `SELECT id, debtor_id, person_id, channel, kind, at FROM ledger
WHERE person_id IN (SELECT value FROM json_each(?)) AND at <= ? ORDER BY person_id, at, id`;

const DECISION_CONTACTS_SQL = 'SELECT decision_id, id FROM interactions WHERE decision_id IN (SELECT value FROM json_each(?))';

const HEAD_SQL = 'SELECT * FROM decision_links WHERE workstation_id = ? ORDER BY chain_index DESC, workstation_seq DESC LIMIT 1';

const distinct = (values: ReadonlyArray<string | null>): string[] => [...new Set(values.filter((value): value is string => value !== null))];

/** Reads what the group's events check and re-evaluate, in the shape of the PostgreSQL read. */
export async function readGroupOnSqlite(sql: SqlConnection, inputs: readonly ReadInput[]): Promise<GroupReadRow> {
  const decisionInputs = inputs.filter((input) => input.decision_id !== null);
  const latestUntil = inputs.reduce((latest, input) => (input.until_at > latest ? input.until_at : latest), '');

  const persons = await sql.all<Omit<PersonReadRow, 'has_requests'> & { has_requests: number }>(PERSONS_SQL, [JSON.stringify(distinct(inputs.map((input) => input.person_id)))]);
  const contactPoints = await sql.all<ContactPointRow & { id: string }>(CONTACT_POINTS_SQL, [JSON.stringify(distinct(inputs.map((input) => input.contact_point_id)))]);
  const ledger = await sql.all<LedgerRow>(LEDGER_SQL, [JSON.stringify(distinct(inputs.map((input) => input.person_id))), latestUntil]);
  const decisionContacts = await sql.all<{ decision_id: string; id: string }>(DECISION_CONTACTS_SQL, [
    JSON.stringify(distinct(decisionInputs.map((input) => input.decision_id))),
  ]);
  const heads: LinkRow[] = [];
  for (const workstationId of distinct(decisionInputs.map((input) => input.workstation_id))) {
    const head = await sql.get<LinkRow>(HEAD_SQL, [workstationId]);
    if (head !== undefined) heads.push(head);
  }
  const packs = await sql.all<{ id: number; published_at: string }>('SELECT id, published_at FROM rule_packs');
  const hashes = await sql.all<{ key: string; sha256: string }>('SELECT key, sha256 FROM published_content');

  return {
    // Left to `EventsTable.ingestFacts` per event (see the header).
    facts: null,
    persons: persons.map((person) => ({ ...person, has_requests: person.has_requests === 1 })),
    contact_points: contactPoints,
    ledger,
    decision_contacts: decisionContacts,
    heads,
    packs,
    hashes: Object.fromEntries(hashes.map((row) => [row.key, row.sha256])),
  };
}
