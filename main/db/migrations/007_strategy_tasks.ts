/**
 * Strategies on the workstation: the published strategy set from the feed, each leased debtor's
 * place in it, and two caches the worklist pages from.
 *
 * `debtor_plans` and `worklist_legal_status` are derived data: main recomputes a missing row on the
 * next worklist read. Triggers delete a row whenever one of its inputs changes (a contact in the
 * ledger, a flag, a revocation, a wrap-up record, a new rule pack), so main never has to remember
 * to, and a debtor replaced by the feed loses both rows through its foreign key.
 */
export const sql = /* sql */ `
-- the strategy set in force, as the last strategy.set feed entry carried it; at most one row
CREATE TABLE strategy_set (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;

-- the debtor snapshot's strategy fields; NULL when the server sent none
CREATE TABLE debtor_strategy (
  debtor_id TEXT PRIMARY KEY REFERENCES debtors (id) ON DELETE CASCADE,
  segment_name TEXT,
  treatment_id TEXT,
  strategy_version TEXT,
  assigned_at TEXT
) STRICT;

-- the debtor's open call task of the timeline, computed for one Bogotá day
CREATE TABLE debtor_plans (
  debtor_id TEXT PRIMARY KEY REFERENCES debtors (id) ON DELETE CASCADE,
  -- Bogotá date (YYYY-MM-DD) the row was computed for; a row of another day is stale
  computed_for TEXT NOT NULL,
  -- the call activity due on or before that day and not done yet; all three NULL when none
  activity_id TEXT,
  activity_name TEXT,
  planned_date TEXT,
  -- copies of the debtor's sort keys, so that the tasks are read in worklist order from an index;
  -- a new snapshot of the debtor deletes this row through the foreign key, so they never go stale
  priority REAL NOT NULL,
  full_name TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX debtor_plans_tasks ON debtor_plans (priority DESC, full_name, debtor_id) WHERE planned_date IS NOT NULL;
CREATE INDEX debtor_plans_by_day ON debtor_plans (computed_for);

-- the worklist's legal status of each debtor, valid until valid_until_ms (epoch ms); both caches are
-- WITHOUT ROWID because every read joins them by debtor id
CREATE TABLE worklist_legal_status (
  debtor_id TEXT PRIMARY KEY REFERENCES debtors (id) ON DELETE CASCADE,
  legal_status TEXT NOT NULL CHECK (legal_status IN ('contactable', 'contacted-today', 'outside-hours', 'blocked')),
  next_allowed_ms INTEGER,
  valid_until_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX worklist_legal_status_by_expiry ON worklist_legal_status (valid_until_ms);

CREATE INDEX debtors_by_segment ON debtors (segment, priority DESC, full_name, id);
CREATE INDEX persons_by_id ON persons (id);

CREATE TRIGGER ledger_insert_clears_caches AFTER INSERT ON ledger BEGIN
  DELETE FROM worklist_legal_status WHERE debtor_id = NEW.debtor_id OR debtor_id IN (SELECT debtor_id FROM persons WHERE id = NEW.person_id);
  DELETE FROM debtor_plans WHERE debtor_id = NEW.debtor_id;
END;
CREATE TRIGGER ledger_delete_clears_caches AFTER DELETE ON ledger BEGIN
  DELETE FROM worklist_legal_status WHERE debtor_id = OLD.debtor_id OR debtor_id IN (SELECT debtor_id FROM persons WHERE id = OLD.person_id);
  DELETE FROM debtor_plans WHERE debtor_id = OLD.debtor_id;
END;
CREATE TRIGGER flag_clears_legal_status AFTER INSERT ON contact_point_flags BEGIN
  DELETE FROM worklist_legal_status WHERE debtor_id = NEW.debtor_id;
END;
CREATE TRIGGER revocation_insert_clears_legal_status AFTER INSERT ON channel_revocations BEGIN
  DELETE FROM worklist_legal_status WHERE debtor_id IN (SELECT debtor_id FROM persons WHERE id = NEW.person_id);
END;
CREATE TRIGGER revocation_update_clears_legal_status AFTER UPDATE ON channel_revocations BEGIN
  DELETE FROM worklist_legal_status WHERE debtor_id IN (SELECT debtor_id FROM persons WHERE id = NEW.person_id);
END;
-- a wrap-up record may start a promise or a collection hold, which change the plan and the legal status
CREATE TRIGGER local_record_clears_caches AFTER INSERT ON local_records BEGIN
  DELETE FROM debtor_plans WHERE debtor_id = NEW.debtor_id;
  DELETE FROM worklist_legal_status WHERE debtor_id = NEW.debtor_id;
END;
CREATE TRIGGER rule_pack_insert_clears_legal_status AFTER INSERT ON rule_pack BEGIN
  DELETE FROM worklist_legal_status;
END;
CREATE TRIGGER rule_pack_update_clears_legal_status AFTER UPDATE ON rule_pack BEGIN
  DELETE FROM worklist_legal_status;
END;
CREATE TRIGGER strategy_insert_clears_plans AFTER INSERT ON strategy_set BEGIN
  DELETE FROM debtor_plans;
END;
CREATE TRIGGER strategy_update_clears_plans AFTER UPDATE ON strategy_set BEGIN
  DELETE FROM debtor_plans;
END;
CREATE TRIGGER debtor_strategy_clears_plan AFTER INSERT ON debtor_strategy BEGIN
  DELETE FROM debtor_plans WHERE debtor_id = NEW.debtor_id;
END;
`;
