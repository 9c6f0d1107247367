/** The latest typification catalog, scripts and rule pack delivered by the change feed. */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { catalogSchema, type Catalog } from '@gestiona/core/catalog';
import { rulePackSchema, type RulePack } from '@gestiona/core/compliance/types';
import { scriptSchema, type Script } from '@gestiona/core/script';
import { parseJsonColumn } from './rows.ts';

export class ReferenceDataStore {
  private readonly upsertCatalog: Statement<[string, string]>;
  private readonly selectCatalog: Statement<[], { body: string }>;
  private readonly upsertRulePack: Statement<[string, string]>;
  private readonly selectRulePack: Statement<[], { body: string }>;
  private readonly upsertScript: Statement<[string, string, string]>;
  private readonly selectScript: Statement<[string], { body: string }>;

  constructor(db: Database) {
    this.upsertCatalog = db.prepare(
      'INSERT INTO catalog (singleton, version, body) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, body = excluded.body',
    );
    this.selectCatalog = db.prepare('SELECT body FROM catalog WHERE singleton = 1');
    this.upsertRulePack = db.prepare(
      'INSERT INTO rule_pack (singleton, version, body) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, body = excluded.body',
    );
    this.selectRulePack = db.prepare('SELECT body FROM rule_pack WHERE singleton = 1');
    this.upsertScript = db.prepare(
      'INSERT INTO scripts (id, version, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body',
    );
    this.selectScript = db.prepare('SELECT body FROM scripts WHERE id = ?');
  }

  setCatalog(catalog: Catalog): void {
    this.upsertCatalog.run(catalog.version, JSON.stringify(catalog));
  }

  catalog(): Catalog | null {
    const row = this.selectCatalog.get();
    return row ? parseJsonColumn(catalogSchema, row.body, 'catalog') : null;
  }

  setRulePack(pack: RulePack): void {
    this.upsertRulePack.run(pack.version, JSON.stringify(pack));
  }

  rulePack(): RulePack | null {
    const row = this.selectRulePack.get();
    return row ? parseJsonColumn(rulePackSchema, row.body, 'rule pack') : null;
  }

  setScript(script: Script): void {
    this.upsertScript.run(script.id, script.version, JSON.stringify(script));
  }

  script(id: string): Script | null {
    const row = this.selectScript.get(id);
    return row ? parseJsonColumn(scriptSchema, row.body, `script ${id}`) : null;
  }
}
