/** Changes of the machine's clock that the workstation detected, kept for support and the team lead. */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { toBogotaIso } from '@gestiona/core/format';
import type { ClockJump } from '../clock.ts';

export interface StoredClockJump {
  kind: ClockJump['kind'];
  /** Trusted time of the detection, ISO in -05:00. */
  detectedAt: string;
  /** The machine's clock at the detection, ISO in -05:00. */
  localAt: string;
  jumpMs: number;
}

export class ClockJumpStore {
  private readonly insert: Statement;
  private readonly selectCount: Statement<[], { total: number }>;
  private readonly selectLatest: Statement<[number], { kind: string; detected_at: string; local_at: string; jump_ms: number }>;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO clock_jumps (kind, detected_at, local_at, jump_ms) VALUES (@kind, @detectedAt, @localAt, @jumpMs)');
    this.selectCount = db.prepare('SELECT COUNT(*) AS total FROM clock_jumps');
    this.selectLatest = db.prepare('SELECT kind, detected_at, local_at, jump_ms FROM clock_jumps ORDER BY id DESC LIMIT ?');
  }

  add(jump: ClockJump): void {
    this.insert.run({ kind: jump.kind, detectedAt: toBogotaIso(jump.detectedAt), localAt: toBogotaIso(jump.localAt), jumpMs: jump.jumpMs });
  }

  count(): number {
    return this.selectCount.get()?.total ?? 0;
  }

  /** Returns the latest jumps, newest first. */
  latest(limit: number): StoredClockJump[] {
    return this.selectLatest.all(limit).map((row) => ({
      kind: row.kind === 'restart' ? 'restart' : 'running',
      detectedAt: row.detected_at,
      localAt: row.local_at,
      jumpMs: row.jump_ms,
    }));
  }
}
