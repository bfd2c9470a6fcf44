// A second, read-only connection to the bot's database, for work done away from the event loop (drafts and
// spreadsheets in a worker thread). WAL lets it read committed data while the bot's own connection writes: each
// read sees the database as of its last commit, never a transaction still open.
import Database from "better-sqlite3";
import type { DB } from "./db.js";

/**
 * The page cache of this connection, in KiB. A draft reads its own unit's rows once (a commune's areas, a tree's
 * kept totals), scattered over a file of gigabytes at country scale, so little of a cache survives from one
 * draft to the next; SQLite's default (16 MB, kept by the bot's own connection, which rewrites the same pages
 * answer after answer) would only fill with pages read once. Pages not cached are read again from the
 * system's file cache.
 */
const CACHE_KIB = 2048;

/** Opens an existing database for reading only; the bot's own connection has already migrated it. */
export function openReadOnlyDatabase(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  db.pragma(`cache_size = -${CACHE_KIB}`);
  return db;
}
