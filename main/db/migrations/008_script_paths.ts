/**
 * The path the agent walked in the call script (issue #5): on the attempt while its contact is open,
 * so a restart during the call keeps it, and on the interaction once typified. Both hold JSON
 * `{ scriptId, scriptVersion, path: [{ stepId, answer }] }`; rows from before this version read as
 * no path.
 */
export const sql = /* sql */ `
ALTER TABLE attempts ADD COLUMN script_path TEXT;
ALTER TABLE interactions ADD COLUMN script_path TEXT;
`;
