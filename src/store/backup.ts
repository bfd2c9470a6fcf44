// SQLite's online backup: pages are copied while the bot goes on writing, and a write during the copy restarts
// it, so the result is one consistent moment. The copy is then checked before it is called a backup.
import Database from "better-sqlite3";
import type { DB } from "./db.js";

/** Copies the live database to `file` and checks the copy's integrity (throws, naming the file, when it fails). */
export async function backupDatabase(db: DB, file: string): Promise<void> {
  await db.backup(file);
  const copy = new Database(file, { readonly: true });
  try {
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`Bản sao ${file} không toàn vẹn: ${String(check)}`);
  } finally {
    copy.close();
  }
}
