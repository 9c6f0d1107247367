/**
 * Where each person lives and the hours they asked for (R9), and the country of a foreign phone
 * number, as the feed carries them. Rows from before this version read as a person in Colombia
 * without a request, which is what their snapshots said, until the next `debtor.upsert` brings the
 * new fields.
 */
export const sql = /* sql */ `
-- ISO 3166-1 alpha-2 code; NULL for Colombia or unknown
ALTER TABLE persons ADD COLUMN residence_country TEXT;
-- JSON array of IANA zone names; NULL when the person lives in Colombia
ALTER TABLE persons ADD COLUMN time_zones TEXT;
-- JSON object of the person's current R9 request, valid or not; NULL when none was received
ALTER TABLE persons ADD COLUMN schedule_request TEXT;
ALTER TABLE contact_points ADD COLUMN country TEXT;
ALTER TABLE contact_points ADD COLUMN time_zones TEXT;
`;
