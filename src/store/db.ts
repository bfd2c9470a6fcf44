// Opens the SQLite database: WAL for concurrent readers and crash safety, synchronous=FULL so a committed
// answer survives even a power cut, then brings the schema up to date.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MIGRATIONS } from "./migrations.js";

export type DB = Database.Database;

/** The database cannot be opened for writing (read-only file or folder, not a database, full disk…). */
export class DatabaseOpenError extends Error {
  override readonly name = "DatabaseOpenError";
}

/** WAL pages after which a commit checkpoints (see openDatabase). */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

const READ_ONLY = /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/;

/**
 * Opens (creating if needed) and migrates the database. Every failure names the file, and a read-only one says
 * so in plain words: the bot must be able to write before it acknowledges anything.
 */
export function openDatabase(path: string): DB {
  let db: DB | undefined;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    // A checkpoint costs two fsyncs whatever it copies, and the pages answers keep writing (the ends of the
    // outbox, the dedupe marks, a commune's tallies) are copied once however often they were written: every
    // 4,000 pages instead of SQLite's 1,000, a quarter of the checkpoints for about the same time each (measured:
    // docs/performance.md). The WAL (about 16 MB between checkpoints) stays within the first hash table of its
    // index (4,062 pages), so a read still looks a page up in one table.
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    // Memory, on purpose rather than by the build's defaults: a page cache of 16 MB for the pages every answer
    // rewrites, and no memory-mapped reads, whose pages would count in the process's RSS up to the size of the
    // file (gigabytes at country scale).
    db.pragma("cache_size = -16000");
    db.pragma("mmap_size = 0");
    migrate(db);
    if (path !== ":memory:") probeWrite(db);
    return db;
  } catch (err) {
    db?.close();
    const e = err as Error & { code?: string };
    const readOnly = READ_ONLY.test(e.code ?? "") || /EACCES|EROFS|EPERM/.test(e.code ?? "");
    throw new DatabaseOpenError(
      readOnly
        ? `Không ghi được vào cơ sở dữ liệu ${path}: tệp hoặc thư mục chỉ cho đọc (${e.message}). Kiểm tra quyền ghi của tệp, thư mục chứa nó và các tệp -wal, -shm.`
        : `Không mở được cơ sở dữ liệu ${path}: ${e.message}`,
      { cause: err },
    );
  }
}

/**
 * A file SQLite could only open read-only (and with nothing to migrate) would otherwise fail at the first
 * answer a person gives. One header write, rolled back, finds it at start-up.
 */
function probeWrite(db: DB): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    db.pragma(`user_version = ${db.pragma("user_version", { simple: true }) as number}`);
  } finally {
    db.exec("ROLLBACK");
  }
}

export function migrate(db: DB): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`schema version ${current} is newer than this program (${MIGRATIONS.length}); update the bot`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
