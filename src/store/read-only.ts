// A second, read-only connection to the bot's database, for work done away from the event loop (drafts and
// spreadsheets in a worker thread). WAL lets it read committed data while the bot's own connection writes: each
// read sees the database as of its last commit, never a transaction still open.
import Database from "better-sqlite3";
import type { DB } from "./db.js";

/** Opens an existing database for reading only; the bot's own connection has already migrated it. */
export function openReadOnlyDatabase(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}
