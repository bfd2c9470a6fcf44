// A stand-in that makes the bot's storage fail on purpose, from outside the bot process: SQLite triggers in the
// bot's own database abort the writes the bot needs, while a switch table (written by the test through its own
// connection; WAL lets both work at once) says when. No test hook exists in the bot: it meets a real storage
// error from SQLite, exactly where a full disk or a broken file would stop it.
import Database from "better-sqlite3";

export type FaultTarget =
  /** Storing any update (the processed-update mark, the first write of every update). */
  | "updates"
  /** Parking an update that failed repeatedly. */
  | "parking";

export class FailingStorage {
  constructor(readonly dbPath: string) {
    const db = this.open();
    try {
      db.exec(`
        CREATE TABLE IF NOT EXISTS test_faults (target TEXT PRIMARY KEY, only_key TEXT);
        CREATE TRIGGER IF NOT EXISTS test_fail_updates BEFORE INSERT ON processed_updates
          WHEN EXISTS (SELECT 1 FROM test_faults WHERE target = 'updates' AND (only_key IS NULL OR only_key = NEW.update_key))
          BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected by the test)'); END;
        CREATE TRIGGER IF NOT EXISTS test_fail_parking BEFORE INSERT ON parked_updates
          WHEN EXISTS (SELECT 1 FROM test_faults WHERE target = 'parking')
          BEGIN SELECT RAISE(ABORT, 'disk full (injected by the test)'); END;
      `);
    } finally {
      db.close();
    }
  }

  private open(): Database.Database {
    const db = new Database(this.dbPath);
    db.pragma("busy_timeout = 5000");
    return db;
  }

  /** From now on, writes of `target` fail (for one update key only, when given). */
  fail(target: FaultTarget, onlyKey?: string): void {
    const db = this.open();
    try {
      db.prepare("INSERT OR REPLACE INTO test_faults (target, only_key) VALUES (?, ?)").run(target, onlyKey ?? null);
    } finally {
      db.close();
    }
  }

  /** Storage works again. */
  heal(target?: FaultTarget): void {
    const db = this.open();
    try {
      if (target) db.prepare("DELETE FROM test_faults WHERE target = ?").run(target);
      else db.exec("DELETE FROM test_faults");
    } finally {
      db.close();
    }
  }
}
