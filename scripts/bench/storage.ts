// Storage: database bytes per 1,000 submitted forms, from the database of a run, with the share of each
// table (SQLite's dbstat) and the size once the outbox's sent rows are pruned (the drainer deletes them
// after 7 days) and the file is vacuumed.
import { copyFileSync, statSync } from "node:fs";
import Database from "better-sqlite3";

/** Folds the WAL into the main file so its size is the whole database. */
export function checkpointedSize(path: string): number {
  const db = new Database(path);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    return statSync(path).size;
  } finally {
    db.close();
  }
}

export function tableBytes(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<[], { name: string; bytes: number }>(
        `SELECT coalesce(m.tbl_name, s.name) AS name, sum(s.pgsize) AS bytes
           FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY 1 ORDER BY 2 DESC`,
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
  } finally {
    db.close();
  }
}

/** Size after the outbox prune the drainer does on its own, then VACUUM (on a copy; the original stays). */
export function prunedSize(path: string): number {
  const copy = `${path}.pruned`;
  copyFileSync(path, copy);
  const db = new Database(copy);
  try {
    db.exec("DELETE FROM outbox WHERE status = 'sent'; DELETE FROM bot_messages; VACUUM;");
  } finally {
    db.close();
  }
  return statSync(copy).size;
}
